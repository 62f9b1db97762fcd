"""Errors come as JSON with a Vietnamese message and the messages by field, and bad input
changes nothing."""

import pytest
from viewflow.workflow.status import STATUS

from workflows.queues import task_queue_for
from workflows.story import request_send

pytestmark = pytest.mark.django_db


def test_a_bad_filter_names_its_field(clients):
    answer = clients["mai.ht"].get("/api/v1/documents/", {"direction": "sideways"})
    assert answer.status_code == 400
    body = answer.json()
    assert body["message"] == "Dữ liệu gửi lên không hợp lệ; xem lỗi theo từng trường."
    assert list(body["errors"]) == ["direction"]


def test_a_step_without_its_required_choice_is_refused_and_the_task_stays_open(
    clients, world
):
    request_send()
    clerk = world.user("mai.ht")
    task = task_queue_for(user=clerk).get()
    clients["mai.ht"].post(f"/api/v1/tasks/{task.pk}/complete/", {}, format="json")
    head = world.user("quyen.vt")
    direct = task_queue_for(user=head).get()
    answer = clients["quyen.vt"].post(
        f"/api/v1/tasks/{direct.pk}/complete/", {"working_days": 5}, format="json"
    )
    assert answer.status_code == 400
    assert answer.json()["errors"]["lead_unit"] == ["Trường này là bắt buộc."]
    direct.refresh_from_db()
    assert direct.status == STATUS.NEW and direct.owner is None


def test_a_step_by_someone_not_allowed_is_forbidden(clients, world):
    request_send()
    task = task_queue_for(user=world.user("mai.ht")).get()
    answer = clients["tuan.nq"].post(f"/api/v1/tasks/{task.pk}/claim/")
    assert answer.status_code in (403, 404)
    assert answer.json()["message"]
    task.refresh_from_db()
    assert task.owner is None
