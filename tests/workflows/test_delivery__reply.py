"""Seed 000 on the document side: HU's request reaches BDT, BDT's reply reaches HU, answered."""

import datetime

import pytest
from freezegun import freeze_time

from workflows.models import (
    Attachment,
    Direction,
    Document,
    DocumentProcess,
    RegisterCounter,
    SigningAuthority,
    TimelineEntry,
)
from workflows.services.documents import outgoing_deliver, outgoing_issue, outgoing_send_signed
from workflows.services.numbering import register_for

from .documents_factory import approved_outgoing, document_type, pdf_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def request_1719(world, van_thu_hu):
    """Huyện ủy Lục Nam's clerk sends Công văn 1719-CV/HU to BDT on 15/11/2023."""
    register = register_for(agency=van_thu_hu.agency, direction=Direction.OUTGOING)
    RegisterCounter.objects.create(register=register, year=2023, last_number=1718)
    with freeze_time("2023-11-15 09:00:00+07:00"):
        return outgoing_send_signed(
            clerk=van_thu_hu,
            document_type=document_type("cong-van"),
            summary="V/v xin ý kiến đánh giá, xếp loại Phòng Dân tộc huyện Lục Nam năm 2023",
            recipients=[world.agency("bdt-bac-giang")],
            signer_name="Bùi Thanh Sơn",
            signer_title="BÍ THƯ",
            signing_authority=SigningAuthority.IN_PERSON,
            file=pdf_upload(),
        )


def test_signed_request_is_numbered_by_party_rules_and_reaches_bdt(world, request_1719):
    assert (request_1719.notation, request_1719.status) == ("1719-CV/HU", "issued")
    copy = Document.objects.get(agency=world.agency("bdt-bac-giang"))
    assert (copy.direction, copy.status, copy.source) == ("incoming", "received", request_1719)
    assert (copy.notation, copy.issued_on, copy.sender_agency) == (
        "1719-CV/HU", datetime.date(2023, 11, 15), world.agency("hu-luc-nam"),
    )
    scan = copy.attachments.get()
    assert (scan.kind, scan.original_name, scan.content_type) == (
        Attachment.Kind.ORIGINAL, "1719-CV-HU.pdf", "application/pdf",
    )
    assert scan.file.read().startswith(b"%PDF-")
    assert DocumentProcess.objects.filter(document=copy, agency=copy.agency).exists()
    recipient = request_1719.recipients.get()
    assert (recipient.delivered_copy, recipient.delivered_at is not None) == (copy, True)


def test_reply_reaches_the_requester_linked_to_its_request_which_is_answered(
    world, request_1719, van_thu_bdt
):
    incoming = Document.objects.get(agency=world.agency("bdt-bac-giang"))
    reply = approved_outgoing(world, responds_to=incoming)
    with freeze_time("2023-12-05 09:00+07:00"):
        outgoing_issue(document=reply, clerk=van_thu_bdt)
    copies = outgoing_deliver(document=reply)

    [arrived] = copies
    assert (arrived.agency, arrived.status, arrived.notation) == (
        world.agency("hu-luc-nam"), "received", "01/BDT-HCTH",
    )
    assert (arrived.source, arrived.responds_to) == (reply, request_1719)
    assert arrived.attachments.get().original_name == "01-BDT-HCTH.docx"
    assert DocumentProcess.objects.filter(document=arrived).exists()

    incoming.refresh_from_db()
    assert (incoming.status, incoming.answered_at is not None) == ("answered", True)
    assert incoming.timeline.filter(action=TimelineEntry.Action.ANSWERED).exists()
    request_1719.refresh_from_db()
    assert request_1719.answered_at is not None
    answered = request_1719.timeline.get(action=TimelineEntry.Action.ANSWERED)
    assert answered.comment == "Ban Dân tộc tỉnh Bắc Giang đã trả lời bằng văn bản 01/BDT-HCTH"


def test_delivering_again_creates_no_second_copy(world, request_1719, van_thu_bdt):
    reply = outgoing_issue(document=approved_outgoing(world), clerk=van_thu_bdt)
    assert len(outgoing_deliver(document=reply)) == 1
    assert outgoing_deliver(document=reply) == []
    assert Document.objects.filter(source=reply).count() == 1
