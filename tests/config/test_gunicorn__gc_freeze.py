"""A web worker freezes what it loaded at start (Django, the apps, the URLconf) out of the
garbage collector's reach, so that a full collection no longer walks it (config/gunicorn.py):
checked in a fresh interpreter loading the application as a gunicorn worker does."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

WORKER = """
import gc, json
from config.wsgi import application
from config import gunicorn
loaded = len(gc.get_objects())
gunicorn.post_worker_init(worker=None)
print(json.dumps(
    {"loaded": loaded, "frozen": gc.get_freeze_count(), "left": len(gc.get_objects())}
))
"""


def test_a_worker_leaves_only_a_few_objects_to_the_collector_after_loading():
    result = subprocess.run(
        [sys.executable, "-c", WORKER], cwd=ROOT, capture_output=True, text=True, timeout=120,
        check=True,
    )
    counts = json.loads(result.stdout.strip().splitlines()[-1])
    # The application's objects are frozen, and the URLconf's with them (more than were
    # loaded before the hook, which loads it); the collector still walks a small remainder.
    assert counts["frozen"] > counts["loaded"] > 50_000
    assert counts["left"] < counts["frozen"] / 100
