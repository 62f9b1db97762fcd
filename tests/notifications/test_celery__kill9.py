"""kill -9 of the Celery worker in the middle of sending five e-mails, against a private
Redis started for the test: after a new worker starts and the sweep runs, every e-mail has
arrived; only the one in flight at the kill arrives twice, with the same Message-ID
(at least once delivery: the SMTP server had it, the worker died before marking it sent).
"""

import asyncio
import collections
import os
import signal
import socket
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from notifications.models import Outbox
from notifications.services.sweep import outbox_resend_stale
from tests.net import free_port, wait_for

from .conftest import SmtpServer, fresh_broker_connections

BASE_DIR = Path(settings.BASE_DIR)

pytestmark = [
    pytest.mark.celery_worker,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="worker processes cannot share the in-memory SQLite test database",
    ),
]

LEASE = 2


@pytest.fixture
def private_redis(settings):
    """A redis-server of our own on a free port (no persistence), used as the broker."""
    if subprocess.run(["which", "redis-server"], capture_output=True).returncode:
        pytest.skip("redis-server is not installed")
    port = free_port()
    server = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
         "--appendonly", "no"], stdout=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    assert wait_for(lambda: socket.socket().connect_ex(("127.0.0.1", port)) == 0, 10)
    settings.CELERY_BROKER_URL = url
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.NOTIFICATIONS_SENDING_LEASE = LEASE
    fresh_broker_connections()
    yield url
    fresh_broker_connections()
    server.terminate()
    server.wait(10)


class StallingSmtpServer(SmtpServer):
    """Keeps every message; holds back its "250 OK" for the third one, the first time."""

    stall_on = 3

    async def handle_DATA(self, server, session, envelope):
        reply = await super().handle_DATA(server, session, envelope)
        if len(self.messages) == self.stall_on and not getattr(self, "stalled", False):
            self.stalled = True
            await asyncio.sleep(60)
        return reply


@pytest.fixture
def stalling_smtp():
    server = StallingSmtpServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def worker(private_redis, stalling_smtp, tmp_path):
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
                        f"/{db['NAME']}",
        "REDIS_URL": private_redis,
        "EMAIL_URL": f"smtp://127.0.0.1:{stalling_smtp.port}",
        "EMAIL_TIMEOUT": "120",
        "NOTIFICATIONS_SENDING_LEASE": str(LEASE),
        "VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    started = []

    def start(name):
        log = open(tmp_path / f"{name}.log", "w")  # noqa: SIM115 (closed below)
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo",
             "--loglevel=INFO", "--without-gossip", "--without-mingle", "--without-heartbeat"],
            cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT,
        )
        started.append((process, log))
        return process

    yield start
    for process, log in started:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        log.close()


def test_every_email_arrives_after_a_kill_9_and_only_the_one_in_flight_twice(
    worker, stalling_smtp, world, tmp_path
):
    from notifications.tasks import send_outbox

    past = timezone.now() - timedelta(minutes=5)
    rows = [
        Outbox.objects.create(key=f"kill9:{n}", to_email=f"nguoinhan{n}@example.vn",
                              subject=f"Thư số {n}", body_text="Nội dung",
                              next_attempt_at=past)
        for n in range(1, 6)
    ]
    first = worker("worker-1")
    send_outbox.apply_async(([row.pk for row in rows],))

    assert wait_for(lambda: len(stalling_smtp.messages) == 3, 60), (
        (tmp_path / "worker-1.log").read_text())
    os.kill(first.pid, signal.SIGKILL)
    first.wait(10)
    states = collections.Counter(Outbox.objects.values_list("state", flat=True))
    assert states == {Outbox.State.SENT: 2, Outbox.State.SENDING: 1, Outbox.State.PENDING: 2}

    worker("worker-2")
    time.sleep(LEASE + 0.5)
    # What the periodic sweep does: the stale claim is released and everything left resent.
    assert len(outbox_resend_stale()) == 3
    assert wait_for(
        lambda: not Outbox.objects.exclude(state=Outbox.State.SENT).exists(), 60
    ), (tmp_path / "worker-2.log").read_text()

    arrived = collections.Counter(m["Message-ID"] for m in stalling_smtp.messages)
    assert len(arrived) == 5
    twice = [message_id for message_id, count in arrived.items() if count > 1]
    assert len(twice) == 1 and arrived[twice[0]] == 2
    in_flight = Outbox.objects.get(to_email="nguoinhan3@example.vn")
    assert f"<outbox-{in_flight.pk}-" in twice[0]
    assert in_flight.attempts == 2 and "Worker lost" in in_flight.last_error
