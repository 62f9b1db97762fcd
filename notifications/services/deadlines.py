"""The deadline-tracking API the workflows call: open, reassign, close.

A deadline is keyed by the caller ("assignment:42"). Opening or changing one sets
`next_check_at` to now, so the next sweep looks at it and decides which reminder (if any)
is due; closing clears it, so the sweep never reads the row again.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models.constants import OnConflict
from django.utils import timezone

from ..models import Deadline


# Called inside the step that opens, moves or ends the work: no savepoint of their own, a
# failure rolls the step back.
@transaction.atomic(savepoint=False)
def deadline_open(
    *,
    key: str,
    agency,
    assignee,
    unit_head=None,
    directed_by=None,
    due_at: datetime.datetime,
    title: str,
    url: str,
    notation: str = "",
) -> Deadline:
    """Start (or update) following a task with a deadline; idempotent on `key`.

    `assignee` gets the reminders; `unit_head` also gets the overdue alerts; `directed_by`
    (the leader who gave the direction) gets the escalation. `title` is the summary shown in
    e-mails (e.g. the document's "V/v …"), `notation` its number and symbol ("1719-CV/HU"),
    `url` the site path of the task. Opening an existing key updates every field and reopens
    it if it was closed. Returns the Deadline.
    """
    now = timezone.now()
    values = {
        "agency": agency, "assignee": assignee, "unit_head": unit_head,
        "directed_by": directed_by, "due_at": due_at, "title": title[:500],
        "notation": notation, "url": url, "next_check_at": now,
    }
    # A new key is one `INSERT … ON CONFLICT DO NOTHING RETURNING`, no savepoint: a key
    # already there, or being inserted by a concurrent step (this insert waits for it),
    # comes back empty and is updated under its row lock below.
    new = Deadline(key=key, opened_at=now, **values)
    meta = Deadline._meta
    (inserted,) = Deadline.objects._insert(
        [new],
        fields=[field for field in meta.concrete_fields if not field.primary_key],
        returning_fields=[meta.pk],
        on_conflict=OnConflict.IGNORE,
    )
    if inserted:
        new.pk = inserted[0]
        new._state.adding = False
        return new
    deadline = Deadline.objects.select_for_update().get(key=key)
    if deadline.due_at != due_at:
        deadline.escalated_at = None
    for name, value in values.items():
        setattr(deadline, name, value)
    deadline.completed_at = None
    deadline.save()
    return deadline


@transaction.atomic(savepoint=False)
def deadline_reassign(*, key: str, assignee, unit_head=None) -> None:
    """Hand an open deadline to another person (and unit head, when given).

    The next sweep sends the newcomer the reminder of the current stage if one was already
    sent to the previous assignee. An unknown or closed key is ignored.
    """
    changes = {"assignee": assignee, "next_check_at": timezone.now()}
    if unit_head is not None:
        changes["unit_head"] = unit_head
    Deadline.objects.filter(key=key, completed_at__isnull=True).update(**changes)


@transaction.atomic(savepoint=False)
def deadline_close(*, key: str, completed_at: datetime.datetime | None = None) -> None:
    """Stop following a deadline: the work is done at `completed_at` (default now).

    Reports compare `completed_at` with `due_at` (on time or late). Closing twice keeps the
    first completion time; an unknown key is ignored.
    """
    Deadline.objects.filter(key=key, completed_at__isnull=True).update(
        completed_at=completed_at or timezone.now(), next_check_at=None
    )


@transaction.atomic
def deadline_move(*, key: str, due_at: datetime.datetime) -> None:
    """Move an open deadline (an accepted extension): the sweep re-reads it at once.

    The escalation is cleared, since the new deadline has not passed yet; the reminders
    already sent stay recorded. An unknown or closed key is ignored.
    """
    Deadline.objects.filter(key=key, completed_at__isnull=True).update(
        due_at=due_at, escalated_at=None, next_check_at=timezone.now()
    )
