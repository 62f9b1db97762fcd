"""A web request never fails because the broker is down: the row waits for the sweep."""

import time

import pytest

from notifications.models import Outbox
from notifications.services import notify
from notifications.services.sweep import outbox_resend_stale

pytestmark = pytest.mark.django_db


def test_notify_commits_and_returns_quickly_when_the_broker_is_unreachable(
    broker_down, world, django_capture_on_commit_callbacks, caplog
):
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        row = notify(key="issued:1", email="vanthu@huyenuy.vn",
                     agency=world.agency("bdt-bac-giang"),
                     subject="Văn bản phát hành", text="Kính gửi Huyện ủy Lục Nam")
    assert time.monotonic() - started < 10
    row.refresh_from_db()
    assert row.state == Outbox.State.PENDING
    assert "the sweep will send them" in caplog.text


def test_the_sweep_picks_up_pending_rows_whose_message_was_lost(world, settings):
    row = notify(key="issued:2", email="vanthu@huyenuy.vn", agency=world.agency("bdt-bac-giang"),
                 subject="Văn bản phát hành", text="Nội dung")
    assert outbox_resend_stale() == []  # just written: its own message is on the way
    Outbox.objects.filter(pk=row.pk).update(
        next_attempt_at=row.next_attempt_at.replace(year=row.next_attempt_at.year - 1)
    )
    assert outbox_resend_stale() == [row.pk]
