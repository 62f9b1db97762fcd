from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    """Who changed agencies, units, people, roles, registers and documents (django-auditlog).

    The models to record are listed in settings (AUDITLOG_INCLUDE_TRACKING_MODELS); this app
    only reads the log, scoped to the reader's agency.
    """

    name = "audit"
    verbose_name = _("Audit trail")

    def ready(self):
        # The updates of a model using `TrailedUpdate` (documents) are diffed against the
        # row their UPDATE replaced (workflows.audit_trail): auditlog, ready before this app
        # (settings), would read the row before each save.
        from django.apps import apps

        from workflows.audit_trail import TrailedUpdate, trail_connect

        for model in apps.get_models():
            if issubclass(model, TrailedUpdate):
                trail_connect(model)
