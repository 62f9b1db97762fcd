"""`manage.py search_reindex`: read every stored file's text again and refresh the search
columns of every document (after a lost extraction message, or a change of normalisation)."""

from django.core.management.base import BaseCommand

from workflows.models import Attachment, Document
from workflows.services.search import attachment_text_extract


class Command(BaseCommand):
    help = "Extract the text of every attachment again and refresh the documents' search text."

    def handle(self, *args, **options):
        attachments = Attachment.objects.values_list("pk", flat=True).order_by("pk")
        for attachment_id in attachments.iterator():
            attachment_text_extract(attachment_id=attachment_id)
        documents = 0
        for document in Document.objects.order_by("pk").iterator():
            document.save(update_fields=["summary"])
            documents += 1
        self.stdout.write(f"{attachments.count()} files, {documents} documents")
