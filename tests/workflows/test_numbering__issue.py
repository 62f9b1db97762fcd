"""Issuing takes the next number of the right register; bad requests change nothing."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from freezegun import freeze_time

from workflows.models import (
    Attachment,
    Confidentiality,
    Document,
    RegisterCounter,
    TimelineEntry,
)
from workflows.services.documents import outgoing_cancel, outgoing_issue

from .documents_factory import approved_outgoing

pytestmark = pytest.mark.django_db


def _unchanged(document):
    document.refresh_from_db()
    return (
        document.status,
        document.number,
        document.notation,
        document.attachments.count(),
        document.timeline.count(),
        RegisterCounter.objects.count(),
    )


def test_issue_numbers_dates_renders_and_records_the_step(world, van_thu_bdt):
    document = approved_outgoing(world)
    with freeze_time("2023-12-05 09:00+07:00"):
        issued = outgoing_issue(document=document, clerk=van_thu_bdt)
    assert (issued.status, issued.number, issued.notation) == ("issued", 1, "01/BDT-HCTH")
    assert (issued.register.name, issued.register_year, issued.register_number) == (
        "Sổ văn bản đi", 2023, 1,
    )
    assert (issued.issued_on, issued.place) == (datetime.date(2023, 12, 5), "Bắc Giang")
    attachment = issued.attachments.get(kind=Attachment.Kind.ISSUED)
    assert attachment.original_name == "01-BDT-HCTH.docx"
    assert attachment.file.size == attachment.size > 5000
    entry = issued.timeline.get()
    assert (entry.action, entry.actor, entry.comment) == (
        TimelineEntry.Action.ISSUED, van_thu_bdt, "01/BDT-HCTH",
    )


def test_second_document_takes_the_next_number(world, van_thu_bdt):
    outgoing_issue(document=approved_outgoing(world), clerk=van_thu_bdt)
    second = outgoing_issue(document=approved_outgoing(world), clerk=van_thu_bdt)
    assert second.notation == "02/BDT-HCTH"


def test_confidential_document_is_numbered_in_the_confidential_register(world, van_thu_bdt):
    outgoing_issue(document=approved_outgoing(world), clerk=van_thu_bdt)
    secret = outgoing_issue(
        document=approved_outgoing(world, confidentiality=Confidentiality.CONFIDENTIAL),
        clerk=van_thu_bdt,
    )
    assert (secret.number, secret.register.is_confidential) == (1, True)
    assert secret.register.name == "Sổ văn bản đi mật"


def test_a_cancelled_issue_keeps_its_number_and_the_next_takes_a_new_one(world, van_thu_bdt):
    first = outgoing_issue(document=approved_outgoing(world), clerk=van_thu_bdt)
    cancelled = outgoing_cancel(document=first, clerk=van_thu_bdt, reason="Sai nơi nhận")
    assert (cancelled.status, cancelled.number, cancelled.notation) == (
        "cancelled", 1, "01/BDT-HCTH",
    )
    assert cancelled.timeline.last().comment == "Sai nơi nhận"
    again = outgoing_issue(document=approved_outgoing(world), clerk=van_thu_bdt)
    assert again.number == 2


def test_issuing_a_document_not_yet_approved_is_refused(world, van_thu_bdt):
    document = approved_outgoing(world, status=Document.Status.IN_PROGRESS)
    before = _unchanged(document)
    with pytest.raises(ValidationError) as raised:
        outgoing_issue(document=document, clerk=van_thu_bdt)
    assert raised.value.messages == [
        "Chỉ văn bản đã được lãnh đạo duyệt, ký mới được phát hành."
    ]
    assert _unchanged(document) == before


def test_issuing_twice_is_refused_and_keeps_the_first_number(world, van_thu_bdt):
    document = outgoing_issue(document=approved_outgoing(world), clerk=van_thu_bdt)
    before = _unchanged(document)
    with pytest.raises(ValidationError) as raised:
        outgoing_issue(document=document, clerk=van_thu_bdt)
    assert raised.value.messages == ["Văn bản này đã được phát hành với số 01/BDT-HCTH."]
    assert _unchanged(document) == before


def test_issuing_without_recipients_is_refused(world, van_thu_bdt):
    document = approved_outgoing(world, recipients=())
    before = _unchanged(document)
    with pytest.raises(ValidationError) as raised:
        outgoing_issue(document=document, clerk=van_thu_bdt)
    assert raised.value.messages == ["Hãy chọn ít nhất một nơi nhận văn bản."]
    assert _unchanged(document) == before


@pytest.mark.parametrize("username", ["tuan.nq", "quyen.vt", "lan.tt", "vanthu.hu"])
def test_only_the_agency_clerk_may_issue(world, username):
    document = approved_outgoing(world)
    before = _unchanged(document)
    with pytest.raises(PermissionDenied):
        outgoing_issue(document=document, clerk=world.user(username))
    assert _unchanged(document) == before
