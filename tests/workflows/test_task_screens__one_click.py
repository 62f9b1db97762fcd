"""Taking a task is one click to its form; answering with a document leads into the draft;
task rows are named by their document and open their task."""

import pytest
from django.utils import timezone
from viewflow.workflow.status import STATUS

from workflows.models import Document

from .flow_fixtures import IncomingFlow, OutgoingFlow, incoming_at, reply_at, task_of, task_url

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("vietnamese")]


def test_queue_rows_are_named_by_their_document_and_take_in_one_click(client, world, truong_ban):
    document = incoming_at("direct")
    task = task_of(document, IncomingFlow.direct)
    client.force_login(truong_ban)
    queue = client.get(IncomingFlow.instance.reverse("queue")).content.decode()
    assert f"Chỉ đạo xử lý – {document.notation} – {document.summary}" in queue
    assert f'class="lt-row__link" href="{task_url(task, "index")}"' in queue
    assert f'action="{task_url(task, "assign")}"' in queue and "Nhận và xử lý" in queue
    assert f"#{task.process_id}/{task.pk}" not in queue
    response = client.post(task_url(task, "assign"))
    assert response.status_code == 302 and response.url == task_url(task, "execute")
    task.refresh_from_db()
    assert task.status == STATUS.ASSIGNED and task.owner == truong_ban


def test_a_task_assigned_to_one_person_opens_without_taking(client, world, chuyen_vien):
    document = incoming_at("handle")
    task = task_of(document, IncomingFlow.handle)
    client.force_login(chuyen_vien)
    inbox = client.get(IncomingFlow.instance.reverse("inbox")).content.decode()
    assert f"Xử lý văn bản – {document.notation}" in inbox
    response = client.get(task_url(task, "index"))
    assert response.status_code == 302 and response.url == task_url(task, "execute")


def test_answering_with_a_document_lands_in_the_new_draft(client, world, chuyen_vien):
    document = incoming_at("handle")
    task = task_of(document, IncomingFlow.handle)
    client.force_login(chuyen_vien)
    response = client.post(task_url(task, "execute"), {"outcome": "reply", "note": ""})
    reply = Document.objects.get(responds_to=document)
    draft = task_of(reply, OutgoingFlow.draft)
    assert draft.owner == chuyen_vien
    assert response.status_code == 302 and response.url == task_url(draft, "execute")


def test_the_unit_head_approves_with_one_button(client, world, truong_phong):
    reply = reply_at("review")
    task = task_of(reply, OutgoingFlow.review)
    client.force_login(truong_phong)
    client.post(task_url(task, "assign"))
    response = client.post(task_url(task, "execute"), {"decision": "approve", "reason": ""})
    assert response.status_code == 302
    assert task_of(reply, OutgoingFlow.sign) is not None


def test_issuing_lands_on_the_issued_document(client, world, van_thu_bdt):
    reply = reply_at("issue")
    task = task_of(reply, OutgoingFlow.issue)
    client.force_login(van_thu_bdt)
    client.post(task_url(task, "assign"))
    today = timezone.localdate().isoformat()
    response = client.post(task_url(task, "execute"), {"issued_on": today})
    assert response.status_code == 302 and response.url == f"/documents/{reply.pk}/"
