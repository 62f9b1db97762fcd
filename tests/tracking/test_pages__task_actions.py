"""A task entered on the page by the clerk, reported on by its handler, blocked and freed by
the unit head; bad input gets a Vietnamese message and changes nothing."""

import pytest
from django.urls import reverse

from tracking.models import Status, TrackedTask

pytestmark = pytest.mark.django_db


def test_the_clerk_enters_a_task_and_the_handler_reports(world, client, van_thu_bdt):
    csdt = world.unit("bdt-bac-giang", "CSDT")
    client.force_login(van_thu_bdt)
    response = client.post(reverse("tracking:task_create"), {
        "content": "Báo cáo kết quả thực hiện chính sách người có uy tín",
        "lead_unit": csdt.pk, "handler": world.user("ha.nt").pk,
        "assigned_on": "2026-11-02", "due_on": "2026-12-15",
    })
    task = TrackedTask.objects.get()
    assert response.status_code == 302
    assert task.deadline.assignee == world.user("ha.nt")
    client.force_login(world.user("ha.nt"))
    url = reverse("tracking:task_action", args=[task.pk, "report"])
    client.post(url, {"text": "Đã tổng hợp xong số liệu 5/7 huyện"})
    page = client.get(reverse("tracking:task_detail", args=[task.pk])).content.decode()
    assert "Đã tổng hợp xong số liệu 5/7 huyện" in page
    client.post(url, {"text": "   "})
    assert task.reports.count() == 1


def test_a_unit_head_blocks_and_frees_a_task(world, client):
    from .conftest import task_add

    task = task_add(world, unit="CSDT", due_on=None)
    client.force_login(world.user("minh.lv"))
    client.post(reverse("tracking:task_action", args=[task.pk, "block"]),
                {"reason": "Chưa có hướng dẫn của Ủy ban Dân tộc"})
    task.refresh_from_db()
    assert task.blocked_reason == "Chưa có hướng dẫn của Ủy ban Dân tộc"
    client.post(reverse("tracking:task_action", args=[task.pk, "unblock"]))
    task.refresh_from_db()
    assert task.blocked_on is None and task.status == Status.NO_DEADLINE


def test_a_deadline_before_the_day_given_is_refused_in_vietnamese(world, client, van_thu_bdt):
    client.force_login(van_thu_bdt)
    response = client.post(reverse("tracking:task_create"), {
        "content": "Nhiệm vụ", "lead_unit": world.unit("bdt-bac-giang", "CSDT").pk,
        "assigned_on": "2026-11-02", "due_on": "2026-10-15",
    })
    assert response.status_code == 200
    assert "Hạn xử lý không được trước ngày giao." in response.content.decode()
    assert not TrackedTask.objects.exists()
