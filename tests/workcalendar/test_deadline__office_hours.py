"""Deadlines end at office close; after-hours registration counts from the next working day."""

import datetime
from zoneinfo import ZoneInfo

import pytest

from workcalendar.models import OfficeHours, UrgencyDeadline
from workcalendar.services import deadline_after, default_deadline, working_days_overdue

pytestmark = pytest.mark.django_db

HCM = ZoneInfo("Asia/Ho_Chi_Minh")


def at(*args):
    return datetime.datetime(*args, tzinfo=HCM)


def test_five_working_days_end_at_five_pm_local_time():
    due = deadline_after(start=at(2027, 3, 1, 9, 0), working_days=5)
    assert due == at(2027, 3, 8, 17, 0)
    assert due.utcoffset() == datetime.timedelta(hours=7)


def test_registered_after_closing_on_friday_counts_from_monday():
    assert deadline_after(start=at(2027, 1, 15, 17, 30), working_days=0) == at(2027, 1, 18, 17)
    assert deadline_after(start=at(2027, 1, 15, 17, 30), working_days=1) == at(2027, 1, 19, 17)


def test_registered_before_closing_counts_the_same_day():
    assert deadline_after(start=at(2027, 1, 15, 16, 59), working_days=0) == at(2027, 1, 15, 17)


def test_registered_on_a_holiday_counts_from_the_next_working_day():
    # Thu 02/09/2027 (Quốc khánh) → Fri 3 off → Mon 6 is day 0.
    assert deadline_after(start=at(2027, 9, 2, 10), working_days=1) == at(2027, 9, 7, 17)


def test_an_utc_start_is_read_in_vietnamese_time():
    # 10:30 UTC on Friday is 17:30 in Hà Nội: after hours.
    start = datetime.datetime(2027, 1, 15, 10, 30, tzinfo=datetime.UTC)
    assert deadline_after(start=start, working_days=0) == at(2027, 1, 18, 17)


def test_office_hours_are_data_per_agency(world):
    agency = world.agency("hu-luc-nam")
    OfficeHours.objects.create(
        agency=agency, opens_at=datetime.time(8), closes_at=datetime.time(16, 30)
    )
    assert deadline_after(start=at(2027, 1, 15, 16, 45), working_days=0, agency=agency) == at(
        2027, 1, 18, 16, 30
    )
    assert deadline_after(start=at(2027, 1, 15, 16, 45), working_days=0) == at(2027, 1, 15, 17)


@pytest.mark.parametrize(
    ("urgency", "due"),
    [
        ("flash", at(2027, 3, 1, 17)),
        ("very_urgent", at(2027, 3, 2, 17)),
        ("urgent", at(2027, 3, 3, 17)),
        ("normal", at(2027, 3, 10, 17)),
    ],
)
def test_default_deadlines_by_urgency_come_from_the_seeded_data(urgency, due):
    assert default_deadline(urgency=urgency, start=at(2027, 3, 1, 9)) == due


def test_a_changed_urgency_row_changes_the_default_deadline():
    UrgencyDeadline.objects.filter(urgency="normal").update(working_days=10)
    assert default_deadline(urgency="normal", start=at(2027, 3, 1, 9)) == at(2027, 3, 15, 17)


def test_an_unknown_urgency_is_refused():
    with pytest.raises(ValueError, match="bogus"):
        default_deadline(urgency="bogus", start=at(2027, 3, 1, 9))


def test_overdue_days_count_working_days_after_the_deadlines_day():
    due = at(2027, 1, 15, 17)  # Friday
    assert working_days_overdue(due_at=due, now=at(2027, 1, 15, 16)) == 0
    assert working_days_overdue(due_at=due, now=at(2027, 1, 15, 18)) == 0
    assert working_days_overdue(due_at=due, now=at(2027, 1, 16, 9)) == 0
    assert working_days_overdue(due_at=due, now=at(2027, 1, 18, 9)) == 1
    assert working_days_overdue(due_at=due, now=at(2027, 1, 19, 9)) == 2
