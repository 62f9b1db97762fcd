"""`manage.py load_demo`: load the demo world and every app's demo data, then print the logins."""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from accounts.demo import PASSWORD, demo_logins
from accounts.models import Role


class Command(BaseCommand):
    help = "Load the demo data (idempotent): runs each loader of settings.DEMO_LOADERS in order."

    def handle(self, *args, **options):
        for dotted_path in settings.DEMO_LOADERS:
            self.stdout.write(f"→ {dotted_path}")
            import_string(dotted_path)(self.stdout)
        self.stdout.write("")
        self.stdout.write(
            self.style.SUCCESS(_("Demo logins (password for all: %(password)s)")
                               % {"password": PASSWORD})
        )
        header = (_("Username"), _("Full name"), _("Agency"), _("Unit"), _("Role"), _("Title"))
        rows = [
            (
                person.username,
                person.full_name,
                agency.code,
                unit.symbol if unit else "",
                str(Role(person.role).label),
                person.title,
            )
            for person, agency, unit in demo_logins()
        ]
        widths = [max(len(row[i]) for row in (header, *rows)) for i in range(len(header))]
        for row in (header, *rows):
            cells = (cell.ljust(width) for cell, width in zip(row, widths, strict=True))
            self.stdout.write("  ".join(cells).rstrip())
