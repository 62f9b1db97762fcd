"""Fixtures for the reminder tests: a deadline on the demo world's BDT people.

tuan.nq (chuyen_vien) handles the task, lan.tt (truong_phong) heads his unit HCTH,
quyen.vt (truong_ban) directed it.
"""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import mail

from notifications.services import outbox_due_ids, outbox_send_many

HCM = ZoneInfo("Asia/Ho_Chi_Minh")


def at(*args) -> datetime.datetime:
    """A moment in Vietnamese time."""
    return datetime.datetime(*args, tzinfo=HCM)


def send_pending() -> list:
    """Send every pending e-mail here, as the worker would; returns the messages sent."""
    before = len(mail.outbox)
    outbox_send_many(ids=outbox_due_ids(grace_seconds=0))
    return mail.outbox[before:]


@pytest.fixture
def open_deadline(world, chuyen_vien, truong_phong, truong_ban):
    """A function opening a BDT deadline for tuan.nq, due at `due_at`."""
    from notifications.services import deadline_open

    def _open(*, key="assignment:1", due_at, notation="1719-CV/HU"):
        return deadline_open(
            key=key, agency=world.agency("bdt-bac-giang"), assignee=chuyen_vien,
            unit_head=truong_phong, directed_by=truong_ban, due_at=due_at,
            title="V/v đánh giá, xếp loại cơ quan ngành dọc cấp huyện năm 2023",
            url="/documents/1/", notation=notation,
        )

    return _open


class SmtpServer:
    """A real SMTP server (aiosmtpd) on loopback that keeps every message it accepts."""

    def __init__(self):
        self.messages = []
        self.port = _free_port()
        self._controller = None

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd handler hook
        from email import message_from_bytes, policy

        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"

    def start(self):
        from aiosmtpd.controller import Controller

        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self._controller.start()

    def stop(self):
        if self._controller is not None:
            self._controller.stop()
            self._controller = None


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_server(settings):
    """A started SMTP server on 127.0.0.1 that Django's SMTP backend sends to."""
    server = SmtpServer()
    server.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5
    yield server
    server.stop()


def fresh_broker_connections():
    """Publish through new pools, opened with the current settings: kombu keeps producer
    pools in a process-wide registry, and one whose connections were closed (by an earlier
    test's clean-up) or opened for another broker URL would be reused."""
    from celery import current_app
    from kombu import pools

    pools.reset()
    current_app._pool = None
    current_app.amqp._producer_pool = None


@pytest.fixture
def private_redis(settings):
    """A redis-server of our own, used as the broker by the test and its workers."""
    from tests.net import RedisServer

    if not RedisServer.available():
        pytest.skip("redis-server is not installed")
    server = RedisServer()
    server.start()
    settings.CELERY_BROKER_URL = server.url()
    settings.CELERY_TASK_ALWAYS_EAGER = False
    fresh_broker_connections()
    yield server.url()
    fresh_broker_connections()
    server.stop()


@pytest.fixture
def worker_start(private_redis, tmp_path):
    """A function starting a real Celery worker process named `name` (its log in tmp_path),
    sending through the SMTP server on `smtp_port`, with extra settings from `env`; every
    worker started is stopped after the test."""
    from tests.net import celery_worker_start, process_stop, worker_environment

    started = []

    def start(name, *, smtp_port, **env):
        environment = worker_environment(
            redis_url=private_redis, smtp_port=smtp_port, var_dir=tmp_path, **env
        )
        log = open(tmp_path / f"{name}.log", "w")  # noqa: SIM115 (closed below)
        process = celery_worker_start(env=environment, log=log)
        started.append((process, log))
        return process

    yield start
    for process, log in started:
        process_stop(process)
        log.close()
