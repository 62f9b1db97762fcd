"""People who chose the daily digest get one e-mail at 07:30 on working days, not one each."""

import pytest
from django.core import mail
from freezegun import freeze_time

from notifications.models import Notification, Outbox
from notifications.services import preference_set
from notifications.services.sweep import deadlines_sweep, digests_send

from .conftest import at, send_pending

pytestmark = pytest.mark.django_db


def test_held_reminders_go_out_as_one_digest_on_the_next_working_morning(
    open_deadline, chuyen_vien
):
    preference_set(user=chuyen_vien, email_mode="digest")
    with freeze_time(at(2027, 4, 27, 10)):
        open_deadline(key="assignment:1", due_at=at(2027, 4, 28, 17))
        open_deadline(key="assignment:2", due_at=at(2027, 4, 28, 17), notation="2065/SNV-XDCQ")
        deadlines_sweep()
        assert send_pending() == []  # held, not sent one by one
    assert Notification.objects.filter(recipient=chuyen_vien).count() == 2  # the bell still rings

    with freeze_time(at(2027, 4, 28, 7, 30)):
        [digest] = digests_send()
        sent = send_pending()
    assert [m.to for m in sent] == [["tuan.nq@demo.lienthong.vn"]]
    assert sent[0].subject == "Bản tin nhắc việc ngày 28/04/2027: 4 nội dung"
    assert "2065/SNV-XDCQ" in sent[0].body
    assert Outbox.objects.filter(digest=digest, state=Outbox.State.DIGESTED).count() == 4


def test_no_digest_on_a_public_holiday(open_deadline, chuyen_vien):
    preference_set(user=chuyen_vien, email_mode="digest")
    with freeze_time(at(2027, 4, 29, 10)):
        open_deadline(due_at=at(2027, 4, 29, 17))
        deadlines_sweep()
    with freeze_time(at(2027, 4, 30, 7, 30)):  # 30/4: Ngày Chiến thắng
        assert digests_send() == []
    assert Outbox.objects.filter(state=Outbox.State.HELD).count() == 1
    assert mail.outbox == []
