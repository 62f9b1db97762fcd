"""Thin Celery tasks of the documents application."""

from celery import shared_task

from .services.search import attachment_text_extract


@shared_task(ignore_result=True)
def attachment_extract(attachment_id: int) -> None:
    """Read a newly stored file's text so that its document is found by it."""
    attachment_text_extract(attachment_id=attachment_id)
