"""Two senders and two sweeps at once, in real threads on PostgreSQL: each e-mail once."""

from functools import partial

import pytest
from django.core import mail
from django.db import connection
from freezegun import freeze_time

from notifications.models import Deadline, Outbox, Reminder
from notifications.services import outbox_send_many
from notifications.services.sweep import deadlines_sweep
from tests.threads import at_once

from .conftest import at

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks and concurrent transactions need PostgreSQL (SQLite locks the file)",
    ),
]


def test_two_senders_on_the_same_rows_send_each_email_once(world):
    agency = world.agency("bdt-bac-giang")
    # Written directly: no message is published, so only the two threads below send.
    ids = [
        row.pk for row in Outbox.objects.bulk_create(
            Outbox(key=f"event:{n}", to_email=f"nguoinhan{n}@example.vn", agency=agency,
                   subject=f"Thông báo số {n}", body_text="Nội dung")
            for n in range(40)
        )
    ]
    send = partial(outbox_send_many, ids=ids)
    at_once(send, send)
    assert sorted(m.subject for m in mail.outbox) == sorted(f"Thông báo số {n}" for n in range(40))
    assert Outbox.objects.filter(state=Outbox.State.SENT).count() == 40


def test_two_sweeps_at_once_write_each_reminder_once(open_deadline):
    with freeze_time(at(2027, 4, 28, 6)):
        for n in range(30):
            open_deadline(key=f"assignment:{n}", due_at=at(2027, 4, 29, 17))
    with freeze_time(at(2027, 4, 28, 7, 35)):
        at_once(deadlines_sweep, deadlines_sweep)
    assert Reminder.objects.count() == 30
    assert Outbox.objects.count() == 30
    assert not Deadline.objects.filter(next_check_at__lte=at(2027, 4, 28, 7, 35)).exists()
