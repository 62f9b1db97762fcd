from pathlib import Path

from django.core.management.base import BaseCommand
from django.utils import timezone

from backup.services import backup_create


class Command(BaseCommand):
    help = "Write the database and the media files to one archive (tar.gz)."

    def add_arguments(self, parser):
        parser.add_argument(
            "target", nargs="?", help="Archive to write (default: lienthong-<time>.tar.gz)."
        )

    def handle(self, *args, target=None, **options):
        target = Path(target or f"lienthong-{timezone.now():%Y%m%d-%H%M%S}.tar.gz")
        manifest = backup_create(target=target)
        self.stdout.write(
            f"{target}: {manifest['vendor']} database, {manifest['documents']} documents, "
            "media files."
        )
