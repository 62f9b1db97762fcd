"""The template opened once per thread renders each document as a fresh docxtpl render would.

`workflows.services.rendering` keeps the parsed Decree 30 template and its compressed
unchanged parts between renders; a render must not keep anything of the one before it.
"""

import datetime
import io
import threading
import zipfile

import pytest
from django.db import connection
from docxtpl import DocxTemplate

from workflows.docx import TEMPLATE_PATH
from workflows.models import SigningAuthority
from workflows.services import rendering
from workflows.services.rendering import document_docx_context, document_render_docx

from .documents_factory import approved_outgoing

pytestmark = pytest.mark.django_db


def _fresh(document) -> bytes:
    """The document rendered by docxtpl from the template file, nothing reused."""
    template = DocxTemplate(str(TEMPLATE_PATH))
    template.render(
        document_docx_context(document=document), jinja_env=rendering._JINJA, autoescape=True
    )
    output = io.BytesIO()
    template.save(output)
    return output.getvalue()


def _parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None
        return {name: archive.read(name) for name in archive.namelist()}


def _issuable(world, number: int, **fields):
    document = approved_outgoing(world, **fields)
    document.number = number
    document.notation = f"{number:02d}/BDT-HCTH"
    document.issued_on = datetime.date(2023, 12, 5)
    return document


def test_each_render_equals_a_fresh_one_part_by_part(world):
    first = _issuable(world, 7)
    second = _issuable(
        world, 8, summary="Sơ kết Phong trào thi đua", signer="hung.nv",
        authority=SigningAuthority.ON_BEHALF_OF_HEAD, recipients=("hu-luc-nam", "snv-bac-giang"),
    )
    for document in (first, second, first):
        rendered, fresh = _parts(document_render_docx(document=document)), _parts(_fresh(document))
        assert rendered == fresh
        assert document.summary.encode() in rendered["word/document.xml"]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_threads_render_at_once_each_its_own_document(world):
    documents = [_issuable(world, number) for number in range(1, 5)]
    expected = {document.number: _parts(_fresh(document)) for document in documents}
    start = threading.Barrier(len(documents))
    results, errors = {}, []

    def render(document):
        try:
            start.wait()
            for _ in range(5):
                results[document.number] = _parts(document_render_docx(document=document))
        except Exception as error:  # reported below: a thread cannot fail the test itself
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=render, args=(document,)) for document in documents]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert results == expected



def test_the_template_is_patched_for_jinja_once_whatever_the_renders(world, monkeypatch):
    """docxtpl's cleaning of the template's XML for Jinja (half a render) runs at the
    thread's first render only: the next ones start from the same source and reuse it."""
    patched = []
    patch_xml = DocxTemplate.patch_xml

    def patch_xml_counted(self, src_xml):
        patched.append(self)
        return patch_xml(self, src_xml)

    monkeypatch.setattr(DocxTemplate, "patch_xml", patch_xml_counted)
    template = rendering._Template()
    monkeypatch.setattr(rendering._THREAD, "template", template, raising=False)
    first = _issuable(world, 7)
    second = _issuable(world, 8, summary="Sơ kết Phong trào thi đua")
    document_render_docx(document=first)
    patched_first = patched.count(template.docx)
    for document in (second, first, second):
        assert _parts(document_render_docx(document=document)) == _parts(_fresh(document))
    assert patched_first >= 1
    assert patched.count(template.docx) == patched_first
