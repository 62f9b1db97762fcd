"""E-mail links use the address the site is served at: `make run WEB_PORT=8077` links to 8077.

The real Makefile runs a recipe in the environment it gives `make run`'s processes (web,
worker and beat under honcho) and prints the settings' SITE_URL there.
"""

import os
import shutil
import subprocess

import pytest
from django.conf import settings

PRINT_SITE_URL = (
    "print-site-url: ; @$(BIN)/python -c 'import django; django.setup(); "
    "from django.conf import settings; print(settings.SITE_URL)'"
)


def _site_url_under_make(*arguments: str, **env: str) -> str:
    if shutil.which("make") is None:
        pytest.skip("make is missing: runs once `apt-get install make` is done "
                    "(`make test` needs it)")
    clean = {key: value for key, value in os.environ.items()
             if key not in ("SITE_URL", "WEB_PORT", "MAKEFLAGS", "MFLAGS")}
    result = subprocess.run(
        ["make", "-s", "--no-print-directory", f"--eval={PRINT_SITE_URL}", "print-site-url",
         *arguments],
        env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        cwd=settings.BASE_DIR, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_make_run_on_another_port_links_to_that_port():
    assert _site_url_under_make("WEB_PORT=8077") == "http://127.0.0.1:8077"


def test_make_run_on_the_default_port_links_to_8000():
    assert _site_url_under_make() == "http://127.0.0.1:8000"


def test_a_public_address_wins_over_the_port():
    url = _site_url_under_make("WEB_PORT=8077", SITE_URL="https://vanban.bacgiang.gov.vn/")
    assert url == "https://vanban.bacgiang.gov.vn"
