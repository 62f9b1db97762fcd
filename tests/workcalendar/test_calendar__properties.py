"""Properties linking add_working_days and working_days_between (hypothesis)."""

import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workcalendar.services import WorkCalendar

pytestmark = pytest.mark.django_db

days = st.dates(min_value=datetime.date(2023, 1, 1), max_value=datetime.date(2028, 12, 31))


@settings(max_examples=60, deadline=None)
@given(start=days, count=st.integers(min_value=0, max_value=40))
def test_adding_then_counting_gives_back_the_number_of_days(start, count):
    calendar = WorkCalendar()
    end = calendar.add_working_days(start, count)
    assert calendar.working_days_between(start, end) == count
    assert count == 0 or calendar.is_working_day(end)
