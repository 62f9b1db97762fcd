"""The issued DOCX holds the Decree-30 lines (Art. 8), read back with python-docx."""

import datetime
import io

import docx
import pytest
from django.core.exceptions import ValidationError
from freezegun import freeze_time

from accounts.models import Role, User
from workflows.models import Attachment, Recipient, SigningAuthority
from workflows.services.documents import outgoing_issue
from workflows.services.rendering import document_render_docx

from .documents_factory import approved_outgoing

pytestmark = pytest.mark.django_db

ISSUED_ON = datetime.date(2023, 12, 5)
KT = SigningAuthority.ON_BEHALF_OF_HEAD


def _lines(data: bytes) -> list[str]:
    """Every paragraph of the document, in the tables too, as stripped text."""
    document = docx.Document(io.BytesIO(data))
    paragraphs = list(document.paragraphs)
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                paragraphs += cell.paragraphs
    return [p.text.strip() for p in paragraphs if p.text.strip()]


def _issued_docx(document) -> bytes:
    attachment = document.attachments.get(kind=Attachment.Kind.ISSUED)
    with attachment.file.open("rb") as handle:
        return handle.read()


def test_issued_cong_van_prints_the_decree_30_lines(world, van_thu_bdt):
    document = approved_outgoing(world)
    Recipient.objects.create(document=document, name="Lãnh đạo Ban", is_addressee=False)
    with freeze_time(ISSUED_ON):
        issued = outgoing_issue(document=document, clerk=van_thu_bdt)

    lines = _lines(_issued_docx(issued))
    for expected in [
        "UBND TỈNH BẮC GIANG",
        "BAN DÂN TỘC",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Số: 01/BDT-HCTH",
        "V/v Đánh giá, xếp loại cơ quan ngành dọc cấp huyện năm 2023",
        "Bắc Giang, ngày 05 tháng 12 năm 2023",
        "Kính gửi: Huyện ủy Lục Nam",
        "- Hoàn thành nhiệm vụ.",
        "Nơi nhận:",
        "- Như trên;",
        "- Lãnh đạo Ban;",
        "- Lưu: VT, HCTH.",
        "TRƯỞNG BAN",
        "Vi Thanh Quyên",
    ]:
        assert expected in lines
    # The template's control tags leave no trace.
    assert not [line for line in lines if "{%" in line or "{{" in line]
    assert "KT. TRƯỞNG BAN" not in lines


def test_deputy_signature_prints_kt_and_the_head_title_from_data(world, van_thu_bdt):
    document = approved_outgoing(world, signer="hung.nv", authority=KT)
    lines = _lines(_issued_docx(outgoing_issue(document=document, clerk=van_thu_bdt)))
    kt = lines.index("KT. TRƯỞNG BAN")
    assert lines[kt + 1 : kt + 3] == ["PHÓ TRƯỞNG BAN", "Nguyễn Văn Hùng"]

    head = world.user("quyen.vt")
    head.title = "GIÁM ĐỐC"
    head.save()
    document.refresh_from_db()
    assert "KT. GIÁM ĐỐC" in _lines(document_render_docx(document=document))


def test_other_types_print_the_type_name_and_summary_instead_of_v_v(world, van_thu_bdt):
    document = approved_outgoing(world, type_code="bao-cao", summary="Sơ kết Phong trào thi đua")
    with freeze_time(ISSUED_ON):
        lines = _lines(_issued_docx(outgoing_issue(document=document, clerk=van_thu_bdt)))
    assert "Số: 01/BC-BDT" in lines
    assert lines[lines.index("BÁO CÁO") + 1] == "Sơ kết Phong trào thi đua"
    assert not [line for line in lines if line.startswith("V/v")]


def test_several_addressees_are_listed_under_kinh_gui(world, van_thu_bdt):
    document = approved_outgoing(world, recipients=("hu-luc-nam", "snv-bac-giang"))
    lines = _lines(_issued_docx(outgoing_issue(document=document, clerk=van_thu_bdt)))
    start = lines.index("Kính gửi:")
    assert lines[start + 1 : start + 3] == ["- Huyện ủy Lục Nam;", "- Sở Nội vụ tỉnh Bắc Giang."]


def test_kt_without_a_head_on_record_is_refused_in_vietnamese(world, van_thu_bdt):
    document = approved_outgoing(world, signer="hung.nv", authority=KT)
    User.objects.filter(role=Role.HEAD, agency=document.agency).update(title="")
    with pytest.raises(ValidationError, match="người đứng đầu"):
        outgoing_issue(document=document, clerk=van_thu_bdt)
    document.refresh_from_db()
    assert (document.status, document.number, document.attachments.count()) == (
        "approved", None, 0
    )


def test_the_template_uses_times_new_roman():
    from workflows.docx import TEMPLATE_PATH

    template = docx.Document(str(TEMPLATE_PATH))
    assert template.styles["Normal"].font.name == "Times New Roman"
    section = template.sections[0]
    assert (round(section.left_margin.mm), round(section.right_margin.mm)) == (30, 15)
