"""`python -m config.ensure_database` creates a missing PostgreSQL database, once."""

import os
import subprocess
import sys
import uuid

import psycopg
import pytest
from django.conf import settings


def _ensure(database_url: str) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "config.ensure_database"],
        env={**os.environ, "DATABASE_URL": database_url}, cwd=settings.BASE_DIR,
        capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


@pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
    reason="needs the PostgreSQL server of DATABASE_URL",
)
def test_missing_database_is_created_then_left_alone():
    name = f"lt_ensure_{uuid.uuid4().hex[:10]}"
    database = settings.DATABASES["default"]
    auth = database["USER"] + (f":{database['PASSWORD']}" if database["PASSWORD"] else "")
    url = f"postgres://{auth}@{database['HOST']}:{database['PORT'] or 5432}/{name}"
    try:
        assert _ensure(url) == f"database {name} created"
        assert _ensure(url) == f"database {name} exists"
    finally:
        with psycopg.connect(
            host=database["HOST"], port=database["PORT"] or 5432, user=database["USER"],
            password=database["PASSWORD"] or None, dbname="postgres", autocommit=True,
        ) as server:
            server.execute(f'DROP DATABASE IF EXISTS "{name}"')


def test_sqlite_needs_nothing(tmp_path):
    assert _ensure(f"sqlite:///{tmp_path / 'db.sqlite3'}") == "not PostgreSQL: nothing to create"
