"""A Celery worker freezes what it loaded (Django, the apps, the URLconf) out of the garbage
collector's reach once it can take tasks (config/celery.py): in a prefork child after its
fork, and in the threads pool's process once ready. Checked in a fresh interpreter loading
the Celery application as `celery -A config worker` does, then sending the signal."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

WORKER = """
import gc, json, django
from config.celery import app
from celery import signals
django.setup()
app.loader.import_default_modules()
loaded = len(gc.get_objects())
getattr(signals, {signal!r}).send(sender=None)
print(json.dumps(
    {{"loaded": loaded, "frozen": gc.get_freeze_count(), "left": len(gc.get_objects())}}
))
"""


@pytest.mark.parametrize("signal", ["worker_process_init", "worker_ready"])
def test_a_worker_leaves_only_a_few_objects_to_the_collector_once_ready(signal):
    result = subprocess.run(
        [sys.executable, "-c", WORKER.format(signal=signal)], cwd=ROOT, capture_output=True,
        text=True, timeout=120, check=True,
    )
    counts = json.loads(result.stdout.strip().splitlines()[-1])
    # What the worker loaded is frozen (less what the collection before freezing freed);
    # the collector still walks a small remainder.
    assert counts["frozen"] > counts["loaded"] * 0.9 > 50_000
    assert counts["left"] < counts["frozen"] / 100
