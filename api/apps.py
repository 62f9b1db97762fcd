from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    """The REST API (`/api/v1/`) for the systems agencies connect, with per-user tokens."""

    name = "api"
    verbose_name = _("API")
    default_auto_field = "django.db.models.BigAutoField"
