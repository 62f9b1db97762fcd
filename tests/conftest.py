"""Shared fixtures: the demo world, its named personas, and a sandbox for each test.

Every test gets MEDIA_ROOT, the e-mail folder and the broker folders in a temporary
directory (no test writes into var/), a private in-memory cache, and Celery tasks run eagerly
in the test process, so no test needs a broker or a worker. A test marked `celery_worker`
keeps the real broker settings: it starts a real worker itself.

Tests that break or use real servers take them from the fixtures here (a real SMTP server,
a Redis of their own as the broker, a broker that cannot be reached, logged subprocesses),
built on tests/net.py.

The personas are the people of the seeds' story (accounts/demo.py); each comment says what
that person may do, which is what the permission tests rely on.
"""

import uuid

import pytest
from django.db import connections
from django.test import override_settings
from pytest_django.fixtures import validate_django_db

from accounts.demo import load_world
from accounts.models import Agency, Unit, User
from config.celery import app as celery_app
from tests.net import RedisServer, SmtpServer, fresh_broker_connections, process_stop

FAST_PASSWORD_HASHER = "django.contrib.auth.hashers.MD5PasswordHasher"


class World:
    """The loaded demo world, looked up by the names everyone uses (team brief)."""

    def user(self, username: str) -> User:
        return User.objects.select_related("agency", "unit").get(username=username)

    def agency(self, code: str) -> Agency:
        return Agency.objects.get(code=code)

    def unit(self, agency_code: str, symbol: str) -> Unit:
        return Unit.objects.select_related("agency", "head").get(
            agency__code=agency_code, symbol=symbol
        )


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Every transactional test (transaction=True, live_server) uses serialized rollback.

    A transactional test ends with a flush. With serialized rollback, Django flushes without
    post_migrate and reloads the migrated rows when the next such test starts; without it,
    the flush re-creates content types and permissions. Mixed in one run, either order breaks
    the following test (duplicate content types, or no permissions at all): so, all of them.
    """
    for item in items:
        marker = item.get_closest_marker("django_db")
        fixtures = getattr(item, "fixturenames", ())
        transaction, reset_sequences, databases, serialized, available_apps = (
            validate_django_db(marker) if marker else (False, False, None, False, None)
        )
        transactional = (
            transaction or reset_sequences
            or "transactional_db" in fixtures or "live_server" in fixtures
        )
        if transactional and not serialized:
            item.add_marker(
                pytest.mark.django_db(
                    transaction=True, reset_sequences=reset_sequences, databases=databases,
                    serialized_rollback=True, available_apps=available_apps,
                ),
                append=False,
            )


@pytest.fixture(scope="session", autouse=True)
def static_root(tmp_path_factory):
    """An existing STATIC_ROOT for the whole session, live servers included: WhiteNoise
    warns about a missing one each time a handler starts."""
    with override_settings(STATIC_ROOT=tmp_path_factory.mktemp("static")):
        yield


@pytest.fixture(autouse=True)
def sandbox(request, settings, tmp_path_factory):
    """Temporary files, a private cache, eager Celery tasks and fast password hashing."""
    root = tmp_path_factory.mktemp("var")
    settings.MEDIA_ROOT = root / "media"
    settings.EMAIL_FILE_PATH = str(root / "mail")
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"test-{uuid.uuid4()}",
        }
    }
    if settings.CELERY_BROKER_URL.startswith("filesystem:"):
        queue, control = root / "celery" / "queue", root / "celery" / "control"
        queue.mkdir(parents=True)
        control.mkdir()
        settings.CELERY_BROKER_TRANSPORT_OPTIONS = {
            **settings.CELERY_BROKER_TRANSPORT_OPTIONS,
            "data_folder_in": str(queue),
            "data_folder_out": str(queue),
            "control_folder": str(control),
        }
    if request.node.get_closest_marker("celery_worker") is None:
        settings.CELERY_TASK_ALWAYS_EAGER = True
        settings.CELERY_TASK_EAGER_PROPAGATES = True
    # Tests make people and log them in: PBKDF2 would cost ~0.3 s per password.
    settings.PASSWORD_HASHERS = [FAST_PASSWORD_HASHER]
    _forget_broker_connections()
    # Celery loads its configuration on first use; loaded later, inside some test, it would
    # replace `app.conf.changes` under code that holds the pending one. Load it here, once.
    celery_app.conf.broker_url  # noqa: B018
    yield root
    _forget_broker_connections()


def _forget_broker_connections():
    """Pooled broker connections keep the settings they were opened with (the folders of a
    previous test's sandbox): forget the pools, as Celery does after a fork. Not closed:
    kombu's registry hands an equal pool out again. (`app.close()` would also unregister the
    app, and tasks imported later would then be unknown to it.)"""
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.fixture
def broker_down(settings):
    """Publish for real (not eagerly) to a closed port on loopback (nothing listens on 1)."""
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {}
    fresh_broker_connections()
    yield
    # Dropped again: the next publish opens pools with the restored settings.
    fresh_broker_connections()


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


@pytest.fixture
def private_broker(settings):
    """A redis-server of our own (tests/net.py) as the Celery broker, published to for real:
    nothing else on the machine's Redis takes or leaves messages. Yields the server."""
    if not RedisServer.available():
        pytest.skip("redis-server is not installed: runs once the redis-server package is "
                    "installed (CI has it)")
    server = RedisServer()
    server.start()
    settings.CELERY_BROKER_URL = server.url()
    settings.CELERY_TASK_ALWAYS_EAGER = False
    fresh_broker_connections()
    yield server
    fresh_broker_connections()
    server.stop()


@pytest.fixture
def logged_processes(tmp_path):
    """`start(name, launch)`: `launch(log)` starts a process writing to the open file `log`
    (tmp_path/<name>.log) and returns it; at the end of the test each one is stopped (SIGTERM,
    then SIGKILL) and its log closed, whatever happened."""
    started = []

    def start(name: str, launch):
        log = open(tmp_path / f"{name}.log", "w")  # noqa: SIM115 (closed below)
        process = launch(log)
        started.append((process, log))
        return process

    yield start
    for process, log in started:
        process_stop(process)
        log.close()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database with the demo world loaded once for the whole run.

    Loading it costs about 800 statements (half a second): once per test, that was a third
    of the suite. Each test still sees it untouched: a test in a transaction rolls its
    changes back, and a transactional test, which ends with a flush, gets it back with the
    migrated rows, because the rows that serialized rollback restores are read again here.
    """
    with django_db_blocker.unblock():
        # As in the sandbox: the demo password hashed with PBKDF2 would cost every login.
        with override_settings(PASSWORD_HASHERS=[FAST_PASSWORD_HASHER]):
            load_world()
        for connection in connections.all():
            if hasattr(connection, "_test_serialized_contents"):
                connection._test_serialized_contents = (
                    connection.creation.serialize_db_to_string()
                )


@pytest.fixture
def world(db) -> World:
    """The demo world of accounts/demo.py: 8 agencies, their units and 25 people (loaded
    once per run by `django_db_setup`; every database test sees it)."""
    return World()


@pytest.fixture
def truong_ban(world) -> User:
    """quyen.vt, Vi Thanh Quyên, TRƯỞNG BAN of Ban Dân tộc (BDT): directs incoming
    documents to units, approves and signs outgoing ones, sees every BDT document."""
    return world.user("quyen.vt")


@pytest.fixture
def pho_truong_ban(world) -> User:
    """hung.nv, Nguyễn Văn Hùng, PHÓ TRƯỞNG BAN of BDT: like the head (direct, sign "KT.
    TRƯỞNG BAN", see all BDT documents) within the fields he is in charge of."""
    return world.user("hung.nv")


@pytest.fixture
def truong_phong(world) -> User:
    """lan.tt, Trần Thị Lan, CHÁNH VĂN PHÒNG, head of unit HCTH of BDT: distributes the
    unit's work, reviews its drafts, handles its work; no agency-wide permission."""
    return world.user("lan.tt")


@pytest.fixture
def chuyen_vien(world) -> User:
    """tuan.nq, Nguyễn Quốc Tuấn, specialist of HCTH (BDT): handles the unit's work and
    drafts replies; cannot register, direct, sign or issue."""
    return world.user("tuan.nq")


@pytest.fixture
def van_thu_bdt(world) -> User:
    """mai.ht, Hoàng Thị Mai, clerk of BDT (unit HCTH): registers incoming documents,
    numbers and issues outgoing ones, sees every BDT document; cannot sign."""
    return world.user("mai.ht")


@pytest.fixture
def van_thu_hu(world) -> User:
    """vanthu.hu, Nguyễn Thị Yến, clerk of Huyện ủy Lục Nam (HU, a Party body, unit VP):
    registers and issues for HU only; sees nothing of BDT."""
    return world.user("vanthu.hu")
