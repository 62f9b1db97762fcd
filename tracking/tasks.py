"""Thin Celery tasks of the tracking app."""

from celery import shared_task

from .exports import task_export_write


@shared_task(ignore_result=True)
def write_task_export(export_id: int):
    """Write the Excel task list a person asked for, and tell them it is ready."""
    task_export_write(export_id=export_id)
