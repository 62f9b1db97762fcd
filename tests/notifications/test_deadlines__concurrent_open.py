"""Two steps opening the same deadline at once, in real threads on PostgreSQL.

`deadline_open` runs inside the step's transaction with no savepoint of its own: the step
that loses the race on the deadline's key must read the winner's row and finish, with the
rest of its writes kept, never fail half-way.
"""

import time

import pytest
from django.db import connection, transaction

from notifications.models import Deadline, Notification
from tests.threads import at_once

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
    def step(n):
        with transaction.atomic():
            open_deadline(key="assignment:race", due_at=at(2027, 4, 29, 17))
            # Hold the winner's insert open so that the other one's insert waits on the
            # key, then fails and has to read the committed row.
            time.sleep(0.3)
            Notification.objects.create(
                recipient=chuyen_vien, key=f"step:{n}", kind="task", title=f"Bước {n}"
            )

    at_once(lambda: step(0), lambda: step(1))
    assert Deadline.objects.filter(key="assignment:race").count() == 1
    assert sorted(Notification.objects.values_list("key", flat=True)) == ["step:0", "step:1"]
