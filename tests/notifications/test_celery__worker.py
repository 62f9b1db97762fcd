"""A real Celery worker and beat against Redis: beat → sweep → send, and a duplicated send.

The worker and beat are subprocesses pointed at this test's database (a non-transactional
test, so they see committed rows) and at a queue of their own, so nothing else on the same
Redis can take or leave messages.
"""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from celery import current_app
from django.conf import settings
from django.db import connection
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from notifications.models import Outbox
from tests.net import fresh_broker_connections, worker_process_marks

from .conftest import at

BASE_DIR = Path(settings.BASE_DIR)

pytestmark = [
    *worker_process_marks(),
    pytest.mark.skipif(not settings.REDIS_URL,
                       reason="REDIS_URL is not set: runs with REDIS_URL set, as `.ci/run` does"),
]

LAUNCH = """
import sys, django
django.setup()
from config.celery import app
app.conf.task_default_queue = sys.argv[1]
app.start(sys.argv[2:])
"""


def _database_url() -> str:
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def queue(settings):
    """A private queue name for the worker and beat; removed from Redis afterwards."""
    name = f"lienthong-test-{uuid.uuid4().hex[:8]}"
    settings.CELERY_TASK_ALWAYS_EAGER = False
    fresh_broker_connections()
    yield name
    with current_app.connection_for_write() as conn:
        client = conn.default_channel.client
        client.delete(name, *client.keys(f"_kombu.*{name}"))
    fresh_broker_connections()


@pytest.fixture
def processes(queue, smtp_server, tmp_path, logged_processes):
    """Start a worker and beat; stop them politely (SIGTERM), then for good if they hang."""
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "REDIS_URL": settings.REDIS_URL,
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp_server.port}",
        "VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }

    def start(*args):
        return logged_processes(args[0], lambda log: subprocess.Popen(
            [sys.executable, "-c", LAUNCH, queue, *args], cwd=BASE_DIR, env=env,
            stdout=log, stderr=subprocess.STDOUT,
        ))

    return start


def _wait_for(condition, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


def test_beat_runs_the_sweep_and_the_worker_sends_each_email_once(
    queue, processes, open_deadline, smtp_server, tmp_path
):
    # A deadline already overdue by two working days: the sweep escalates at once.
    open_deadline(due_at=at(2025, 4, 25, 17))
    every_second, _ = IntervalSchedule.objects.get_or_create(every=1, period="seconds")
    sweep = PeriodicTask.objects.get(task="notifications.tasks.sweep")
    sweep.interval = every_second
    sweep.save()

    processes("worker", "--pool=solo", "--loglevel=INFO", f"--queues={queue}",
              "--without-gossip", "--without-mingle", "--without-heartbeat")
    processes("beat", "--loglevel=INFO", "--pidfile=", f"--schedule={tmp_path / 'beat'}")

    arrived = _wait_for(lambda: len(smtp_server.messages) >= 3, 25)
    logs = "\n".join(p.read_text() for p in tmp_path.glob("*.log"))
    assert arrived, logs
    assert sorted(m["To"] for m in smtp_server.messages) == [
        "lan.tt@demo.lienthong.vn", "quyen.vt@demo.lienthong.vn", "tuan.nq@demo.lienthong.vn",
    ]

    # The same send task delivered twice (as Redis does after a worker crash): one e-mail.
    # Imported here: a task proxy at module level is evaluated by pytest's fixture discovery,
    # which finalizes the Celery app during collection.
    from notifications.tasks import send_outbox

    row = Outbox.objects.create(
        key="duplicate:1", to_email="nguoinhan@example.vn", subject="Một thư duy nhất",
        body_text="Nội dung",
    )
    send_outbox.apply_async(([row.pk],), queue=queue)
    send_outbox.apply_async(([row.pk],), queue=queue)
    assert _wait_for(lambda: Outbox.objects.get(pk=row.pk).state == Outbox.State.SENT, 15)
    time.sleep(1.5)  # give the second message time to be (not) delivered
    assert [m["Subject"] for m in smtp_server.messages].count("Một thư duy nhất") == 1
    assert len(smtp_server.messages) == 4  # beat swept every second; nothing went twice
