"""The clerks' entry points through the API: a paper document received, and an issued one
withdrawn, by the same forms and services as their web pages."""

import pytest

from workflows.models import Document, DocumentType
from workflows.story import pdf_scan, request_send

pytestmark = pytest.mark.django_db


def _received(client, **changes):
    answers = {
        "document_type": DocumentType.objects.get(code="cong-van").pk,
        "notation": "25-TB/UBND", "issued_on": "2023-11-20",
        "summary": "Thông báo lịch tiếp công dân tháng 12",
        "sender_name": "UBND xã Bảo Sơn", "file": pdf_scan("ubnd-25.pdf"),
    }
    return client.post("/api/v1/documents/receive/", {**answers, **changes}, format="multipart")


def test_a_received_paper_document_waits_for_registration_in_the_clerks_queue(clients):
    answer = _received(clients["mai.ht"])
    assert answer.status_code == 201, answer.json()
    assert answer.json()["status"] == "received"
    assert answer.json()["files"][0]["kind"] == "original"
    queue = clients["mai.ht"].get("/api/v1/tasks/queue/", {"page_size": 100}).json()["results"]
    assert [task["step"] for task in queue if task["document"]["id"] == answer.json()["id"]] == [
        "register"
    ]


def test_receiving_without_a_sender_says_so_and_records_nothing(clients):
    answer = _received(clients["mai.ht"], sender_name="")
    assert answer.status_code == 400
    assert answer.json()["errors"]["sender_name"] == ["Cho biết nơi gửi văn bản."]
    assert not Document.objects.filter(notation="25-TB/UBND").exists()


def test_only_a_clerk_may_receive(clients):
    assert _received(clients["tuan.nq"]).status_code == 403


def test_the_clerk_withdraws_an_issued_document_with_a_reason(clients):
    request = request_send()
    url = f"/api/v1/documents/{request.pk}/withdraw/"
    blank = clients["vanthu.hu"].post(url, {"reason": " "}, format="json")
    assert blank.status_code == 400 and "reason" in blank.json()["errors"]
    done = clients["vanthu.hu"].post(url, {"reason": "Sai số liệu tại mục 2."}, format="json")
    assert done.status_code == 200, done.json()
    assert done.json()["status"] == "cancelled"
    copy = Document.objects.get(source=request)
    seen = clients["mai.ht"].get(f"/api/v1/documents/{copy.pk}/timeline/").json()
    assert any("Sai số liệu tại mục 2." in entry["comment"] for entry in seen)
    again = clients["vanthu.hu"].post(url, {"reason": "Lần nữa."}, format="json")
    assert again.status_code == 400
