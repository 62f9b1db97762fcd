"""Redis (broker and cache) stopped while people work: every web action still succeeds, the
e-mails wait in the outbox, and they go out once Redis is back and the sweep has run.

A private redis-server, a real Celery worker process and an SMTP server (aiosmtpd), all on
loopback; the web actions go through Django's test client with the cache on that Redis.
"""

import io
from datetime import timedelta

import pytest
from django.utils import timezone

from config import settings as project_settings
from notifications.models import Outbox
from notifications.services.sweep import outbox_resend_stale
from tests.net import (
    celery_worker_start,
    fresh_broker_connections,
    process_stop,
    wait_for,
    worker_environment,
    worker_process_marks,
)
from workflows.models import Direction, Document, DocumentType
from workflows.story import pdf_page

# Still to be sent: what a cancelled notice or a held digest row is not.
UNSENT = (Outbox.State.PENDING, Outbox.State.SENDING, Outbox.State.FAILED)

pytestmark = worker_process_marks()

SUMMARY = "V/v báo cáo tình hình thực hiện chính sách dân tộc quý IV năm 2023"


@pytest.fixture
def redis_server(private_broker, settings):
    """Our own redis-server as the Celery broker and the cache, as REDIS_URL makes them."""
    # The cache as config/settings.py makes it from REDIS_URL (the sandbox replaced it).
    configured = project_settings.CACHES["default"]
    if not configured["BACKEND"].startswith("django_redis."):
        pytest.skip("REDIS_URL is not set, so the cache is not on Redis: runs with REDIS_URL set, "
                    "as `.ci/run` does")
    settings.CACHES = {"default": {**configured, "LOCATION": private_broker.url(1)}}
    return private_broker


def _send_signed(client, world) -> int:
    """The clerk of Huyện ủy Lục Nam sends a paper-signed document to Ban Dân tộc and to an
    outside address, through the page; returns the HTTP status."""
    scan = io.BytesIO(pdf_page("Cong van 1720-CV/HU"))
    scan.name = "1720-CV-HU.pdf"
    response = client.post("/documents/send-signed/", {
        "document_type": DocumentType.objects.get(code="cong-van").pk,
        "issued_on": timezone.localdate().strftime("%d/%m/%Y"),
        "summary": SUMMARY,
        "signer_name": "Bùi Thanh Sơn",
        "signer_title": "BÍ THƯ",
        "recipient_agencies": [world.agency("bdt-bac-giang").pk],
        "other_recipients": "Sở Tư pháp; vanthu@stp.example.vn",
        "drafting_unit": world.unit("hu-luc-nam", "VP").pk,
        "urgency": "normal",
        "confidentiality": "normal",
        "file": scan,
    })
    return response.status_code


def test_web_actions_succeed_while_redis_is_down_and_the_emails_go_out_when_it_is_back(
    redis_server, smtp_server, world, client, tmp_path, settings
):
    redis_server.stop()

    # Logging in, reading pages and sending a document: all answered, nothing lost.
    login = client.post("/accounts/login/", {"username": "vanthu.hu",
                                               "password": "lienthong2023"})
    assert login.status_code == 302
    assert client.get("/home/").status_code == 200
    assert client.get("/documents/send-signed/").status_code == 200
    assert _send_signed(client, world) == 302
    sent = Document.objects.get(summary=SUMMARY, direction=Direction.OUTGOING)
    assert client.get(f"/documents/{sent.pk}/").status_code == 200
    waiting = Outbox.objects.filter(state=Outbox.State.PENDING)
    assert waiting.filter(to_email="vanthu@stp.example.vn").exists()
    expected = set(waiting.values_list("to_email", flat=True))

    redis_server.start()
    fresh_broker_connections()
    log = open(tmp_path / "worker.log", "w")  # noqa: SIM115 (closed below)
    worker = celery_worker_start(
        # The e-mail to the outside address carries the scan: the worker reads our media.
        env=worker_environment(redis_url=redis_server.url(), smtp_port=smtp_server.port,
                               var_dir=tmp_path, MEDIA_ROOT=str(settings.MEDIA_ROOT)),
        log=log,
    )
    try:
        # The periodic sweep, a minute later: every pending row is enqueued again.
        Outbox.objects.update(next_attempt_at=timezone.now() - timedelta(minutes=2))
        assert len(outbox_resend_stale()) == len(expected)
        assert wait_for(
            lambda: not Outbox.objects.filter(state__in=UNSENT).exists(), 60
        ), (tmp_path / "worker.log").read_text()
    finally:
        process_stop(worker)
        log.close()
    assert {message["To"] for message in smtp_server.messages} >= expected
    assert len(smtp_server.messages) == len(expected)
