"""`manage.py sweep_deadlines`: one sweep now, printing what it queued."""

from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from freezegun import freeze_time

from notifications.models import Outbox

from .conftest import at

pytestmark = pytest.mark.django_db


def test_the_command_prints_the_reminders_and_emails_it_wrote(open_deadline):
    with freeze_time(at(2027, 4, 28, 7, 35)):
        open_deadline(due_at=at(2027, 4, 29, 17))
        out = StringIO()
        call_command("sweep_deadlines", stdout=out)
    text = out.getvalue()
    assert "đôn đốc Nhắc trước hạn [2027-04-29-1]: 1719-CV/HU" in text
    assert "e-mail → tuan.nq@demo.lienthong.vn (pending): Nhắc việc: còn 1 ngày làm việc" in text
    assert (
        "1 deadline(s) checked, 1 reminder(s), 1 new e-mail(s), 1 pending e-mail(s) queued"
    ) in text


def test_with_send_it_sends_without_a_worker(open_deadline):
    with freeze_time(at(2027, 4, 28, 7, 35)):
        open_deadline(due_at=at(2027, 4, 29, 17))
        call_command("sweep_deadlines", "--send", stdout=StringIO())
    assert [m.to for m in mail.outbox] == [["tuan.nq@demo.lienthong.vn"]]
    assert Outbox.objects.get().state == Outbox.State.SENT
