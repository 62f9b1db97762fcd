"""A DOCX must be a real WordprocessingML package and a PDF a whole PDF file."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from workflows.services.documents import attachment_validate

from .documents_factory import docx_upload, pdf_upload


def _zip(**parts) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in parts.items():
            archive.writestr(name.replace("__", "/"), text)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("hop-dong.docx", _zip(word__evil="x")),  # a zip with a word/ folder only
        ("hop-dong.docx", _zip(**{"[Content_Types].xml": "<Types/>"})),  # no main part
        ("hop-dong.docx", b"PK\x03\x04 not really a zip"),
        ("to-trinh.pdf", b"%PDF-1.4\n1 0 obj <<>> endobj\n"),  # cut short: no %%EOF
        ("to-trinh.pdf", b"MZ\x90\x00 renamed program %%EOF"),
    ],
)
def test_files_that_only_pretend_are_refused_in_vietnamese(name, content):
    with pytest.raises(ValidationError) as raised:
        attachment_validate(uploaded_file=SimpleUploadedFile(name, content))
    assert raised.value.code == "file_content"
    assert "không phải là tệp" in raised.value.messages[0]


def test_real_docx_and_pdf_pass():
    assert attachment_validate(uploaded_file=docx_upload()).endswith("wordprocessingml.document")
    assert attachment_validate(uploaded_file=pdf_upload()) == "application/pdf"
