"""Builders for outgoing documents used by the documents-core tests (numbering, issue, delivery).

They write rows directly, standing in for the drafting and approval steps of OutgoingFlow,
which have their own tests.
"""

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile

from workflows.models import (
    Direction,
    Document,
    DocumentType,
    Recipient,
    SigningAuthority,
)

SEED_SUMMARY = "Đánh giá, xếp loại cơ quan ngành dọc cấp huyện năm 2023"
SEED_BODY = (
    "Căn cứ Công văn số 1719-CV/HU ngày 15/11/2023 của Huyện ủy Lục Nam.\n"
    "\n"
    "3. Xếp loại\n"
    "- Hoàn thành nhiệm vụ.\n"
    "- Xếp thứ tự: 4/4 Phòng Dân tộc cấp huyện trên toàn tỉnh."
)


def document_type(code: str = "cong-van") -> DocumentType:
    return DocumentType.objects.get(code=code)


def approved_outgoing(world, *, signer="quyen.vt", authority=SigningAuthority.IN_PERSON,
                      type_code="cong-van", agency_code="bdt-bac-giang", unit_symbol="HCTH",
                      recipients=("hu-luc-nam",), responds_to=None, **fields) -> Document:
    """An approved BDT công văn to Huyện ủy Lục Nam, signed by `signer` (seed 000's reply)."""
    person = world.user(signer)
    document = Document.objects.create(
        agency=world.agency(agency_code),
        direction=Direction.OUTGOING,
        status=fields.pop("status", Document.Status.APPROVED),
        document_type=document_type(type_code),
        summary=fields.pop("summary", SEED_SUMMARY),
        body=fields.pop("body", SEED_BODY),
        drafting_unit=world.unit(agency_code, unit_symbol) if unit_symbol else None,
        signer=person,
        signer_name=person.full_name,
        signer_title=person.title,
        signing_authority=authority,
        responds_to=responds_to,
        **fields,
    )
    for code in recipients:
        Recipient.objects.create(document=document, agency=world.agency(code))
    return document


def pdf_upload(name: str = "1719-CV-HU.pdf", size: int = 0) -> SimpleUploadedFile:
    """A small real-looking PDF (signature and trailer), padded to `size` bytes if given."""
    content = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
    content += b"0" * max(0, size - len(content))
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def docx_upload(name: str = "du-thao.docx") -> SimpleUploadedFile:
    """A minimal DOCX container (a zip with word/document.xml)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return SimpleUploadedFile(name, buffer.getvalue())
