"""The two ways work starts inside an agency without a delivery on the system.

The clerk records a document received on paper or by e-mail and goes straight to giving it
its số đến; a unit member starts a new outgoing document and goes straight to drafting it.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation
from viewflow.workflow.status import STATUS

from workflows.flows import IncomingFlow, OutgoingFlow
from workflows.models import Direction, Document, DocumentType

from .documents_factory import pdf_upload
from .flow_fixtures import task_of

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _vietnamese(client):
    client.cookies["django_language"] = "vi"
    with translation.override("vi"):
        yield


def _receive_form(world, **changes):
    data = {
        "document_type": DocumentType.objects.get(code="cong-van").pk,
        "notation": "2101/SNV-TĐKT",
        "issued_on": timezone.localdate().strftime("%d/%m/%Y"),
        "summary": "V/v sơ kết Phong trào thi đua",
        "sender_agency": world.agency("snv-bac-giang").pk,
        "sender_name": "",
        "urgency": "normal",
        "confidentiality": "normal",
        "file": pdf_upload("2101-SNV.pdf"),
    }
    data.update(changes)
    return data


def test_the_clerk_records_a_paper_document_and_lands_on_its_registration(
    client, world, van_thu_bdt
):
    client.force_login(van_thu_bdt)
    response = client.post("/documents/receive/", _receive_form(world))

    document = Document.objects.get(notation="2101/SNV-TĐKT")
    task = task_of(document, IncomingFlow.register)
    assert response.status_code == 302
    assert response.url == IncomingFlow.register.reverse(
        "execute", args=[task.process_id, task.pk]
    )
    assert task.status == STATUS.ASSIGNED and task.owner == van_thu_bdt
    assert document.direction == Direction.INCOMING
    assert document.status == Document.Status.RECEIVED
    assert document.number == 2101
    assert document.sender_name == "Sở Nội vụ tỉnh Bắc Giang"
    assert document.attachments.get().original_name == "2101-SNV.pdf"


def test_a_received_document_without_sender_or_with_a_wrong_file_is_refused(
    client, world, van_thu_bdt
):
    client.force_login(van_thu_bdt)
    upload = SimpleUploadedFile("scan.txt", b"plain text, not a scan", "text/plain")
    response = client.post(
        "/documents/receive/", _receive_form(world, sender_agency="", file=upload)
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "Cho biết nơi gửi văn bản." in page
    assert "PDF" in page
    assert not Document.objects.filter(notation="2101/SNV-TĐKT").exists()


def test_only_the_clerk_records_received_documents(client, world, chuyen_vien):
    client.force_login(chuyen_vien)
    assert client.get("/documents/receive/").status_code == 403


def test_a_specialist_starts_a_new_document_and_lands_on_its_draft(client, world, chuyen_vien):
    client.force_login(chuyen_vien)
    response = client.post(
        "/documents/new/",
        {
            "document_type": DocumentType.objects.get(code="ke-hoach").pk,
            "summary": "Kế hoạch tuyên truyền năm 2024",
        },
    )

    draft = Document.objects.get(summary="Kế hoạch tuyên truyền năm 2024")
    task = task_of(draft, OutgoingFlow.draft)
    assert response.status_code == 302
    assert response.url == OutgoingFlow.draft.reverse("execute", args=[task.process_id, task.pk])
    assert task.owner == chuyen_vien
    assert draft.drafting_unit == chuyen_vien.unit and draft.responds_to is None
    assert draft.status == Document.Status.DRAFT


def test_a_leader_without_a_unit_cannot_start_a_draft(client, world, truong_ban):
    client.force_login(truong_ban)
    assert client.get("/documents/new/").status_code == 403
    assert "Soạn văn bản mới" not in client.get("/documents/").content.decode()
