"""Cards for the home dashboard (settings.HOME_CARDS): the live figures and the overdue list."""

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.home import HomeCard
from accounts.models import Role

from .selectors import Period, overdue_for, task_list_for, totals_for

FIGURE_ROLES = (Role.HEAD, Role.DEPUTY, Role.UNIT_HEAD)


def cards(request):
    """For leaders and unit heads: this year's figures of their scope and what is overdue."""
    user = request.user
    if not user.is_authenticated or user.role not in FIGURE_ROLES:
        return []
    today = timezone.localdate()
    period = Period(start=datetime.date(today.year, 1, 1), end=today, as_of=today)
    totals = totals_for(task_list_for(user=user), period)
    url = reverse("tracking:index")
    overdue = overdue_for(user=user, today=today)
    list_url = reverse("tracking:task_list")
    return [
        HomeCard(
            title=_("Tasks missing their deadline in %(year)d") % {"year": today.year},
            value=totals.missed_percent, url=url, icon="fact_check", order=15,
            note=_("%(total)d tasks: %(on_time)d finished on time, %(missed)d missed the "
                   "deadline, %(open)d in progress, %(blocked)d blocked") % {
                "total": totals.total, "on_time": totals.on_time, "missed": totals.missed,
                "open": totals.in_progress + totals.overdue, "blocked": totals.blocked,
            },
        ),
        HomeCard(
            title=_("Overdue tasks"), value=totals.overdue,
            url=f"{list_url}?period=year&status=overdue", icon="alarm", order=16,
            note="; ".join(f"{task.content[:60]} ({task.due_on:%d/%m/%Y})" for task in overdue),
        ),
    ]
