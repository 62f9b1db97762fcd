"""Files read inside the task pages: a PDF inline, a Word file as text, the draft as it will
be issued with its number left blank; another agency's file is a 404."""

import io

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from workflows.models import Attachment
from workflows.services.documents import attachment_add

from .flow_fixtures import incoming_at, reply_at

pytestmark = pytest.mark.django_db


def _docx(*lines):
    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _attach(document, name, content, content_type, user):
    return attachment_add(
        document=document, kind=Attachment.Kind.DRAFT, user=user,
        uploaded_file=SimpleUploadedFile(name, content, content_type=content_type),
    )


def _preview_url(attachment):
    return f"/documents/{attachment.document_id}/files/{attachment.pk}/preview/"


def test_a_pdf_is_served_inline_to_be_framed_in_the_page(client, world, truong_ban):
    document = incoming_at("direct")
    attachment = _attach(
        document, "cong-van.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf", truong_ban
    )
    client.force_login(truong_ban)
    response = client.get(_preview_url(attachment))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline")
    assert response["X-Frame-Options"] == "SAMEORIGIN"


def test_a_word_file_is_shown_as_its_text(client, world, truong_ban):
    document = incoming_at("direct")
    attachment = _attach(
        document, "du-thao.docx", _docx("Kính gửi: Huyện ủy Lục Nam", "Xếp thứ tự: 4/4"),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document", truong_ban,
    )
    client.force_login(truong_ban)
    page = client.get(_preview_url(attachment)).content.decode()
    assert "Kính gửi: Huyện ủy Lục Nam" in page and "Xếp thứ tự: 4/4" in page


def test_the_draft_preview_leaves_the_number_and_date_blank(client, world, truong_ban):
    reply = reply_at("sign")
    reply.refresh_from_db()
    client.force_login(truong_ban)
    page = client.get(f"/documents/{reply.pk}/preview/").content.decode()
    blank = "\u00a0" * 7
    assert f"Số: {blank}/BDT-HCTH" in page
    assert f"ngày {blank} tháng {blank} năm" in page
    assert reply.summary in page and "Kính gửi: Huyện ủy Lục Nam" in page
    # Signed by the proposed signer, as it will be printed.
    assert "TRƯỞNG BAN" in page and "Vi Thanh Quyên" in page


def test_another_agency_cannot_preview_the_files_or_the_draft(client, world, truong_ban):
    reply = reply_at("sign")
    attachment = _attach(
        reply, "du-thao.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf", truong_ban
    )
    client.force_login(world.user("son.bt"))
    assert client.get(_preview_url(attachment)).status_code == 404
    assert client.get(f"/documents/{reply.pk}/preview/").status_code == 404
