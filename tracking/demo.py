"""Demo tasks of Ban Dân tộc (settings.DEMO_LOADERS), in the spirit of seed 001.

Besides the directions of the workflows demo (tracked on their own), the agency follows
tasks of the provincial work programme, key tasks and meeting conclusions entered by its
clerk this year: most finished on time, some late, some overdue, one key task blocked for
want of funding. Dates are relative to today, so the dashboard is alive whenever it runs.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from accounts.models import Agency, Unit, User

from .models import Category, TrackedTask
from .services import task_block, task_create

AGENCY = "bdt-bac-giang"
CLERK = "mai.ht"
DIRECTOR = "quyen.vt"
BLOCKED_REASON = "Chưa được giao kinh phí và chưa có hướng dẫn thực hiện."

# (content, category code, unit symbol, handler, given N days ago, days to do it,
#  finished after N days or None)
TASKS = [
    ("Báo cáo kết quả thực hiện Chương trình mục tiêu quốc gia phát triển KT-XH vùng "
     "đồng bào DTTS quý I", "ubnd-giao", "CSDT", "ha.nt", 300, 20, 15),
    ("Tham mưu Kế hoạch triển khai Chiến lược công tác dân tộc", "chuong-trinh-cong-tac",
     "CSDT", "duc.pv", 280, 30, 28),
    ("Tổng hợp danh sách người có uy tín trong đồng bào DTTS", "ubnd-giao", "CSDT", "ha.nt",
     250, 15, 14),
    ("Báo cáo công tác cải cách hành chính 6 tháng", "chuong-trinh-cong-tac", "HCTH",
     "tuan.nq", 200, 10, 9),
    ("Kiểm tra việc thực hiện chính sách hỗ trợ đất ở, nhà ở", "nhiem-vu-trong-tam", "TTr",
     "hoa.lt", 190, 45, 40),
    ("Tổ chức tập huấn nghiệp vụ công tác dân tộc cấp xã", "nhiem-vu-trong-tam", "CSDT",
     "duc.pv", 170, 60, None),
    ("Xây dựng Đề án hỗ trợ phát triển sinh kế vùng đặc biệt khó khăn", "nhiem-vu-trong-tam",
     "CSDT", "ha.nt", 160, 90, None),
    ("Rà soát, sửa đổi quy chế làm việc của Ban", "ket-luan-chi-dao", "HCTH", "tuan.nq",
     150, 20, 35),
    ("Báo cáo kết quả phổ biến, giáo dục pháp luật cho đồng bào DTTS",
     "chuong-trinh-cong-tac", "TTr", "hoa.lt", 120, 15, 12),
    ("Duy trì hoạt động trang thông tin điện tử của Ban", "ket-luan-chi-dao", "HCTH",
     "tuan.nq", 100, 30, 25),
    ("Giải quyết đơn kiến nghị của công dân xã vùng cao", "ubnd-giao", "TTr", "hoa.lt",
     80, 10, None),
    ("Báo cáo sơ kết công tác dân tộc 9 tháng", "chuong-trinh-cong-tac", "HCTH", "tuan.nq",
     60, 10, 10),
    ("Tham mưu văn bản góp ý dự thảo Nghị quyết của HĐND tỉnh", "ubnd-giao", "CSDT", "duc.pv",
     30, 10, None),
    ("Chuẩn bị Hội nghị tổng kết công tác dân tộc năm", "ket-luan-chi-dao", "HCTH", "tuan.nq",
     15, 40, None),
]


@transaction.atomic
def load(stdout=None) -> None:
    """Enter the demo tasks once (skipped when the agency already has hand-entered tasks)."""
    agency = Agency.objects.get(code=AGENCY)
    if TrackedTask.objects.filter(agency=agency, assignment__isnull=True).exists():
        return
    clerk = User.objects.get(username=CLERK)
    director = User.objects.get(username=DIRECTOR)
    units = {unit.symbol: unit for unit in Unit.objects.filter(agency=agency)}
    people = {person.username: person for person in User.objects.filter(agency=agency)}
    categories = {category.code: category for category in Category.objects.all()}
    today = timezone.localdate()
    start_of_year = datetime.date(today.year, 1, 1)
    for content, category, unit, handler, ago, days, finished_after in TASKS:
        assigned_on = max(today - datetime.timedelta(days=ago), start_of_year)
        completed_on = (
            min(assigned_on + datetime.timedelta(days=finished_after), today)
            if finished_after is not None else None
        )
        task = task_create(
            user=clerk, content=content, category=categories[category], lead_unit=units[unit],
            handler=people[handler], directed_by=director, giving_body="UBND tỉnh Bắc Giang",
            assigned_on=assigned_on, due_on=assigned_on + datetime.timedelta(days=days),
            completed_on=completed_on,
            result="Đã hoàn thành, báo cáo UBND tỉnh." if completed_on else "",
        )
        if content.startswith("Xây dựng Đề án"):
            task_block(user=units[unit].head, task=task, reason=BLOCKED_REASON)
    if stdout is not None:
        stdout.write(f"  Nhiệm vụ theo dõi của {agency.symbol}: {len(TASKS)}")
