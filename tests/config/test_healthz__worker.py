"""A task sent by the web reaches a real Celery worker process (slow: starts a worker)."""

import os
import subprocess
import sys
import time
import uuid

import environ
import pytest
from django.conf import settings as django_settings

pytestmark = [pytest.mark.django_db, pytest.mark.celery_worker]


def test_heartbeat_sent_by_healthz_is_run_by_a_real_worker(client, settings, sandbox):
    # A queue of our own: a worker another test starts on the same broker cannot take it.
    queue = f"healthz-{uuid.uuid4().hex[:12]}"
    settings.CELERY_TASK_DEFAULT_QUEUE = queue
    # Web (this process) and worker share a cache, as they do in production.
    cache_url = f"filecache://{sandbox / 'cache'}"
    settings.CACHES = {"default": environ.Env.cache_url_config(cache_url)}
    # VAR_DIR=sandbox gives the worker the broker folders the sandbox gave this process.
    env = {**os.environ, "VAR_DIR": str(sandbox), "CACHE_URL": cache_url}
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo",
         "--queues", queue, "--loglevel=INFO",
         "--without-gossip", "--without-mingle", "--without-heartbeat"],
        cwd=django_settings.BASE_DIR, env=env,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        assert client.get("/healthz").json()["worker"]["last_heartbeat"] is None
        deadline = time.monotonic() + 60
        report = {}
        while time.monotonic() < deadline:
            report = client.get("/healthz").json()
            if report["worker"]["last_heartbeat"] is not None:
                break
            time.sleep(0.2)
    finally:
        worker.terminate()
        output, _ = worker.communicate(timeout=30)

    assert report["status"] == "ok"
    assert report["worker"]["last_heartbeat"] is not None, output
    assert "Worker heartbeat: sent by the web" in output
