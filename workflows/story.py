"""Seed 000 played on the demo world through the same services the web pages use.

Huyện ủy Lục Nam asks Ban Dân tộc for its opinion on the 2023 ranking of Phòng Dân tộc
huyện Lục Nam (Công văn 1719-CV/HU of 15/11/2023); Ban Dân tộc registers the request,
directs it, drafts, comments, reviews, signs and issues its reply NN/BDT-HCTH, which reaches
Huyện ủy Lục Nam's queue with the request marked answered. `manage.py play_story seed000`,
the demo loader, tests and the bench all call these functions.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from viewflow.workflow.models import Task

from accounts.models import Agency, Role, Unit, User

from .flows import IncomingFlow, OutgoingFlow
from .models import Direction, Document, DocumentProcess, DocumentType, RegisterCounter
from .queues import task_queue_for
from .services import handling
from .services.documents import outgoing_send_signed_for_demo
from .services.numbering import register_for
from .services.recipients import RecipientInput
from .services.routing import open_task, process_of, task_perform

BDT, HU = "bdt-bac-giang", "hu-luc-nam"
REQUEST_NUMBER = 1719
REQUEST_DATE = datetime.date(2023, 11, 15)
REQUEST_SUMMARY = "V/v xin ý kiến đánh giá, xếp loại Phòng Dân tộc huyện Lục Nam năm 2023"
REPLY_SUMMARY = "V/v Đánh giá, xếp loại cơ quan ngành dọc cấp huyện năm 2023"
REPLY_BODY = """Căn cứ Công văn số 1719-CV/HU ngày 15/11/2023 của Huyện ủy Lục Nam về việc xin ý kiến đánh giá, xếp loại Phòng Dân tộc huyện Lục Nam năm 2023. Căn cứ chức năng, nhiệm vụ; sau khi xem xét tập thể Lãnh đạo Ban Dân tộc thống nhất nhận xét, đánh giá chất lượng hoạt động, công tác năm 2023 đối với Phòng Dân tộc huyện Lục Nam, như sau:
1. Về thực hiện nhiệm vụ chuyên môn
Phòng Dân tộc huyện Lục Nam đã nghiêm túc thực hiện các văn bản chỉ đạo, hướng dẫn về chuyên môn, nghiệp vụ thuộc lĩnh vực quản lý nhà nước của Ban Dân tộc. Tuy nhiên, trong công tác tham mưu tổ chức triển khai thực hiện nhiệm vụ còn có một tồn tại, hạn chế như: Chất lượng báo cáo thấp, số liệu không đầy đủ; kết quả triển khai thực hiện nhiệm vụ do tình yêu cầu còn chậm, muộn, phải đôn đốc, nhắc nhở nhiều lần; phương pháp làm việc chưa khoa học; tiến độ thực hiện và tỷ lệ giải ngân một số dự án thuộc Chương trình MTQG phát triển kinh tế - xã hội vùng đồng bào dân tộc thiểu số năm 2022, 2023 còn chậm so với yêu cầu của Ban chỉ đạo các chương trình mục tiêu quốc gia tỉnh, Tổ công tác chương trình mục tiêu quốc gia DTTS&MN tỉnh.
2. Về công tác phối hợp
Nhìn chung, Phòng Dân tộc huyện Lục Nam thực hiện tốt công tác phối hợp với các phòng, đơn vị chuyên môn thuộc Ban; thực hiện các ý kiến chỉ đạo về chuyên môn, nghiệp vụ của Lãnh đạo Ban đối với phòng và tham gia đầy đủ các cuộc họp, giao ban, hội nghị do Ban Dân tộc tổ chức. Tuy nhiên, tiến độ giải quyết các công việc của Phòng Dân tộc huyện còn chậm, muộn, chất lượng chuyên môn còn hạn chế.
3. Xếp loại
- Hoàn thành nhiệm vụ.
- Xếp thứ tự: 4/4 Phòng Dân tộc cấp huyện trên toàn tỉnh.
Đề nghị Huyện ủy Lục Nam quan tâm, chỉ đạo UBND huyện thường xuyên lãnh đạo, chỉ đạo, kiểm tra, giám sát kết quả tổ chức, triển khai thực hiện công tác dân tộc, chính sách dân tộc trên địa bàn huyện đối với Phòng Dân tộc huyện Lục Nam./."""  # noqa: E501 (the seed's paragraphs, verbatim)
COMMENT = "Thống nhất nội dung dự thảo; giữ xếp loại Hoàn thành nhiệm vụ, xếp thứ tự 4/4."


def pdf_page(text: str) -> bytes:
    """A valid one-page PDF printing `text` (ASCII), which a browser's PDF viewer shows."""
    stream = b"BT /F1 16 Tf 72 770 Td (" + text.encode("ascii") + b") Tj ET"
    objects = [
        b"<</Type/Catalog/Pages 2 0 R>>",
        b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]"
        b"/Resources<</Font<</F1 4 0 R>>>>/Contents 5 0 R>>",
        b"<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>",
        b"<</Length %d>>stream\n%s\nendstream" % (len(stream), stream),
    ]
    content, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(content))
        content += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(content)
    content += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    content += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    content += b"trailer\n<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref
    )
    return bytes(content)


def pdf_scan(name: str) -> SimpleUploadedFile:
    """A PDF standing for a scanned paper document (one page naming the file)."""
    return SimpleUploadedFile(
        name, pdf_page(f"Scan: {name}"), content_type="application/pdf"
    )


def user(username: str) -> User:
    return User.objects.select_related("agency", "unit").get(username=username)


def _step(node, document: Document) -> Task | None:
    return open_task(document=document, node=node)


def outgoing_counter_before(*, agency: Agency, number: int, year: int) -> None:
    """Move the agency's outgoing counter of `year` to just before `number` when it is behind,
    as if its register already held the year's earlier documents."""
    register = register_for(agency=agency, direction=Direction.OUTGOING)
    counter, _created = RegisterCounter.objects.get_or_create(register=register, year=year)
    if counter.last_number < number - 1:
        # Conditional, in one statement: a number taken meanwhile is never given again.
        RegisterCounter.objects.filter(pk=counter.pk, last_number__lt=number - 1).update(
            last_number=number - 1
        )


def request_send(
    *,
    number: int | None = REQUEST_NUMBER,
    clerk: str = "vanthu.hu",
    summary: str = REQUEST_SUMMARY,
    issued_on: datetime.date = REQUEST_DATE,
    to: tuple[str, ...] = (BDT,),
) -> Document:
    """An agency's clerk sends a document signed on paper; by default Huyện ủy Lục Nam's
    Công văn 1719-CV/HU of 15/11/2023 to Ban Dân tộc, dated `issued_on` as the seed is
    (`outgoing_send_signed_for_demo`: the product itself dates every issue today).

    The sender's register already holds its earlier documents of the year, so its counter
    is moved to just before `number` when it is behind (later calls take the next numbers).
    Returns the sender's issued document; its delivery starts each recipient's IncomingFlow.
    """
    sender = user(clerk)
    agency = sender.agency
    if number is not None:
        outgoing_counter_before(agency=agency, number=number, year=issued_on.year)
    head = User.objects.get(agency=agency, role="head")
    return outgoing_send_signed_for_demo(
        clerk=sender,
        document_type=DocumentType.objects.get(code="cong-van"),
        summary=summary,
        recipients=list(Agency.objects.filter(code__in=to)),
        signer_name=head.get_full_name(),
        signer_title=head.title,
        signing_authority="",
        file=pdf_scan(f"{agency.symbol}-{issued_on:%Y%m%d}.pdf"),
        drafting_unit=sender.unit,
        issued_on=issued_on,
    )


def request_pending() -> Document | None:
    """HU's 1719-CV/HU when Ban Dân tộc has not answered it yet (the demo loads it waiting
    for the head's direction), so the story goes on from where the demo left it."""
    request = Document.objects.filter(
        agency__code=HU, notation=f"{REQUEST_NUMBER}-CV/HU", answered_at__isnull=True
    ).first()
    if request is None or not Document.objects.filter(source=request, agency__code=BDT).exists():
        return None
    return request


def incoming_copy(*, request: Document, agency_code: str = BDT) -> Document:
    """The recipient agency's incoming copy of a delivered document."""
    return Document.objects.select_related("agency").get(
        source=request, agency__code=agency_code
    )


@dataclass
class Story:
    """What the story produced, for printing and for the tests' assertions."""

    request: Document
    incoming: Document
    reply: Document | None = None
    delivered: list[Document] = field(default_factory=list)
    steps: list[str] = field(default_factory=list)


def seed000_play(
    *, signer: str = "quyen.vt", out: Callable[[str], None] = print, working_days: int = 5
) -> Story:
    """Play seed 000 from HU's request to the reply in HU's queue; return what it made.

    `signer` is the leader who signs: "quyen.vt" (TRƯỞNG BAN) or the deputy "hung.nv",
    whose signature prints "KT. TRƯỞNG BAN".
    """
    request = request_pending()
    resumed = request is not None
    if not resumed:
        request = request_send()
    story = Story(request=request, incoming=incoming_copy(request=request))

    def say(text: str) -> None:
        story.steps.append(text)
        out(text)

    sent = "đã gửi" if resumed else "gửi"
    say(f"1. Huyện ủy Lục Nam {sent} {request.notation}: {request.summary}")
    incoming = story.incoming
    incoming_reach(document=incoming, stage="done", say=say, working_days=working_days)
    reply = Document.objects.select_related("drafted_by", "drafting_unit__head").get(
        responds_to=incoming, direction=Direction.OUTGOING
    )
    outgoing_reach(document=reply, stage="done", signer=signer, say=say)
    story.reply = Document.objects.get(pk=reply.pk)
    story.delivered = list(story.reply.delivered_copies.select_related("agency"))
    for copy in story.delivered:
        queue = task_queue_for(user=user("vanthu.hu")).filter(
            process__documentprocess__document=copy
        )
        for task in queue:
            say(
                f"→ Hàng chờ của văn thư {copy.agency.name}: «{task.title}» – "
                f"{copy.notation} {copy.summary} (trả lời {copy.responds_to.notation})"
            )
    story.request.refresh_from_db()
    story.incoming.refresh_from_db()
    return story


INCOMING_STAGES = ("register", "direct", "hand_over", "handle", "done")
OUTGOING_STAGES = ("draft", "comment", "review", "sign", "issue", "done")


def incoming_reach(
    *,
    document: Document,
    stage: str,
    say: Callable[[str], None] = print,
    working_days: int = 5,
    due_on: datetime.date | None = None,
    lead_unit: str = "HCTH",
    supporting: tuple[str, ...] = (),
    handler: str = "tuan.nq",
    instruction: str = "Giao Văn phòng tham mưu văn bản trả lời Huyện ủy Lục Nam.",
) -> DocumentProcess:
    """Drive an agency's handling of an incoming document until `stage` is next (or done).

    Stages in order: register, direct, hand_over, handle, done (the specialist chose to
    reply: the reply's draft exists). Each step is done by the demo person whose job it is:
    the agency's clerk, its head, the lead unit's head, the specialist `handler`.
    """
    target = INCOMING_STAGES.index(stage)
    agency = document.agency.code
    people = User.objects.filter(agency=document.agency, is_active=True).order_by("username")
    if target > 0 and (task := _step(IncomingFlow.register, document)):
        clerk = people.filter(role=Role.CLERK).first()
        task_perform(task=task, user=clerk, service=handling.incoming_register)
        document.refresh_from_db()
        say(
            f"2. Văn thư {clerk.get_full_name()} đăng ký văn bản đến, "
            f"số đến {document.register_number}"
        )
    if target > 1 and (task := _step(IncomingFlow.direct, document)):
        unit = Unit.objects.select_related("head").get(agency__code=agency, symbol=lead_unit)
        head = people.get(role=Role.HEAD)
        assignment = task_perform(
            task=task,
            user=head,
            service=handling.incoming_direct,
            lead_unit=unit,
            supporting_units=Unit.objects.filter(agency__code=agency, symbol__in=supporting),
            working_days=None if due_on else working_days,
            due_on=due_on,
            instruction=instruction,
        )
        say(
            f"3. {head.title.capitalize()} {head.get_full_name()} chỉ đạo: chủ trì "
            f"{unit.symbol}, hạn {timezone.localtime(assignment.due_at):%d/%m/%Y}"
        )
    if target > 2 and (task := _step(IncomingFlow.hand_over, document)):
        unit = Unit.objects.select_related("head").get(agency__code=agency, symbol=lead_unit)
        specialist = user(handler)
        task_perform(
            task=task, user=unit.head, service=handling.incoming_hand_over, handler=specialist
        )
        say(f"4. {unit.head.get_full_name()} giao cho chuyên viên {specialist.get_full_name()}")
    if target > 3 and (task := _step(IncomingFlow.handle, document)):
        task_perform(task=task, user=user(handler), service=handling.incoming_reply)
        say("5. Chuyên viên chọn trả lời bằng văn bản đi")
    return process_of(document=document)


def outgoing_reach(
    *,
    document: Document,
    stage: str,
    signer: str = "quyen.vt",
    say: Callable[[str], None] = print,
    commenter: str = "hung.nv",
    summary: str = REPLY_SUMMARY,
    body: str = REPLY_BODY,
    recipients: tuple[str, ...] = (HU,),
) -> DocumentProcess:
    """Drive a reply drafted in HCTH until `stage` is next (draft, comment, review, sign,
    issue) or it is issued and delivered ("done")."""
    target = OUTGOING_STAGES.index(stage)
    agency_ids = Agency.objects.filter(code__in=recipients).values_list("pk", flat=True)
    if target > 0 and (task := _step(OutgoingFlow.draft, document)):
        task_perform(
            task=task,
            user=document.drafted_by,
            service=handling.draft_save,
            document_type=DocumentType.objects.get(code="cong-van"),
            summary=summary,
            body=body,
            recipients=[
                *(RecipientInput(agency_id=pk) for pk in agency_ids),
                RecipientInput(name="Lãnh đạo Ban", is_addressee=False),
            ],
            proposed_signer=user(signer),
            commenters=[user(commenter)] if commenter else [],
        )
        say("6. Chuyên viên soạn dự thảo trả lời (Hoàn thành nhiệm vụ, xếp thứ tự 4/4)")
    if target > 1 and (task := _step(OutgoingFlow.comment, document)):
        person = user(commenter)
        task_perform(task=task, user=person, service=handling.comment_give, text=COMMENT)
        say(f"7. {person.get_full_name()} cho ý kiến: {COMMENT}")
    if target > 2 and (task := _step(OutgoingFlow.review, document)):
        head = document.drafting_unit.head
        task_perform(task=task, user=head, service=handling.draft_review, approve=True)
        say(f"8. {head.get_full_name()} ({head.title}) duyệt dự thảo")
    if target > 3 and (task := _step(OutgoingFlow.sign, document)):
        leader = user(signer)
        task_perform(task=task, user=leader, service=handling.draft_sign, approve=True)
        say(f"9. {leader.get_full_name()} ({leader.title}) duyệt và ký")
    if target > 4 and (task := _step(OutgoingFlow.issue, document)):
        issued = task_perform(task=task, user=user("mai.ht"), service=handling.draft_issue)
        say(f"10. Văn thư phát hành văn bản số {issued.notation}")
        recipients = ", ".join(
            str(r) for r in issued.recipients_with_agencies() if r.agency_id is not None
        )
        say(f"11. Đã chuyển đến: {recipients}")
    return process_of(document=document)
