"""Cards for the home dashboard (settings.HOME_CARDS): unread notifications, escalations."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.home import HomeCard

from .selectors import escalations_for, unread_count


def cards(request):
    """The unread count for everyone; the escalated work for the leader who directed it."""
    user = request.user
    url = reverse("notifications:index")
    result = [
        HomeCard(title=_("Unread notifications"), value=unread_count(user=user), url=url,
                 icon="notifications", order=30)
    ]
    escalated = list(escalations_for(user=user)[:5])
    if escalated:
        total = escalations_for(user=user).count()
        result.append(HomeCard(
            title=_("Overdue work reported to you"), value=total, url=url, icon="report",
            note=ngettext("%(count)d task past its deadline", "%(count)d tasks past their deadline",
                          total) % {"count": total}
            + ": " + "; ".join(d.notation or d.title for d in escalated),
            order=20,
        ))
    return result
