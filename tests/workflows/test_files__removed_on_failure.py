"""A step or a service that fails after storing files leaves none of them behind.

Storage is not transactional: files stored before a failure would stay on disk, named by no
row. The failures here are real ones, raised by the database itself: a trigger refuses a
write that the service makes after storing its files (the test's transaction drops it).
"""

import pytest
from django.db import DatabaseError, connection
from django.utils import timezone

from workflows.models import Document, DocumentType, RegisterCounter, SigningAuthority
from workflows.services import handling
from workflows.services.documents import incoming_receive, outgoing_send_signed
from workflows.services.recipients import RecipientInput
from workflows.services.routing import task_perform

from .documents_factory import pdf_upload
from .flow_fixtures import OutgoingFlow, reply_at, task_of

pytestmark = pytest.mark.django_db


def _refuse(operation: str, table: str) -> None:
    """Have the database refuse every `operation` (INSERT or UPDATE) on `table`."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "CREATE FUNCTION lt_test_refuse() RETURNS trigger LANGUAGE plpgsql AS "
                "$$ BEGIN RAISE EXCEPTION 'refused by the test'; END $$"
            )
            cursor.execute(
                f'CREATE TRIGGER lt_test_refuse BEFORE {operation} ON "{table}" '
                "FOR EACH ROW EXECUTE FUNCTION lt_test_refuse()"
            )
        else:
            cursor.execute(
                f'CREATE TRIGGER lt_test_refuse BEFORE {operation} ON "{table}" '
                "BEGIN SELECT RAISE(ABORT, 'refused by the test'); END"
            )


def _stored_files(settings) -> list[str]:
    return sorted(
        str(path.relative_to(settings.MEDIA_ROOT))
        for path in settings.MEDIA_ROOT.rglob("*") if path.is_file()
    )


def test_a_send_whose_delivery_fails_keeps_neither_the_scan_nor_the_copy(
    world, van_thu_hu, settings
):
    documents = Document.objects.count()
    _refuse("UPDATE", "workflows_recipient")  # the recipient marked delivered, last
    with pytest.raises(DatabaseError):
        outgoing_send_signed(
            clerk=van_thu_hu, document_type=DocumentType.objects.get(code="cong-van"),
            summary="V/v báo cáo kết quả thực hiện Chương trình 135",
            recipients=[world.agency("bdt-bac-giang")], signer_name="Bùi Thanh Sơn",
            signer_title="BÍ THƯ", signing_authority=SigningAuthority.IN_PERSON,
            file=pdf_upload("HU-135.pdf"),
        )
    assert Document.objects.count() == documents
    assert _stored_files(settings) == []


def test_a_draft_step_that_fails_keeps_none_of_its_files(world, chuyen_vien, settings):
    reply = reply_at("draft")
    before = _stored_files(settings)
    _refuse("INSERT", "viewflow_task")  # the review task, created once the draft is saved
    with pytest.raises(DatabaseError):
        task_perform(
            task=task_of(reply, OutgoingFlow.draft), user=chuyen_vien,
            service=handling.draft_save, document_type=reply.document_type,
            summary="Đánh giá, xếp loại", body="Nội dung",
            recipients=[RecipientInput(agency_id=world.agency("hu-luc-nam").pk)],
            files=[pdf_upload("du-thao.pdf")],
        )
    assert not reply.attachments.exists()
    assert _stored_files(settings) == before


def test_an_issue_whose_delivery_fails_keeps_no_issued_file_and_no_number(
    world, van_thu_bdt, settings
):
    reply = reply_at("issue")
    before, numbers = _stored_files(settings), list(RegisterCounter.objects.values_list(
        "register_id", "year", "last_number"))
    _refuse("UPDATE", "workflows_recipient")  # HU marked delivered, after its copy's file
    with pytest.raises(DatabaseError):
        task_perform(task=task_of(reply, OutgoingFlow.issue), user=van_thu_bdt,
                     service=handling.draft_issue)
    reply.refresh_from_db()
    assert reply.status == Document.Status.APPROVED and not reply.notation
    assert list(RegisterCounter.objects.values_list(
        "register_id", "year", "last_number")) == numbers
    assert _stored_files(settings) == before


def test_a_received_document_whose_flow_cannot_start_keeps_no_scan(world, van_thu_bdt, settings):
    documents = Document.objects.count()
    _refuse("INSERT", "viewflow_process")  # its IncomingFlow, started after the scan is kept
    with pytest.raises(DatabaseError):
        incoming_receive(
            clerk=van_thu_bdt, document_type=DocumentType.objects.get(code="cong-van"),
            summary="V/v sơ kết Phong trào thi đua năm 2023", notation="2101/SNV-TĐKT",
            issued_on=timezone.localdate(), file=pdf_upload("2101-SNV.pdf"),
            sender_agency=world.agency("snv-bac-giang"),
        )
    assert Document.objects.count() == documents
    assert _stored_files(settings) == []
