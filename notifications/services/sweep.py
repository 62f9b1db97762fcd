"""The sweep: send the reminders and escalations that are due, and the daily digests.

The sweep reads only deadlines whose indexed `next_check_at` has come (locked with
SKIP LOCKED, so two sweeps never handle one row), works out the latest stage of the
reminder policy that is due, writes it (a Reminder row, in-app notifications, outbox rows,
all unique per stage and recipient) and moves `next_check_at` to the next stage. A sweep
that was down for days sends only the latest stage, not a backlog.
"""

from __future__ import annotations

import datetime
import logging
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Case, DateTimeField, F, Value, When
from django.db.models.constants import OnConflict
from django.utils import timezone

from workcalendar.services import WorkCalendar, local_zone

from ..models import Deadline, Outbox, Reminder, ReminderKind, ReminderPolicy
from .delivery import (
    Message,
    digest_chosen,
    notify_many,
    outbox_due_ids,
    outbox_enqueue,
    outbox_write,
)
from .emails import digest_email, reminder_context

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Stage:
    """One moment of a deadline's reminder policy."""

    at: datetime.datetime
    kind: str
    stage: str
    days: int  # working days before the deadline, or overdue


@dataclass
class SweepResult:
    """What one sweep did: deadlines looked at, reminders written, e-mails queued."""

    checked: int = 0
    reminders: list[Reminder] = field(default_factory=list)
    emails: list[Outbox] = field(default_factory=list)


def deadline_stages(deadline: Deadline, *, policy: ReminderPolicy, calendar: WorkCalendar
                    ) -> Iterator[Stage]:
    """The stages of a deadline in time order; endless, since overdue alerts repeat.

    Before: at opening time N working days before the deadline's day. Due day: at opening
    time of that day, if it is a working day (a deadline set on a holiday gets none).
    Overdue: at opening time of the k-th working day after it, for k = 1, 1+K, 1+2K… and
    k = M; from k = M on it is an escalation.
    """
    agency = deadline.agency_id
    due_day = deadline.due_at.astimezone(local_zone()).date()
    early = []
    if policy.days_before:
        day = calendar.add_working_days(due_day, -policy.days_before)
        early.append(Stage(calendar.opening(day, agency), ReminderKind.BEFORE,
                           f"{due_day}-{policy.days_before}", policy.days_before))
    if policy.remind_on_due_day and calendar.is_working_day(due_day):
        early.append(Stage(calendar.opening(due_day, agency), ReminderKind.DUE_DAY,
                           f"{due_day}", 0))
    yield from sorted((s for s in early if s.at < deadline.due_at), key=lambda s: s.at)
    day, overdue = due_day, 0
    while True:
        day = calendar.add_working_days(day, 1)
        overdue += 1
        escalated = overdue >= policy.escalate_after_days
        if overdue == policy.escalate_after_days or (overdue - 1) % policy.repeat_every_days == 0:
            yield Stage(
                calendar.opening(day, agency),
                ReminderKind.ESCALATION if escalated else ReminderKind.OVERDUE,
                f"{due_day}+{overdue}", overdue,
            )


def _current_and_next(stages: Iterator[Stage], now: datetime.datetime
                      ) -> tuple[Stage | None, Stage]:
    current = None
    for stage in stages:
        if stage.at > now:
            return current, stage
        current = stage
    raise AssertionError("deadline_stages never ends")


def _recipients(deadline: Deadline, kind: str, people: dict) -> dict[int, tuple[object, str]]:
    """Who gets a stage, and which e-mail each gets; one e-mail per person, the strongest.

    `people`: the batch's people by id (`_people`)."""
    recipients = {deadline.assignee_id: (people[deadline.assignee_id], kind)}
    if kind in (ReminderKind.OVERDUE, ReminderKind.ESCALATION):
        recipients[deadline.assignee_id] = (people[deadline.assignee_id], ReminderKind.OVERDUE)
        if deadline.unit_head_id:
            recipients.setdefault(
                deadline.unit_head_id, (people[deadline.unit_head_id], ReminderKind.OVERDUE)
            )
    if kind == ReminderKind.ESCALATION and deadline.directed_by_id:
        recipients[deadline.directed_by_id] = (
            people[deadline.directed_by_id], ReminderKind.ESCALATION
        )
    return recipients


def _people(deadlines: list[Deadline]) -> dict:
    """The people of a batch's deadlines by id, each read once with whether they chose the
    07:30 digest, and set as each deadline's assignee.

    A batch names a few people many times: read with each deadline (select_related) they
    made three User objects per deadline; and the digest choices, read with them, spare
    `notify_many` its own query.
    """
    ids = set()
    for deadline in deadlines:
        ids.update((deadline.assignee_id, deadline.unit_head_id, deadline.directed_by_id))
    ids.discard(None)
    people = get_user_model().objects.annotate(digest=digest_chosen()).in_bulk(ids)
    for deadline in deadlines:
        deadline.assignee = people[deadline.assignee_id]
    return people


def _fire(fired: list[tuple[Deadline, Stage]], *, now, calendar: WorkCalendar,
          result: SweepResult) -> None:
    """Write the stages of a batch of locked deadlines: reminders, notifications, e-mails.

    A fixed number of queries for the whole batch. A stage recorded before (a reassignment
    re-checks the stage) gets no second Reminder; its e-mails and notifications go to whoever
    has not had them, as their own unique keys decide.
    """
    if not fired:
        return
    people = _people([deadline for deadline, _ in fired])
    reminders = {
        (deadline.pk, stage.kind, stage.stage): Reminder(
            deadline=deadline, kind=stage.kind, stage=stage.stage, created_at=now,
            days_overdue=stage.days if stage.kind in (
                ReminderKind.OVERDUE, ReminderKind.ESCALATION) else 0,
        )
        for deadline, stage in fired
    }
    # The stage's unique key skips one recorded before, in the same statement that writes
    # the others and returns their ids (no read of the batch's reminders first).
    meta = Reminder._meta
    written = Reminder.objects._insert(
        list(reminders.values()),
        fields=[field for field in meta.concrete_fields if not field.primary_key],
        returning_fields=[meta.pk, *map(meta.get_field, ("deadline", "kind", "stage"))],
        on_conflict=OnConflict.IGNORE,
    )
    # A single row skipped comes back as None rather than as no row.
    new = {(deadline_id, kind, stage): pk for pk, deadline_id, kind, stage in filter(None, written)}
    for key, reminder in reminders.items():
        if key in new:
            reminder.pk = new[key]
            reminder._state.adding = False
            result.reminders.append(reminder)
    today = now.astimezone(local_zone()).date()
    days_left = {}
    messages = []
    for deadline, stage in fired:
        if stage.kind == ReminderKind.BEFORE:
            # A late-opened deadline is reminded at once, with the days really left.
            due_day = deadline.due_at.astimezone(local_zone()).date()
            if due_day not in days_left:
                days_left[due_day] = calendar.working_days_between(today, due_day)
            days = days_left[due_day]
        else:
            days = stage.days
        for person, kind in _recipients(deadline, stage.kind, people).values():
            # Rendered when sent: the sweep's transaction only stores what the e-mail says.
            context = reminder_context(deadline=deadline, kind=kind, days=days, recipient=person)
            messages.append(Message(
                key=f"deadline:{deadline.pk}:{kind}:{stage.stage}", user=person,
                subject=context["subject"], text=f"{context['intro']} {context['status_line']}",
                url=deadline.url, agency=deadline.agency, kind=kind, deadline=deadline,
                template="reminder", context=context, digest=person.digest,
            ))
    result.emails.extend(notify_many(messages=messages))


def deadlines_sweep(*, now: datetime.datetime | None = None) -> SweepResult:
    """Write every reminder due at `now` (default: now) and plan each row's next check.

    Queries: a fixed few per batch of due deadlines (settings.NOTIFICATIONS_SWEEP_BATCH),
    whatever the number of recipients; deadlines not due are never read. Returns what was
    written.
    """
    now = now or timezone.now()
    calendar = WorkCalendar()
    policies = {policy.agency_id: policy for policy in ReminderPolicy.objects.all()}
    default = policies.get(None) or ReminderPolicy()
    result = SweepResult()
    # A deadline's stages follow from its agency (policy, office hours) and its moment
    # alone, and the due ones share a few closing times: worked out once for each.
    plans = {}
    batch = settings.NOTIFICATIONS_SWEEP_BATCH
    while True:
        with transaction.atomic():
            rows = list(
                Deadline.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("agency")
                .filter(next_check_at__lte=now, completed_at__isnull=True)
                .order_by("next_check_at")[:batch]
            )
            fired, checks, escalated = [], defaultdict(list), []
            for deadline in rows:
                plan = (deadline.agency_id, deadline.due_at)
                if plan not in plans:
                    policy = policies.get(deadline.agency_id, default)
                    plans[plan] = _current_and_next(
                        deadline_stages(deadline, policy=policy, calendar=calendar), now
                    )
                current, upcoming = plans[plan]
                if current is not None:
                    fired.append((deadline, current))
                    if current.kind == ReminderKind.ESCALATION and deadline.escalated_at is None:
                        escalated.append(deadline.pk)
                checks[upcoming.at].append(deadline.pk)
            _fire(fired, now=now, calendar=calendar, result=result)
            if rows:
                # One UPDATE for the batch. Next checks fall on a few office openings, so
                # grouping the rows by moment keeps the statement short.
                Deadline.objects.filter(pk__in=[deadline.pk for deadline in rows]).update(
                    next_check_at=Case(
                        *(When(pk__in=pks, then=Value(at)) for at, pks in checks.items()),
                        output_field=DateTimeField(),
                    ),
                    escalated_at=Case(
                        When(pk__in=escalated, then=Value(now)), default=F("escalated_at"),
                        output_field=DateTimeField(),
                    ),
                )
        result.checked += len(rows)
        if len(rows) < batch:
            return result


def viewflow_timers_fire() -> int:
    """Fire viewflow's database timers and conditional catches that are due.

    viewflow 2.4's `workflow_timers` command does the same; the sweep drives it so no
    separate cron is needed. Scheduled process starts (StartTimer) are left out: viewflow
    asks for a single dispatcher for those, and our flows do not use them.
    """
    from viewflow.workflow.timers import fire_due_conditions, fire_due_timers

    return fire_due_timers() + fire_due_conditions()


def outbox_resend_stale() -> list[int]:
    """Enqueue again pending e-mails whose message was lost (broker down, retry lost)."""
    ids = outbox_due_ids()
    if ids:
        with transaction.atomic():
            outbox_enqueue(ids=ids)
    return ids


def digests_send(*, now: datetime.datetime | None = None) -> list[Outbox]:
    """Gather each person's held e-mails into one digest e-mail, on working days only.

    Runs the sweep first, so the morning's reminders are in the 07:30 digest. Returns the
    digest rows written.
    """
    now = now or timezone.now()
    calendar = WorkCalendar()
    today = now.astimezone(local_zone()).date()
    if not calendar.is_working_day(today):
        return []
    deadlines_sweep(now=now)
    digests = []
    recipient_ids = (
        Outbox.objects.filter(state=Outbox.State.HELD, recipient__isnull=False)
        .values_list("recipient", flat=True).distinct()
    )
    for recipient_id in list(recipient_ids):
        with transaction.atomic():
            items = list(
                Outbox.objects.select_for_update(skip_locked=True)
                .filter(state=Outbox.State.HELD, recipient_id=recipient_id)
                .select_related("recipient").order_by("created_at", "pk")
            )
            if not items:
                continue
            recipient = items[0].recipient
            email = digest_email(recipient=recipient, day=today, items=items)
            row, _ = outbox_write(
                key=f"digest:{items[0].pk}-{items[-1].pk}", to_email=items[0].to_email,
                user=recipient, agency=items[0].agency, kind="digest",
                subject=email.subject, text=email.text, html=email.html,
            )
            Outbox.objects.filter(pk__in=[item.pk for item in items]).update(
                state=Outbox.State.DIGESTED, digest=row
            )
            digests.append(row)
    return digests
