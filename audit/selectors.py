"""Reads of the audit trail, scoped to the reader's agency like every other selector."""

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet

from accounts.models import Agency, RoleGroup, Unit, User
from accounts.selectors import scope_to_agency
from workflows.models import Document, Register, RegisterCounter

# Each recorded model and the path from it to its agency.
AGENCY_PATHS = {
    Agency: "pk",
    Unit: "agency",
    User: "agency",
    RoleGroup: "agency",
    Register: "agency",
    RegisterCounter: "register__agency",
    Document: "agency",
}


def audit_entries_for(*, user: User) -> QuerySet:
    """The changes to the user's agency and everything in it, newest first.

    A superuser sees every agency's; anyone else only rows that still belong to their
    agency (an object deleted since is matched by its type and id while its row existed,
    so its deletion stays visible only to the superuser).
    """
    entries = LogEntry.objects.select_related("content_type", "actor").order_by("-timestamp")
    if user.is_superuser:
        return entries
    types = ContentType.objects.get_for_models(*AGENCY_PATHS)
    condition = Q()
    for model, path in AGENCY_PATHS.items():
        ids = scope_to_agency(model.objects.all(), user=user, field=path).values("pk")
        condition |= Q(content_type=types[model], object_id__in=ids)
    return entries.filter(condition)
