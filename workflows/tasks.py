"""Thin Celery tasks of the documents application."""

from celery import shared_task

from .services.search import attachment_text_extract


@shared_task(ignore_result=True)
def attachment_extract(attachment_ids: list[int] | int) -> None:
    """Read newly stored files' text so that their documents are found by it (the files of
    one transaction; a single id in a message sent before they were gathered)."""
    for attachment_id in [attachment_ids] if isinstance(attachment_ids, int) else attachment_ids:
        attachment_text_extract(attachment_id=attachment_id)
