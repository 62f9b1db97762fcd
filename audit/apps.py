from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    """Who changed agencies, units, people, roles, registers and documents (django-auditlog).

    The models to record are listed in settings (AUDITLOG_INCLUDE_TRACKING_MODELS); this app
    only reads the log, scoped to the reader's agency.
    """

    name = "audit"
    verbose_name = _("Audit trail")
