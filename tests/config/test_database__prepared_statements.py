"""PostgreSQL prepares the statements a connection runs again, unless turned off.

The test connection is a real PostgreSQL session: what it prepared is read back from
`pg_prepared_statements`. The setting's two forms are resolved by a real Python process.
"""

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import connection

from accounts.models import User

PRINT_OPTIONS = """
import json, django
django.setup()
from django.conf import settings as s
options = s.DATABASES["default"]["OPTIONS"]
print(json.dumps({key: options.get(key) for key in ("server_side_binding", "prepare_threshold")}))
"""


def _prepared_statements() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [statement for (statement,) in cursor.fetchall()]


def _options_resolved(**env) -> dict:
    clean = {key: value for key, value in os.environ.items()
             if key not in ("DATABASE_URL", "DATABASE_PREPARE_THRESHOLD")}
    result = subprocess.run(
        [sys.executable, "-c", PRINT_OPTIONS],
        env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings",
             "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/lienthong", **env},
        cwd=settings.BASE_DIR, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


PROBE = 'AS "a" FROM "accounts_user" WHERE "accounts_user"."username" = $2 LIMIT 1'


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="prepared statements are PostgreSQL's; runs with DATABASE_URL set, "
                           "as .ci/run sets it")
@pytest.mark.skipif(settings.DATABASES["default"]["OPTIONS"].get("prepare_threshold") is None,
                    reason="DATABASE_PREPARE_THRESHOLD=off in this environment")
def test_a_statement_run_more_than_threshold_times_is_prepared_by_the_server():
    threshold = settings.DATABASES["default"]["OPTIONS"]["prepare_threshold"]
    probe = User.objects.filter(username="prepared-statement-probe")

    for _ in range(threshold):
        assert not probe.exists()
    before = [s for s in _prepared_statements() if PROBE in s]
    assert not probe.exists()
    after = [s for s in _prepared_statements() if PROBE in s]

    assert before == []
    assert len(after) == 1


def test_prepared_statements_are_on_by_default_and_can_be_turned_off():
    assert _options_resolved() == {"server_side_binding": True, "prepare_threshold": 5}
    assert _options_resolved(DATABASE_PREPARE_THRESHOLD="2") == {
        "server_side_binding": True, "prepare_threshold": 2}
    assert _options_resolved(DATABASE_PREPARE_THRESHOLD="off") == {
        "server_side_binding": None, "prepare_threshold": None}
