"""Import of tasks from Excel: a good sheet creates its tasks; a sheet with mistakes is refused
whole, each mistake named by row and column in Vietnamese, and nothing is imported."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from tracking.importing import COLUMNS, ImportRefused, tasks_import
from tracking.models import TrackedTask

pytestmark = pytest.mark.django_db

HEADER = [str(title) for _name, title in COLUMNS]
GOOD_ROWS = [
    ["Báo cáo kết quả giảm nghèo", "UBND tỉnh Bắc Giang", "123/UBND-KT",
     "Nhiệm vụ UBND tỉnh giao", "CSDT", "TTr", "ha.nt", datetime.date(2021, 3, 1),
     datetime.date(2021, 3, 31)],
    ["Xây dựng kế hoạch tuyên truyền", "UBND tỉnh Bắc Giang", "", "Chương trình công tác",
     "Hành chính – Tổng hợp", "", "Nguyễn Quốc Tuấn", "05/04/2021", "30/06/2021"],
]


def sheet(rows) -> io.BytesIO:
    workbook = Workbook()
    worksheet = workbook.active
    worksheet.append(HEADER)
    for row in rows:
        worksheet.append(row)
    stream = io.BytesIO()
    workbook.save(stream)
    stream.seek(0)
    return stream


def test_a_good_sheet_creates_every_task(world, van_thu_bdt):
    tasks = tasks_import(user=van_thu_bdt, file=sheet(GOOD_ROWS))
    assert len(tasks) == 2
    first, second = tasks
    assert first.lead_unit.symbol == "CSDT" and first.handler.username == "ha.nt"
    assert [unit.symbol for unit in first.supporting_units.all()] == ["TTr"]
    assert first.category.name == "Nhiệm vụ UBND tỉnh giao"
    assert (first.assigned_on, first.due_on) == (datetime.date(2021, 3, 1),
                                                  datetime.date(2021, 3, 31))
    assert second.lead_unit.symbol == "HCTH" and second.handler.username == "tuan.nq"
    assert second.due_on == datetime.date(2021, 6, 30)


def test_a_bad_sheet_is_refused_whole_with_each_error_named(world, van_thu_bdt):
    bad = [
        GOOD_ROWS[0],
        ["Nhiệm vụ có ngày sai", "", "", "", "CSDT", "", "", "32/13/2021", "30/06/2021"],
        ["Nhiệm vụ của phòng không có", "", "", "", "Phòng Kế hoạch", "", "", "01/03/2021", ""],
        ["", "", "", "", "HCTH", "", "", "01/03/2021", "30/06/2021"],
    ]
    with pytest.raises(ImportRefused) as refused:
        tasks_import(user=van_thu_bdt, file=sheet(bad))
    messages = [str(error) for error in refused.value.errors]
    assert messages == [
        "Dòng 3, cột “Ngày giao”: “32/13/2021” không phải là ngày (ghi theo dạng 16/07/2021).",
        "Dòng 4, cột “Đơn vị chủ trì”: cơ quan không có đơn vị “Phòng Kế hoạch”.",
        "Dòng 5, cột “Nội dung nhiệm vụ”: nội dung để trống.",
    ]
    assert not TrackedTask.objects.exists()


def test_a_unit_head_may_import_only_for_their_unit(world, truong_phong):
    with pytest.raises(ImportRefused) as refused:
        tasks_import(user=truong_phong, file=sheet(GOOD_ROWS))
    assert [(error.row, error.column) for error in refused.value.errors] == [
        (2, "Đơn vị chủ trì")
    ]
    assert not TrackedTask.objects.exists()


def test_a_file_that_is_not_a_workbook_is_refused(world, van_thu_bdt):
    with pytest.raises(ImportRefused) as refused:
        tasks_import(user=van_thu_bdt, file=io.BytesIO(b"not a workbook"))
    assert "không phải là bảng tính Excel" in str(refused.value.errors[0])


def test_the_page_lists_the_errors_and_keeps_nothing(world, client, van_thu_bdt):
    client.force_login(van_thu_bdt)
    bad = [["", "", "", "Loại không có", "CSDT", "", "", "01/03/2021", "30/06/2021"]]
    upload = SimpleUploadedFile("nhiem-vu.xlsx", sheet(bad).getvalue())
    response = client.post(reverse("tracking:task_import"), {"file": upload})
    page = response.content.decode()
    assert "Dòng 2, cột “Nội dung nhiệm vụ”: nội dung để trống." in page
    assert "Dòng 2, cột “Loại nhiệm vụ”: không có loại nhiệm vụ “Loại không có”." in page
    assert not TrackedTask.objects.exists()
    upload = SimpleUploadedFile("nhiem-vu.xlsx", sheet(GOOD_ROWS).getvalue())
    response = client.post(reverse("tracking:task_import"), {"file": upload})
    assert response.status_code == 302
    assert TrackedTask.objects.count() == 2
