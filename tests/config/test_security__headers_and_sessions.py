"""Browser headers (CSP and friends) on every page, and logging out after inactivity."""

import datetime

import pytest
from django.utils import timezone
from freezegun import freeze_time

pytestmark = pytest.mark.django_db


def test_pages_carry_a_content_security_policy_and_the_usual_headers(client):
    response = client.get("/accounts/login/")
    policy = dict(
        part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";")
    )
    assert policy["default-src"] == "'self'"
    assert policy["object-src"] == "'none'"
    assert policy["frame-ancestors"] == "'self'"  # previews frame our own pages only
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_a_session_ends_after_an_hour_without_a_request(client, world):
    start = timezone.now()
    with freeze_time(start):
        client.post("/accounts/login/", {"username": "quyen.vt", "password": "lienthong2023"})
    # Each request restarts the hour: 50 minutes later the person is still in.
    with freeze_time(start + datetime.timedelta(minutes=50)):
        assert client.get("/home/").status_code == 200
    with freeze_time(start + datetime.timedelta(minutes=100)):
        assert client.get("/home/").status_code == 200
    with freeze_time(start + datetime.timedelta(minutes=161)):
        response = client.get("/home/")
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


def _expiry(client):
    from django.contrib.sessions.models import Session

    return Session.objects.get(session_key=client.cookies["sessionid"].value).expire_date


def test_a_session_is_written_again_only_once_its_expiry_would_move_by_a_minute(client, world):
    start = timezone.now().replace(microsecond=0)
    with freeze_time(start):
        client.post("/accounts/login/", {"username": "quyen.vt", "password": "lienthong2023"})
    logged_in = _expiry(client)
    assert logged_in == start + datetime.timedelta(hours=1)
    # Pages read within the minute leave the session row as it was.
    with freeze_time(start + datetime.timedelta(seconds=59)):
        assert client.get("/home/").status_code == 200
    assert _expiry(client) == logged_in
    # A minute after the last write the idle clock restarts.
    later = start + datetime.timedelta(seconds=75)
    with freeze_time(later):
        assert client.get("/home/").status_code == 200
    assert _expiry(client) == later + datetime.timedelta(hours=1)


def test_a_cookie_naming_no_session_creates_none(client, db):
    from django.contrib.sessions.models import Session

    client.cookies["sessionid"] = "x" * 32
    client.get("/accounts/login/")
    assert not Session.objects.exists()
