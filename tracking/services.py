"""Writes of the tracking app: tasks entered, synced from directions, reported on, extended.

Who may do what (checked here, since views, imports and commands all come through):
- enter a task: a clerk or a leader for any unit of the agency, a unit head for their unit;
- report progress, finish, block: the handler, the lead unit's head or a leader;
- ask for more time: the handler or the lead unit's head; decide: the leader who directed
  the task (any leader of the agency when nobody is recorded).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Case, Exists, F, OuterRef, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role, Unit, User
from accounts.selectors import works_in_agency
from notifications.models import Deadline
from notifications.services import deadline_close, deadline_move, deadline_open
from workcalendar.services import WorkCalendar, local_zone
from workflows.models import Assignment

from .models import Category, ExtensionRequest, ProgressReport, TrackedTask

ENTRY_ROLES = (Role.HEAD, Role.DEPUTY, Role.CLERK, Role.UNIT_HEAD)


def _local_date(moment: datetime.datetime) -> datetime.date:
    return timezone.localtime(moment, local_zone()).date()


def due_day(day: datetime.date | None, *, calendar: WorkCalendar | None = None):
    """The deadline in force for a date a leader wrote: a day off moves it to the next
    working day (a deadline on 2/9 is met on the first working day after the holiday)."""
    if day is None:
        return None
    return (calendar or WorkCalendar()).next_working_day(day)


def can_enter_for(*, user: User, unit: Unit) -> bool:
    """Whether `user` may enter or import a task led by `unit`."""
    if not works_in_agency(user, unit.agency_id) or user.role not in ENTRY_ROLES:
        return False
    return user.role != Role.UNIT_HEAD or unit.head_id == user.pk


def can_act_on(*, user: User, task: TrackedTask) -> bool:
    """The handler, the lead unit's head and the agency's leaders act on a task."""
    if not works_in_agency(user, task.agency_id):
        return False
    return user.is_leader or task.handler_id == user.pk or task.lead_unit.head_id == user.pk


def can_decide_extension(*, user: User, task: TrackedTask) -> bool:
    if not works_in_agency(user, task.agency_id) or not user.is_leader:
        return False
    return task.directed_by_id in (None, user.pk)


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("You may not do this for this task."))


# Tasks that come from a direction -------------------------------------------------------


# Run by the step that changed the direction (under its process's lock): no savepoint of its
# own, a failure rolls the step back.
@transaction.atomic(savepoint=False)
def task_sync_from_assignment(
    *, assignment: Assignment, deadline_key: str, created: bool = False,
    deadline: Deadline | None = None, reply=None,
) -> None:
    """Create or refresh the tracked task of a leader's direction (no second entry).

    `created`: the direction was created in this transaction, so it has no tracked task yet
    (nothing to update); `deadline`: its Deadline when the caller has it (else read by key);
    `reply`: the reply that answered it, when the caller has it (else the latest issued).

    The direction's deadline is kept as the original on the first sync; a later change of
    the assignment's deadline (an accepted extension, the demo's backdating) moves `due_on`.
    The result is the reply issued or the closing note.
    """
    document = assignment.document
    due_on = _local_date(assignment.due_at)
    completed_on = _local_date(assignment.completed_at) if assignment.completed_at else None
    if assignment.outcome == Assignment.Outcome.CLOSED:
        result = assignment.closing_note
    elif assignment.outcome == Assignment.Outcome.REPLIED:
        reply = reply or document.replies.exclude(notation="").order_by("-pk").first()
        result = _("Answered by %(reply)s.") % {"reply": reply} if reply else ""
    else:
        result = ""
    if not created and TrackedTask.objects.filter(assignment=assignment).update(
        lead_unit_id=assignment.lead_unit_id,
        handler_id=assignment.handler_id,
        due_on=due_on,
        # Re-timed by the workflows themselves, not extended (no accepted extension): no
        # extension to count, the original moves too.
        original_due_on=Case(
            When(Exists(ExtensionRequest.objects.filter(
                task=OuterRef("pk"), decision=ExtensionRequest.Decision.ACCEPTED
            )), then=F("original_due_on")),
            default=Value(due_on),
        ),
        completed_on=completed_on,
        result=result,
    ):
        return
    # A direction is synced first by the step that created it, which nobody else sees
    # before it commits: nothing to race for.
    task = TrackedTask.objects.create(
        assignment=assignment,
        agency_id=document.agency_id,
        content=document.summary,
        giving_body=document.sender_name or str(document.sender_agency or ""),
        source_notation=document.notation,
        lead_unit_id=assignment.lead_unit_id,
        handler_id=assignment.handler_id,
        directed_by_id=assignment.directed_by_id,
        assigned_on=_local_date(assignment.created_at),
        due_on=due_on,
        original_due_on=due_on,
        completed_on=completed_on,
        result=result,
        created_by_id=assignment.directed_by_id,
        deadline=deadline or Deadline.objects.filter(key=deadline_key).first(),
    )
    units = assignment.supporting_unit_pks
    if units:
        task.supporting_units.add(*units)


# Tasks entered by hand or imported ------------------------------------------------------


def _reminders_open(task: TrackedTask) -> None:
    """Follow the deadline of a hand-entered task with the notifications app's reminders."""
    assignee = task.handler or task.lead_unit.head
    if task.due_on is None or assignee is None:
        return
    task.deadline = deadline_open(
        key=f"tracked-task:{task.pk}",
        agency=task.agency,
        assignee=assignee,
        unit_head=task.lead_unit.head,
        directed_by=task.directed_by,
        due_at=WorkCalendar().closing(task.due_on, task.agency_id),
        title=task.content,
        notation=task.source_notation,
        url=reverse("tracking:task_detail", args=[task.pk]),
    )
    task.save(update_fields=["deadline"])


def task_validate(
    *,
    user: User,
    lead_unit: Unit,
    supporting_units: Iterable[Unit],
    handler: User | None,
    directed_by: User | None,
) -> dict[str, str]:
    """The errors (field → Vietnamese message) of a task's people and units; {} when fine."""
    errors = {}
    if not can_enter_for(user=user, unit=lead_unit):
        errors["lead_unit"] = _("You may not enter tasks for this unit.")
    if not all(works_in_agency(user, unit.agency_id) for unit in supporting_units):
        errors["supporting_units"] = _("Choose units of your agency.")
    elif any(unit.pk == lead_unit.pk for unit in supporting_units):
        errors["supporting_units"] = _("The lead unit cannot also be a supporting unit.")
    if handler is not None and handler.unit_id != lead_unit.pk:
        errors["handler"] = _("Choose a member of the lead unit.")
    if directed_by is not None and (
        not works_in_agency(user, directed_by.agency_id) or not directed_by.is_leader
    ):
        errors["directed_by"] = _("Choose a leader of your agency.")
    return errors


@transaction.atomic
def task_create(
    *,
    user: User,
    content: str,
    lead_unit: Unit,
    assigned_on: datetime.date,
    due_on: datetime.date | None,
    category: Category | None = None,
    giving_body: str = "",
    source_notation: str = "",
    supporting_units: Iterable[Unit] = (),
    handler: User | None = None,
    directed_by: User | None = None,
    completed_on: datetime.date | None = None,
    result: str = "",
    calendar: WorkCalendar | None = None,
) -> TrackedTask:
    """Enter a task that did not come as one document (a plan's line, a conclusion).

    A deadline on a day off moves to the next working day. Raises ValidationError with the
    field of each mistake (a unit the person may not enter for is one of them). Returns the
    task, whose reminders start at once.
    """
    supporting_units = list(supporting_units)
    errors = task_validate(user=user, lead_unit=lead_unit, supporting_units=supporting_units,
                           handler=handler, directed_by=directed_by)
    content = (content or "").strip()
    if not content:
        errors["content"] = _("Write what the task is.")
    if due_on is not None and due_on < assigned_on:
        errors["due_on"] = _("The deadline cannot be before the day the task was given.")
    if errors:
        raise ValidationError(errors)
    due_on = due_day(due_on, calendar=calendar)
    task = TrackedTask.objects.create(
        agency_id=user.agency_id, category=category, content=content,
        giving_body=giving_body.strip(), source_notation=source_notation.strip(),
        lead_unit=lead_unit, handler=handler, directed_by=directed_by,
        assigned_on=assigned_on, due_on=due_on, original_due_on=due_on,
        completed_on=completed_on, result=result.strip(), created_by=user,
    )
    task.supporting_units.set(supporting_units)
    if completed_on is None:
        _reminders_open(task)
    return task


@transaction.atomic
def task_finish(*, user: User, task: TrackedTask, result: str,
                completed_on: datetime.date | None = None) -> TrackedTask:
    """Record the end of a hand-entered task with its result (a direction ends in its flow)."""
    _require(can_act_on(user=user, task=task))
    if task.assignment_id is not None:
        raise ValidationError(_("This task ends when its document is answered or closed."))
    result = (result or "").strip()
    if not result:
        raise ValidationError({"result": _("Say what was done.")})
    completed_on = completed_on or timezone.localdate()
    if completed_on < task.assigned_on or completed_on > timezone.localdate():
        raise ValidationError({"completed_on": _("The day it was finished is not possible.")})
    task.completed_on, task.result = completed_on, result
    task.save(update_fields=["completed_on", "result"])
    if task.deadline_id:
        deadline_close(key=task.deadline.key, completed_at=timezone.now())
    return task


@transaction.atomic
def task_block(*, user: User, task: TrackedTask, reason: str,
               since: datetime.date | None = None) -> TrackedTask:
    """Mark an open task blocked (no funding, no guidance…) since `since` (default today):
    the leader sees it apart, with the reason."""
    _require(can_act_on(user=user, task=task))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say what blocks the task.")})
    if not task.is_open:
        raise ValidationError(_("This task is already finished."))
    task.blocked_on, task.blocked_reason = since or timezone.localdate(), reason
    task.save(update_fields=["blocked_on", "blocked_reason"])
    return task


@transaction.atomic
def task_unblock(*, user: User, task: TrackedTask) -> TrackedTask:
    """The obstacle is gone: the task counts against its deadline again."""
    _require(can_act_on(user=user, task=task))
    task.blocked_on, task.blocked_reason = None, ""
    task.save(update_fields=["blocked_on", "blocked_reason"])
    return task


@transaction.atomic
def progress_report_add(*, user: User, task: TrackedTask, text: str, file=None) -> ProgressReport:
    """A progress report on the task's timeline."""
    _require(can_act_on(user=user, task=task))
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write how the task is going.")})
    return ProgressReport.objects.create(task=task, author=user, text=text, file=file or "")


# Deadline extensions --------------------------------------------------------------------


@transaction.atomic
def extension_request(*, user: User, task: TrackedTask, due_on: datetime.date,
                      reason: str) -> ExtensionRequest:
    """Ask the directing leader for a later deadline."""
    _require(works_in_agency(user, task.agency_id)
             and user.pk in (task.handler_id, task.lead_unit.head_id))
    reason = (reason or "").strip()
    errors = {}
    if task.due_on is None or not task.is_open:
        raise ValidationError(_("Only an open task with a deadline can be extended."))
    if due_on <= task.due_on:
        errors["due_on"] = _("The new deadline must be after the current one.")
    if not reason:
        errors["reason"] = _("Say why more time is needed.")
    if task.extensions.filter(decision=ExtensionRequest.Decision.PENDING).exists():
        errors["due_on"] = _("A request is already waiting for the leader.")
    if errors:
        raise ValidationError(errors)
    try:
        # A savepoint: two requests sent at once meet the one-pending constraint.
        with transaction.atomic():
            return ExtensionRequest.objects.create(
                task=task, requested_by=user, current_due_on=task.due_on,
                requested_due_on=due_day(due_on), reason=reason,
            )
    except IntegrityError:
        raise ValidationError(
            {"due_on": _("A request is already waiting for the leader.")}
        ) from None


@transaction.atomic
def extension_decide(*, user: User, request: ExtensionRequest, accept: bool,
                     note: str = "") -> ExtensionRequest:
    """The leader accepts (the new deadline is in force, the original kept) or refuses."""
    # Two leaders deciding at once: the second sees the first decision, not a pending row.
    request = ExtensionRequest.objects.select_for_update(of=("self",)).select_related(
        "task__lead_unit", "task__deadline"
    ).get(pk=request.pk)
    task = request.task
    _require(can_decide_extension(user=user, task=task))
    if request.decision != ExtensionRequest.Decision.PENDING:
        raise ValidationError(_("This request has already been decided."))
    request.decision = (
        ExtensionRequest.Decision.ACCEPTED if accept else ExtensionRequest.Decision.REFUSED
    )
    request.decided_by, request.decided_at = user, timezone.now()
    request.decision_note = (note or "").strip()
    request.save()
    if accept:
        task.due_on = request.requested_due_on
        task.save(update_fields=["due_on"])
        due_at = WorkCalendar().closing(task.due_on, task.agency_id)
        if task.assignment_id is not None:
            # The flow and its reminders read the assignment's deadline: move it too.
            Assignment.objects.filter(pk=task.assignment_id).update(due_at=due_at)
        if task.deadline_id is not None:
            deadline_move(key=task.deadline.key, due_at=due_at)
    return request
