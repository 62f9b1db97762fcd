"""kill -9 of the Celery worker in the middle of sending five e-mails, against a private
Redis started for the test: after a new worker starts and the sweep runs, every e-mail has
arrived; only the one in flight at the kill arrives twice, with the same Message-ID
(at least once delivery: the SMTP server had it, the worker died before marking it sent).
"""

import asyncio
import collections
import os
import signal
import time
from datetime import timedelta

import pytest
from django.utils import timezone

from notifications.models import Outbox
from notifications.services.sweep import outbox_resend_stale
from tests.net import (
    SmtpServer,
    celery_worker_start,
    wait_for,
    worker_environment,
    worker_process_marks,
)

pytestmark = worker_process_marks()

LEASE = 2


@pytest.fixture
def private_redis(private_broker, settings):
    """A redis-server of our own as the broker, and a short sending lease."""
    settings.NOTIFICATIONS_SENDING_LEASE = LEASE
    return private_broker.url()


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
def worker(private_redis, stalling_smtp, tmp_path, logged_processes):
    """`start(name)`: a Celery worker on the private Redis, logging to <name>.log."""
    env = worker_environment(
        redis_url=private_redis, smtp_port=stalling_smtp.port, var_dir=tmp_path,
        EMAIL_TIMEOUT="120", NOTIFICATIONS_SENDING_LEASE=str(LEASE),
    )
    return lambda name: logged_processes(name, lambda log: celery_worker_start(env=env, log=log))


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
