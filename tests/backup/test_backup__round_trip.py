"""`manage.py backup` then `manage.py restore` gives back the same documents, numbers and
files, on SQLite and on PostgreSQL (a private server started for the test, never the
machine's shared one). Each step runs as its own `manage.py` process, as an operator would.
"""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.net import PostgresServer

ROOT = Path(__file__).resolve().parents[2]

SNAPSHOT = """
import hashlib, json
from workflows.models import Attachment, Document, RegisterCounter
print(json.dumps({
    "documents": list(Document.objects.order_by("pk").values_list(
        "pk", "agency__code", "direction", "status", "notation", "register_year",
        "register_number", "summary")),
    "counters": list(RegisterCounter.objects.order_by("pk").values_list(
        "register__agency__code", "year", "last_number")),
    "files": [(a.document_id, a.original_name,
               hashlib.sha256(a.file.open("rb").read()).hexdigest()
               if a.file.storage.exists(a.file.name) else None)
              for a in Attachment.objects.order_by("pk")],
}, ensure_ascii=False))
"""

WORLD = """
from accounts.demo import load_world
from workflows.story import request_send
load_world()
request_send()
"""

DAMAGE = """
import shutil
from django.conf import settings
from workflows.models import Document
from workflows.story import request_send
request_send(summary="V/v văn bản gửi sau khi sao lưu")
Document.objects.update(summary="đã bị sửa")
shutil.rmtree(settings.MEDIA_ROOT)
"""


def _manage(env, *args, code=None) -> str:
    command = [sys.executable, "manage.py", *args]
    if code is not None:
        command += ["-c", code]
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def _snapshot(env) -> dict:
    # The last line: logging may print above it.
    return json.loads(_manage(env, "shell", code=SNAPSHOT).strip().splitlines()[-1])


def _round_trip(env, folder: Path):
    """Documents in a migrated database, saved, damaged, restored: the same as before."""
    _manage(env, "shell", code=WORLD)
    before = _snapshot(env)
    assert before["files"] and any(row[4] == "1719-CV/HU" for row in before["documents"])

    archive = folder / "sao-luu.tar.gz"
    assert "media files" in _manage(env, "backup", str(archive))
    _manage(env, "shell", code=DAMAGE)
    assert _snapshot(env) != before

    _manage(env, "restore", str(archive))
    assert _snapshot(env) == before


def _env(folder: Path, database_url: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "CACHE_URL")}
    return {
        **env, "DATABASE_URL": database_url, "VAR_DIR": str(folder / "var"),
        "MEDIA_ROOT": str(folder / "media"), "DJANGO_SETTINGS_MODULE": "config.settings",
    }


@pytest.fixture(scope="module")
def migrated_sqlite(tmp_path_factory) -> Path:
    """An SQLite database migrated once for the module (a migration takes seconds)."""
    folder = tmp_path_factory.mktemp("migrated")
    _manage(_env(folder, f"sqlite:///{folder / 'db.sqlite3'}"), "migrate", "--no-input")
    return folder / "db.sqlite3"


def _sqlite_env(folder: Path, migrated: Path) -> dict:
    """The environment of an operator's SQLite installation in `folder`, freshly migrated."""
    shutil.copyfile(migrated, folder / "db.sqlite3")
    return _env(folder, f"sqlite:///{folder / 'db.sqlite3'}")


def test_round_trip_on_sqlite(tmp_path, migrated_sqlite):
    _round_trip(_sqlite_env(tmp_path, migrated_sqlite), tmp_path)


def test_a_foreign_file_is_refused_and_changes_nothing(tmp_path, migrated_sqlite):
    env = _sqlite_env(tmp_path, migrated_sqlite)
    _manage(env, "shell", code=WORLD)
    before = _snapshot(env)
    (tmp_path / "khong-phai.tar.gz").write_bytes(b"not an archive")
    result = subprocess.run(
        [sys.executable, "manage.py", "restore", str(tmp_path / "khong-phai.tar.gz")],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode != 0
    assert "không phải là bản sao lưu của hệ thống này" in result.stderr
    assert _snapshot(env) == before


@pytest.fixture
def private_postgres():
    """A throw-away PostgreSQL server on a free port (never the machine's shared one)."""
    if not PostgresServer.available():
        pytest.skip("initdb/pg_ctl are not installed: runs once the postgresql package is "
                    "installed (CI has it)")
    server = PostgresServer()
    server.start()
    try:
        subprocess.run(["createdb", "-h", "127.0.0.1", "-p", str(server.port), "-U", "postgres",
                        "lt_backup"], check=True, capture_output=True)
        yield server.url("lt_backup")
    finally:
        server.stop()


def test_round_trip_on_a_private_postgresql(tmp_path, private_postgres):
    env = _env(tmp_path, private_postgres)
    _manage(env, "migrate", "--no-input")
    _round_trip(env, tmp_path)
