"""The deadlines of directed work, followed by the notifications app (reminders, escalation).

One key per assignment: opened when the leader directs (the lead unit's head must act first),
moved to the specialist when the unit head hands the work over, closed when the reply is
issued or the document is closed.
"""

from django.urls import NoReverseMatch

from notifications.services import deadline_close, deadline_open, deadline_reassign

from ..models import Assignment
from ..signals import assignment_changed
from .numbering import when_numbered


def _key(assignment: Assignment) -> str:
    return f"assignment:{assignment.pk}"


def _announce(assignment: Assignment, **news) -> None:
    assignment_changed.send(
        sender=Assignment, assignment=assignment, deadline_key=_key(assignment), **news
    )


def _url(process) -> str:
    try:
        return process.flow_class.instance.reverse("process_detail", args=[process.pk])
    except NoReverseMatch:
        # The flows are not mounted (a management command run without the site's URLs).
        return ""


def assignment_opened(*, assignment: Assignment, process, created: bool = False) -> None:
    """Start following the deadline of a direction (again, when re-timed); `created`: the
    direction was created in the caller's transaction, so nothing follows it yet."""
    document = assignment.document
    head = assignment.lead_unit.head
    deadline = deadline_open(
        key=_key(assignment),
        agency=document.agency,
        assignee=assignment.handler or head,
        unit_head=head,
        directed_by=assignment.directed_by,
        due_at=assignment.due_at,
        title=document.summary,
        notation=document.notation,
        url=_url(process),
    )
    _announce(assignment, created=created, deadline=deadline)


def assignment_reassigned(*, assignment: Assignment) -> None:
    """The work moved to `assignment.handler`: remind them from now on."""
    deadline_reassign(key=_key(assignment), assignee=assignment.handler)
    _announce(assignment)


def assignment_closed(*, assignment: Assignment, reply=None) -> None:
    """The work is done (answered by `reply`, when there is one): no more reminders.

    The tracked task's result names the reply: while the reply waits for its number in this
    step, it is written once the number is taken (`numbering.when_numbered`)."""
    deadline_close(key=_key(assignment), completed_at=assignment.completed_at)
    if reply is None:
        _announce(assignment)
    else:
        when_numbered(reply, lambda: _announce(assignment, reply=reply))
