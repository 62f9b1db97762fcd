"""Recipients through the API are the web pages' own: one “name; e-mail” per line, refused
with the bad line named, for a paper-signed document and for a draft alike; and the date of
issue is the server's whatever a client sends."""

import pytest
from freezegun import freeze_time

from accounts.models import Agency
from tests.workflows.flow_fixtures import OutgoingFlow, reply_at, task_of
from workflows.models import Document, DocumentType
from workflows.story import BDT, pdf_scan

pytestmark = pytest.mark.django_db

OTHERS = "Sở Tư pháp; vanthu@stp.example.vn\nBáo Bắc Giang; toasoan@baobacgiang"
BAD_LINE = "Dòng 2 “Báo Bắc Giang; toasoan@baobacgiang”"


def _send(client, **changes):
    answers = {
        "document_type": DocumentType.objects.get(code="cong-van").pk,
        "summary": "V/v tổ chức hội nghị tổng kết",
        "recipient_agencies": [Agency.objects.get(code=BDT).pk],
        "signer_name": "Nguyễn Văn Tám", "signer_title": "Bí thư",
        "file": pdf_scan("HU-hoi-nghi.pdf"),
    }
    return client.post(
        "/api/v1/documents/send-signed/", {**answers, **changes}, format="multipart"
    )


def test_a_bad_address_is_refused_with_its_line_and_nothing_is_sent(clients):
    answer = _send(clients["vanthu.hu"], other_recipients=OTHERS)
    assert answer.status_code == 400
    [message] = answer.json()["errors"]["other_recipients"]
    assert message.startswith(BAD_LINE) and "không phải là địa chỉ e-mail hợp lệ" in message
    assert not Document.objects.filter(summary="V/v tổ chức hội nghị tổng kết").exists()


def test_outside_recipients_and_copy_lines_are_recorded_as_typed(clients):
    answer = _send(
        clients["vanthu.hu"],
        other_recipients="Sở Tư pháp; vanthu@stp.example.vn\n\nvanthu@snv.example.vn",
        copy_lines="Lưu: VT",
    )
    assert answer.status_code == 201, answer.json()
    recipients = {
        (row["name"], row["email"], row["is_addressee"])
        for row in answer.json()["recipients"] if not row["agency"]
    }
    assert recipients == {
        ("Sở Tư pháp", "vanthu@stp.example.vn", True),
        ("vanthu@snv.example.vn", "vanthu@snv.example.vn", True),
        ("Lưu: VT", "", False),
    }


def test_a_date_of_issue_sent_by_a_client_is_ignored(clients):
    with freeze_time("2024-01-01 00:00:30+07:00"):
        answer = _send(clients["vanthu.hu"], issued_on="2023-12-30")
    assert answer.status_code == 201, answer.json()
    assert answer.json()["issued_on"] == "2024-01-01"
    assert Document.objects.get(pk=answer.json()["id"]).register_year == 2024


def test_a_draft_with_a_bad_address_is_refused_with_its_line(world, clients):
    reply = reply_at("draft")
    task = task_of(reply, OutgoingFlow.draft)
    answer = clients["tuan.nq"].post(f"/api/v1/tasks/{task.pk}/complete/", {
        "document_type": reply.document_type_id, "summary": "V/v đánh giá, xếp loại",
        "body": "Nội dung", "urgency": "normal", "confidentiality": "normal",
        "recipient_agencies": [world.agency("hu-luc-nam").pk],
        "other_recipients": OTHERS,
    }, format="json")
    assert answer.status_code == 400
    assert BAD_LINE in str(answer.json()["errors"])
    reply.refresh_from_db()
    assert reply.summary != "V/v đánh giá, xếp loại"
    assert task_of(reply, OutgoingFlow.draft).pk == task.pk
