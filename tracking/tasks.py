"""Thin Celery tasks of the tracking app."""

from celery import shared_task

from .exports import exports_purge, task_export_write


@shared_task(ignore_result=True)
def write_task_export(export_id: int):
    """Write the Excel task list a person asked for, and tell them it is ready."""
    task_export_write(export_id=export_id)


@shared_task(ignore_result=True)
def purge_task_exports():
    """Every night: delete the Excel task lists asked for more than a week ago."""
    exports_purge()
