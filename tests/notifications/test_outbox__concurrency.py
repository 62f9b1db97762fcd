"""Two senders and two sweeps at once, in real threads on PostgreSQL: each e-mail once."""

import threading

import pytest
from django.core import mail
from django.db import connection, connections
from freezegun import freeze_time

from notifications.models import Deadline, Outbox, Reminder
from notifications.services import outbox_send_many
from notifications.services.sweep import deadlines_sweep

from .conftest import at

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks and concurrent transactions need PostgreSQL (SQLite locks the file)",
    ),
]


def _in_threads(target, count=2):
    barrier = threading.Barrier(count)
    errors = []

    def run():
        try:
            barrier.wait()
            target()
        except Exception as exc:  # surfaced below; a thread's exception is otherwise lost
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not errors


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
    _in_threads(lambda: outbox_send_many(ids=ids))
    assert sorted(m.subject for m in mail.outbox) == sorted(f"Thông báo số {n}" for n in range(40))
    assert Outbox.objects.filter(state=Outbox.State.SENT).count() == 40


def test_two_sweeps_at_once_write_each_reminder_once(open_deadline):
    with freeze_time(at(2027, 4, 28, 6)):
        for n in range(30):
            open_deadline(key=f"assignment:{n}", due_at=at(2027, 4, 29, 17))
    with freeze_time(at(2027, 4, 28, 7, 35)):
        _in_threads(deadlines_sweep)
    assert Reminder.objects.count() == 30
    assert Outbox.objects.count() == 30
    assert not Deadline.objects.filter(next_check_at__lte=at(2027, 4, 28, 7, 35)).exists()
