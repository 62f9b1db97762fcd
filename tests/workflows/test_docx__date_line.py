"""The place-and-date line: day < 10 and months 1–2 with a leading zero (Decree 30 App. I)."""

import datetime

import pytest

from workflows.services.rendering import date_line


@pytest.mark.parametrize(
    ("date", "expected"),
    [
        (datetime.date(2023, 12, 5), "Bắc Giang, ngày 05 tháng 12 năm 2023"),
        (datetime.date(2023, 11, 15), "Bắc Giang, ngày 15 tháng 11 năm 2023"),
        (datetime.date(2024, 1, 9), "Bắc Giang, ngày 09 tháng 01 năm 2024"),
        (datetime.date(2024, 2, 29), "Bắc Giang, ngày 29 tháng 02 năm 2024"),
        (datetime.date(2024, 3, 1), "Bắc Giang, ngày 01 tháng 3 năm 2024"),
        (datetime.date(2024, 9, 10), "Bắc Giang, ngày 10 tháng 9 năm 2024"),
    ],
)
def test_date_line_pads_days_below_ten_and_january_february(date, expected):
    assert date_line("Bắc Giang", date) == expected


def test_date_line_uses_the_given_place():
    assert date_line("Lục Nam", datetime.date(2023, 11, 15)).startswith("Lục Nam, ngày 15")
