"""Sending through a real SMTP server on loopback: headers, Vietnamese body, outages."""

import time

import pytest
from freezegun import freeze_time

from notifications.models import Outbox
from notifications.services import notify, outbox_due_ids, outbox_send_many
from notifications.services.sweep import deadlines_sweep

from .conftest import at

pytestmark = pytest.mark.django_db


def test_a_reminder_arrives_with_vietnamese_headers_and_body(smtp_server, open_deadline, settings):
    settings.SITE_URL = "https://lienthong.example.vn"
    # In the past, so that the row is due when sent outside the frozen clock.
    with freeze_time(at(2025, 4, 24, 7, 35)):
        open_deadline(due_at=at(2025, 4, 25, 17))
        deadlines_sweep()
    outbox_send_many(ids=outbox_due_ids(grace_seconds=0))

    [message] = smtp_server.messages
    assert message["To"] == "tuan.nq@demo.lienthong.vn"
    assert message["From"] == settings.DEFAULT_FROM_EMAIL
    # Long encoded subjects are folded; readers unfold and trim the leading space.
    assert message["Subject"].strip() == (
        "Nhắc việc: còn 1 ngày làm việc – 1719-CV/HU – "
        "V/v đánh giá, xếp loại cơ quan ngành dọc cấp huyện năm 2023"
    )
    assert message["Auto-Submitted"] == "auto-generated"
    assert message["Message-ID"].startswith("<outbox-")
    assert message.get_content_type() == "multipart/alternative"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "Kính gửi đồng chí Nguyễn Quốc Tuấn," in text
    assert "Văn bản: 1719-CV/HU" in text
    assert "Hạn xử lý: 17:00 25/04/2025" in text
    assert "Tình trạng: còn 1 ngày làm việc" in text
    assert "https://lienthong.example.vn/documents/1/" in text
    assert 'href="https://lienthong.example.vn/documents/1/"' in html
    assert Outbox.objects.get().state == Outbox.State.SENT


def _event(n, world):
    return notify(
        key=f"event:{n}", email=f"nguoinhan{n}@example.vn",
        agency=world.agency("bdt-bac-giang"),
        subject=f"Thông báo số {n}", text=f"Nội dung thông báo số {n}",
    )


def test_messages_written_while_smtp_is_down_arrive_exactly_once_when_it_is_back(
    smtp_server, world, settings
):
    settings.NOTIFICATIONS_RETRY_BASE = 1
    _event(1, world)
    outbox_send_many(ids=outbox_due_ids(grace_seconds=0))
    assert len(smtp_server.messages) == 1

    smtp_server.stop()
    for n in (2, 3, 4):
        _event(n, world)
    outbox_send_many(ids=outbox_due_ids(grace_seconds=0))
    waiting = Outbox.objects.exclude(state=Outbox.State.SENT)
    assert waiting.count() == 3
    for row in waiting:
        assert row.state == Outbox.State.PENDING
        assert row.attempts == 1
        assert "Connection refused" in row.last_error or "ConnectionRefused" in row.last_error
    _event(5, world)  # events keep coming while the server is down

    smtp_server.start()
    deadline = time.monotonic() + 15
    while Outbox.objects.exclude(state=Outbox.State.SENT).exists() and time.monotonic() < deadline:
        outbox_send_many(ids=outbox_due_ids(grace_seconds=0))
        time.sleep(0.3)
    outbox_send_many(ids=outbox_due_ids(grace_seconds=0))  # one more pass sends nothing again

    subjects = sorted(m["Subject"] for m in smtp_server.messages)
    assert subjects == [f"Thông báo số {n}" for n in (1, 2, 3, 4, 5)]
    assert len({m["Message-ID"] for m in smtp_server.messages}) == 5


def test_after_the_last_attempt_the_row_is_failed_with_its_error(smtp_server, world, settings):
    settings.NOTIFICATIONS_RETRY_BASE = 0
    settings.NOTIFICATIONS_MAX_ATTEMPTS = 3
    smtp_server.stop()
    row = _event(1, world)
    for _ in range(5):
        outbox_send_many(ids=[row.pk])
    row.refresh_from_db()
    assert row.state == Outbox.State.FAILED
    assert row.attempts == 3
    assert row.last_error
