"""Two steps opening the same deadline at once, in real threads on PostgreSQL.

`deadline_open` runs inside the step's transaction with no savepoint of its own: the step
that loses the race on the deadline's key must read the winner's row and finish, with the
rest of its writes kept, never fail half-way.
"""

import threading
import time

import pytest
from django.db import connection, connections, transaction

from notifications.models import Deadline, Notification

from .conftest import at

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="concurrent transactions on one unique key need PostgreSQL",
    ),
]


def test_the_step_that_loses_the_race_reads_the_deadline_and_keeps_its_writes(
    open_deadline, chuyen_vien
):
    barrier = threading.Barrier(2)
    errors = []

    def step(n):
        try:
            with transaction.atomic():
                barrier.wait()
                open_deadline(key="assignment:race", due_at=at(2027, 4, 29, 17))
                # Hold the winner's insert open so that the other one's insert waits on the
                # key, then fails and has to read the committed row.
                time.sleep(0.3)
                Notification.objects.create(
                    recipient=chuyen_vien, key=f"step:{n}", kind="task", title=f"Bước {n}"
                )
        except Exception as exc:  # surfaced below; a thread's exception is otherwise lost
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=step, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    assert errors == []
    assert Deadline.objects.filter(key="assignment:race").count() == 1
    assert sorted(Notification.objects.values_list("key", flat=True)) == ["step:0", "step:1"]
