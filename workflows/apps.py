from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkflowsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "workflows"
    verbose_name = _("Documents and workflows")

    def ready(self):
        # Defining the flows records which node each service works for (`workflows.steps`):
        # done here, so that every process (web, worker, command) has it before a service runs.
        from . import flows  # noqa: F401
