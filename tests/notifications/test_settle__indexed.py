"""A task's notices are found by key through an index, however many there are.

Every step of a flow marks its task's notices read (`notifications_settle`, by key), and an
issue fills its number into the notices of its key. Without an index on the key both read
the whole notifications table, which only grows: PostgreSQL's own plans, over 20,000
notifications, say which way they go.
"""

import pytest
from django.db import connection

from accounts.models import User
from notifications.models import Notification
from notifications.services import notifications_settle

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="reads PostgreSQL's plan; runs with DATABASE_URL set, as "
                              ".ci/run sets it"),
]


def _plan(sql: str, params: list) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row for (row,) in cursor.fetchall())


def test_a_tasks_notices_are_settled_through_the_index_of_keys():
    people = list(User.objects.all()[:20])
    Notification.objects.bulk_create([
        Notification(recipient=person, key=f"task:{number}", kind="task", title="Việc mới")
        for number in range(1_000) for person in people
    ])
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE notifications_notification")

    plan = _plan(
        "UPDATE notifications_notification SET read_at = now() "
        "WHERE key = %s AND read_at IS NULL", ["task:500"],
    )
    notifications_settle(key="task:500")

    # An issue prints its number into the notices of its key (numbering.SlotRows).
    numbered = _plan(
        "UPDATE notifications_notification SET title = replace(title, %s, %s) WHERE key = %s",
        ["[số]", "12/BDT-HCTH", "task:500"],
    )

    for statement in (plan, numbered):
        assert "notification_key" in statement, statement
        assert "Seq Scan" not in statement, statement
    assert Notification.objects.filter(key="task:500", read_at__isnull=False).count() == 20
    assert Notification.objects.filter(read_at__isnull=False).count() == 20
