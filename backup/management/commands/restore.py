from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from backup.services import backup_restore


class Command(BaseCommand):
    help = (
        "Replace the database and the media files with those of a backup archive. "
        "Stop the web server, worker and beat first."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", help="Archive written by `manage.py backup`.")

    def handle(self, *args, source, **options):
        try:
            manifest = backup_restore(source=Path(source))
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(
            f"{source}: restored ({manifest['documents']} documents, made "
            f"{manifest['created_at']})."
        )
