"""Documents in flight for the demo world: something waiting in every role's inbox or queue.

`load` is one of the DEMO_LOADERS (after `accounts.demo.load_world`). Everything goes
through the services the web pages use (seed 000's story helpers drive each step as the
person whose job it is). Each item is keyed by its sender and summary, so a second run adds
nothing. Among them: Huyện ủy Lục Nam's request 1719-CV/HU of 15/11/2023, registered at Ban
Dân tộc and waiting for the head's direction; work due tomorrow; and overdue work.
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from workcalendar.services import WorkCalendar

from .models import Assignment, Direction, Document
from .services import deadlines
from .services.routing import process_of
from .story import (
    BDT,
    HU,
    REQUEST_NUMBER,
    incoming_copy,
    incoming_reach,
    outgoing_reach,
    request_send,
)

DISTRICTS = ("pdt-luc-nam", "pdt-son-dong", "pdt-luc-ngan", "pdt-yen-the")
OTHER_AGENCIES = (HU, "snv-bac-giang", "ubnd-bac-giang", *DISTRICTS)


@dataclass(frozen=True)
class Item:
    """One request sent to Ban Dân tộc and how far Ban Dân tộc has handled it."""

    clerk: str
    summary: str
    incoming_stage: str
    lead_unit: str = "HCTH"
    supporting: tuple[str, ...] = ()
    handler: str = "tuan.nq"
    due: str = ""  # "tomorrow" or "overdue"; otherwise five working days
    outgoing_stage: str = ""
    reply_summary: str = ""
    reply_to: tuple[str, ...] = ()


ITEMS = (
    Item(
        "vanthu.snv",
        "V/v báo cáo kết quả công tác thi đua, khen thưởng năm 2023",
        incoming_stage="register",
    ),
    Item(
        "vanthu.ubnd",
        "V/v triển khai Chương trình MTQG phát triển kinh tế - xã hội vùng đồng bào DTTS năm 2024",
        incoming_stage="hand_over", lead_unit="CSDT", supporting=("TTr",), due="tomorrow",
    ),
    Item(
        "vanthu.sondong",
        "V/v đề nghị hướng dẫn thực hiện chính sách hỗ trợ đất sản xuất",
        incoming_stage="handle", lead_unit="CSDT", supporting=("HCTH",), handler="ha.nt",
        due="overdue",
    ),
    Item(
        "vanthu.lucngan",
        "V/v xin ý kiến về danh sách người có uy tín năm 2024",
        incoming_stage="hand_over", supporting=("CSDT",),
    ),
    Item(
        "vanthu.yenthe",
        "V/v báo cáo tình hình đời sống đồng bào dân tộc thiểu số dịp Tết",
        incoming_stage="handle", due="overdue",
    ),
    Item(
        "vanthu.snv",
        "V/v rà soát biên chế công chức năm 2024",
        incoming_stage="done", outgoing_stage="draft",
        reply_summary="Báo cáo rà soát biên chế công chức năm 2024", reply_to=("snv-bac-giang",),
    ),
    Item(
        "vanthu.ubnd",
        "V/v góp ý dự thảo Kế hoạch thực hiện công tác dân tộc năm 2024",
        incoming_stage="done", outgoing_stage="comment",
        reply_summary="Góp ý dự thảo Kế hoạch thực hiện công tác dân tộc năm 2024",
        reply_to=("ubnd-bac-giang",),
    ),
    Item(
        "vanthu.lucnam",
        "V/v đề nghị cung cấp số liệu hộ nghèo đồng bào dân tộc thiểu số",
        incoming_stage="done", outgoing_stage="review",
        reply_summary="Cung cấp số liệu hộ nghèo đồng bào dân tộc thiểu số",
        reply_to=("pdt-luc-nam",),
    ),
    Item(
        "vanthu.hu",
        "V/v phối hợp tổ chức Đại hội đại biểu các dân tộc thiểu số huyện Lục Nam",
        incoming_stage="done", outgoing_stage="sign",
        reply_summary="Phối hợp tổ chức Đại hội đại biểu các dân tộc thiểu số huyện Lục Nam",
        reply_to=(HU,),
    ),
    Item(
        "vanthu.ubnd",
        "V/v báo cáo kết quả thực hiện chính sách đối với người có uy tín",
        incoming_stage="done", outgoing_stage="issue",
        reply_summary="Báo cáo kết quả thực hiện chính sách đối với người có uy tín",
        reply_to=("ubnd-bac-giang",),
    ),
    # Issued to every other agency twice: one copy each waits for the clerk, one (registered
    # there) for the head's direction.
    Item(
        "vanthu.ubnd",
        "V/v chỉ đạo tổng kết công tác dân tộc năm 2023",
        incoming_stage="done", outgoing_stage="done",
        reply_summary="Đề nghị báo cáo tổng kết công tác dân tộc năm 2023",
        reply_to=OTHER_AGENCIES,
    ),
    Item(
        "vanthu.ubnd",
        "V/v tổ chức Hội nghị tổng kết công tác dân tộc năm 2023",
        incoming_stage="done", outgoing_stage="done",
        reply_summary="Mời dự Hội nghị tổng kết công tác dân tộc năm 2023",
        reply_to=OTHER_AGENCIES,
    ),
)
# The copies of this reply are registered by each recipient's clerk.
REGISTERED_EVERYWHERE = ITEMS[-1].reply_summary


def _backdate_overdue(*, document: Document) -> None:
    """Make a fresh direction two working days late, as if it had been given weeks ago.

    The direction service refuses past deadlines, so the demo moves the deadline afterwards.
    """
    calendar = WorkCalendar()
    day = calendar.add_working_days(timezone.localdate(), -2)
    assignment = Assignment.objects.get(document=document)
    assignment.due_at = calendar.closing(day, document.agency)
    assignment.save(update_fields=["due_at"])
    deadlines.assignment_opened(assignment=assignment, process=process_of(document=document))


def _item_load(item: Item, say) -> None:
    quiet = lambda _line: None  # noqa: E731
    request = request_send(
        number=None, clerk=item.clerk, summary=item.summary, issued_on=timezone.localdate()
    )
    incoming = incoming_copy(request=request)
    # "Due tomorrow" is the next working day: a reminder falls due at once.
    tomorrow = WorkCalendar().add_working_days(timezone.localdate(), 1)
    stage_before_hand_over = "hand_over" if item.due == "overdue" else item.incoming_stage
    incoming_reach(
        document=incoming, stage=stage_before_hand_over, say=quiet,
        lead_unit=item.lead_unit, supporting=item.supporting, handler=item.handler,
        due_on=tomorrow if item.due else None, instruction="Đề nghị xử lý đúng hạn.",
    )
    if item.due == "overdue":
        _backdate_overdue(document=incoming)
        incoming_reach(
            document=incoming, stage=item.incoming_stage, say=quiet,
            lead_unit=item.lead_unit, handler=item.handler,
        )
    if item.outgoing_stage:
        reply = Document.objects.get(responds_to=incoming, direction=Direction.OUTGOING)
        outgoing_reach(
            document=reply, stage=item.outgoing_stage, say=quiet,
            summary=item.reply_summary, body=f"Ban Dân tộc {item.reply_summary.lower()}.",
            recipients=item.reply_to,
        )
        if item.reply_summary == REGISTERED_EVERYWHERE:
            for copy in Document.objects.filter(source=reply):
                incoming_reach(document=copy, stage="direct", say=quiet)
    say(f"  {request.agency.symbol}: {item.summary} → {item.outgoing_stage or item.incoming_stage}")


@transaction.atomic
def load(stdout=None) -> None:
    """Create the documents in flight, once."""

    def say(line: str) -> None:
        if stdout is not None:
            stdout.write(line)

    if not Document.objects.filter(agency__code=HU, notation=f"{REQUEST_NUMBER}-CV/HU").exists():
        request = request_send()
        incoming_reach(document=incoming_copy(request=request), stage="direct", say=lambda _: None)
        say(f"  HU: {request.notation} {request.summary} → chờ Trưởng Ban cho ý kiến chỉ đạo")
    for item in ITEMS:
        sent = Document.objects.filter(
            agency__people__username=item.clerk, summary=item.summary,
            direction=Direction.OUTGOING,
        )
        if not sent.exists():
            _item_load(item, say)
    agency = Document.objects.filter(agency__code=BDT)
    say(f"Văn bản đang xử lý tại Ban Dân tộc: {agency.count()}")
