"""The registers print as a paper sổ đăng ký and export to Excel, with the page's filters."""

import datetime
import io

import pytest
from django.urls import reverse
from freezegun import freeze_time
from openpyxl import load_workbook

from workflows.models import Urgency
from workflows.services.documents import outgoing_issue

from .documents_factory import approved_outgoing
from .flow_fixtures import incoming_at

pytestmark = pytest.mark.django_db

OUTGOING_HEADER = [
    "Số, ký hiệu văn bản", "Ngày tháng văn bản", "Tên loại và trích yếu nội dung", "Người ký",
    "Nơi nhận văn bản", "Đơn vị, người nhận bản lưu", "Số lượng bản", "Ghi chú",
]
INCOMING_HEADER = [
    "Số đến", "Ngày đến", "Tác giả", "Số, ký hiệu văn bản", "Ngày tháng văn bản",
    "Tên loại và trích yếu nội dung", "Đơn vị hoặc người nhận", "Ký nhận", "Ghi chú",
]


@pytest.fixture
def issued(world, van_thu_bdt):
    """Two BDT documents issued in December 2023 and one in November."""

    def issue(on, **fields):
        with freeze_time(on):  # the server dates the issue
            return outgoing_issue(document=approved_outgoing(world, **fields), clerk=van_thu_bdt)

    return [
        issue(datetime.date(2023, 11, 20), summary="Kế hoạch tháng 12"),
        issue(datetime.date(2023, 12, 5), summary="Báo cáo sơ kết thi đua"),
        issue(datetime.date(2023, 12, 28), urgency=Urgency.FLASH, summary="Triệu tập họp"),
    ]


def _sheet_rows(response) -> list[list]:
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    content = b"".join(response.streaming_content)
    sheet = load_workbook(io.BytesIO(content), read_only=True).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_the_outgoing_register_exports_the_filtered_entries_to_excel(
    client, van_thu_bdt, issued
):
    client.force_login(van_thu_bdt)
    response = client.get(
        reverse("documents:register_outgoing_excel"),
        {"year": "2023", "date_from": "01/12/2023", "date_to": "31/12/2023"},
    )
    assert response.status_code == 200
    assert 'filename="so-van-ban-di-2023.xlsx"' in response["Content-Disposition"]
    rows = _sheet_rows(response)
    assert rows[0][0] == "Ban Dân tộc tỉnh Bắc Giang"
    assert rows[1][0] == "Sổ văn bản đi 2023"
    assert rows[2] == OUTGOING_HEADER
    first, second = rows[3:]
    assert first[0] == issued[1].notation and second[0] == issued[2].notation
    assert first[1] == datetime.datetime(2023, 12, 5)
    assert first[2] == "Công văn: Báo cáo sơ kết thi đua"
    assert first[3] == "Vi Thanh Quyên"
    assert first[4] == "Huyện ủy Lục Nam"
    assert first[5] == "Hành chính – Tổng hợp"
    assert first[6] == 1
    assert (first[7], second[7]) == (None, "Hỏa tốc")


def test_the_incoming_register_prints_and_exports_the_paper_columns(client, world, van_thu_bdt):
    incoming = incoming_at("hand_over")
    client.force_login(van_thu_bdt)
    year = incoming.register_year

    rows = _sheet_rows(client.get(reverse("documents:register_incoming_excel"), {"year": year}))
    assert rows[2] == INCOMING_HEADER
    entries = {row[3]: row for row in rows[3:]}
    directed = entries[incoming.notation]
    assert directed[0] == incoming.register_number
    assert directed[2] == "Huyện ủy Lục Nam"
    assert directed[5].endswith(incoming.summary)
    assert directed[6] == "Hành chính – Tổng hợp"

    page = client.get(reverse("documents:register_incoming_print"), {"year": year})
    html = page.content.decode()
    assert page.status_code == 200
    assert "SỔ ĐĂNG KÝ VĂN BẢN ĐẾN" in html and "BAN DÂN TỘC TỈNH BẮC GIANG" in html
    assert all(title in html for title in INCOMING_HEADER)
    assert incoming.notation in html
    assert incoming.registered_at.astimezone().strftime("%d/%m/%Y") in html


def test_another_agency_s_register_shows_none_of_these_entries(client, world, issued):
    client.force_login(world.user("vanthu.hu"))
    rows = _sheet_rows(client.get(reverse("documents:register_outgoing_excel"), {"year": 2023}))
    assert rows[0][0] == "Huyện ủy Lục Nam"
    assert rows[3:] == []
    page = client.get(reverse("documents:register_outgoing_print"), {"year": 2023})
    assert all(document.notation not in page.content.decode() for document in issued[1:])


def test_the_register_page_links_its_print_and_excel_with_its_filters(
    client, van_thu_bdt, issued
):
    client.force_login(van_thu_bdt)
    html = client.get(reverse("documents:register_outgoing"), {"year": "2023"}).content.decode()
    assert f'{reverse("documents:register_outgoing_print")}?year=2023' in html
    assert f'{reverse("documents:register_outgoing_excel")}?year=2023' in html
