"""Tracking figures through the API: the statistics page's counts and the tasks behind them,
for the same period and scope as the pages."""

import datetime

import pytest
from django.utils import timezone

from tracking.models import Category
from tracking.services import task_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def tasks(world):
    """Ban Dân tộc's three tasks of the last two months: finished on time, overdue, open-ended."""
    today = timezone.localdate()
    days = datetime.timedelta

    def add(content, **dates):
        return task_create(
            user=world.user("mai.ht"), content=content,
            category=Category.objects.filter(is_active=True).first(),
            lead_unit=world.unit("bdt-bac-giang", "HCTH"), handler=world.user("tuan.nq"),
            directed_by=world.user("quyen.vt"), **dates,
        )

    return {
        "on_time": add("Báo cáo quý", assigned_on=today - days(40), due_on=today - days(20),
                       completed_on=today - days(25)),
        "overdue": add("Rà soát hộ nghèo", assigned_on=today - days(40),
                       due_on=today - days(5)),
        "no_deadline": add("Theo dõi thường xuyên", assigned_on=today - days(40), due_on=None),
    }


def _period():
    today = timezone.localdate()
    return {"period": "custom", "start": (today - datetime.timedelta(days=60)).isoformat(),
            "end": today.isoformat()}


def test_the_statistics_count_the_period_as_the_page_does(clients, tasks):
    answer = clients["quyen.vt"].get("/api/v1/tracked-tasks/statistics/", _period())
    assert answer.status_code == 200, answer.json()
    totals = answer.json()["totals"]
    assert (totals["on_time"], totals["overdue"], totals["no_deadline"], totals["total"]) == (
        1, 1, 1, 2)
    assert totals["on_time_percent"] == "50,00 %"
    assert [row["label"] for row in answer.json()["by_unit"]] == [
        tasks["on_time"].lead_unit.name]


def test_the_tasks_behind_a_figure_are_listed_with_their_status(clients, tasks):
    answer = clients["quyen.vt"].get(
        "/api/v1/tracked-tasks/", {**_period(), "status": "overdue"}
    ).json()
    assert [(row["id"], row["status"]) for row in answer["results"]] == [
        (tasks["overdue"].pk, "overdue")]


def test_a_specialist_sees_only_the_tasks_they_handle(clients, tasks):
    answer = clients["hoa.lt"].get("/api/v1/tracked-tasks/", _period()).json()
    assert answer["results"] == []
    assert clients["hoa.lt"].get(
        f"/api/v1/tracked-tasks/{tasks['overdue'].pk}/").status_code == 404


def test_a_wrong_period_is_a_400_and_an_unknown_status_a_404(clients, tasks):
    wrong = clients["quyen.vt"].get("/api/v1/tracked-tasks/statistics/", {"month": "13"})
    assert wrong.status_code == 400 and "month" in wrong.json()["errors"]
    unknown = clients["quyen.vt"].get("/api/v1/tracked-tasks/", {"category": "abc"})
    assert unknown.status_code == 404
