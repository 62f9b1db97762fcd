"""Thin Celery tasks: send outbox rows, run the sweep, write the daily digests."""

from celery import shared_task

from .services import outbox_send_many


@shared_task(bind=True, max_retries=None, ignore_result=True)
def send_outbox(self, ids: list[int]):
    """Send these outbox rows; after an SMTP failure, come back when the row says so.

    A redelivered or duplicated message is harmless: each row is claimed before sending.
    """
    delay = outbox_send_many(ids=ids)
    if delay is not None:
        # The row keeps its own next_attempt_at; the sweep resends it if this retry is lost.
        raise self.retry(countdown=delay + 1)
