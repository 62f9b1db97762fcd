"""What every benchmark shares: Django set up for measuring, throw-away databases, the JSON
line printed per measure, timing, and row inserts at COPY speed for the big data sets.

The bench runs in its own process with the project's settings, except that nothing it does
may reach the developer's data or services: uploaded and rendered files go to a temporary
folder, e-mail to memory, the cache is local, and Celery publishes to an in-memory broker
(a worker listening on the developer's Redis must never receive ids from a scratch database).
"""

from __future__ import annotations

import contextlib
import json
import math
import multiprocessing
import operator
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

GOAL_OPERATORS: dict[str, Callable[[float, float], bool]] = {
    ">=": operator.ge,
    "<=": operator.le,
    "==": operator.eq,
}


@dataclass(frozen=True)
class Profile:
    """Sizes of one run: `quick` (make bench, < 5 minutes on 2 cores) or `full` (issue 6)."""

    name: str
    flow_processes: int
    inbox_agencies: int
    inbox_users: int
    inbox_small: int
    inbox_large: int
    inbox_requests: int
    sweep_due: int
    sweep_small: int
    sweep_large: int
    sweep_repeats: int
    numbering_workers: int
    numbering_per_worker: int
    statistics_tasks: int
    statistics_requests: int
    export_rows: int
    export_year_rows: int
    search_documents: int
    load_users: int
    load_seconds: float
    load_pace: str


# For the smoke test (tests/bench): every benchmark runs, on data too small to mean anything.
TINY = Profile(
    name="tiny",
    flow_processes=2,
    inbox_agencies=2,
    inbox_users=30,
    inbox_small=20,
    inbox_large=40,
    inbox_requests=2,
    sweep_due=12,
    sweep_small=40,
    sweep_large=80,
    sweep_repeats=1,
    numbering_workers=2,
    numbering_per_worker=4,
    statistics_tasks=300,
    statistics_requests=2,
    export_rows=300,
    export_year_rows=200,
    search_documents=200,
    load_users=6,
    load_seconds=8,
    load_pace="hurried",
)
QUICK = Profile(
    name="quick",
    flow_processes=20,
    inbox_agencies=40,
    inbox_users=2_000,
    inbox_small=1_000,
    inbox_large=10_000,
    inbox_requests=40,
    sweep_due=1_000,
    sweep_small=10_000,
    sweep_large=100_000,
    sweep_repeats=2,
    numbering_workers=8,
    numbering_per_worker=50,
    statistics_tasks=100_000,
    statistics_requests=20,
    export_rows=100_000,
    export_year_rows=10_000,
    search_documents=20_000,
    load_users=20,
    load_seconds=45,
    load_pace="office",
)
FULL = Profile(
    name="full",
    flow_processes=100,
    inbox_agencies=200,
    inbox_users=10_000,
    inbox_small=1_000,
    inbox_large=100_000,
    inbox_requests=100,
    sweep_due=1_000,
    sweep_small=100_000,
    sweep_large=1_000_000,
    sweep_repeats=3,
    numbering_workers=8,
    numbering_per_worker=250,
    statistics_tasks=100_000,
    statistics_requests=100,
    export_rows=100_000,
    export_year_rows=10_000,
    search_documents=100_000,
    load_users=50,
    load_seconds=300,
    load_pace="office",
)


@dataclass
class Measure:
    """One line of output. `goal` is (operator, value); `check` is an extra condition that
    must hold for the goal to count as met (e.g. “no number duplicated or skipped”).

    `ratio` is value ÷ baseline unless given: for a rate, pass baseline ÷ value, so that
    every ratio reads “times the baseline's cost”.
    """

    name: str
    value: float | None
    unit: str
    params: dict[str, Any] = field(default_factory=dict)
    baseline: float | None = None
    goal: tuple[str, float] | None = None
    check: bool | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    skipped: str = ""
    cost_ratio: float | None = None

    @property
    def ratio(self) -> float | None:
        if self.cost_ratio is not None:
            return self.cost_ratio
        if self.baseline in (None, 0) or self.value is None:
            return None
        return self.value / self.baseline

    @property
    def met(self) -> bool | None:
        if self.goal is None or self.value is None:
            return None if self.check is None else self.check
        op, target = self.goal
        return GOAL_OPERATORS[op](self.value, target) and self.check is not False

    def as_dict(self) -> dict[str, Any]:
        line: dict[str, Any] = {"name": self.name, "params": self.params}
        if self.skipped:
            line["skipped"] = self.skipped
            return line
        line.update(value=_rounded(self.value), unit=self.unit)
        if self.baseline is not None:
            line["baseline"] = _rounded(self.baseline)
            line["ratio"] = _rounded(self.ratio)
        line["goal"] = (
            {"op": self.goal[0], "value": self.goal[1]} if self.goal is not None else None
        )
        line["met"] = self.met
        line.update(self.extra)
        return line


def _rounded(value):
    if isinstance(value, float):
        return round(value, 3 if abs(value) < 100 else 1)
    return value


def emit(measure: Measure, *, stream=None) -> dict[str, Any]:
    """Print the measure as one JSON line (with the database it ran on) and return it."""
    line = measure.as_dict()
    line["params"] = {
        "database": database_label(), **line["params"],
        "load_average": round(os.getloadavg()[0], 2),
    }
    print(json.dumps(line, ensure_ascii=False), file=stream or sys.stdout, flush=True)
    return line


def log(text: str) -> None:
    """Progress for the person watching; stdout carries only the JSON lines."""
    print(f"[bench] {text}", file=sys.stderr, flush=True)


def database_label() -> str:
    from django.db import connection

    if connection.vendor == "postgresql":
        major, minor = divmod(connection.pg_version, 10_000)
        return f"postgresql {major}.{minor}"
    return f"{connection.vendor} {connection.Database.sqlite_version}"


# Django set-up ---------------------------------------------------------------------------


_SCRATCH: list[str] = []


def django_setup() -> None:
    """Set Django up for measuring: scratch files, no SMTP, no shared cache or broker."""
    scratch = tempfile.mkdtemp(prefix="lienthong-bench-")
    _SCRATCH.append(scratch)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["MEDIA_ROOT"] = os.path.join(scratch, "media")
    os.environ["EMAIL_URL"] = "memorymail://"
    os.environ["CACHE_URL"] = "locmemcache://"
    import django

    django.setup()
    from django.conf import settings
    from django.test.utils import setup_test_environment

    from config.celery import app

    # What a request costs in production: no debug query log, no template debug.
    setup_test_environment(debug=False)
    # WhiteNoise warns at every request about a missing static folder; use a scratch one.
    settings.STATIC_ROOT = os.path.join(scratch, "static")
    os.makedirs(settings.STATIC_ROOT)
    settings.CELERY_BROKER_URL = "memory://localhost/"
    app.conf.broker_url = "memory://localhost/"
    app.conf.task_always_eager = False
    # The demo world's password is hashed once per load; PBKDF2 would only slow the set-up.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def django_teardown() -> None:
    from django.test.utils import teardown_test_environment

    teardown_test_environment()
    for scratch in _SCRATCH:
        shutil.rmtree(scratch, ignore_errors=True)


SCRATCH_PREFIX = ["bench"]


@contextlib.contextmanager
def scratch_template() -> Iterator[None]:
    """The run's migrated database, which each benchmark's database is cloned from.

    On PostgreSQL (DATABASE_URL) a database `<developer's database>_bench` beside the
    developer's, never that one; a run cut short leaves it behind and the next run replaces
    it. Otherwise an SQLite file `bench.sqlite3` under VAR_DIR (a file, so that worker
    processes share it). Dropped when the run ends.
    """
    from django.conf import settings
    from django.db import connections
    from django.test.utils import setup_databases, teardown_databases

    connection = connections["default"]
    test = connection.settings_dict.setdefault("TEST", {})
    scratch = SCRATCH_PREFIX[0]
    if connection.vendor == "sqlite":
        settings.VAR_DIR.mkdir(parents=True, exist_ok=True)
        test["NAME"] = str(settings.VAR_DIR / f"{scratch}.sqlite3")
    else:
        test["NAME"] = f"{connection.settings_dict['NAME']}_{scratch}"
    started = time.perf_counter()
    old_config = setup_databases(
        verbosity=0, interactive=False, serialized_aliases=set(), aliases={"default"}
    )
    log(f"scratch database {test['NAME']} migrated in {time.perf_counter() - started:.1f} s")
    try:
        yield
    finally:
        connections.close_all()
        teardown_databases(old_config, verbosity=0)


@contextlib.contextmanager
def scratch_database(name: str) -> Iterator[None]:
    """A copy of the migrated scratch database for one benchmark (`…_bench_<name>`), used as
    the default database while the benchmark runs and dropped when it ends."""
    from django.db import connections

    connection = connections["default"]
    template = connection.settings_dict
    connections.close_all()  # PostgreSQL copies a template only when nobody is connected
    connection.creation.clone_test_db(suffix=name, verbosity=0, keepdb=False)
    connection.settings_dict = connection.creation.get_test_db_clone_settings(name)
    log(f"{name}: scratch database {connection.settings_dict['NAME']}")
    try:
        yield
    finally:
        connections.close_all()
        connection.settings_dict = template
        connection.creation.destroy_test_db(verbosity=0, suffix=name)


def close_connections_for_fork() -> None:
    """Worker processes must not share the parent's database connection."""
    from django.db import connections

    connections.close_all()


def forked(
    *, prepare: Callable[[], Any], job: Callable[[Any, Any], Any], shares: Sequence[Any]
) -> tuple[float, list[Any]]:
    """Run `job(prepare(), share)` in one forked process per share, all starting together.

    Each child connects and prepares first, then waits at a barrier, so the time measured
    (first start to last finish, on the shared monotonic clock) is the jobs' alone.
    Returns (wall seconds, the jobs' results in share order); a failing child raises here.
    """
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    barrier = context.Barrier(len(shares))
    close_connections_for_fork()

    def child(index: int, share: Any) -> None:
        try:
            state = prepare()
            barrier.wait()
            started = time.perf_counter()
            result = job(state, share)
            queue.put((index, None, result, started, time.perf_counter()))
        except Exception as exc:  # reported by the parent: a silent child would hang the run
            barrier.abort()
            queue.put((index, f"{type(exc).__name__}: {exc}", None, 0.0, 0.0))
        finally:
            close_connections_for_fork()

    children = [
        context.Process(target=child, args=(index, share)) for index, share in enumerate(shares)
    ]
    for process in children:
        process.start()
    reports = sorted(queue.get() for _ in children)
    for process in children:
        process.join()
    errors = [error for _index, error, *_rest in reports if error]
    if errors:
        raise RuntimeError(f"a worker process failed: {errors[0]}")
    wall = max(report[4] for report in reports) - min(report[3] for report in reports)
    return wall, [report[2] for report in reports]


def split(total: int, parts: int) -> list[int]:
    """`total` as `parts` nearly equal shares."""
    return [total // parts + (1 if index < total % parts else 0) for index in range(parts)]


# The production web server ---------------------------------------------------------------


def _database_url() -> str:
    """The URL of the database the bench uses now (a scratch one), for another process."""
    from urllib.parse import quote

    from django.db import connection

    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{os.path.abspath(settings['NAME'])}"
    user = quote(settings["USER"] or "")
    password = f":{quote(settings['PASSWORD'])}" if settings["PASSWORD"] else ""
    return (f"postgres://{user}{password}@{settings['HOST'] or '127.0.0.1'}:"
            f"{settings['PORT'] or 5432}/{settings['NAME']}")


def _listening(port: int) -> bool:
    import socket

    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


@contextlib.contextmanager
def web_server() -> Iterator[str]:
    """gunicorn as production runs it (`-c config/gunicorn.py`, DEBUG off), serving the
    bench's current database on a free loopback port; yields the base URL.

    Like the bench itself it uses no shared service: a local cache, no broker, no SMTP, files
    under a scratch folder. It shares the bench's SECRET_KEY, so that sessions made here
    (`Client.force_login`) are valid there.
    """
    import socket
    import subprocess

    from django.conf import settings

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    scratch = tempfile.mkdtemp(prefix="lienthong-bench-web-")
    _SCRATCH.append(scratch)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": _database_url(),
        "DEBUG": "False",
        "SECRET_KEY": settings.SECRET_KEY,
        "SECURE_SSL_REDIRECT": "False",
        "ALLOWED_HOSTS": "127.0.0.1",
        "WEB_BIND": f"127.0.0.1:{port}",
        "VAR_DIR": scratch,
        "MEDIA_ROOT": os.path.join(scratch, "media"),
        "STATIC_ROOT": settings.STATIC_ROOT,
        "REDIS_URL": "",
        "CACHE_URL": "locmemcache://",
        "EMAIL_URL": "memorymail://",
        "LOG_LEVEL": "WARNING",
    }
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    with open(os.path.join(scratch, "gunicorn.log"), "w") as output:
        server = subprocess.Popen(
            # Benchmarks and tests may run several servers: no control socket in $HOME.
            [sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.py", "--no-control-socket",
             "config.wsgi"],
            cwd=root, env=env, stdout=output, stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + 60
            while not _listening(port):
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"gunicorn did not start (see {output.name})")
                time.sleep(0.2)
            yield f"http://127.0.0.1:{port}"
        finally:
            server.terminate()
            server.wait(timeout=30)


# Timing ----------------------------------------------------------------------------------


class QueryCounter:
    """Counts the queries run on the default connection, their time and their kinds.

    Unlike CaptureQueriesContext it has no 9,000-query limit and is not emptied by the test
    client's request signals. Use: `with QueryCounter() as counted:` … `counted.count`.
    """

    def __init__(self):
        self.count = 0
        self.seconds = 0.0
        self.kinds: dict[str, int] = {}

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - started
            self.count += 1
            kind = sql.split(None, 1)[0].upper() if sql else "?"
            self.kinds[kind] = self.kinds.get(kind, 0) + 1

    def __enter__(self):
        from django.db import connection

        self._wrapper = connection.execute_wrapper(self)
        self._wrapper.__enter__()
        return self

    def __exit__(self, *exc):
        self._wrapper.__exit__(*exc)
        self.kinds = dict(sorted(self.kinds.items()))


def percentile(samples: Sequence[float], q: float) -> float:
    """The q-th percentile (0–100) by the nearest-rank method."""
    ordered = sorted(samples)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


def median(samples: Sequence[float]) -> float:
    return statistics.median(samples)


@contextlib.contextmanager
def stopwatch() -> Iterator[list[float]]:
    """`with stopwatch() as elapsed:` … `elapsed[0]` holds the seconds afterwards."""
    holder: list[float] = []
    started = time.perf_counter()
    try:
        yield holder
    finally:
        holder.append(time.perf_counter() - started)


# Bulk rows -------------------------------------------------------------------------------


def rows_insert(model, fields: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Insert raw rows into `model`'s table: COPY on PostgreSQL, executemany elsewhere.

    `fields` are model field names; values must already be what the column stores (ids for
    foreign keys, viewflow's string references for flow fields, JSON text for JSON fields).
    Returns the number of rows. For generating hundreds of thousands of rows in seconds.
    """
    from django.db import connection

    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(
        connection.ops.quote_name(model._meta.get_field(name).column) for name in fields
    )
    count = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
        else:
            marks = ", ".join(["%s"] * len(fields))
            sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"
            batch: list[Sequence[Any]] = []
            for row in rows:
                batch.append(row)
                if len(batch) == 5_000:
                    cursor.executemany(sql, batch)
                    count += len(batch)
                    batch = []
            if batch:
                cursor.executemany(sql, batch)
                count += len(batch)
    return count


class RowTemplate:
    """Rows of `model` as its table stores them, from one prototype instance.

    Built once from `values` (converted by each field, so viewflow's flow references become
    their strings and JSON its text); `row(**changes)` copies it with a few columns changed
    (keys are field attnames: "agency_id", "owner_id"…). For `rows_insert`. The database
    numbers the rows unless `explicit_ids`, when each row must be given its `id`.
    """

    def __init__(self, model, *, explicit_ids: bool = False, **values):
        from django.db import connection
        from django.db.models import AutoField, BigAutoField

        self.model = model
        self.connection = connection
        self.fields = [
            field for field in model._meta.local_concrete_fields
            if explicit_ids or not isinstance(field, AutoField | BigAutoField)
        ]
        self.names = [field.attname for field in self.fields]
        self.index = {field.attname: position for position, field in enumerate(self.fields)}
        instance = model(**values)
        self.values = [
            field.get_db_prep_save(getattr(instance, field.attname), connection)
            for field in self.fields
        ]

    def row(self, **changes) -> list[Any]:
        row = list(self.values)
        for name, value in changes.items():
            position = self.index[name]
            row[position] = self.fields[position].get_db_prep_save(value, self.connection)
        return row

    def insert(self, rows: Iterable[Sequence[Any]]) -> int:
        return rows_insert(self.model, self.names, rows)


def next_id(model) -> int:
    """The first free primary key of `model`, for rows inserted with explicit ids."""
    from django.db.models import Max

    return (model._default_manager.aggregate(top=Max("pk"))["top"] or 0) + 1


def sequences_reset(*models) -> None:
    """Move the id sequences past rows inserted with explicit ids (PostgreSQL)."""
    from django.core.management.color import no_style
    from django.db import connection

    statements = connection.ops.sequence_reset_sql(no_style(), list(models))
    if statements:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)


def analyze() -> None:
    """Refresh the planner's statistics after a bulk load, as autovacuum would soon do."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def gunicorn_settings() -> dict:
    """config/gunicorn.py's settings, the ones every gunicorn of the benchmarks runs with."""
    import runpy
    from pathlib import Path

    return runpy.run_path(str(Path(__file__).resolve().parents[1] / "config" / "gunicorn.py"))


def server_shape() -> str:
    """How the server that answered is run, from its configuration file."""
    config = gunicorn_settings()
    return (f"gunicorn config/gunicorn.py: {config['workers']} processes × "
            f"{config['threads']} threads ({config['worker_class']})")
