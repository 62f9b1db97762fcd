"""An SMTP server's refusals, from a real aiosmtpd server: a permanent one (5yz) fails the
e-mail at once and shows it to the administrator; a temporary one (4yz) is retried later."""

import pytest
from django.utils import timezone

from notifications.models import Outbox
from notifications.services import notify, outbox_send
from tests.net import SmtpServer

pytestmark = pytest.mark.django_db

GONE = "khongtontai@example.vn"
BUSY = "hopthuday@example.vn"


class RefusingSmtpServer(SmtpServer):
    """Refuses GONE for good (550) and BUSY for now (451); accepts everyone else."""

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address == GONE:
            return "550 5.1.1 Mailbox does not exist"
        if address == BUSY:
            return "451 4.2.1 Mailbox busy, try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"


@pytest.fixture
def refusing_smtp(settings):
    server = RefusingSmtpServer()
    server.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5
    settings.NOTIFICATIONS_MAX_ATTEMPTS = 5
    yield server
    server.stop()


def _write(world, email):
    return notify(key=f"event:{email}", email=email, agency=world.agency("bdt-bac-giang"),
                  subject="Thông báo", text="Nội dung")


def test_a_permanent_refusal_fails_at_once_and_the_admin_sees_why(
    refusing_smtp, world, admin_client
):
    row = _write(world, GONE)

    assert outbox_send(outbox_id=row.pk) is None

    row.refresh_from_db()
    assert (row.state, row.attempts) == (Outbox.State.FAILED, 1)
    assert "550" in row.last_error and "does not exist" in row.last_error
    assert refusing_smtp.messages == []
    page = admin_client.get("/admin/notifications/outbox/", {"state": "failed"})
    assert GONE in page.content.decode() and "550" in page.content.decode()


def test_a_temporary_refusal_is_retried_later_with_backoff(refusing_smtp, world, settings):
    settings.NOTIFICATIONS_RETRY_BASE = 60
    row = _write(world, BUSY)

    delay = outbox_send(outbox_id=row.pk)

    row.refresh_from_db()
    assert (row.state, row.attempts) == (Outbox.State.PENDING, 1)
    assert 30 <= delay <= 90
    assert row.next_attempt_at > timezone.now()
    assert "451" in row.last_error
    # Not due yet: a second worker picking it now does nothing.
    assert outbox_send(outbox_id=row.pk) is None
    row.refresh_from_db()
    assert row.attempts == 1


def test_other_recipients_are_not_held_up(refusing_smtp, world):
    row = _write(world, "nguoinhan@example.vn")
    outbox_send(outbox_id=row.pk)
    row.refresh_from_db()
    assert row.state == Outbox.State.SENT
    assert [m["To"] for m in refusing_smtp.messages] == ["nguoinhan@example.vn"]
