from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BackupConfig(AppConfig):
    """`manage.py backup` / `manage.py restore`: the database and the uploaded files."""

    name = "backup"
    verbose_name = _("Backup")
