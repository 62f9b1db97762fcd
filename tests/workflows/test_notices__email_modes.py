"""The e-mail of a notice goes out at once, or in the 07:30 digest for whoever chose it,
through the outbox; it is in Vietnamese, text and HTML, with the link to the task."""

import datetime

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone

from notifications.models import Notification, Outbox
from notifications.services import outbox_due_ids, outbox_send_many, preference_set
from notifications.services.sweep import digests_send
from workcalendar.services import WorkCalendar, local_zone
from workflows.story import incoming_copy, incoming_reach, request_send

from .flow_fixtures import IncomingFlow, quiet, task_of

pytestmark = pytest.mark.django_db


def _send_pending() -> list:
    before = len(mail.outbox)
    outbox_send_many(ids=outbox_due_ids(grace_seconds=0))
    return mail.outbox[before:]


def _handed_over_to_tuan():
    """1719-CV/HU handed over to tuan.nq: the handling task lands in his inbox."""
    incoming = incoming_copy(request=request_send())
    incoming_reach(document=incoming, stage="handle", say=quiet)
    return task_of(incoming, IncomingFlow.handle)


def test_an_immediate_notice_is_sent_on_its_own_with_the_task_link(world, chuyen_vien):
    task = _handed_over_to_tuan()
    row = Outbox.objects.get(key=f"task:{task.pk}")
    assert row.state == Outbox.State.PENDING and row.recipient == chuyen_vien
    sent = [m for m in _send_pending() if m.to == ["tuan.nq@demo.lienthong.vn"]]
    assert len(sent) == 1
    [message] = sent
    link = f"{settings.SITE_URL}/incoming/{task.process_id}/handle/{task.pk}/"
    assert message.subject.startswith("Việc mới: ") and "1719-CV/HU" in message.subject
    assert message.body.startswith("Kính gửi đồng chí Nguyễn Quốc Tuấn,")
    assert "Đồng chí được giao xử lý công việc sau." in message.body
    assert "Nơi gửi: Huyện ủy Lục Nam" in message.body
    assert f"Mở công việc: {link}" in message.body
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html" and f'<a href="{link}">Mở công việc</a>' in html
    Outbox.objects.get(pk=row.pk, state=Outbox.State.SENT)


def test_a_digest_notice_waits_for_the_next_working_morning(world, chuyen_vien):
    preference_set(user=chuyen_vien, email_mode="digest")
    task = _handed_over_to_tuan()
    row = Outbox.objects.get(key=f"task:{task.pk}")
    assert row.state == Outbox.State.HELD
    assert not [m for m in _send_pending() if m.to == ["tuan.nq@demo.lienthong.vn"]]
    assert Notification.objects.filter(key=f"task:{task.pk}", recipient=chuyen_vien).exists()

    morning = WorkCalendar().add_working_days(timezone.localdate(), 1)
    digests = digests_send(
        now=datetime.datetime.combine(morning, datetime.time(7, 30), tzinfo=local_zone())
    )
    [digest] = [d for d in digests if d.recipient == chuyen_vien]
    [message] = [m for m in _send_pending() if m.to == ["tuan.nq@demo.lienthong.vn"]]
    assert message.subject.startswith(f"Bản tin nhắc việc ngày {morning:%d/%m/%Y}")
    assert row.subject in message.body
    assert f"{settings.SITE_URL}/incoming/{task.process_id}/handle/{task.pk}/" in message.body
    row.refresh_from_db()
    assert row.state == Outbox.State.DIGESTED and row.digest == digest
