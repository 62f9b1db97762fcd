"""Reads of documents and registers, with the scoping rule of issue 4 applied here only.

- Everyone sees only their own agency (`accounts.selectors.scope_to_agency`); another
  agency's document is a 404, never a 403.
- Whoever holds `accounts.view_agency_documents` on their agency (the head, deputies and
  clerks by default) sees all of it.
- Anyone else sees the documents they drafted or their unit drafted, those assigned to
  them or their unit (lead or supporting), those with a task of theirs, and those they
  acted on (the timeline keeps their step).
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.models import Agency, Role, Unit, User
from accounts.selectors import in_user_agency, scope_to_agency, user_agency_id
from workcalendar.services import local_zone, working_days_between, working_days_overdue

from .models import (
    Assignment,
    Attachment,
    Direction,
    Document,
    DocumentProcess,
    Opinion,
    Recipient,
    Register,
    TimelineEntry,
)
from .services.search import documents_search


def sees_whole_agency(*, user: User) -> bool:
    """Whether the user may see every document of their agency."""
    if user.is_superuser:
        return True
    agency_id = user_agency_id(user)
    # An Agency carrying only the pk is enough for guardian and costs no query.
    return agency_id is not None and user.has_perm(
        "accounts.view_agency_documents", Agency(pk=agency_id)
    )


def _personal_filter(user: User) -> Q:
    units = Unit.objects.filter(Q(pk=user.unit_id) | Q(head=user)).values("pk")
    assigned = Assignment.objects.filter(
        Q(handler=user) | Q(lead_unit__in=units) | Q(supporting_units__in=units)
    ).values("document_id")
    tasks = DocumentProcess.objects.filter(task__owner=user).values("document_id")
    acted = TimelineEntry.objects.filter(actor=user).values("document_id")
    return (
        Q(drafted_by=user)
        | Q(drafting_unit__in=units)
        | Q(pk__in=assigned)
        | Q(pk__in=tasks)
        | Q(pk__in=acted)
    )


def document_list_for(*, user: User, direction: str | None = None) -> QuerySet:
    """The documents `user` may see, newest first, optionally of one direction."""
    queryset = scope_to_agency(Document.objects.all(), user=user)
    if not sees_whole_agency(user=user):
        queryset = queryset.filter(_personal_filter(user))
    if direction is not None:
        queryset = queryset.filter(direction=direction)
    return queryset.select_related(
        "agency", "document_type", "sender_agency", "drafting_unit", "register"
    )


def document_search_for(
    *,
    user: User,
    text: str = "",
    direction: str | None = None,
    document_type: int | None = None,
    status: str = "",
    sender_agency: int | None = None,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
) -> QuerySet:
    """The documents the user may see that match the search box and the filters.

    Most relevant first when `text` is given (`services.search.documents_search`), else
    newest first. The period applies to the document's date.
    """
    documents = document_list_for(user=user, direction=direction or None)
    if document_type:
        documents = documents.filter(document_type_id=document_type)
    if status:
        documents = documents.filter(status=status)
    if sender_agency:
        documents = documents.filter(sender_agency_id=sender_agency)
    if date_from:
        documents = documents.filter(issued_on__gte=date_from)
    if date_to:
        documents = documents.filter(issued_on__lte=date_to)
    return documents_search(documents, text=text)


def document_get_for(*, user: User, pk: int) -> Document:
    """One document the user may see, with what its page shows; 404 otherwise."""
    queryset = document_list_for(user=user).select_related(
        "responds_to", "source__agency", "drafted_by", "created_by"
    ).prefetch_related(
        Prefetch("recipients", queryset=Recipient.objects.select_related("agency")),
        Prefetch("attachments", queryset=Attachment.objects.select_related("uploaded_by")),
        Prefetch("timeline", queryset=TimelineEntry.objects.select_related("actor")),
        Prefetch(
            "assignments",
            queryset=Assignment.objects.select_related("lead_unit", "handler", "directed_by")
            .prefetch_related("supporting_units"),
        ),
        "opinions__author",
    )
    return get_object_or_404(queryset, pk=pk)


def document_replies_for(*, user: User, document: Document) -> QuerySet:
    """The replies to `document` the user may see (its answer, in the same agency)."""
    return document_list_for(user=user).filter(responds_to=document).order_by("pk")


def register_list_for(*, user: User) -> QuerySet:
    """The registers of the user's agency; the confidential ones only for those who see the
    whole agency (Decree 30 Art. 15 keeps them apart)."""
    registers = scope_to_agency(Register.objects.select_related("agency"), user=user)
    if not sees_whole_agency(user=user):
        registers = registers.filter(is_confidential=False)
    return registers.order_by("direction", "is_confidential", "pk")


def register_years_for(*, user: User, direction: str) -> list[int]:
    """The years that have entries in the user's agency registers of `direction`."""
    years = (
        scope_to_agency(Document.objects.all(), user=user)
        .filter(direction=direction, register_year__isnull=False)
        .values_list("register_year", flat=True)
        .distinct()
        .order_by("-register_year")
    )
    return list(years)


def register_entries_for(
    *,
    user: User,
    direction: str,
    year: int,
    confidential: bool = False,
    document_types: Iterable[int] = (),
    text: str = "",
    urgency: str = "",
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
) -> QuerySet:
    """The entries of the user's agency register (sổ văn bản đến / đi) of `year`.

    In register order (số đến / số đi). `text` is the search box (`services.search`:
    number and symbol, summary, sender, body, the files' text); the date range applies to
    the date of arrival (incoming) or of issue (outgoing). The lines a person may not see
    are left out, like everywhere else.
    """
    entries = document_list_for(user=user, direction=direction).filter(
        register__is_confidential=confidential,
        register_year=year,
        register_number__isnull=False,
    )
    document_types = list(document_types)
    if document_types:
        entries = entries.filter(document_type__in=document_types)
    entries = documents_search(entries, text=text)
    if urgency:
        entries = entries.filter(urgency=urgency)
    date_field = "registered_at__date" if direction == Direction.INCOMING else "issued_on"
    if date_from:
        entries = entries.filter(**{f"{date_field}__gte": date_from})
    if date_to:
        entries = entries.filter(**{f"{date_field}__lte": date_to})
    return entries.prefetch_related(
        Prefetch("recipients", queryset=Recipient.objects.select_related("agency")),
        Prefetch("assignments", queryset=Assignment.objects.select_related("lead_unit")),
    ).order_by("register_number")


@dataclass(frozen=True)
class DeliveryProgress:
    """How far a receiving agency on the system has got with the sender's document.

    Only the milestones that cross the agency boundary: received (số đến and date),
    directed (lead unit, deadline), being handled, answered (the reply's notation, date and
    signer) or closed with its note. Never the receiving agency's comments, drafts, or the
    names of its staff other than the reply's signer.
    """

    class State:
        DELIVERED = "delivered"
        REGISTERED = "registered"
        DIRECTED = "directed"
        HANDLING = "handling"
        ANSWERED = "answered"
        CLOSED = "closed"

    recipient: Recipient
    delivered_at: datetime.datetime | None
    register_number: int | None = None
    registered_at: datetime.datetime | None = None
    lead_unit: str = ""
    directed_at: datetime.datetime | None = None
    due_at: datetime.datetime | None = None
    handling_since: datetime.datetime | None = None
    reply_notation: str = ""
    reply_issued_on: datetime.date | None = None
    reply_signer: str = ""
    reply_pk: int | None = None  # the sender's own incoming copy of the reply, when visible
    closed_at: datetime.datetime | None = None
    closing_note: str = ""

    @property
    def state(self) -> str:
        """The furthest milestone reached."""
        if self.reply_notation:
            return self.State.ANSWERED
        if self.closed_at:
            return self.State.CLOSED
        if self.handling_since:
            return self.State.HANDLING
        if self.directed_at:
            return self.State.DIRECTED
        if self.registered_at:
            return self.State.REGISTERED
        return self.State.DELIVERED


def delivery_progress_for(*, user: User, document: Document) -> list[DeliveryProgress]:
    """Per recipient agency on the system, how far it has got with `document` (see
    `DeliveryProgress`); empty unless `document` is an outgoing document of the user's agency.

    At most five queries whatever the number of recipients: the recipients with their
    delivered copies, the copies' directions, their hand-overs, their issued replies, and
    (when there are replies) the sender's own copies of them that the user may open.
    """
    if document.direction != Direction.OUTGOING or not in_user_agency(user, document.agency_id):
        return []
    recipients = list(
        document.recipients.filter(agency__isnull=False, delivered_copy__isnull=False)
        .select_related("agency", "delivered_copy").order_by("pk")
    )
    if not recipients:
        return []
    copy_ids = [recipient.delivered_copy_id for recipient in recipients]
    directions = {}
    for assignment in (
        Assignment.objects.filter(document_id__in=copy_ids).select_related("lead_unit")
        .order_by("document_id", "created_at", "pk")
    ):
        directions[assignment.document_id] = assignment  # the latest direction wins
    handed_over = dict(
        TimelineEntry.objects.filter(
            document_id__in=copy_ids, action=TimelineEntry.Action.HANDED_OVER
        ).order_by("document_id", "created_at").values_list("document_id", "created_at")
    )
    replies = {
        reply["responds_to_id"]: reply
        for reply in Document.objects.filter(
            responds_to_id__in=copy_ids, direction=Direction.OUTGOING,
            status__in=(Document.Status.ISSUED, Document.Status.ANSWERED),
        ).order_by("issued_on", "pk").values(
            "pk", "responds_to_id", "notation", "issued_on", "signer_name", "signer_title",
            "signing_authority",
        )
    }
    own_copies = dict(
        document_list_for(user=user).filter(source_id__in=[r["pk"] for r in replies.values()])
        .values_list("source_id", "pk")
    ) if replies else {}
    progress = []
    for recipient in recipients:
        copy = recipient.delivered_copy
        assignment = directions.get(copy.pk)
        reply = replies.get(copy.pk)
        closed = assignment is not None and assignment.outcome == Assignment.Outcome.CLOSED
        progress.append(DeliveryProgress(
            recipient=recipient,
            delivered_at=recipient.delivered_at,
            register_number=copy.register_number,
            registered_at=copy.registered_at,
            lead_unit=assignment.lead_unit.name if assignment else "",
            directed_at=assignment.created_at if assignment else None,
            due_at=assignment.due_at if assignment else None,
            handling_since=handed_over.get(copy.pk),
            reply_notation=reply["notation"] if reply else "",
            reply_issued_on=reply["issued_on"] if reply else None,
            reply_signer=" ".join(filter(None, (
                f"{reply['signing_authority']}." if reply["signing_authority"] else "",
                reply["signer_title"], reply["signer_name"],
            ))) if reply else "",
            reply_pk=own_copies.get(reply["pk"]) if reply else None,
            closed_at=assignment.completed_at if closed else None,
            closing_note=assignment.closing_note if closed else "",
        ))
    return progress


@dataclass(frozen=True)
class TaskSheet:
    """Everything the “phiếu xử lý” beside a task's form shows (see `task_sheet_for`)."""

    document: Document
    # The incoming request an outgoing reply answers, when the user may see it.
    request: Document | None
    # The leader's direction: of the incoming document, or of the request a reply answers.
    assignment: Assignment | None
    attachments: list[Attachment]
    request_attachments: list[Attachment]
    opinions: list[Opinion]
    timeline: list[TimelineEntry]
    # Of the open direction's deadline: working days left, or working days overdue.
    days_left: int | None
    days_overdue: int | None
    # Once drafted, every step (comment, review, sign, issue) shows the draft as it will be
    # issued: what is commented on and signed is what is issued. The step's view says so.
    shows_draft: bool


def _deadline_days(assignment: Assignment | None) -> tuple[int | None, int | None]:
    """(working days left, working days overdue) of an open direction; (None, None) else."""
    if assignment is None or assignment.completed_at is not None:
        return None, None
    now, due_at = timezone.now(), assignment.due_at
    if now > due_at:
        return None, working_days_overdue(due_at=due_at, now=now)
    zone = local_zone()
    left = working_days_between(now.astimezone(zone).date(), due_at.astimezone(zone).date())
    return left, None


def task_sheet_for(*, user: User, document: Document, shows_draft: bool = False) -> TaskSheet:
    """The phiếu xử lý of a task on `document` (or of its whole process), in a fixed number
    of queries; with `shows_draft`, for a step that shows the draft as it will be issued.

    One query for the document and the request it answers (each only if the user may see
    it), then one each for files, directions (with their supporting units), opinions and
    timeline, whatever their number.
    """
    ids = [pk for pk in (document.pk, document.responds_to_id) if pk]
    documents = {
        row.pk: row
        for row in document_list_for(user=user).filter(pk__in=ids).select_related(
            "drafted_by", "signer", "signer__unit"
        )
    }
    if document.pk not in documents:
        raise Http404
    document = documents[document.pk]
    request = documents.get(document.responds_to_id)
    ids = [row.pk for row in (document, request) if row is not None]
    files = list(
        Attachment.objects.filter(document_id__in=ids).select_related("uploaded_by")
    )
    assignment = (
        Assignment.objects.filter(document_id__in=ids)
        .select_related("lead_unit", "handler", "directed_by")
        .prefetch_related("supporting_units")
        .order_by("-created_at", "-pk")
        .first()
    )
    opinions = list(
        Opinion.objects.filter(document_id__in=ids).select_related("author", "unit")
    )
    timeline = list(document.timeline.select_related("actor"))
    days_left, days_overdue = _deadline_days(assignment)
    return TaskSheet(
        document=document,
        request=request,
        assignment=assignment,
        attachments=[a for a in files if a.document_id == document.pk],
        request_attachments=[a for a in files if request and a.document_id == request.pk],
        opinions=opinions,
        timeline=timeline,
        days_left=days_left,
        days_overdue=days_overdue,
        shows_draft=shows_draft,
    )


def withdrawal_audience(*, copy: Document) -> QuerySet:
    """Who must hear that the sender withdrew `copy`: its agency's leaders and clerks, and
    whoever was given it to handle (the lead unit's head and the handler)."""
    assignments = Assignment.objects.filter(document=copy)
    return User.objects.filter(
        Q(role__in=[Role.HEAD, Role.DEPUTY, Role.CLERK])
        | Q(pk__in=assignments.values("handler"))
        | Q(pk__in=assignments.values("lead_unit__head")),
        agency_id=copy.agency_id, is_active=True,
    ).order_by("pk")
