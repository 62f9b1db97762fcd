"""Settings follow the environment: embedded defaults, PostgreSQL/Redis/SMTP when set.

Each case starts a real Python process with its own environment and prints the settings
it resolved: nothing is patched.
"""

import json
import os
import secrets
import subprocess
import sys

from django.conf import settings as django_settings

PRINT_SETTINGS = """
import json, django
django.setup()
from django.conf import settings as s
print(json.dumps({
    "db_engine": s.DATABASES["default"]["ENGINE"],
    "db_name": str(s.DATABASES["default"]["NAME"]),
    "db_host": s.DATABASES["default"].get("HOST", ""),
    "broker": s.CELERY_BROKER_URL,
    "broker_folder": s.CELERY_BROKER_TRANSPORT_OPTIONS.get("data_folder_in", ""),
    "email_backend": s.EMAIL_BACKEND,
    "email_host": s.EMAIL_HOST,
    "email_port": s.EMAIL_PORT,
    "email_file_path": s.EMAIL_FILE_PATH,
    "cache": s.CACHES["default"]["BACKEND"],
    "cache_location": s.CACHES["default"]["LOCATION"],
    "debug": s.DEBUG,
    "site_url": s.SITE_URL,
    "csrf_trusted_origins": s.CSRF_TRUSTED_ORIGINS,
}))
"""
SWITCHES = ("DATABASE_URL", "REDIS_URL", "EMAIL_URL", "CACHE_URL", "SECRET_KEY", "DEBUG",
            "ALLOWED_HOSTS", "SITE_URL", "CSRF_TRUSTED_ORIGINS", "VAR_DIR")


def _run(args: list[str], **env) -> subprocess.CompletedProcess:
    clean = {key: value for key, value in os.environ.items() if key not in SWITCHES}
    clean["DJANGO_SETTINGS_MODULE"] = "config.settings"
    return subprocess.run(
        [sys.executable, *args], env={**clean, **env}, cwd=django_settings.BASE_DIR,
        capture_output=True, text=True, timeout=120,
    )


def _resolved(**env) -> dict:
    result = _run(["-c", PRINT_SETTINGS], **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_nothing_set_runs_embedded_under_var_dir(tmp_path):
    resolved = _resolved(VAR_DIR=str(tmp_path))

    assert resolved["db_engine"] == "django.db.backends.sqlite3"
    assert resolved["db_name"] == str(tmp_path / "db.sqlite3")
    assert resolved["broker"].startswith("filesystem://")
    assert resolved["broker_folder"] == str(tmp_path / "celery" / "queue")
    assert resolved["email_backend"] == "django.core.mail.backends.filebased.EmailBackend"
    assert resolved["email_file_path"] == str(tmp_path / "mail")
    assert resolved["cache"] == "django.core.cache.backends.filebased.FileBasedCache"
    assert resolved["debug"] is True


def test_urls_switch_to_postgresql_redis_and_smtp(tmp_path):
    resolved = _resolved(
        VAR_DIR=str(tmp_path),
        DATABASE_URL="postgres://lienthong@db.internal:5432/lienthong",
        REDIS_URL="redis://redis.internal:6379/2",
        EMAIL_URL="smtp://mailpit:1025",
        SITE_URL="https://vanban.bacgiang.gov.vn/",
    )

    assert resolved["db_engine"] == "django.db.backends.postgresql"
    assert (resolved["db_name"], resolved["db_host"]) == ("lienthong", "db.internal")
    assert resolved["broker"] == "redis://redis.internal:6379/2"
    # django-redis: a stopped Redis reads as cache misses (README, Redis stopped).
    assert resolved["cache"] == "django_redis.cache.RedisCache"
    assert resolved["cache_location"] == "redis://redis.internal:6379/2"
    assert resolved["email_backend"] == "django.core.mail.backends.smtp.EmailBackend"
    assert (resolved["email_host"], resolved["email_port"]) == ("mailpit", 1025)
    assert resolved["site_url"] == "https://vanban.bacgiang.gov.vn"
    assert resolved["csrf_trusted_origins"] == ["https://vanban.bacgiang.gov.vn"]


def test_mail_folder_url_with_three_slashes_is_relative_to_the_project(tmp_path):
    absolute = _resolved(VAR_DIR=str(tmp_path), EMAIL_URL=f"filemail:///{tmp_path / 'out'}")
    relative = _resolved(VAR_DIR=str(tmp_path), EMAIL_URL="filemail:///var/outbox")

    assert absolute["email_file_path"] == str(tmp_path / "out")
    assert relative["email_file_path"] == str(django_settings.BASE_DIR / "var" / "outbox")


def test_production_settings_pass_the_deploy_check(tmp_path):
    result = _run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        VAR_DIR=str(tmp_path), DEBUG="False", SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="vanban.bacgiang.gov.vn", SITE_URL="https://vanban.bacgiang.gov.vn",
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    result = _run(["manage.py", "check"], VAR_DIR=str(tmp_path), DEBUG="False")

    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
