"""Thin Celery tasks: send outbox rows, run the sweep, write the daily digests."""

from celery import shared_task

from .services import outbox_send_many
from .services.sweep import (
    deadlines_sweep,
    digests_send,
    outbox_resend_stale,
    viewflow_timers_fire,
)


@shared_task(bind=True, max_retries=None, ignore_result=True)
def send_outbox(self, ids: list[int]):
    """Send these outbox rows; after an SMTP failure, come back when the row says so.

    A redelivered or duplicated message is harmless: each row is claimed before sending.
    """
    delay = outbox_send_many(ids=ids)
    if delay is not None:
        # The row keeps its own next_attempt_at; the sweep resends it if this retry is lost.
        raise self.retry(countdown=delay + 1)


@shared_task(ignore_result=True)
def sweep():
    """The periodic sweep: reminders due, viewflow timers, e-mails whose message was lost."""
    result = deadlines_sweep()
    fired = viewflow_timers_fire()
    resent = outbox_resend_stale()
    return {"checked": result.checked, "reminders": len(result.reminders),
            "emails": len(result.emails), "timers": fired, "resent": len(resent)}


@shared_task(ignore_result=True)
def send_digests():
    """07:30 every day: the digests, skipped by the service on non-working days."""
    return len(digests_send())
