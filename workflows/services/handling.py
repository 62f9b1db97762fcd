"""The steps of the two flows: what each node's view (or `routing.task_perform`) calls.

Every service takes the started `activation` of its task and the acting `user`, checks that
the task is of its node (the node that names it in `.Service`, found through
`workflows.steps`), still open and the user's, validates the input with a Vietnamese
message (ValidationError, nothing written), writes the business records and the timeline,
and leaves `activation.execute()` to its caller.

A step runs inside its caller's transaction (`routing.task_perform`, or the view's
savepoint), which a failure rolls back whole: the services open no savepoint of their own
(`atomic(savepoint=False)`), so a caller that catches an error and goes on must hold one.

Two entry points start work inside the agency and end in its first step, each one
transaction: `outgoing_draft_new` (a new draft) and `incoming_receive_and_claim` (a document
received on paper or by e-mail, its registration taken by the clerk who recorded it).
"""

import datetime
from collections.abc import Iterable, Sequence

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import connections, router, transaction
from django.db.models.sql import UpdateQuery
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from accounts.models import LEADER_ROLES, Unit, User
from workcalendar.services import WorkCalendar, deadline_after, default_deadline

from .. import steps
from ..models import (
    Assignment,
    Attachment,
    Confidentiality,
    Direction,
    Document,
    DocumentType,
    Opinion,
    Recipient,
    TimelineEntry,
    Urgency,
)
from . import deadlines, notices
from .documents import (
    attachment_add,
    incoming_receive,
    outgoing_issue_prepare,
)
from .files import files_removed_on_failure
from .numbering import number_take, register_for
from .recipients import RecipientInput, recipient_rows
from .rendering import signing_authority_for
from .routing import (
    Decision,
    assignment_of,
    open_task,
    outgoing_start,
    reply_issued,
    task_claim,
)
from .timeline import timeline_add


def _check_step(activation, user: User, service) -> None:
    """The activation is a task of the node whose work `service` does (the node names it in
    `.Service`), started and owned by `user`.

    viewflow's views check the same before calling a step's view; Python callers do not.
    """
    node = steps.node_of(service)
    if activation.flow_task is not node:
        raise ValueError(
            f"{service.__name__} does the work of {node}, not of {activation.flow_task}"
        )
    if activation.task.status != STATUS.STARTED:
        raise ValidationError(_("This task has already been completed."), code="task_done")
    if not node.can_execute(user, activation.task):
        raise PermissionDenied(_("This task is assigned to someone else."))


def _save_process(process, *fields: str) -> None:
    """Save these fields of the process. Fields of both its tables (viewflow's `data`, our
    `decision`) are one statement on PostgreSQL: an UPDATE of each, the first in a WITH;
    nothing listens to the process's save signals."""
    by_table = {}
    for name in fields:
        field = process._meta.get_field(name)
        by_table.setdefault(field.model._meta.concrete_model, []).append(field)
    using = router.db_for_write(type(process), instance=process)
    connection = connections[using]
    if len(by_table) == 1 or connection.vendor != "postgresql":
        process.save(update_fields=list(fields))
        return
    sql, params = "", ()
    for model, model_fields in by_table.items():
        query = model._base_manager.using(using).filter(pk=process.pk).query.chain(UpdateQuery)
        query.add_update_fields(
            [(field, None, field.pre_save(process, False)) for field in model_fields]
        )
        update, update_params = query.get_compiler(using).as_sql()
        sql = f"WITH {model._meta.model_name} AS ({update}) " if not sql else f"{sql}{update}"
        params = (*params, *update_params)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _local_date(moment: datetime.datetime) -> str:
    return date_format(timezone.localtime(moment), "d/m/Y")


# IncomingFlow ---------------------------------------------------------------------------


@transaction.atomic(savepoint=False)
def incoming_register(
    *, activation, user: User, received_on: datetime.date | None = None, note: str = ""
) -> Document:
    """The clerk registers the incoming document: next số đến of the year, date received.

    Decree 30 Art. 22: one incoming sequence per year, confidential documents apart. The
    number is taken at the end of the step (`steps.write_last`); the document is returned
    numbered once the step has run.
    """
    _check_step(activation, user, incoming_register)
    document = activation.process.document
    today = timezone.localdate()
    received_on = received_on or today
    if received_on > today:
        raise ValidationError(
            {"received_on": _("The date received cannot be in the future.")}
        )
    if document.issued_on and received_on < document.issued_on:
        raise ValidationError(
            {"received_on": _("The date received cannot be before the document's date.")}
        )
    register = register_for(
        agency=document.agency,
        direction=Direction.INCOMING,
        confidential=document.confidentiality != Confidentiality.NORMAL,
    )

    def numbered() -> None:
        # Left for the end of the step: the counter row stays locked from the number's
        # taking to the commit, so it waits for none of the engine's work (the task done,
        # the direction's task created, the leaders told), which shows no số đến.
        document.register = register
        document.register_year = received_on.year
        document.register_number = number_take(register=register, year=received_on.year)
        document.registered_at = timezone.now()
        document.status = Document.Status.REGISTERED
        # Only what registering changed: the row is written under the counter's lock.
        document.save(update_fields=[
            "register", "register_year", "register_number", "registered_at", "status",
            "updated_at",
        ])
        comment = _("Incoming number %(number)s, received on %(date)s.") % {
            "number": document.register_number,
            "date": received_on.strftime("%d/%m/%Y"),
        }
        if note:
            comment = f"{comment} {note}"
        timeline_add(
            document=document, action=TimelineEntry.Action.REGISTERED, actor=user,
            comment=comment,
        )

    steps.write_last(numbered)
    return document


def _deadline(
    *,
    document: Document,
    start: datetime.datetime,
    working_days: int | None,
    due_on: datetime.date | None,
) -> datetime.datetime:
    if working_days is not None and due_on is not None:
        raise ValidationError(
            _("Give the deadline either in working days or as a date, not both.")
        )
    if working_days is not None:
        if working_days < 1:
            raise ValidationError(
                {"working_days": _("The deadline must be at least one working day.")}
            )
        return deadline_after(start=start, working_days=working_days, agency=document.agency)
    if due_on is not None:
        if due_on < timezone.localdate(start):
            raise ValidationError({"due_on": _("The deadline cannot be in the past.")})
        return WorkCalendar().closing(due_on, document.agency)
    return default_deadline(urgency=document.urgency, start=start, agency=document.agency)


@transaction.atomic(savepoint=False)
def incoming_direct(
    *,
    activation,
    user: User,
    lead_unit: Unit,
    supporting_units: Iterable[Unit] = (),
    working_days: int | None = None,
    due_on: datetime.date | None = None,
    instruction: str = "",
) -> Assignment:
    """The head or a deputy directs the document (ý kiến chỉ đạo, Decree 30 Art. 24).

    Names the lead unit, the supporting units and the deadline (in working days, as a date,
    or by default from the document's urgency). Returns the Assignment, which becomes the
    process's artifact.
    """
    _check_step(activation, user, incoming_direct)
    process = activation.process
    document = process.document
    supporting_units = list(supporting_units)
    if lead_unit.agency_id != document.agency_id or not lead_unit.is_active:
        raise ValidationError({"lead_unit": _("Choose a unit of your agency.")})
    if any(unit.agency_id != document.agency_id for unit in supporting_units):
        raise ValidationError({"supporting_units": _("Choose units of your agency.")})
    if any(unit.pk == lead_unit.pk for unit in supporting_units):
        raise ValidationError(
            {"supporting_units": _("The lead unit cannot also be a supporting unit.")}
        )
    if lead_unit.head_id is None:
        raise ValidationError(
            {"lead_unit": _("This unit has no head to hand the work over.")}
        )
    now = timezone.now()
    due_at = _deadline(document=document, start=now, working_days=working_days, due_on=due_on)
    if due_at <= now:
        raise ValidationError({"due_on": _("The deadline cannot be in the past.")})
    assignment = Assignment.objects.create(
        document=document,
        directed_by=user,
        lead_unit=lead_unit,
        instruction=instruction.strip(),
        due_at=due_at,
    )
    if supporting_units:
        # A new assignment: nothing to replace, so no read of the current ones.
        assignment.supporting_units.add(*supporting_units)
    assignment.supporting_unit_pks = [unit.pk for unit in supporting_units]
    process.artifact = assignment
    _save_process(process, "artifact_content_type", "artifact_object_id")
    document.status = Document.Status.IN_PROGRESS
    document.save(update_fields=["status", "updated_at"])
    parts = [
        _("Lead unit: %(unit)s.") % {"unit": lead_unit.name},
        _("Deadline: %(date)s.") % {"date": _local_date(due_at)},
    ]
    if supporting_units:
        parts.insert(
            1,
            _("Supporting units: %(units)s.")
            % {"units": ", ".join(unit.name for unit in supporting_units)},
        )
    if assignment.instruction:
        parts.append(assignment.instruction)
    timeline_add(
        document=document,
        action=TimelineEntry.Action.DIRECTED,
        actor=user,
        comment=" ".join(parts),
    )
    deadlines.assignment_opened(assignment=assignment, process=process, created=True)
    return assignment


@transaction.atomic(savepoint=False)
def incoming_hand_over(*, activation, user: User, handler: User) -> Assignment:
    """The lead unit's head hands the document to one of the unit's specialists."""
    _check_step(activation, user, incoming_hand_over)
    assignment = assignment_of(process=activation.process)
    if handler.unit_id != assignment.lead_unit_id or not handler.is_active:
        raise ValidationError({"handler": _("Choose a member of the lead unit.")})
    assignment.handler = handler
    assignment.save(update_fields=["handler"])
    timeline_add(
        document=assignment.document,
        action=TimelineEntry.Action.HANDED_OVER,
        actor=user,
        comment=_("Handed over to %(person)s.") % {"person": handler.get_full_name()},
    )
    deadlines.assignment_reassigned(assignment=assignment)
    return assignment


def _reply_summary(request: Document) -> str:
    # A document's own text is written in the site's language, whoever's screen is in English.
    with translation.override(settings.LANGUAGE_CODE):
        return _("Reply to %(notation)s") % {"notation": request.notation or request.summary}


@transaction.atomic(savepoint=False)
def incoming_reply(*, activation, user: User, document_type: DocumentType | None = None):
    """The specialist answers with an outgoing document: a draft and its OutgoingFlow.

    The draft responds to the incoming document, is drafted in the lead unit and addressed
    to the sender; the OutgoingFlow's first step (drafting) is assigned to `user`. The
    incoming process then waits until the reply is issued. Returns the outgoing process.
    """
    _check_step(activation, user, incoming_reply)
    process = activation.process
    request = process.document
    assignment = process.artifact
    reply = Document.objects.create(
        agency=request.agency,
        direction=Direction.OUTGOING,
        status=Document.Status.DRAFT,
        document_type=document_type or DocumentType.objects.get(code="cong-van"),
        summary=_reply_summary(request),
        urgency=request.urgency,
        confidentiality=request.confidentiality,
        sender_agency=request.agency,
        drafting_unit_id=assignment.lead_unit_id,
        drafted_by=user,
        created_by=user,
        responds_to=request,
        place=request.agency.place_name,
    )
    if request.sender_agency_id:
        Recipient.objects.create(document=reply, agency_id=request.sender_agency_id)
    elif request.sender_name:
        Recipient.objects.create(document=reply, name=request.sender_name)
    process.decision = Decision.REPLY
    _save_process(process, "decision")
    timeline_add(
        document=request,
        action=TimelineEntry.Action.DRAFTED,
        actor=user,
        comment=_("A reply is being drafted."),
    )
    return outgoing_start(document=reply)


def draft_task_of(*, document: Document) -> Task | None:
    """The open drafting task of an outgoing document (its drafter's, or after a return)."""
    return open_task(document=document, node=steps.node_of(draft_save))


@transaction.atomic
def outgoing_draft_new(*, user: User, document_type: DocumentType, summary: str) -> Task:
    """A specialist (or unit head) starts a new outgoing document that answers no request.

    The draft belongs to the person's unit; the OutgoingFlow's first step (drafting) is
    assigned to them. Returns that drafting task.
    """
    if user.unit_id is None or not user.has_perm("accounts.handle_unit_work", user.unit):
        raise PermissionDenied(_("Only members of a unit draft documents."))
    if not summary.strip():
        raise ValidationError({"summary": _("Enter the summary of the document.")})
    draft = Document.objects.create(
        agency=user.agency,
        direction=Direction.OUTGOING,
        status=Document.Status.DRAFT,
        document_type=document_type,
        summary=summary.strip(),
        sender_agency=user.agency,
        drafting_unit=user.unit,
        drafted_by=user,
        created_by=user,
        place=user.agency.place_name,
    )
    timeline_add(
        document=draft, action=TimelineEntry.Action.DRAFTED, actor=user,
        comment=_("Draft started."),
    )
    outgoing_start(document=draft)
    return draft_task_of(document=draft)


def incoming_receive_and_claim(*, clerk: User, **received) -> Task:
    """The clerk records a document received outside the system and takes its registration.

    `documents.incoming_receive` with the same `received` fields, then the registration task
    claimed with the queue's checks, in one transaction: when either is refused (bad input,
    a clerk whose groups may not take the registration), no document, process, task or file
    is left. Returns the registration task, assigned to `clerk`.
    """
    # The files' guard outside the transaction: a failed commit also removes the scan.
    with files_removed_on_failure(), transaction.atomic():
        document = incoming_receive(clerk=clerk, **received)
        task = open_task(document=document, node=steps.node_of(incoming_register))
        return task_claim(task=task, user=clerk)


@transaction.atomic(savepoint=False)
def incoming_close(*, activation, user: User, note: str) -> Assignment:
    """The specialist closes the document without a reply, saying why."""
    _check_step(activation, user, incoming_close)
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("Say why the document needs no reply.")})
    process = activation.process
    assignment = assignment_of(process=process)
    assignment.outcome = Assignment.Outcome.CLOSED
    assignment.closing_note = note
    assignment.completed_at = timezone.now()
    assignment.save(update_fields=["outcome", "closing_note", "completed_at"])
    document = process.document
    document.status = Document.Status.CLOSED
    document.save(update_fields=["status", "updated_at"])
    process.decision = Decision.CLOSED
    _save_process(process, "decision")
    timeline_add(
        document=document, action=TimelineEntry.Action.CLOSED, actor=user, comment=note
    )
    deadlines.assignment_closed(assignment=assignment)
    return assignment


@transaction.atomic(savepoint=False)
def opinion_give(*, activation, user: User, text: str) -> Opinion:
    """A supporting unit gives its opinion on the incoming document (phối hợp)."""
    _check_step(activation, user, opinion_give)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write the unit's opinion.")})
    unit = activation.task.owner_permission_obj
    document = activation.process.document
    opinion = Opinion.objects.create(document=document, author=user, unit=unit, text=text)
    timeline_add(
        document=document,
        action=TimelineEntry.Action.COMMENTED,
        actor=user,
        comment=f"{unit.name}: {text}",
    )
    return opinion


# OutgoingFlow ---------------------------------------------------------------------------


def _leader_check(document: Document, person: User | None, field: str) -> None:
    if person is not None and (
        person.agency_id != document.agency_id or person.role not in LEADER_ROLES
    ):
        raise ValidationError({field: _("Choose the head or a deputy head of your agency.")})


@transaction.atomic(savepoint=False)
def draft_save(
    *,
    activation,
    user: User,
    document_type: DocumentType,
    summary: str,
    body: str,
    recipients: Sequence[RecipientInput],
    proposed_signer: User | None = None,
    urgency: str = Urgency.NORMAL,
    confidentiality: str = Confidentiality.NORMAL,
    files: Sequence[UploadedFile] = (),
    commenters: Sequence[User] = (),
) -> Document:
    """The specialist writes (or rewrites, after a return) the draft and sends it on.

    With `commenters`, the draft first goes to them for comments; otherwise to the unit head.
    The proposed signer is kept as the document's signer until a leader signs.
    """
    _check_step(activation, user, draft_save)
    process = activation.process
    document = process.document
    summary = (summary or "").strip()
    if not summary:
        raise ValidationError({"summary": _("Write the summary (V/v …).")})
    _leader_check(document, proposed_signer, "proposed_signer")
    rows = recipient_rows(document=document, recipients=recipients)
    document.document_type = document_type
    document.summary = summary
    document.body = body
    document.urgency = urgency
    document.confidentiality = confidentiality
    document.signer = proposed_signer
    document.save(update_fields=[
        "document_type", "summary", "body", "urgency", "confidentiality", "signer", "updated_at",
    ])
    document.recipients.all().delete()
    Recipient.objects.bulk_create(rows)
    for upload in files:
        attachment_add(
            document=document, uploaded_file=upload, kind=Attachment.Kind.DRAFT, user=user
        )
    process.data["commenters"] = []
    process.decision = Decision.SUBMITTED
    entries = [TimelineEntry(document=document, action=TimelineEntry.Action.DRAFTED, actor=user)]
    if commenters:
        entries.append(_comments_asked(activation=activation, user=user, people=commenters))
    # The draft and the request for comments, in one INSERT.
    TimelineEntry.objects.bulk_create(entries)
    _save_process(process, "decision", "data")
    return document


def _comments_asked(*, activation, user: User, people: Sequence[User]) -> TimelineEntry:
    """Ask chosen people of the agency for comments on the draft (phối hợp), in parallel.

    Part of the drafting step: the decision it leaves on the process sends the draft to them
    before the unit head. Returns the timeline entry saying so, for the step to save.
    """
    document = activation.process.document
    people = list({person.pk: person for person in people}.values())
    for person in people:
        if person.agency_id != document.agency_id or not person.is_active:
            raise ValidationError({"commenters": _("Choose people of your agency.")})
        if person.pk == user.pk:
            raise ValidationError({"commenters": _("You cannot ask yourself for comments.")})
    process = activation.process
    process.data["commenters"] = [person.pk for person in people]
    process.decision = Decision.COMMENTS
    return TimelineEntry(
        document=document,
        action=TimelineEntry.Action.COMMENT_REQUESTED,
        actor=user,
        comment=", ".join(person.get_full_name() for person in people),
    )


@transaction.atomic(savepoint=False)
def comment_give(*, activation, user: User, text: str) -> Opinion:
    """A person asked for comments gives them."""
    _check_step(activation, user, comment_give)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write your comments.")})
    document = activation.process.document
    opinion = Opinion.objects.create(document=document, author=user, unit=user.unit, text=text)
    timeline_add(
        document=document, action=TimelineEntry.Action.COMMENTED, actor=user, comment=text
    )
    return opinion


def _decide(
    activation, user: User, *, approve: bool, reason: str, approved: str, approved_action: str
) -> Document:
    """Record an approve-or-return decision on the process and in the timeline."""
    reason = (reason or "").strip()
    if not approve and not reason:
        raise ValidationError({"reason": _("Say why the draft is returned.")})
    process = activation.process
    process.decision = approved if approve else Decision.RETURNED
    _save_process(process, "decision")
    timeline_add(
        document=process.document,
        action=approved_action if approve else TimelineEntry.Action.RETURNED,
        actor=user,
        comment=reason,
    )
    return process.document


@transaction.atomic(savepoint=False)
def draft_review(*, activation, user: User, approve: bool, reason: str = "") -> Document:
    """The unit head approves the draft (on to the leaders) or returns it to the drafter."""
    _check_step(activation, user, draft_review)
    return _decide(
        activation, user, approve=approve, reason=reason,
        approved=Decision.APPROVED, approved_action=TimelineEntry.Action.REVIEWED,
    )


@transaction.atomic(savepoint=False)
def draft_sign(*, activation, user: User, approve: bool, reason: str = "") -> Document:
    """The head or a deputy approves and signs the draft, or returns it to the drafter.

    Decree 30 Art. 13: the head signs in person; a deputy signs “KT.” for the head.
    """
    _check_step(activation, user, draft_sign)
    # The sign task is open only to `accounts.sign_outgoing` on the agency, which taking it
    # checked; the role is on the user already loaded.
    if user.role not in LEADER_ROLES and not user.is_superuser:
        raise PermissionDenied(_("Only the head or a deputy head may sign."))
    document = _decide(
        activation, user, approve=approve, reason=reason,
        approved=Decision.SIGNED, approved_action=TimelineEntry.Action.SIGNED,
    )
    if approve:
        document.signer = user
        document.signer_name = user.get_full_name()
        document.signer_title = user.title
        document.signing_authority = signing_authority_for(user)
        document.signed_at = timezone.now()
        document.status = Document.Status.APPROVED
        document.save(update_fields=[
            "signer", "signer_name", "signer_title", "signing_authority", "signed_at", "status",
            "updated_at",
        ])
        notices.document_signed(document=document, signer=user)
    return document


@transaction.atomic(savepoint=False)
def draft_issue(*, activation, user: User) -> Document:
    """The clerk issues the signed document (number, date, DOCX) and ends the request's wait.

    The date is the server's, at this moment (see `outgoing_issue_prepare`). Issuing the
    reply to an incoming document ends that document's handling. The number is taken last,
    by the flow's delivery passed next in this transaction (`outgoing_deliver`): the
    register's counter stays locked only for the writes that print it. Returns the
    document, numbered once the step is executed.
    """
    _check_step(activation, user, draft_issue)
    issue = outgoing_issue_prepare(document=activation.process.document, clerk=user)
    # The flow's delivery, passed next in this transaction, delivers this locked instance
    # and numbers it.
    activation.process.document = issue.document
    reply_issued(reply=issue.document)
    return issue.document
