"""Cards for the home dashboard (settings.HOME_CARDS): the person's own work and their
units' queue, per flow, each linking to the list where it waits."""

from django.utils.translation import gettext as _

from accounts.home import HomeCard
from accounts.selectors import user_agency_id

from . import queues
from .flows import IncomingFlow, OutgoingFlow

FLOWS = (IncomingFlow, OutgoingFlow)


def _card(*, title: str, page: str, counts: dict, icon: str, order: int) -> HomeCard:
    waiting = [flow for flow in FLOWS if counts[flow]]
    target = waiting[0] if waiting else FLOWS[0]
    return HomeCard(
        title=title, value=sum(counts.values()), url=target.instance.reverse(page), icon=icon,
        note=", ".join(f"{flow.process_title}: {counts[flow]}" for flow in waiting),
        order=order,
    )


def cards(request):
    """“Việc của tôi” and “Việc chờ nhận” for everyone who works in the flows."""
    user = request.user
    if user_agency_id(user) is None:
        return []
    mine = {flow: queues.task_inbox_for(user=user, flow_classes=[flow]).count() for flow in FLOWS}
    open_ = {flow: queues.task_queue_for(user=user, flow_classes=[flow]).count() for flow in FLOWS}
    return [
        _card(title=_("Inbox"), page="inbox", counts=mine, icon="inbox", order=10),
        _card(title=_("Queue"), page="queue", counts=open_, icon="schedule", order=11),
    ]
