"""Seed 000 from Huyện ủy Lục Nam's request to its answer, driven through the API alone with
each demo person's own token: every choice (units, people, agencies) is read from the task's
form as the API describes it, every step is a `complete` with the web page's decision."""

import pytest
from freezegun import freeze_time

from accounts.models import Agency
from workflows.models import Direction, Document, DocumentType
from workflows.story import (
    BDT,
    COMMENT,
    REPLY_BODY,
    REPLY_SUMMARY,
    REQUEST_DATE,
    REQUEST_NUMBER,
    REQUEST_SUMMARY,
    outgoing_counter_before,
    pdf_scan,
)

pytestmark = pytest.mark.django_db


def _task(client, step: str, notation_or_id) -> dict:
    """The user's task of `step` for a document (inbox first, then the queue)."""
    for box in ("inbox", "queue"):
        page = client.get(f"/api/v1/tasks/{box}/", {"page_size": 100})
        assert page.status_code == 200, page.json()
        for task in page.json()["results"]:
            document = task["document"]
            if task["step"] == step and notation_or_id in (document["notation"], document["id"]):
                return task
    raise AssertionError(f"no {step} task for {notation_or_id}")


def _choice(client, task: dict, field: str, label_part: str):
    form = client.get(f"/api/v1/tasks/{task['id']}/").json()["form"]
    choices = next(item["choices"] for item in form if item["name"] == field)
    return next(value for value, label in choices if label_part in label)


def _complete(client, task: dict, **decision) -> dict:
    done = client.post(f"/api/v1/tasks/{task['id']}/complete/", decision, format="json")
    assert done.status_code == 200, done.json()
    assert done.json()["status"] == "DONE"
    return done.json()


def test_seed000_runs_end_to_end_through_the_api(world, clients):
    # Huyện ủy Lục Nam's clerk sends Công văn 1719-CV/HU, signed on paper, with its scan.
    hu_clerk = clients["vanthu.hu"]
    hu = world.user("vanthu.hu").agency
    outgoing_counter_before(agency=hu, number=REQUEST_NUMBER, year=REQUEST_DATE.year)
    # The clerk sends it on its date: the server dates the issue.
    with freeze_time(f"{REQUEST_DATE.isoformat()} 09:00:00+07:00"):
        sent = hu_clerk.post("/api/v1/documents/send-signed/", {
            "document_type": DocumentType.objects.get(code="cong-van").pk,
            "summary": REQUEST_SUMMARY,
            "recipient_agencies": [Agency.objects.get(code=BDT).pk],
            "signer_name": "Nguyễn Văn Tám", "signer_title": "Bí thư",
            "file": pdf_scan("HU-20231115.pdf"),
        }, format="multipart")
    assert sent.status_code == 201, sent.json()
    request = Document.objects.get(pk=sent.json()["id"])
    notation = request.notation
    assert (notation, request.issued_on) == (f"{REQUEST_NUMBER}-CV/HU", REQUEST_DATE)

    # Ban Dân tộc: the clerk registers, the head directs, HCTH's head hands over.
    _complete(clients["mai.ht"], _task(clients["mai.ht"], "register", notation))
    head = clients["quyen.vt"]
    direct = _task(head, "direct", notation)
    _complete(
        head, direct, lead_unit=_choice(head, direct, "lead_unit", "Hành chính"),
        working_days=5, instruction="Giao Văn phòng tham mưu văn bản trả lời.",
    )
    unit_head = clients["lan.tt"]
    hand_over = _task(unit_head, "hand_over", notation)
    _complete(unit_head, hand_over, handler=_choice(unit_head, hand_over, "handler", "Tuấn"))

    # The specialist answers with a document, drafts it and asks the deputy's comments.
    specialist = clients["tuan.nq"]
    _complete(specialist, _task(specialist, "handle", notation), outcome="reply")
    incoming = Document.objects.get(source=request)
    reply = Document.objects.get(responds_to=incoming, direction=Direction.OUTGOING)
    draft = _task(specialist, "draft", reply.pk)
    _complete(
        specialist, draft,
        document_type=_choice(specialist, draft, "document_type", "Công văn"),
        summary=REPLY_SUMMARY, body=REPLY_BODY, urgency="normal", confidentiality="normal",
        recipient_agencies=[_choice(specialist, draft, "recipient_agencies", "Lục Nam")],
        copy_lines="Lãnh đạo Ban",
        proposed_signer=_choice(specialist, draft, "proposed_signer", "Quyên"),
        commenters=[_choice(specialist, draft, "commenters", "Hùng")],
    )
    _complete(clients["hung.nv"], _task(clients["hung.nv"], "comment", reply.pk), text=COMMENT)
    _complete(unit_head, _task(unit_head, "review", reply.pk), decision="approve")
    _complete(head, _task(head, "sign", reply.pk), decision="approve")
    issued = _complete(clients["mai.ht"], _task(clients["mai.ht"], "issue", reply.pk))
    assert issued["step"] == "issue"

    # The reply is issued, numbered, and waits in Huyện ủy Lục Nam's queue.
    detail = clients["mai.ht"].get(f"/api/v1/documents/{reply.pk}/").json()
    assert detail["status"] == "issued"
    assert detail["notation"].endswith("/BDT-HCTH")
    assert any(file["kind"] == "issued" for file in detail["files"])
    timeline = clients["mai.ht"].get(f"/api/v1/documents/{reply.pk}/timeline/").json()
    assert [entry["action"] for entry in timeline][-2:] == ["issued", "delivered"]
    arrived = _task(hu_clerk, "register", detail["notation"])
    assert arrived["document"]["summary"] == REPLY_SUMMARY
    request_seen = hu_clerk.get(f"/api/v1/documents/{request.pk}/").json()
    assert request_seen["answered_at"] is not None
    incoming_seen = clients["mai.ht"].get(f"/api/v1/documents/{incoming.pk}/").json()
    assert incoming_seen["status"] == "answered"
    found = hu_clerk.get("/api/v1/documents/", {"q": "danh gia xep loai"}).json()
    assert detail["notation"] in [document["notation"] for document in found["results"]]
