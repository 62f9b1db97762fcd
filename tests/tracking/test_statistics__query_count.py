"""The statistics page aggregates in the database: the same number of queries for 10 tasks as
for 10,000 (and the home cards too)."""

import datetime
import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from notifications.models import Deadline, Reminder, ReminderKind
from tracking.models import Category, TrackedTask

pytestmark = pytest.mark.django_db

QUERY = {"period": "year", "year": "2021", "as_of": "2021-07-16"}


def tasks_add(world, count: int, offset: int = 0) -> None:
    """`count` BDT tasks of 2021 in every status, every category, unit and handler; every
    tenth one reminded twice."""
    agency = world.agency("bdt-bac-giang")
    specialists = [world.user(name) for name in ("ha.nt", "duc.pv", "tuan.nq", "hoa.lt")]
    categories = itertools.cycle([*Category.objects.all(), None])
    rows = []
    for number, handler in zip(range(offset, offset + count), itertools.cycle(specialists),
                               strict=False):
        assigned_on = datetime.date(2021, 1, 1) + datetime.timedelta(days=number % 180)
        due_on = assigned_on + datetime.timedelta(days=10 + number % 30)
        completed_on = assigned_on + datetime.timedelta(days=number % 45) if number % 3 else None
        rows.append(TrackedTask(
            agency=agency, category=next(categories), content=f"Nhiệm vụ {number}",
            lead_unit_id=handler.unit_id, handler=handler, assigned_on=assigned_on,
            due_on=due_on if number % 17 else None, original_due_on=due_on,
            completed_on=completed_on,
            blocked_on=assigned_on if number % 29 == 0 and not completed_on else None,
            blocked_reason="Chưa có kinh phí" if number % 29 == 0 and not completed_on else "",
        ))
    tasks = TrackedTask.objects.bulk_create(rows, batch_size=2_000)
    reminded = tasks[::10]
    deadlines = Deadline.objects.bulk_create(
        Deadline(key=f"bench:{task.pk}", agency=agency, assignee=task.handler,
                 title=task.content, due_at=datetime.datetime(2021, 6, 1, 10, tzinfo=datetime.UTC))
        for task in reminded
    )
    for task, deadline in zip(reminded, deadlines, strict=True):
        task.deadline = deadline
    TrackedTask.objects.bulk_update(reminded, ["deadline"], batch_size=2_000)
    Reminder.objects.bulk_create(
        Reminder(deadline=deadline, kind=ReminderKind.OVERDUE, stage=f"s{stage}",
                 created_at=datetime.datetime(2021, 6, 2 + stage, 10, tzinfo=datetime.UTC))
        for deadline in deadlines for stage in range(2)
    )


def queries_of(client, url, query) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, query)
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_the_statistics_page_costs_the_same_for_10_and_10000_tasks(world, client, truong_ban):
    client.force_login(truong_ban)
    url = reverse("tracking:index")
    tasks_add(world, 10)
    small = queries_of(client, url, QUERY)
    small_totals = client.get(url, QUERY).context["totals"]
    tasks_add(world, 9_990, offset=10)
    large = queries_of(client, url, QUERY)
    response = client.get(url, QUERY)
    assert response.context["totals"].total > small_totals.total
    assert response.context["statistics"].most_reminded[0]["reminders"] == 2
    assert small == large <= 15


def test_the_task_list_and_home_cost_the_same_for_10_and_10000_tasks(world, client,
                                                                      truong_ban):
    client.force_login(truong_ban)
    tasks_add(world, 60)
    counts = [queries_of(client, reverse("tracking:task_list"), {**QUERY, "status": "missed"}),
              queries_of(client, reverse("home:index"), {})]
    tasks_add(world, 9_940, offset=60)
    assert [queries_of(client, reverse("tracking:task_list"), {**QUERY, "status": "missed"}),
            queries_of(client, reverse("home:index"), {})] == counts
