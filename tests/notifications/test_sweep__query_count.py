"""The sweep's cost grows with due deadlines only, not with open ones that are not due."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from freezegun import freeze_time

from notifications.models import Deadline
from notifications.services.sweep import deadlines_sweep

from .conftest import at

pytestmark = pytest.mark.django_db


def _not_due(world, chuyen_vien, count, start):
    Deadline.objects.bulk_create(
        Deadline(
            key=f"idle:{start + n}", agency=world.agency("bdt-bac-giang"), assignee=chuyen_vien,
            title="Việc chưa đến hạn nhắc", due_at=at(2027, 6, 30, 17),
            next_check_at=at(2027, 6, 29, 7, 30),
        )
        for n in range(count)
    )


def _sweep_queries(open_deadline, key):
    with freeze_time(at(2027, 4, 28, 6)):
        open_deadline(key=key, due_at=at(2027, 4, 29, 17))
    with freeze_time(at(2027, 4, 28, 7, 35)), CaptureQueriesContext(connection) as queries:
        result = deadlines_sweep()
    assert [r.deadline.key for r in result.reminders] == [key]
    return len(queries)


def test_open_deadlines_that_are_not_due_add_no_query(open_deadline, world, chuyen_vien):
    _not_due(world, chuyen_vien, 10, 0)
    few = _sweep_queries(open_deadline, "assignment:1")
    _not_due(world, chuyen_vien, 1000, 10)
    many = _sweep_queries(open_deadline, "assignment:2")
    assert few == many
    assert Deadline.objects.filter(next_check_at__lte=at(2027, 4, 28, 7, 35)).count() == 0


def test_a_sweep_with_nothing_due_is_a_handful_of_queries(
    world, chuyen_vien, django_assert_max_num_queries
):
    _not_due(world, chuyen_vien, 500, 0)
    with freeze_time(at(2027, 4, 28, 7, 35)), django_assert_max_num_queries(4):
        assert deadlines_sweep().checked == 0


def test_the_next_check_is_the_next_stage_of_the_policy(open_deadline):
    with freeze_time(at(2027, 4, 22, 10)):
        deadline = open_deadline(due_at=at(2027, 4, 29, 17))
        deadlines_sweep()
    deadline.refresh_from_db()
    assert deadline.next_check_at == at(2027, 4, 28, 7, 30)  # one working day before
    with freeze_time(at(2027, 4, 29, 8)):
        deadlines_sweep()
    deadline.refresh_from_db()
    # After the due-day reminder: the first overdue alert, past the holidays and the weekend.
    assert deadline.next_check_at == at(2027, 5, 4, 7, 30)
    assert deadline.next_check_at - at(2027, 4, 29, 7, 30) == datetime.timedelta(days=5)


def _due_at_every_stage(open_deadline, start, sets):
    """`sets` × four deadlines due for a sweep on 28/04/2027 at 07:35, one per stage:
    reminded the day before, due that day, overdue, escalated (1 + 1 + 2 + 3 e-mails)."""
    dues = (at(2027, 4, 29, 17), at(2027, 4, 28, 17), at(2027, 4, 27, 17), at(2027, 4, 26, 17))
    with freeze_time(at(2027, 4, 28, 6)):
        for n in range(sets):
            for stage, due_at in enumerate(dues):
                open_deadline(key=f"assignment:{start + n}:{stage}", due_at=due_at)


def _sweep(django_assert_num_queries, queries):
    with freeze_time(at(2027, 4, 28, 7, 35)), django_assert_num_queries(queries):
        return deadlines_sweep()


def test_the_sweep_costs_the_same_queries_for_few_and_many_due_deadlines(
    open_deadline, django_assert_num_queries
):
    # Per sweep: the policies, the year's calendar exceptions, the office hours. Per batch:
    # the due rows; their people with their e-mail preferences; reminders written (those
    # recorded before skipped by the insert); notifications and e-mails written in one
    # statement, the e-mails' ids returned; next checks updated; the batch's savepoint
    # (inside the test's transaction). Whatever the number of deadlines and recipients.
    # The embedded SQLite writes notifications and e-mails apart (one more).
    queries = 10 if connection.vendor == "postgresql" else 11
    _due_at_every_stage(open_deadline, 0, 1)
    few = _sweep(django_assert_num_queries, queries)
    _due_at_every_stage(open_deadline, 100, 6)
    many = _sweep(django_assert_num_queries, queries)
    assert (few.checked, len(few.reminders), len(few.emails)) == (4, 4, 7)
    assert (many.checked, len(many.reminders), len(many.emails)) == (24, 24, 42)


def test_a_batch_of_one_persons_reminders_is_still_one_insert_of_arrays(open_deadline):
    # Twenty day-before reminders, all to tuan.nq: his digest choice is read with the
    # batch's people, not by an EXISTS per e-mail inside the insert, which made Django
    # write the rows one by one instead of as arrays.
    with freeze_time(at(2027, 4, 28, 6)):
        for n in range(20):
            open_deadline(key=f"assignment:{n}", due_at=at(2027, 4, 29, 17))
    with freeze_time(at(2027, 4, 28, 7, 35)), CaptureQueriesContext(connection) as queries:
        result = deadlines_sweep()
    assert {row.recipient.username for row in result.emails} == {"tuan.nq"}
    assert len(result.emails) == 20
    [insert] = [
        sql for sql in (query["sql"] for query in queries)
        if sql.startswith(("INSERT", "WITH")) and "notifications_outbox" in sql
    ]
    assert "notifications_preference" not in insert
    if connection.vendor == "postgresql":
        assert "UNNEST" in insert
