"""Exceptions kept as data win over the computed calendar (make-up Saturdays, extra days off)."""

import datetime

import pytest

from workcalendar.models import CalendarException
from workcalendar.services import WorkCalendar, add_working_days, is_working_day

pytestmark = pytest.mark.django_db

D = datetime.date


def test_a_make_up_saturday_added_in_the_admin_counts_as_a_working_day():
    saturday = D(2027, 1, 9)
    assert not is_working_day(saturday)
    CalendarException.objects.create(
        date=saturday, kind=CalendarException.Kind.WORKING_DAY, name="Làm bù cho ngày 05/02/2027"
    )
    assert is_working_day(saturday)
    assert add_working_days(D(2027, 1, 8), 1) == saturday


def test_an_extra_day_off_added_in_the_admin_is_skipped():
    CalendarException.objects.create(
        date=D(2027, 1, 4), kind=CalendarException.Kind.DAY_OFF, name="Nghỉ bù Tết Dương lịch"
    )
    assert not is_working_day(D(2027, 1, 4))
    assert add_working_days(D(2027, 1, 1), 1) == D(2027, 1, 5)
    assert WorkCalendar().holiday_name(D(2027, 1, 4)) == "Nghỉ bù Tết Dương lịch"


def test_an_exception_can_make_a_public_holiday_a_working_day():
    CalendarException.objects.create(
        date=D(2027, 9, 3), kind=CalendarException.Kind.WORKING_DAY, name="Điều chỉnh lịch nghỉ"
    )
    assert is_working_day(D(2027, 9, 3))


def test_one_calendar_reads_a_years_exceptions_once(django_assert_num_queries):
    calendar = WorkCalendar()
    with django_assert_num_queries(1):
        for offset in range(200):
            calendar.is_working_day(D(2027, 1, 1) + datetime.timedelta(days=offset))
