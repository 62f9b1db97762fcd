"""Seed 000 end to end with the demo users, through the services the web pages use."""

import io

import docx
import pytest
from viewflow.workflow.status import PROCESS

from workflows.models import Assignment, Attachment, Document, TimelineEntry
from workflows.queues import task_queue_for
from workflows.services.routing import process_of
from workflows.story import seed000_play

pytestmark = pytest.mark.django_db


def _docx_lines(document: Document) -> list[str]:
    issued = document.attachments.get(kind=Attachment.Kind.ISSUED)
    with issued.file.open("rb") as handle:
        word = docx.Document(io.BytesIO(handle.read()))
    lines = [p.text for p in word.paragraphs]
    for table in word.tables:
        for row in table.rows:
            for cell in row.cells:
                lines.extend(p.text for p in cell.paragraphs)
    return [line.strip() for line in lines if line.strip()]


@pytest.fixture
def story(world):
    return seed000_play(out=lambda _line: None)


def test_both_processes_end_done_and_the_request_is_answered(story):
    incoming_process = process_of(document=story.incoming)
    outgoing_process = process_of(document=story.reply)
    assert incoming_process.status == PROCESS.DONE
    assert outgoing_process.status == PROCESS.DONE
    assert story.incoming.status == Document.Status.ANSWERED
    assert story.request.answered_at is not None
    assignment = story.incoming.assignments.get()
    assert assignment.outcome == Assignment.Outcome.REPLIED
    assert assignment.handler.username == "tuan.nq"


def test_the_reply_is_issued_as_bdt_hcth_with_the_decree_30_lines(story):
    reply = story.reply
    assert reply.status == Document.Status.ISSUED
    assert reply.notation == f"{reply.number:02d}/BDT-HCTH"
    lines = _docx_lines(reply)
    text = "\n".join(lines)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in lines
    assert "Độc lập - Tự do - Hạnh phúc" in lines
    assert f"Số: {reply.notation}" in lines
    assert any(line.startswith("Bắc Giang, ngày ") for line in lines)
    assert "V/v Đánh giá, xếp loại cơ quan ngành dọc cấp huyện năm 2023" in text
    assert "Kính gửi: Huyện ủy Lục Nam" in text.replace("\n", " ")
    assert "- Hoàn thành nhiệm vụ." in lines
    assert "- Xếp thứ tự: 4/4 Phòng Dân tộc cấp huyện trên toàn tỉnh." in lines
    assert "- Như trên;" in lines and "- Lãnh đạo Ban;" in lines and "- Lưu: VT, HCTH." in lines
    assert "TRƯỞNG BAN" in lines and "Vi Thanh Quyên" in lines
    assert not any(line.startswith("KT.") for line in lines)


def test_hu_queue_holds_the_reply_linked_to_its_answered_request(story, van_thu_hu):
    (copy,) = story.delivered
    assert copy.agency.code == "hu-luc-nam"
    assert copy.responds_to == story.request
    assert copy.notation == story.reply.notation
    queue = task_queue_for(user=van_thu_hu)
    assert [task.process.documentprocess.document for task in queue] == [copy]


def test_every_step_is_in_the_timeline(story):
    incoming_actions = list(story.incoming.timeline.values_list("action", flat=True))
    for action in ("received", "registered", "directed", "handed_over", "answered"):
        assert action in incoming_actions
    reply_steps = list(
        story.reply.timeline.exclude(actor=None).values_list("action", "actor__username")
    )
    assert reply_steps == [
        (TimelineEntry.Action.DRAFTED, "tuan.nq"),
        (TimelineEntry.Action.COMMENT_REQUESTED, "tuan.nq"),
        (TimelineEntry.Action.COMMENTED, "hung.nv"),
        (TimelineEntry.Action.REVIEWED, "lan.tt"),
        (TimelineEntry.Action.SIGNED, "quyen.vt"),
        (TimelineEntry.Action.ISSUED, "mai.ht"),
    ]


def test_a_deputy_signature_prints_kt_truong_ban(world):
    story = seed000_play(signer="hung.nv", out=lambda _line: None)
    lines = _docx_lines(story.reply)
    assert "KT. TRƯỞNG BAN" in lines
    assert "PHÓ TRƯỞNG BAN" in lines
    assert "Nguyễn Văn Hùng" in lines
    assert story.reply.signing_authority == "KT"
