"""Where on time ends: the deadline day after office hours, a deadline on a holiday, a task
without deadline, an accepted (and a refused) extension."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tracking.models import Status, TrackedTask
from tracking.selectors import Period, statistics_for, task_list_for
from tracking.services import (
    extension_decide,
    extension_request,
    task_finish,
    task_sync_from_assignment,
)
from workcalendar.services import WorkCalendar, is_working_day

from ..workflows.flow_fixtures import incoming_at
from .conftest import task_add

pytestmark = pytest.mark.django_db

YEAR_2021 = Period(start=datetime.date(2021, 1, 1), end=datetime.date(2021, 12, 31),
                   as_of=datetime.date(2021, 12, 31))


def totals(user, period=YEAR_2021):
    return statistics_for(tasks=task_list_for(user=user), period=period).totals


def test_finished_on_the_deadline_day_after_office_hours_is_on_time(world, truong_ban):
    deadline_day = datetime.date(2021, 3, 31)
    closing = WorkCalendar().closing(deadline_day)
    task = task_add(world, due_on=deadline_day, completed_on=deadline_day)
    assert task.status_on(deadline_day) == Status.FINISHED_ON_TIME
    # After office hours on that day the deadline is not overdue yet: no working day passed.
    assert WorkCalendar().working_days_overdue(
        due_at=closing, now=closing + datetime.timedelta(hours=3)
    ) == 0
    assert totals(truong_ban).on_time == 1
    late = task_add(world, due_on=deadline_day, completed_on=deadline_day
                    + datetime.timedelta(days=1))
    assert late.status_on(datetime.date(2021, 12, 31)) == Status.FINISHED_LATE


def test_a_direction_finished_at_night_on_its_deadline_day_is_on_time(world, truong_ban):
    assignment = incoming_at("handle").assignments.get()
    calendar = WorkCalendar()
    # The deadline is the day's closing time (17:00); the reply leaves at 21:00.
    assignment.completed_at = assignment.due_at + datetime.timedelta(hours=4)
    assignment.save(update_fields=["completed_at"])
    task_sync_from_assignment(assignment=assignment, deadline_key="")
    task = TrackedTask.objects.get(assignment=assignment)
    assert task.completed_on == task.due_on
    assert task.status_on(calendar.add_working_days(task.due_on, 5)) == Status.FINISHED_ON_TIME


def test_a_deadline_on_a_holiday_moves_to_the_next_working_day(world, truong_ban):
    national_day = datetime.date(2021, 9, 2)
    assert not is_working_day(national_day)
    task = task_add(world, assigned_on=datetime.date(2021, 8, 2), due_on=national_day,
                    completed_on=WorkCalendar().next_working_day(national_day))
    assert task.due_on == WorkCalendar().next_working_day(national_day)
    assert task.due_on > national_day and is_working_day(task.due_on)
    assert task.status_on(datetime.date(2021, 12, 31)) == Status.FINISHED_ON_TIME


def test_a_task_without_deadline_is_counted_apart_never_on_time(world, truong_ban):
    task_add(world, due_on=None, completed_on=datetime.date(2021, 2, 1))
    task_add(world, due_on=None)
    figures = totals(truong_ban)
    assert figures.no_deadline == 2
    assert (figures.total, figures.on_time, figures.missed) == (0, 0, 0)
    assert figures.missed_percent == "–"


def test_an_accepted_extension_moves_the_deadline_and_keeps_the_original(world, truong_ban):
    original = datetime.date(2021, 3, 31)
    task = task_add(world, handler="ha.nt", due_on=original)
    request = extension_request(user=world.user("ha.nt"), task=task,
                                due_on=datetime.date(2021, 4, 20), reason="Chờ số liệu")
    extension_decide(user=truong_ban, request=request, accept=True, note="Đồng ý")
    task.refresh_from_db()
    assert (task.original_due_on, task.due_on) == (original, datetime.date(2021, 4, 20))
    task_finish(user=world.user("ha.nt"), task=task, result="Đã báo cáo",
                completed_on=datetime.date(2021, 4, 15))
    figures = totals(truong_ban)
    assert (figures.on_time, figures.missed, figures.extended) == (1, 0, 1)
    task.deadline.refresh_from_db()
    assert task.deadline.completed_at is not None


def test_a_refused_extension_leaves_the_deadline(world, truong_ban):
    task = task_add(world, handler="ha.nt", due_on=datetime.date(2021, 3, 31))
    request = extension_request(user=world.user("ha.nt"), task=task,
                                due_on=datetime.date(2021, 4, 20), reason="Chờ số liệu")
    extension_decide(user=truong_ban, request=request, accept=False, note="Không")
    task.refresh_from_db()
    assert task.due_on == task.original_due_on == datetime.date(2021, 3, 31)
    with pytest.raises(ValidationError):
        extension_decide(user=truong_ban, request=request, accept=True)


def test_only_the_directing_leader_decides(world, truong_ban):
    task = task_add(world, handler="ha.nt", due_on=datetime.date(2021, 3, 31))
    request = extension_request(user=world.user("ha.nt"), task=task,
                                due_on=datetime.date(2021, 4, 20), reason="Chờ số liệu")
    for person in ("hung.nv", "minh.lv", "ha.nt"):
        with pytest.raises(PermissionDenied):
            extension_decide(user=world.user(person), request=request, accept=True)
