"""The audit trail in the admin: an agency's administrators read their agency's changes."""

from auditlog.admin import LogEntryAdmin
from auditlog.models import LogEntry
from django.contrib import admin

from .selectors import audit_entries_for

admin.site.unregister(LogEntry)


@admin.register(LogEntry)
class ScopedLogEntryAdmin(LogEntryAdmin):
    """auditlog's own page, reading through the agency-scoped selector."""

    def get_queryset(self, request):
        return audit_entries_for(user=request.user)

    def has_delete_permission(self, request, obj=None):
        return False
