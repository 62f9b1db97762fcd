"""Seed 001: “as of 16/7/2021, 18 tasks, 15 finished on time, 3 overdue, 16,67 %”, on the
selectors, on the statistics page and in the Excel report read back with openpyxl."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tracking.selectors import statistics_for, task_list_for

from .conftest import BLOCKED_REASON, SEED_PERIOD

pytestmark = pytest.mark.django_db

QUERY = {"period": "year", "year": "2021", "as_of": "2021-07-16"}


def test_the_figures_are_those_of_the_inspection(seed_2021, truong_ban):
    statistics = statistics_for(tasks=task_list_for(user=truong_ban), period=SEED_PERIOD)
    totals = statistics.totals
    assert (totals.total, totals.on_time, totals.missed) == (18, 15, 3)
    assert totals.missed_percent == "16,67 %"
    assert totals.blocked == 1 and totals.overdue == 2 and totals.late == 0
    by_category = {figures.label: figures for figures in statistics.by_category}
    programme = by_category["Chương trình công tác"]
    assert (programme.total, programme.on_time) == (4, 4)
    key = by_category["Nhiệm vụ trọng tâm"]
    assert (key.total, key.on_time, key.blocked) == (3, 2, 1)
    assert [task.blocked_reason for task in statistics.blocked] == [BLOCKED_REASON]


def test_the_page_shows_the_figures_and_the_blocked_reason(seed_2021, client, truong_ban):
    client.force_login(truong_ban)
    response = client.get(reverse("tracking:index"), QUERY)
    assert response.status_code == 200
    totals = response.context["totals"]
    assert (totals.total, totals.on_time, totals.missed) == (18, 15, 3)
    page = response.content.decode()
    assert "16,67 %" in page
    assert BLOCKED_REASON in page
    assert "01/01/2021" in page and "16/07/2021" in page


def test_every_figure_links_to_the_tasks_behind_it(seed_2021, client, truong_ban):
    client.force_login(truong_ban)
    links = client.get(reverse("tracking:index"), QUERY).context["total_links"]
    counts = {}
    for name in ("total", "on_time", "missed", "blocked", "overdue"):
        response = client.get(links[name])
        counts[name] = response.context["page"].paginator.count
    assert counts == {"total": 18, "on_time": 15, "missed": 3, "blocked": 1, "overdue": 2}


def test_the_excel_report_reads_back_with_the_same_figures(seed_2021, client, truong_ban):
    client.force_login(truong_ban)
    response = client.get(reverse("tracking:report_export"), QUERY)
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    rows = list(workbook.worksheets[0].iter_rows(values_only=True))
    total_row = next(row for row in rows if row and row[0] == "Tổng số")
    header = next(row for row in rows if len(row) > 1 and row[1] == "Tổng số có thời hạn")
    figures = dict(zip(header[1:], total_row[1:], strict=True))
    assert figures["Tổng số có thời hạn"] == 18
    assert figures["Hoàn thành đúng hạn"] == 15
    assert figures["Quá hạn"] == 3
    assert figures["Tỷ lệ quá hạn"] == "16,67 %"


def test_the_excel_task_list_has_one_row_per_task(seed_2021, client, truong_ban,
                                                  excel_task_list):
    client.force_login(truong_ban)
    rows = excel_task_list({**QUERY, "status": "missed"})
    assert len(rows) == 1 + 3
    assert {row[11] for row in rows[1:]} == {"Vướng mắc", "Đang thực hiện, quá hạn"}


def test_the_printable_annex_has_the_figures_per_category(seed_2021, client, truong_ban):
    client.force_login(truong_ban)
    response = client.get(reverse("tracking:annex"), QUERY)
    page = response.content.decode()
    assert "Phụ lục" in page and "16,67 %" in page and "33,33 %" in page
    assert BLOCKED_REASON in page
