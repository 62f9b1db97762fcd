"""Thin Celery tasks of evaluations, run by beat."""

from celery import shared_task

from .services.campaigns import campaign_reminders_send, campaigns_lock_due


@shared_task(ignore_result=True)
def sweep():
    """Every few minutes: lock what is past its deadline, remind those close to it."""
    return {"locked": campaigns_lock_due(), "reminded": campaign_reminders_send()}
