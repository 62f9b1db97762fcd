"""Regenerate workflows/docx/decree30.docx from workflows/docx/layout.py."""

from django.core.management.base import BaseCommand

from workflows.docx import TEMPLATE_PATH
from workflows.docx.layout import template_build


class Command(BaseCommand):
    help = "Write the Decree-30 Word template used to render issued documents."

    def handle(self, *args, **options):
        path = template_build(TEMPLATE_PATH)
        self.stdout.write(f"{path}")
