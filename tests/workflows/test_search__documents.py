"""The search box: case, diacritics (đ/Đ included), fragments of a number and symbol, the
text of attached DOCX and PDF files, ranking and filters; the same on SQLite and PostgreSQL."""

import datetime

import pytest
from django.urls import reverse
from freezegun import freeze_time

from workflows.models import Direction, Document
from workflows.selectors import document_search_for, register_entries_for
from workflows.services.documents import attachment_add, outgoing_issue
from workflows.services.search import search_normalise
from workflows.story import request_send

from .documents_factory import approved_outgoing
from .search_files import docx_with, pdf_with

pytestmark = pytest.mark.django_db


def _found(user, text, **filters):
    return [document.pk for document in document_search_for(user=user, text=text, **filters)]


@pytest.fixture
def documents(world):
    """Three BDT drafts: the seed's reply, a plan, and a report mentioning Lục Nam."""
    return {
        "reply": approved_outgoing(world, notation="12/BDT-HCTH"),
        "plan": approved_outgoing(
            world, summary="Kế hoạch phòng, chống lụt bão năm 2024", body="Toàn tỉnh."
        ),
        "report": approved_outgoing(
            world, summary="Báo cáo công tác dân tộc", body="Tại huyện Lục Nam, năm 2023."
        ),
    }


def test_normalised_text_has_no_case_diacritics_or_punctuation():
    assert search_normalise("Đánh giá, XẾP LOẠI 1719-CV/HU") == "danh gia xep loai 1719 cv hu"
    assert search_normalise("đĐ Ưu tiên") == "dd uu tien"


def test_case_and_diacritics_do_not_matter(truong_ban, documents):
    plain, upper, accented = (_found(truong_ban, q) for q in ("luc nam", "LỤC NAM", "Lục Nam"))
    assert plain == upper == accented
    assert documents["report"].pk in plain and documents["plan"].pk not in plain


def test_d_with_stroke_is_folded_both_ways(truong_ban, documents):
    found = _found(truong_ban, "danh gia xep loai")
    assert documents["reply"].pk in found
    assert documents["plan"].pk not in found
    assert _found(truong_ban, "ĐÁNH GIÁ") == _found(truong_ban, "đánh giá") == found


def test_fragments_of_a_number_and_symbol_are_found(truong_ban, world):
    request_send()
    incoming = Document.objects.get(agency__code="bdt-bac-giang", notation="1719-CV/HU")
    assert incoming.pk in _found(truong_ban, "1719")
    assert incoming.pk in _found(truong_ban, "19-CV")
    assert incoming.pk in _found(truong_ban, "1719-cv/hu")
    assert incoming.pk not in _found(truong_ban, "1720")


def test_every_word_must_match(truong_ban, documents):
    assert _found(truong_ban, "lục nam kế hoạch") == []


def test_text_inside_an_attached_docx_is_found(
    truong_ban, documents, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        attachment_add(
            document=documents["plan"], kind="draft", user=truong_ban,
            uploaded_file=docx_with("Biên bản nghiệm thu công trình thủy lợi Cẩm Lý"),
        )
    assert _found(truong_ban, "cam ly") == [documents["plan"].pk]
    assert _found(truong_ban, "THỦY LỢI") == [documents["plan"].pk]


def test_text_inside_an_attached_pdf_is_found(
    truong_ban, documents, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        attachment_add(
            document=documents["report"], kind="original", user=truong_ban,
            uploaded_file=pdf_with("Bien ban kiem tra dinh ky Son Dong"),
        )
    assert _found(truong_ban, "kiểm tra định kỳ") == [documents["report"].pk]


def test_a_summary_match_ranks_before_an_attachment_mentioning_it_once(
    truong_ban, world, django_capture_on_commit_callbacks
):
    in_summary = approved_outgoing(world, summary="Phương án phòng chống hạn hán", body="")
    # Newer, so newest-first order alone would put it first.
    in_file = approved_outgoing(world, summary="Tổng hợp ý kiến các sở", body="")
    with django_capture_on_commit_callbacks(execute=True):
        attachment_add(
            document=in_file, kind="draft", user=truong_ban,
            uploaded_file=docx_with("Các sở đề xuất kinh phí. Có nêu hạn hán một lần."),
        )
    assert _found(truong_ban, "han han") == [in_summary.pk, in_file.pk]


def test_filters_narrow_the_search(truong_ban, documents):
    request_send()
    everything = _found(truong_ban, "lục nam")
    incoming = _found(truong_ban, "lục nam", direction=Direction.INCOMING)
    outgoing = _found(truong_ban, "lục nam", direction=Direction.OUTGOING, status="approved")
    assert documents["report"].pk in outgoing and documents["report"].pk not in incoming
    assert set(incoming) | set(outgoing) <= set(everything) and incoming
    assert _found(truong_ban, "lục nam", date_from=datetime.date(2100, 1, 1)) == []


def test_another_agency_finds_nothing_of_ours(world, documents):
    assert documents["report"].pk not in _found(world.user("vanthu.snv"), "lục nam")


def test_the_register_search_is_diacritic_insensitive(world, van_thu_bdt):
    with freeze_time("2023-11-20 09:00:00+07:00"):  # the server dates the issue
        document = outgoing_issue(
            document=approved_outgoing(world, summary="Về việc hỗ trợ đồng bào Lục Nam"),
            clerk=van_thu_bdt,
        )
    for text in ("luc nam", "LỤC NAM", "Lục Nam", "dong bao"):
        entries = register_entries_for(
            user=van_thu_bdt, direction=Direction.OUTGOING, year=2023, text=text
        )
        assert [entry.pk for entry in entries] == [document.pk], text


def test_the_document_list_has_a_search_box(client, truong_ban, documents):
    client.force_login(truong_ban)
    page = client.get(reverse("documents:index"), {"q": "luc nam"})
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="q"' in html and "Tìm kiếm" in html
    assert documents["report"].summary in html and documents["plan"].summary not in html


def test_search_reindex_reads_files_whose_extraction_was_lost(truong_ban, documents):
    import io

    from django.core.management import call_command

    # Outside captured on-commit callbacks: the extraction message is never sent.
    attachment_add(
        document=documents["plan"], kind="draft", user=truong_ban,
        uploaded_file=docx_with("Phương án di dời dân cư vùng sạt lở"),
    )
    assert _found(truong_ban, "sat lo") == []
    call_command("search_reindex", stdout=io.StringIO())
    assert _found(truong_ban, "sat lo") == [documents["plan"].pk]
