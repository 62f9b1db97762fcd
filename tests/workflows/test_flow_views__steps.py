"""The steps through the web pages: claim, form, service, next step; bad input re-shown."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation
from viewflow.workflow.status import STATUS

from workflows.models import Assignment, Document

from .flow_fixtures import IncomingFlow, OutgoingFlow, incoming_at, reply_at, task_of

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _vietnamese(client):
    client.cookies["django_language"] = "vi"
    with translation.override("vi"):
        yield


def _url(task, name):
    return task.flow_task.reverse(name, args=[task.process_id, task.pk])


def _claim(client, task):
    response = client.post(_url(task, "assign"))
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.status == STATUS.ASSIGNED


def test_the_clerk_registers_through_the_pages(client, world, van_thu_bdt):
    document = incoming_at("register")
    task = task_of(document, IncomingFlow.register)
    client.force_login(van_thu_bdt)
    queue = client.get(IncomingFlow.instance.reverse("queue")).content.decode()
    assert "Vào sổ văn bản đến" in queue and "Việc chờ nhận" in queue
    _claim(client, task)
    page = client.get(_url(task, "execute"))
    assert page.status_code == 200 and "Ngày đến" in page.content.decode()
    response = client.post(
        _url(task, "execute"), {"received_on": timezone.localdate().isoformat(), "note": ""}
    )
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.status == Document.Status.REGISTERED and document.register_number == 1
    assert task_of(document, IncomingFlow.direct) is not None


def test_a_past_deadline_is_shown_in_vietnamese_and_nothing_changes(client, world, truong_ban):
    document = incoming_at("direct")
    task = task_of(document, IncomingFlow.direct)
    client.force_login(truong_ban)
    _claim(client, task)
    hcth = world.unit("bdt-bac-giang", "HCTH")
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    response = client.post(
        _url(task, "execute"), {"lead_unit": hcth.pk, "due_on": yesterday.isoformat()}
    )
    assert response.status_code == 200
    assert "Hạn xử lý không được ở trong quá khứ." in response.content.decode()
    task.refresh_from_db()
    assert task.status == STATUS.ASSIGNED
    assert not Assignment.objects.filter(document=document).exists()


def test_the_leader_directs_through_the_pages(client, world, truong_ban):
    document = incoming_at("direct")
    task = task_of(document, IncomingFlow.direct)
    client.force_login(truong_ban)
    _claim(client, task)
    csdt, ttr = world.unit("bdt-bac-giang", "CSDT"), world.unit("bdt-bac-giang", "TTr")
    response = client.post(
        _url(task, "execute"),
        {"lead_unit": csdt.pk, "supporting_units": [ttr.pk], "working_days": 5,
         "instruction": "Tham mưu trả lời."},
    )
    assert response.status_code == 302
    assignment = Assignment.objects.get(document=document)
    assert assignment.lead_unit == csdt and list(assignment.supporting_units.all()) == [ttr]
    assert task_of(document, IncomingFlow.hand_over).owner_permission_obj == csdt


def test_a_draft_without_recipients_or_with_an_exe_is_refused(client, world, chuyen_vien):
    reply = reply_at("draft")
    task = task_of(reply, OutgoingFlow.draft)
    client.force_login(chuyen_vien)
    page = client.get(_url(task, "execute"))
    assert page.status_code == 200 and "Trích yếu" in page.content.decode()
    data = {
        "document_type": reply.document_type_id, "summary": "Đánh giá, xếp loại",
        "body": "Nội dung", "urgency": "normal", "confidentiality": "normal",
    }
    response = client.post(_url(task, "execute"), data)
    assert "Hãy chọn ít nhất một nơi nhận văn bản." in response.content.decode()
    upload = SimpleUploadedFile("virus.exe", b"MZ\x90\x00")
    response = client.post(
        _url(task, "execute"),
        {**data, "recipient_agencies": [world.agency("hu-luc-nam").pk], "files": [upload]},
    )
    assert response.status_code == 200
    assert "PDF" in response.content.decode()
    reply.refresh_from_db()
    assert reply.summary != "Đánh giá, xếp loại" and not reply.attachments.exists()
    assert task_of(reply, OutgoingFlow.draft).status == STATUS.ASSIGNED


def test_approving_a_task_already_done_says_so(client, world, truong_ban, pho_truong_ban):
    reply = reply_at("sign")
    task = task_of(reply, OutgoingFlow.sign)
    client.force_login(truong_ban)
    _claim(client, task)
    assert client.post(_url(task, "execute"), {"decision": "approve"}).status_code == 302
    response = client.post(_url(task, "execute"), {"decision": "approve"}, follow=True)
    assert "Công việc này đã được hoàn thành." in response.content.decode()
    client.force_login(pho_truong_ban)
    response = client.post(_url(task, "assign"), follow=True)
    assert "Công việc này đã được hoàn thành." in response.content.decode()
    reply.refresh_from_db()
    assert reply.signer == truong_ban
