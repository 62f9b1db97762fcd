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
