"""Small helpers of the tests that start real servers: a free port, waiting for a state,
private Redis and PostgreSQL servers, a worker process, fresh broker connections."""

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def free_port() -> int:
    """A port on 127.0.0.1 nobody listens on (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(condition, seconds: float) -> bool:
    """Poll `condition` until it is true (True) or `seconds` have passed (False)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


class RedisServer:
    """A private redis-server on a free port of loopback (no persistence), for tests that stop
    and start it; never the machine's shared Redis. Started again on the same port."""

    def __init__(self):
        self.port = free_port()
        self.process = None

    @staticmethod
    def available() -> bool:
        return shutil.which("redis-server") is not None

    def url(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def _listening(self) -> bool:
        with socket.socket() as probe:
            return probe.connect_ex(("127.0.0.1", self.port)) == 0

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no"], stdout=subprocess.DEVNULL,
        )
        assert wait_for(self._listening, 10), "redis-server did not start"

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)
        assert wait_for(lambda: not self._listening(), 10), "redis-server did not stop"


class SmtpServer:
    """A real SMTP server (aiosmtpd) on a free port of loopback that keeps every message it
    accepts."""

    def __init__(self):
        self.messages = []
        self.port = free_port()
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


def shared_test_database_url() -> str:
    """The address of the test's PostgreSQL database, for another process."""
    from django.db import connection

    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def worker_environment(*, redis_url: str, smtp_port: int, var_dir, **extra: str) -> dict:
    """The environment of a Celery worker process sharing the test's PostgreSQL database."""
    return {
        **os.environ,
        "DATABASE_URL": shared_test_database_url(),
        "REDIS_URL": redis_url,
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
        "VAR_DIR": str(var_dir),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        **extra,
    }


def celery_worker_start(*, env: dict, log) -> subprocess.Popen:
    """Start `celery worker` (one process, no gossip) writing to the open file `log`."""
    from django.conf import settings

    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo",
         "--loglevel=INFO", "--without-gossip", "--without-mingle", "--without-heartbeat"],
        cwd=settings.BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT,
    )


def process_stop(process: subprocess.Popen) -> None:
    """SIGTERM, then SIGKILL after 10 s: a test's own process never outlives it."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def postgres_program(name: str) -> str | None:
    """The path of a PostgreSQL program: on PATH, else in Debian's newest
    /usr/lib/postgresql/<version>/bin, where the server package keeps initdb and pg_ctl."""
    found = shutil.which(name)
    if found:
        return found
    folders = sorted(Path("/usr/lib/postgresql").glob("*/bin"),
                     key=lambda folder: int(folder.parent.name) if folder.parent.name.isdigit()
                     else 0, reverse=True)
    return next((str(folder / name) for folder in folders if (folder / name).is_file()), None)


class PostgresServer:
    """A private PostgreSQL cluster (initdb in a temporary folder, a free port of loopback,
    trust authentication), for tests that restart it; never the machine's shared server.
    The server runs as the `postgres` system user when the tests run as root (PostgreSQL
    refuses to run as root)."""

    PROGRAMS = ("initdb", "pg_ctl", "psql", "pg_dump")

    def __init__(self):
        self.port = free_port()
        self.folder = Path(tempfile.mkdtemp(prefix="lt-pg-"))
        self.data = self.folder / "data"
        self.as_postgres = os.geteuid() == 0
        if self.as_postgres:
            shutil.chown(self.folder, "postgres")

    @classmethod
    def available(cls) -> bool:
        return all(postgres_program(name) for name in cls.PROGRAMS)

    def _run(self, program: str, *arguments: str) -> None:
        prefix = ["runuser", "-u", "postgres", "--"] if self.as_postgres else []
        subprocess.run([*prefix, postgres_program(program), *arguments], check=True,
                       capture_output=True, cwd=self.folder)

    def url(self, name: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def sql(self, database: str, statement: str) -> str:
        """Run one SQL statement in `database` (psql); its output, unaligned, stripped."""
        return subprocess.run(
            [postgres_program("psql"), "-At", "-v", "ON_ERROR_STOP=1", self.url(database),
             "-c", statement], check=True, capture_output=True, text=True,
        ).stdout.strip()

    def start(self) -> None:
        if not self.data.exists():
            self._run("initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust")
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.folder / "server.log"), "-w",
                  "-o", f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1",
                  "start")

    def restart(self) -> None:
        """A fast restart: every open connection is cut, as on a crash or an upgrade."""
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.folder / "server.log"),
                  "-m", "fast", "-w", "restart")

    def copy_database(self, *, source_url: str, name: str) -> None:
        """Create `name` here with the schema and rows of the database at `source_url`."""
        self.sql("postgres", f'CREATE DATABASE "{name}"')
        dump = subprocess.run(
            [postgres_program("pg_dump"), "--no-owner", "--no-privileges", source_url],
            check=True, capture_output=True,
        )
        subprocess.run([postgres_program("psql"), "-q", "-v", "ON_ERROR_STOP=1", self.url(name)],
                       input=dump.stdout, check=True, capture_output=True)

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.folder, ignore_errors=True)


def fresh_broker_connections():
    """Publish through new pools, opened with the current settings: kombu keeps producer
    pools in a process-wide registry, and one whose connections were closed (by an earlier
    test's clean-up) or opened for another broker URL would be reused."""
    from celery import current_app
    from kombu import pools

    pools.reset()
    current_app._pool = None
    current_app.amqp._producer_pool = None


def worker_process_marks() -> list:
    """The marks of a test whose real Celery worker processes share its PostgreSQL database:
    committed data they can see, and a skip on SQLite, whose in-memory test database another
    process cannot open (runs on PostgreSQL, as `.ci/run` does)."""
    import pytest
    from django.db import connection

    return [
        pytest.mark.celery_worker,
        pytest.mark.django_db(transaction=True, serialized_rollback=True),
        pytest.mark.skipif(
            connection.vendor != "postgresql",
            reason="worker processes cannot share the in-memory SQLite test database: "
                   "runs on PostgreSQL (DATABASE_URL), as `.ci/run` does",
        ),
    ]
