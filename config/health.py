"""`/healthz`: is the database answering, is the broker answering, when did a worker last run?

Contract (JSON, no login): status 200 with `"status": "ok"` when the database and the
broker both answer, else 503 with `"status": "unavailable"`:

    {"status": "ok",
     "database": {"ok": true},
     "broker": {"ok": true, "transport": "redis"},
     "worker": {"last_heartbeat": "2023-12-05T09:30:00+07:00", "age_seconds": 12}}

A failed check carries `"error"`, shown only to a logged-in staff member: an anonymous
caller (a load balancer, anyone on the internet) sees `"ok": false` and no exception text,
which could name hosts, paths or versions; the text is logged instead. The worker part is
information only (a worker may be restarting): each call sends, at most once per
HEALTHZ_HEARTBEAT_INTERVAL, the `worker_heartbeat` task, which a worker runs and records in
the shared cache, so the page shows that a task sent from the web really reached a worker.
"""

import logging
import os
from pathlib import Path

from celery import shared_task
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .celery import app as celery_app

logger = logging.getLogger(__name__)

HEARTBEAT_KEY = "healthz:worker-heartbeat"
HEARTBEAT_SENT_KEY = "healthz:heartbeat-sent"


def database_state() -> dict:
    """Run one query on the default database."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:  # any driver error means "not answering"
        return {"ok": False, "error": _describe(error)}
    return {"ok": True}


def broker_state() -> dict:
    """Connect to the Celery broker once, without retrying, within the connection timeout."""
    timeout = settings.CELERY_BROKER_CONNECTION_TIMEOUT
    try:
        with celery_app.connection_for_write() as conn:
            transport = conn.transport_cls
            conn.ensure_connection(max_retries=0, timeout=timeout)
            if transport == "filesystem":
                # No server to ask: the folders are the broker.
                _check_folders(conn.transport_options)
    except Exception as error:
        return {"ok": False, "error": _describe(error)}
    return {"ok": True, "transport": transport}


def _check_folders(options: dict) -> None:
    for key in ("data_folder_in", "data_folder_out", "control_folder"):
        folder = Path(options[key])
        if not (folder.is_dir() and os.access(folder, os.W_OK)):
            raise OSError(f"broker folder {folder} is missing or read-only")


def worker_state() -> dict:
    """The last heartbeat a worker recorded, and how old it is."""
    try:
        recorded = cache.get(HEARTBEAT_KEY)
    except Exception as error:  # the cache lives in Redis: down with the broker
        return {"last_heartbeat": None, "age_seconds": None, "error": _describe(error)}
    seen_at = parse_datetime(recorded) if recorded else None
    if seen_at is None:
        return {"last_heartbeat": None, "age_seconds": None}
    age = (timezone.now() - seen_at).total_seconds()
    return {
        "last_heartbeat": timezone.localtime(seen_at).isoformat(),
        "age_seconds": round(age),
    }


def heartbeat_send() -> bool:
    """Send `worker_heartbeat` unless one was sent within the interval; True if sent."""
    interval = settings.HEALTHZ_HEARTBEAT_INTERVAL
    if not cache.add(HEARTBEAT_SENT_KEY, True, timeout=interval):
        return False
    # Expires: with no worker running, heartbeats must not pile up for a later one.
    worker_heartbeat.apply_async(args=[timezone.now().isoformat()], expires=interval)
    return True


@shared_task(ignore_result=True)
def worker_heartbeat(sent_at: str) -> None:
    """Record that a worker ran a task sent from the web at `sent_at` (ISO time)."""
    now = timezone.now()
    cache.set(HEARTBEAT_KEY, now.isoformat(), timeout=None)
    logger.info("Worker heartbeat: sent by the web at %s, run at %s", sent_at, now.isoformat())


@never_cache
@require_GET
def healthz(request):
    """The health report (see the module docstring for the contract)."""
    database = database_state()
    broker = broker_state()
    healthy = database["ok"] and broker["ok"]
    if broker["ok"]:
        try:
            heartbeat_send()
        except Exception as error:  # the broker answered the check but refused the task
            broker = {"ok": False, "error": _describe(error)}
            healthy = False
    body = {
        "status": "ok" if healthy else "unavailable",
        "database": database,
        "broker": broker,
        "worker": worker_state(),
    }
    if not healthy:
        logger.warning("Health check failed: %s", body)
    if not _shows_errors(request):
        for part in body.values():
            if isinstance(part, dict):
                part.pop("error", None)
    return JsonResponse(body, status=200 if healthy else 503)


def _shows_errors(request) -> bool:
    """Whether the caller is logged-in staff; False when the user cannot even be read."""
    try:
        return request.user.is_authenticated and request.user.is_staff
    except Exception:  # the session or user table is in the database that is down
        return False


def _describe(error: Exception) -> str:
    return f"{type(error).__name__}: {error}"[:300]
