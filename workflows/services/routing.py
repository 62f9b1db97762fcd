"""Moving documents through the flows: starting them, and driving a task from Python.

`incoming_start` and `outgoing_start` are what other modules call (delivery, the specialist's
reply). `task_perform` runs one step of a flow the way viewflow's own views do (lock the
process, claim the task, start it, call the step's service, execute), for the story, the demo
loader and tests: services never skip the permission checks a view would make.
"""

import random
import time
from collections.abc import Callable
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, router, transaction
from django.db.models import F, FilteredRelation, Q, QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from viewflow.workflow import lock
from viewflow.workflow.exceptions import FlowLockFailed
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from accounts.models import User
from common.compiled import CompiledOnce
from notifications.services import Message, notify_many

from .. import steps
from ..models import Assignment, Decision, Direction, Document, DocumentProcess, TimelineEntry
from ..queues import task_open_to_expression
from . import deadlines
from .files import files_removed_on_failure
from .numbering import when_numbered
from .timeline import timeline_add_numbered

# The decisions after which the incoming document needs no more work (its join closes).
FINAL_DECISIONS = (Decision.CLOSED, Decision.ANSWERED)


# The starts run inside a delivery or a step: no savepoint of their own (see handling).
@transaction.atomic(savepoint=False)
def incoming_start(*, document: Document) -> DocumentProcess:
    """Start the IncomingFlow for an incoming document an agency has received.

    Called when a document is delivered on the system (`outgoing_deliver`) or a clerk
    records a paper/e-mail one. Returns the new process; its first task is the clerk's
    registration, open to the agency's clerks.
    """
    if document.direction != Direction.INCOMING:
        raise ValueError("incoming_start needs an incoming document")
    return steps.node_of(incoming_start).run(document=document)


@transaction.atomic(savepoint=False)
def outgoing_start(*, document: Document) -> DocumentProcess:
    """Start the OutgoingFlow for a draft; its first task is assigned to `drafted_by`."""
    if document.direction != Direction.OUTGOING or document.drafted_by_id is None:
        raise ValueError("outgoing_start needs an outgoing draft with its drafter")
    return steps.node_of(outgoing_start).run(document=document)


def process_of(*, document: Document) -> DocumentProcess | None:
    """The latest process moving `document`, or None."""
    return DocumentProcess.objects.filter(document=document).order_by("-pk").first()


def assignment_of(*, process: DocumentProcess) -> Assignment:
    """The direction the incoming process carries (its artifact), knowing its document: the
    process's own, already read, which the timeline and the tracking sync would read again."""
    assignment = process.artifact
    assignment.document = process.document
    return assignment


def person_of(*, task: Task) -> User:
    """The person a per-person task (a comment asked of them) is for."""
    return User.objects.get(pk=task.data["person"])


# What a step reads besides the task: viewflow's activation coerces the process to
# DocumentProcess, `can_execute` compares the owner, the services read the document and
# the agency, the notices its drafter. Joined once instead of one query each.
STEP_RELATED = (
    "owner",
    "process__documentprocess__document__agency",
    "process__documentprocess__document__drafted_by",
    "process__documentprocess__agency",
)


# viewflow's `select_for_update_lock`: so many NOWAIT attempts, then FlowLockFailed.
LOCK_ATTEMPTS = 5


def _artifact_assignment() -> FilteredRelation:
    """The incoming process's artifact, its direction, to read with the step's task (a
    generic relation, which viewflow would read by itself); a new one for each query, which
    names it."""
    return FilteredRelation(
        "process__documentprocess__document__assignments",
        condition=Q(
            process__documentprocess__document__assignments__pk=F("process__artifact_object_id")
        ),
    )


def _artifact_known(task: Task) -> None:
    """Give the process its artifact read with the task (`_artifact_assignment`), when the
    artifact is that direction."""
    process = task.process.coerced
    # Not set by the join when the document has no such direction.
    assignment = getattr(task, "artifact_assignment", None)
    if assignment is not None and process.artifact_content_type_id == (
        ContentType.objects.get_for_model(Assignment).pk
    ):
        process.artifact = assignment


class _StepLock:
    """The flows' lock (viewflow's `select_for_update_lock`: the process row FOR UPDATE
    NOWAIT, retried with viewflow's back-off) whose statement also locks and reads the
    step's task with what the step reads (`STEP_RELATED`) and whether `user` may take it
    from the queue (`queues.task_open_to`): one statement instead of three.

    The task row is locked too, so that a second person racing for the same step finds it
    done once the first commits. A lock lost five times raises FlowLockFailed; nothing of
    the step has been written by then.
    """

    def __init__(self, task_pk: int, user: User):
        self.task_pk = task_pk
        self.user = user
        self.task = None

    @staticmethod
    def tasks(*, shape: tuple[bool, bool], task_pk: int, process_pk: int, user_pk: int
              ) -> QuerySet:
        """The statement: the task `task_pk` of process `process_pk`, locked with its
        process, read with what the step reads and whether the user `user_pk` (active,
        superuser: the `shape`) may take it from the queue."""
        is_active, is_superuser = shape
        user = User(pk=user_pk, is_active=is_active, is_superuser=is_superuser)
        return (
            Task.objects.annotate(artifact_assignment=_artifact_assignment())
            .select_related(*STEP_RELATED, "artifact_assignment")
            .select_for_update(nowait=True, of=("self", "process__documentprocess"))
            .filter(pk=task_pk, process_id=process_pk,
                    process__documentprocess__isnull=False)
            .annotate(open_to=task_open_to_expression(user=user))
            .order_by()
        )

    @contextmanager
    def __call__(self, flow_class, process_pk):
        for attempt in range(LOCK_ATTEMPTS):
            with transaction.atomic():
                try:
                    tasks = _STEP_LOCK_STATEMENT.all(
                        using=router.db_for_write(Task),
                        shape=(self.user.is_active, self.user.is_superuser),
                        task_pk=self.task_pk, process_pk=process_pk, user_pk=self.user.pk,
                    )
                except DatabaseError:
                    # Roll the failed attempt back (to its savepoint inside a caller's
                    # transaction) rather than commit or release it, then wait outside.
                    transaction.set_rollback(True)
                else:
                    if not tasks:
                        raise Task.DoesNotExist(
                            f"No task {self.task_pk} in process {process_pk}")
                    self.task = tasks[0]
                    self.task.open_to_pk = self.user.pk
                    _artifact_known(self.task)
                    yield
                    return
            if attempt == LOCK_ATTEMPTS - 1:
                raise FlowLockFailed(f"Lock failed for {flow_class}")
            time.sleep(((attempt + 1) * random.random() + 2**attempt) / 2.5)


_STEP_LOCK_STATEMENT = CompiledOnce(_StepLock.tasks)


@contextmanager
def _task_locked(task: Task, user: User):
    """Under the process lock, in one transaction: the fresh, locked `task` (see _StepLock)."""
    step_lock = _StepLock(task.pk, user)
    with lock.lock_scope(step_lock, task.flow_task.flow_class, task.process_id):
        yield step_lock.task


def _activation_claimed(*, task: Task, user: User):
    """Under the process lock: the task's activation, claimed by and started for `user`.

    Refuses a task already done or being done by someone else, and a user who may not take
    it, with a message in the user's language.
    """
    node = task.flow_task
    activation = node.activation_class(task)
    if task.status not in (STATUS.NEW, STATUS.ASSIGNED):
        raise ValidationError(_("This task has already been completed."), code="task_done")
    if task.status == STATUS.NEW:
        if not node.can_assign(user, task):
            raise PermissionDenied(_("You may not take this task."))
        # Done in this same transaction: the completion's save writes the owner.
        activation.assign(user, save=False)
    elif not node.can_execute(user, task):
        raise PermissionDenied(_("This task is assigned to someone else."))
    activation.start(None)
    return activation


def task_perform(*, task: Task, user: User, service: Callable[..., Any], **data: Any) -> Any:
    """Do one step of a flow as `user`: lock, claim, start, `service(...)`, execute.

    Returns what the service returns. Raises ValidationError (bad input, a task already
    done) or PermissionDenied; in both cases nothing is changed.
    """
    # The files' guard outside the step's transaction: a failed commit removes them too.
    with files_removed_on_failure(), _task_locked(task, user) as locked, steps.writes_last():
        activation = _activation_claimed(task=locked, user=user)
        result = service(activation=activation, user=user, **data)
        activation.execute()
    return result


def task_claim(*, task: Task, user: User) -> Task:
    """Take a task from the queue (viewflow's “assign”), with the same checks as the view.

    Returns the task as taken (a fresh instance; `task` itself is not changed)."""
    with _task_locked(task, user) as locked:
        if locked.status != STATUS.NEW:
            raise ValidationError(_("This task has already been taken."), code="task_taken")
        if not locked.flow_task.can_assign(user, locked):
            raise PermissionDenied(_("You may not take this task."))
        locked.flow_task.activation_class(locked).assign(user)
    return locked


def _open_tasks(*, shape: tuple, document_pk: int) -> QuerySet:
    (node,) = shape
    return (
        Task.objects.filter(
            process__documentprocess__document_id=document_pk,
            flow_task=node,
            status__in=(STATUS.NEW, STATUS.ASSIGNED),
        )
        .order_by("-pk")[:1]
    )


_OPEN_TASK_STATEMENT = CompiledOnce(_open_tasks)


def open_task(*, document: Document, node) -> Task | None:
    """The unfinished task of `node` in the latest process of `document`, if any."""
    tasks = _OPEN_TASK_STATEMENT.all(
        using=router.db_for_read(Task), shape=(node,), document_pk=document.pk
    )
    return tasks[0] if tasks else None


def reply_issued(*, reply: Document) -> None:
    """The reply to an incoming document was issued: end that document's handling.

    Runs the incoming process's waiting step, which records the answer; nothing happens when
    the reply answers no incoming document of the same agency.
    """
    request = reply.responds_to
    if request is None or request.agency_id != reply.agency_id:
        return
    await_reply = steps.node_of(reply_issued)
    task = _waiting_task_locked(document=request, node=await_reply)
    if task is not None:
        await_reply.run_locked(task, reply=reply)


def _waiting_task_locked(*, document: Document, node) -> Task | None:
    """The open task of `node` for `document`, locked with its process row in the same
    statement (the flows' lock), with the process and document it works on.

    Run inside another process's step, which has work to keep: it waits for the lock
    (FOR UPDATE, no NOWAIT to retry in a new transaction); the process's direction is read
    with them. Nothing takes these two locks the other way round; a deadlock PostgreSQL
    found would fail the whole step.
    """
    tasks = _WAITING_TASK_STATEMENT.all(
        using=router.db_for_write(Task), shape=(node,), document_pk=document.pk
    )
    if not tasks:
        return None
    _artifact_known(tasks[0])
    return tasks[0]


def _waiting_tasks(*, shape: tuple, document_pk: int):
    (node,) = shape
    return (
        Task.objects.annotate(artifact_assignment=_artifact_assignment())
        .select_related("process__documentprocess__document", "artifact_assignment")
        .select_for_update(of=("self", "process__documentprocess"))
        .filter(
            process__documentprocess__document_id=document_pk,
            flow_task=node,
            status__in=(STATUS.NEW, STATUS.ASSIGNED),
        )
        .order_by("-pk")[:1]
    )


_WAITING_TASK_STATEMENT = CompiledOnce(_waiting_tasks)


def incoming_answered(*, activation, reply: Document) -> Assignment:
    """Record that the incoming document of `activation` is answered by the issued `reply`.

    Completes the assignment and stops its deadline; delivering the reply marks the
    document itself answered (`outgoing_deliver`).
    """
    process = activation.process
    assignment = assignment_of(process=process)
    assignment.outcome = Assignment.Outcome.REPLIED
    assignment.completed_at = timezone.now()
    assignment.save(update_fields=["outcome", "completed_at"])
    process.decision = Decision.ANSWERED
    process.save(update_fields=["decision"])
    # For the join passed next, which tells the units whose opinions are now moot.
    process.answered_by = reply
    timeline_add_numbered(
        document=process.document,
        action=TimelineEntry.Action.ISSUED,
        comment=lambda: _("Reply issued: %(notation)s.") % {"notation": reply.notation},
        issued=reply,
    )
    # Closing the deadline keeps the tracked task in step, whose result names the reply.
    deadlines.assignment_closed(assignment=assignment, reply=reply)
    return assignment


def opinions_cancelled(*, activation, tasks: list[Task]) -> None:
    """The opinions still pending when the incoming document was answered (or closed) are
    moot: keep why on each cancelled task and tell the members of its supporting unit.

    Runs inside the join that cancelled them, so the notices are written with the answer;
    the reason prints the reply's number, so while the reply waits for it in the same step
    they are written once it is taken (`numbering.when_numbered`).
    """
    process = activation.process
    document = process.document
    opinion_tasks = [task for task in tasks if "unit" in task.data]
    if not opinion_tasks:
        return
    reply = None
    if process.decision == Decision.ANSWERED:
        # The reply being issued in this step (`incoming_answered`), or the one issued.
        reply = getattr(process, "answered_by", None) or (
            Document.objects.filter(responds_to=document, status=Document.Status.ISSUED)
            .order_by("-pk")
            .first()
        )

    def tell() -> None:
        # Stored on the task, shown in the unit's list and sent: in the site's language.
        with translation.override(settings.LANGUAGE_CODE):
            if process.decision == Decision.ANSWERED:
                reason = _("the document was answered with %(notation)s") % {
                    "notation": reply.notation if reply else ""
                }
            else:
                reason = _("the document was closed without a reply")
            subject = _("Opinion no longer needed: %(document)s") % {"document": document}
            text = _("Your unit's opinion on %(document)s is no longer needed: %(reason)s.") % {
                "document": document, "reason": reason
            }
        for task in opinion_tasks:
            task.data["cancelled_because"] = reason
            task.save(update_fields=["data"])
        members = list(
            User.objects.filter(
                unit_id__in=[task.data["unit"] for task in opinion_tasks], is_active=True
            )
        )
        url = reverse("documents:detail", args=[document.pk])
        notify_many(
            messages=[
                Message(
                    key=f"opinion-cancelled:{task.pk}", user=member, subject=subject,
                    text=text, url=url, agency=document.agency, kind="opinion_cancelled",
                )
                for task in opinion_tasks
                for member in members
                if member.unit_id == task.data["unit"]
            ]
        )

    if reply is not None:
        when_numbered(reply, tell)
    else:
        tell()
