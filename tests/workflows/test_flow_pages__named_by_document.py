"""viewflow's own flow pages speak of documents: kanban cards named like the queue rows, a
done task's page shows the phiếu xử lý, and “Hủy” only for whoever may cancel a process."""

import pytest
from viewflow.workflow.models import Task

from .flow_fixtures import IncomingFlow, incoming_at, task_of, task_url

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("vietnamese")]


def test_the_kanban_names_each_card_by_its_step_and_document(client, world, truong_ban):
    document = incoming_at("direct")
    task = task_of(document, IncomingFlow.direct)
    client.force_login(truong_ban)
    html = client.get(IncomingFlow.instance.reverse("index")).content.decode()
    assert f"Chỉ đạo xử lý – 1719-CV/HU – {document.summary}" in html
    assert f"#{task.process_id}/{task.pk}" not in html


def test_a_done_tasks_page_shows_the_handling_sheet_not_engine_fields(
    client, world, truong_ban
):
    document = incoming_at("hand_over")
    direct = Task.objects.get(
        process__documentprocess__document=document, flow_task=IncomingFlow.direct
    )
    client.force_login(truong_ban)
    response = client.get(task_url(direct, "detail"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Phiếu xử lý" in html and document.summary in html
    assert "Chỉ đạo xử lý – đã xong, do Vi Thanh Quyên xử lý" in html
    assert "Người xử lý" in html and "Đã xong lúc" in html
    for engine_field in ('label="Brief"', 'label="Owner"', 'label="Permission"'):
        assert engine_field not in html


def test_the_cancel_button_is_shown_only_to_whoever_may_cancel(client, world, truong_ban):
    document = incoming_at("direct")
    process = task_of(document, IncomingFlow.direct).process
    cancel = IncomingFlow.instance.reverse("process_cancel", args=[process.pk])
    page = IncomingFlow.instance.reverse("process_detail", args=[process.pk])
    client.force_login(truong_ban)
    assert cancel not in client.get(page).content.decode()
    assert client.get(cancel).status_code == 403

    truong_ban.is_superuser = True
    truong_ban.save(update_fields=["is_superuser"])
    assert cancel in client.get(page).content.decode()
    assert client.get(cancel).status_code == 200
