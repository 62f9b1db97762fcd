"""/healthz reports the database and the broker, and the heartbeat of the worker."""

import socket

import pytest

pytestmark = pytest.mark.django_db


def _closed_port() -> int:
    """A port on 127.0.0.1 nobody listens on (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_healthz_is_200_when_database_and_broker_answer(client, settings):
    response = client.get("/healthz")

    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == {"ok": True}
    assert body["broker"]["ok"] is True
    assert body["broker"]["transport"] == ("redis" if settings.REDIS_URL else "filesystem")


def test_healthz_shows_the_heartbeat_recorded_by_the_task_it_sent(client):
    # Tasks run eagerly in tests: the first call sends the heartbeat, the task records it.
    first = client.get("/healthz").json()
    second = client.get("/healthz").json()

    assert first["worker"]["last_heartbeat"] is not None
    assert second["worker"]["last_heartbeat"] == first["worker"]["last_heartbeat"]
    assert 0 <= second["worker"]["age_seconds"] < 60


def test_healthz_is_503_when_the_broker_port_is_closed(admin_client, settings):
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{_closed_port()}/0"

    response = admin_client.get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["database"] == {"ok": True}
    assert body["broker"]["ok"] is False
    assert "refused" in body["broker"]["error"].lower()


def test_healthz_is_503_when_the_filesystem_broker_folder_is_missing(
    admin_client, settings, tmp_path
):
    settings.CELERY_BROKER_URL = "filesystem://"
    missing = str(tmp_path / "gone")
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": missing, "data_folder_out": missing, "control_folder": missing,
    }

    response = admin_client.get("/healthz")

    assert response.status_code == 503
    assert "gone" in response.json()["broker"]["error"]


def test_an_anonymous_caller_never_sees_the_exception_text(client, settings, tmp_path):
    settings.CELERY_BROKER_URL = "filesystem://"
    missing = str(tmp_path / "secret-folder-name")
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": missing, "data_folder_out": missing, "control_folder": missing,
    }

    response = client.get("/healthz")

    assert response.status_code == 503
    broker = response.json()["broker"]
    assert broker["ok"] is False and "error" not in broker
    assert "secret-folder-name" not in response.content.decode()
    assert "Error" not in response.content.decode()


def test_healthz_needs_no_login_and_is_never_cached(client):
    response = client.get("/healthz")

    assert response.status_code == 200, response.json()
    assert "no-cache" in response["Cache-Control"]
