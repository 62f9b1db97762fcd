"""Who sees which task: the head, deputies and the clerk all of their agency; a unit head
their unit's; a specialist their own; nobody another agency's (list, detail, statistics,
export: a 404 by URL)."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from tracking.selectors import task_list_for

from .conftest import task_add

pytestmark = pytest.mark.django_db


@pytest.fixture
def tasks(world):
    """Three BDT tasks: CSDT handled by ha.nt, CSDT by duc.pv, HCTH by tuan.nq."""
    return {
        "ha": task_add(world, unit="CSDT", handler="ha.nt", content="CSDT – Hà"),
        "duc": task_add(world, unit="CSDT", handler="duc.pv", content="CSDT – Đức"),
        "tuan": task_add(world, unit="HCTH", handler="tuan.nq", content="HCTH – Tuấn"),
    }


@pytest.mark.parametrize(("username", "expected"), [
    ("quyen.vt", {"ha", "duc", "tuan"}),
    ("hung.nv", {"ha", "duc", "tuan"}),
    ("mai.ht", {"ha", "duc", "tuan"}),
    ("minh.lv", {"ha", "duc"}),
    ("lan.tt", {"tuan"}),
    ("ha.nt", {"ha"}),
    ("tuan.nq", {"tuan"}),
    ("vanthu.hu", set()),
    ("son.bt", set()),
])
def test_each_role_sees_its_tasks(world, tasks, username, expected):
    visible = set(task_list_for(user=world.user(username)).values_list("pk", flat=True))
    assert visible == {tasks[name].pk for name in expected}


def test_a_person_outside_every_agency_sees_no_task(world, tasks, client):
    nobody = get_user_model().objects.create_user("khach", password="x")
    assert not task_list_for(user=nobody).exists()
    client.force_login(nobody)
    assert client.get(reverse("tracking:task_detail", args=[tasks["ha"].pk])).status_code == 404


@pytest.mark.parametrize(("username", "expected"), [
    ("quyen.vt", {"CSDT – Hà", "CSDT – Đức", "HCTH – Tuấn"}),
    ("minh.lv", {"CSDT – Hà", "CSDT – Đức"}),
    ("ha.nt", {"CSDT – Hà"}),
    ("vanthu.hu", set()),
])
def test_list_statistics_and_export_follow_the_scope(world, tasks, client, excel_task_list,
                                                    username, expected):
    client.force_login(world.user(username))
    assert {row[1] for row in excel_task_list({"year": "2021"})[1:]} == expected
    page = client.get(reverse("tracking:task_list"), {"year": "2021"})
    assert {task.content for task in page.context["page"]} == expected
    statistics = client.get(reverse("tracking:index"), {"year": "2021"})
    assert statistics.context["totals"].total == len(expected)


def test_another_agency_gets_404_for_a_task_and_its_actions(world, tasks, client):
    client.force_login(world.user("vanthu.hu"))
    task = tasks["ha"]
    assert client.get(reverse("tracking:task_detail", args=[task.pk])).status_code == 404
    response = client.post(reverse("tracking:task_action", args=[task.pk, "report"]),
                           {"text": "Xem trộm"})
    assert response.status_code == 404
    assert not task.reports.exists()


def test_a_specialist_cannot_open_a_colleagues_task(world, tasks, client):
    client.force_login(world.user("ha.nt"))
    assert client.get(reverse("tracking:task_detail", args=[tasks["duc"].pk])).status_code == 404
    assert client.get(reverse("tracking:task_detail", args=[tasks["ha"].pk])).status_code == 200


def test_narrowing_to_another_agencys_unit_is_404(world, tasks, client):
    client.force_login(world.user("quyen.vt"))
    other_unit = world.unit("hu-luc-nam", "VP")
    assert client.get(reverse("tracking:index"), {"unit": other_unit.pk}).status_code == 404
    own_unit = world.unit("bdt-bac-giang", "CSDT")
    response = client.get(reverse("tracking:index"), {"unit": own_unit.pk, "year": "2021"})
    assert response.context["totals"].total == 2


def test_a_specialist_cannot_enter_tasks(world, client):
    client.force_login(world.user("ha.nt"))
    assert client.get(reverse("tracking:task_create")).status_code == 403


def test_the_not_handed_over_row_and_bad_filters(world, tasks, client):
    from .conftest import task_add

    task_add(world, unit="TTr", handler=None, content="Chưa giao")
    client.force_login(world.user("quyen.vt"))
    response = client.get(reverse("tracking:task_list"), {"year": "2021", "person": "none"})
    assert [task.content for task in response.context["page"]] == ["Chưa giao"]
    assert client.get(reverse("tracking:task_list"), {"category": "x"}).status_code == 404
    assert client.get(reverse("tracking:task_list"), {"status": "x"}).status_code == 404
