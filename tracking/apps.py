from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrackingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "tracking"
    verbose_name = _("Task tracking")

    def ready(self):
        # Workflows announce directions without knowing this app exists (it must not import
        # tracking); the receivers keep the tracked task of each direction in step.
        from . import receivers  # noqa: F401
