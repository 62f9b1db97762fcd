"""A reminder's e-mail is stored as its data by the sweep and rendered by the sender."""

import pytest
from django.core import mail
from freezegun import freeze_time

from notifications.models import Outbox
from notifications.services import outbox_send
from notifications.services.sweep import deadlines_sweep

from .conftest import at

pytestmark = pytest.mark.django_db


def test_the_sweep_writes_no_text_and_the_sender_renders_the_reminder(open_deadline):
    with freeze_time(at(2027, 4, 28, 6)):
        open_deadline(due_at=at(2027, 4, 29, 17))
    with freeze_time(at(2027, 4, 28, 7, 35)):
        deadlines_sweep()
    row = Outbox.objects.get(to_email__startswith="tuan")
    assert (row.body_text, row.body_html, row.template) == ("", "", "reminder")
    assert row.context["greeting"] == "Kính gửi đồng chí Nguyễn Quốc Tuấn,"

    with freeze_time(at(2027, 4, 28, 7, 40)):
        outbox_send(outbox_id=row.pk)

    [message] = mail.outbox
    assert message.subject == row.subject
    assert message.body.startswith("Kính gửi đồng chí Nguyễn Quốc Tuấn,")
    assert "1719-CV/HU" in message.body
    assert "17:00 29/04/2027" in message.body
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html" and "Nguyễn Quốc Tuấn" in html
