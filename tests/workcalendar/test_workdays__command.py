"""`manage.py workdays`: a date plus working days, or the working days between two dates."""

import pytest
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


def run(*args):
    from io import StringIO

    out = StringIO()
    call_command("workdays", *args, stdout=out)
    return out.getvalue().strip()


def test_plus_five_working_days_prints_the_iso_date():
    assert run("2027-02-03", "+5") == "2027-02-17"


def test_minus_days_go_back():
    assert run("2027-02-17", "-5") == "2027-02-03"


def test_two_dates_print_the_working_days_between_start_excluded_end_included():
    assert run("2027-02-03", "2027-02-20") == "7"


def test_a_bad_date_gets_a_vietnamese_message():
    with pytest.raises(CommandError, match="Ngày không hợp lệ"):
        run("2027-02-30", "+5")
