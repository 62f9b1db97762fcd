"""A clerk sends a paper-signed document: numbered, kept, delivered; bad input changes nothing.

The date of issue is the server's, as in the issue step: the page shows it and takes none,
so a page opened before midnight and sent after it issues on the new day.
"""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from freezegun import freeze_time

from notifications.models import Outbox
from workflows.models import Attachment, Document, SigningAuthority, TimelineEntry
from workflows.services.documents import outgoing_send_signed
from workflows.services.recipients import RecipientInput

from .documents_factory import document_type, pdf_upload

pytestmark = pytest.mark.django_db

SEED_DAY = "2023-11-15 09:00:00+07:00"


def _send(world, clerk, **overrides):
    """HU's clerk sends 1719's predecessor on 15/11/2023 (the seeds' day)."""
    arguments = {
        "clerk": clerk,
        "document_type": document_type("cong-van"),
        "summary": "V/v xin ý kiến đánh giá, xếp loại Phòng Dân tộc huyện Lục Nam năm 2023",
        "recipients": [world.agency("bdt-bac-giang")],
        "signer_name": "Bùi Thanh Sơn",
        "signer_title": "BÍ THƯ",
        "signing_authority": SigningAuthority.IN_PERSON,
        "file": pdf_upload(),
    }
    with freeze_time(SEED_DAY):
        return outgoing_send_signed(**{**arguments, **overrides})


def test_party_clerk_sends_and_the_document_is_delivered(world, van_thu_hu):
    document = _send(world, van_thu_hu)
    assert (document.notation, document.status, document.register_number) == (
        "01-CV/HU", "issued", 1,
    )
    assert document.attachments.get().kind == Attachment.Kind.ISSUED
    assert list(document.timeline.values_list("action", flat=True)) == [
        TimelineEntry.Action.SIGNED, TimelineEntry.Action.ISSUED, TimelineEntry.Action.DELIVERED,
    ]
    assert Document.objects.filter(source=document, agency__code="bdt-bac-giang").count() == 1


def test_recipients_outside_the_system_get_it_by_e_mail(world, van_thu_hu):
    document = _send(
        world, van_thu_hu,
        recipients=[
            world.agency("bdt-bac-giang"),
            RecipientInput(name="Báo Bắc Giang", email="toasoan@baobacgiang.vn"),
            RecipientInput(name="Lưu hồ sơ", is_addressee=False),
        ],
    )
    mail = Outbox.objects.get(to_email="toasoan@baobacgiang.vn")
    assert mail.subject == "Văn bản 01-CV/HU của Huyện ủy Lục Nam"
    assert "ngày 15/11/2023" in mail.body_text
    assert mail.attachment == document.attachments.get().file.name
    assert mail.attachment_name == "1719-CV-HU.pdf"
    delivered = document.recipients.filter(delivered_at__isnull=False)
    # “Lưu hồ sơ” has neither an agency nor an address: it is handed over on paper.
    assert sorted(str(r) for r in delivered) == ["Ban Dân tộc tỉnh Bắc Giang", "Báo Bắc Giang"]


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"recipients": []}, "Hãy chọn ít nhất một nơi nhận văn bản."),
        ({"summary": "  "}, "Hãy nhập trích yếu văn bản."),
        ({"file": SimpleUploadedFile("scan.jpg", b"\xff\xd8\xff")},
         "Chỉ nhận tệp PDF hoặc DOCX; tệp “scan.jpg” không phải PDF hay DOCX."),
    ],
)
def test_bad_input_is_refused_in_vietnamese_and_nothing_is_recorded(
    world, van_thu_hu, overrides, message
):
    with pytest.raises(ValidationError) as raised:
        _send(world, van_thu_hu, **overrides)
    assert raised.value.messages == [message]
    assert Document.objects.count() == 0


def test_a_specialist_may_not_send(world):
    with pytest.raises(PermissionDenied):
        _send(world, world.user("khoa.tv"))
    assert Document.objects.count() == 0


def test_the_send_form_issues_and_shows_the_document(client, world, van_thu_hu):
    client.force_login(van_thu_hu)
    url = reverse("documents:send_signed")
    form = {
        "document_type": document_type("cong-van").pk,
        "summary": "V/v xin ý kiến đánh giá, xếp loại",
        "recipient_agencies": [world.agency("bdt-bac-giang").pk],
        "signer_name": "Bùi Thanh Sơn",
        "signer_title": "BÍ THƯ",
        "signing_authority": "",
        "urgency": "normal",
        "confidentiality": "normal",
    }
    refused = client.post(url, {**form, "file": SimpleUploadedFile("a.txt", b"text")})
    assert refused.status_code == 200
    assert "Chỉ nhận tệp PDF hoặc DOCX" in refused.content.decode()
    assert Document.objects.count() == 0

    with freeze_time(SEED_DAY):
        sent = client.post(url, {**form, "file": pdf_upload()}, follow=True)
    document = Document.objects.get(agency=van_thu_hu.agency)
    assert sent.redirect_chain[-1][0] == reverse("documents:detail", args=[document.pk])
    page = sent.content.decode()
    assert "01-CV/HU" in page and "15/11/2023" in page
    assert "Văn bản 01-CV/HU đã được phát hành và gửi đi." in page


def test_the_send_form_is_forbidden_to_non_clerks(client, world):
    client.force_login(world.user("tuan.nq"))
    assert client.get(reverse("documents:send_signed")).status_code == 403


def test_the_page_shows_the_servers_date_and_a_typed_one_changes_nothing(
    client, world, van_thu_hu
):
    client.force_login(van_thu_hu)
    client.cookies["django_language"] = "vi"
    url = reverse("documents:send_signed")
    with freeze_time("2023-12-31 23:59:00+07:00"):
        page = client.get(url).content.decode()
    field = page[page.index('name="issued_on"') - 300:page.index('name="issued_on"') + 300]
    assert "31/12/2023" in field and "disabled" in field
    assert "Do hệ thống ghi tại thời điểm phát hành" in page
    form = {
        "document_type": document_type("cong-van").pk, "summary": "V/v chúc mừng năm mới",
        "recipient_agencies": [world.agency("bdt-bac-giang").pk],
        "signer_name": "Bùi Thanh Sơn", "signer_title": "BÍ THƯ", "signing_authority": "",
        "urgency": "normal", "confidentiality": "normal",
        "issued_on": "30/12/2023",  # forged: a disabled field ignores what is posted
    }
    with freeze_time("2024-01-01 00:00:30+07:00"):
        sent = client.post(url, {**form, "file": pdf_upload()})
    assert sent.status_code == 302
    document = Document.objects.get(agency=van_thu_hu.agency)
    assert (document.issued_on, document.register_year, document.notation) == (
        datetime.date(2024, 1, 1), 2024, "01-CV/HU",
    )


def test_the_service_takes_no_date_of_issue(world, van_thu_hu):
    with pytest.raises(TypeError):
        _send(world, van_thu_hu, issued_on=datetime.date(2023, 1, 2))
    assert Document.objects.count() == 0
