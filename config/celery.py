"""The Celery application: worker and beat read the CELERY_* settings."""

import os
from pathlib import Path

from celery import Celery
from celery.signals import worker_process_init, worker_ready

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("lienthong")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_configure.connect
def _create_broker_folders(sender, **kwargs):
    """The filesystem broker (the embedded default) fails on a missing folder: create them.

    Done here rather than in settings so that reading the settings writes nothing.
    """
    options = sender.conf.broker_transport_options or {}
    for key in ("data_folder_in", "data_folder_out", "control_folder"):
        if key in options:
            Path(options[key]).mkdir(parents=True, exist_ok=True)


@worker_process_init.connect
@worker_ready.connect
def _loaded_frozen(**kwargs):
    """Freeze what the worker has loaded once it can take tasks (`config.frozen`): in each
    child of the prefork pool (docker-compose), after its fork, and in the process of the
    threads pool (`make run`). A full collection walked it every other sweep or so, 70–80
    ms with the GIL held."""
    from .frozen import loaded_frozen

    loaded_frozen()
