"""Weekends and Vietnam's public holidays (from the `holidays` package) are not working days."""

import datetime

import pytest

from workcalendar.services import add_working_days, is_working_day, working_days_between

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.mark.parametrize(
    "day",
    [
        D(2027, 2, 4), D(2027, 2, 5), D(2027, 2, 8), D(2027, 2, 9), D(2027, 2, 10),  # Tết 2027
        D(2027, 4, 30), D(2027, 5, 3),  # 30/4; 1/5 falls on Saturday, taken on Monday 3/5
        D(2027, 9, 2), D(2027, 9, 3),  # Quốc khánh 2/9 and the day next to it
        D(2024, 4, 29),  # 2024: day off swapped against the make-up Saturday 04/05/2024
        D(2027, 2, 6), D(2027, 2, 7),  # a weekend inside Tết
    ],
)
def test_holidays_and_substituted_days_are_days_off(day):
    assert not is_working_day(day)


@pytest.mark.parametrize(
    "day", [D(2027, 2, 3), D(2027, 2, 11), D(2027, 5, 4), D(2027, 9, 6), D(2024, 5, 4)]
)
def test_ordinary_weekdays_and_known_make_up_saturdays_are_working_days(day):
    assert is_working_day(day)


def test_five_working_days_after_the_eve_of_tet_skip_the_whole_holiday():
    # Wed 03/02/2027 → Thu 04 … Wed 10 off → 11, 12, 15, 16, 17.
    assert add_working_days(D(2027, 2, 3), 5) == D(2027, 2, 17)


def test_reunification_and_labour_day_with_their_substitute_are_skipped():
    # Thu 29/04/2027 + 1 → Fri 30/4 off, Sat 1/5, Sun, Mon 3/5 (nghỉ bù) → Tue 04/05.
    assert add_working_days(D(2027, 4, 29), 1) == D(2027, 5, 4)


def test_national_day_is_skipped():
    assert add_working_days(D(2027, 9, 1), 1) == D(2027, 9, 6)


def test_counting_between_excludes_the_start_and_includes_the_end():
    assert working_days_between(D(2027, 2, 3), D(2027, 2, 20)) == 7
    assert working_days_between(D(2027, 2, 11), D(2027, 2, 12)) == 1
    assert working_days_between(D(2027, 2, 12), D(2027, 2, 12)) == 0
    assert working_days_between(D(2027, 2, 20), D(2027, 2, 3)) == -7


def test_negative_days_count_backwards():
    assert add_working_days(D(2027, 2, 17), -5) == D(2027, 2, 3)
