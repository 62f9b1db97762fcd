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

from django.db.models import Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from accounts.models import Agency, Role, Unit, User
from accounts.selectors import scope_to_agency

from .models import (
    Assignment,
    Attachment,
    Direction,
    Document,
    DocumentProcess,
    Recipient,
    TimelineEntry,
)


def sees_whole_agency(*, user: User) -> bool:
    """Whether the user may see every document of their agency."""
    if user.is_superuser:
        return True
    if not user.is_authenticated or user.agency_id is None:
        return False
    # An Agency carrying only the pk is enough for guardian and costs no query.
    return user.has_perm("accounts.view_agency_documents", Agency(pk=user.agency_id))


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

    In register order (số đến / số đi). `text` searches the summary and the number and
    symbol; the date range applies to the date of arrival (incoming) or of issue (outgoing).
    The lines a person may not see are left out, like everywhere else.
    """
    entries = document_list_for(user=user, direction=direction).filter(
        register__is_confidential=confidential,
        register_year=year,
        register_number__isnull=False,
    )
    document_types = list(document_types)
    if document_types:
        entries = entries.filter(document_type__in=document_types)
    if text.strip():
        entries = entries.filter(
            Q(summary__icontains=text.strip()) | Q(notation__icontains=text.strip())
        )
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
