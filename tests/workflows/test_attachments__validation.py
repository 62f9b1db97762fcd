"""Attachments: only real PDF/DOCX files within the size limit; refusals say why in Vietnamese."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from workflows.models import Attachment
from workflows.services.documents import attachment_add

from .documents_factory import approved_outgoing, docx_upload, pdf_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def document(world):
    return approved_outgoing(world)


def _refused(document, upload, user):
    with pytest.raises(ValidationError) as raised:
        attachment_add(document=document, uploaded_file=upload, kind="draft", user=user)
    assert document.attachments.count() == 0
    return raised.value.messages


def test_pdf_and_docx_are_stored_with_name_type_and_size(document, chuyen_vien):
    pdf = attachment_add(
        document=document, uploaded_file=pdf_upload("Dự thảo trả lời.pdf"),
        kind=Attachment.Kind.DRAFT, user=chuyen_vien,
    )
    word = attachment_add(
        document=document, uploaded_file=docx_upload(), kind=Attachment.Kind.DRAFT,
        user=chuyen_vien,
    )
    assert (pdf.original_name, pdf.content_type, pdf.uploaded_by) == (
        "Dự thảo trả lời.pdf", "application/pdf", chuyen_vien,
    )
    assert pdf.file.read().startswith(b"%PDF-")
    assert word.content_type.endswith("wordprocessingml.document")
    assert word.size == word.file.size
    assert f"documents/{document.agency_id}/{document.pk}/" in pdf.file.name


def test_other_extensions_are_refused(document, chuyen_vien):
    upload = SimpleUploadedFile("bang-diem.xlsx", b"PK\x03\x04 spreadsheet")
    assert _refused(document, upload, chuyen_vien) == [
        "Chỉ nhận tệp PDF hoặc DOCX; tệp “bang-diem.xlsx” không phải PDF hay DOCX."
    ]


def test_a_renamed_file_is_refused_by_its_content(document, chuyen_vien):
    fake_pdf = SimpleUploadedFile("cong-van.pdf", b"MZ\x90\x00 not a pdf at all")
    assert _refused(document, fake_pdf, chuyen_vien) == [
        "Nội dung tệp “cong-van.pdf” không phải là tệp PDF; hãy kiểm tra lại tệp."
    ]
    zip_not_word = SimpleUploadedFile("du-thao.docx", pdf_upload().read())
    assert _refused(document, zip_not_word, chuyen_vien) == [
        "Nội dung tệp “du-thao.docx” không phải là tệp DOCX; hãy kiểm tra lại tệp."
    ]


def test_an_oversized_file_is_refused_with_both_sizes(document, chuyen_vien, settings):
    settings.ATTACHMENT_MAX_BYTES = 1024 * 1024
    messages = _refused(document, pdf_upload(size=1024 * 1024 + 1), chuyen_vien)
    assert messages == [
        "Tệp “1719-CV-HU.pdf” có dung lượng 1,0\xa0MB; tệp chỉ được tối đa 1,0\xa0MB."
    ]


def test_an_empty_file_is_refused(document, chuyen_vien):
    assert _refused(document, SimpleUploadedFile("rong.pdf", b""), chuyen_vien) == [
        "Tệp “rong.pdf” rỗng."
    ]
