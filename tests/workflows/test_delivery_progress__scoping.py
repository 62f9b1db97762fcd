"""Only the milestones cross the agency boundary: the sender never sees the receiving
agency's direction text, opinions, comments, return reasons, drafts or staff names (the
reply's signer aside)."""

import pytest

from workflows.services import handling
from workflows.services.routing import task_perform
from workflows.story import (
    COMMENT,
    REPLY_BODY,
    incoming_copy,
    incoming_reach,
    outgoing_reach,
    request_send,
)

from .flow_fixtures import IncomingFlow, OutgoingFlow, quiet, task_of

pytestmark = pytest.mark.django_db

INSTRUCTION = "Giao Văn phòng tham mưu; lưu ý giữ kín số liệu xếp loại nội bộ."
OPINION = "Phòng CSDT đề nghị hạ xếp loại do chậm giải ngân."
RETURN_REASON = "Bổ sung số liệu giải ngân 2023 trước khi trình ký."
# People of Ban Dân tộc who worked on the request without signing the reply.
STAFF = ("Nguyễn Quốc Tuấn", "Trần Thị Lan", "Nguyễn Văn Hùng", "Lê Văn Minh", "Hoàng Thị Mai")


def _senders_page(client, user, document) -> str:
    client.force_login(user)
    response = client.get(f"/documents/{document.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def _assert_nothing_internal(page: str) -> None:
    for private in (INSTRUCTION, OPINION, RETURN_REASON, COMMENT, REPLY_BODY[:80], *STAFF):
        assert private not in page


def test_the_senders_page_shows_milestones_and_nothing_internal(
    client, world, van_thu_hu, truong_phong
):
    request = request_send()
    incoming = incoming_copy(request=request)
    incoming_reach(document=incoming, stage="done", say=quiet, supporting=("CSDT",),
                   instruction=INSTRUCTION)
    task_perform(
        task=task_of(incoming, IncomingFlow.give_opinion), user=world.user("minh.lv"),
        service=handling.opinion_give, text=OPINION,
    )
    reply = incoming.replies.get()
    outgoing_reach(document=reply, stage="review", say=quiet)
    task_perform(
        task=task_of(reply, OutgoingFlow.review), user=truong_phong,
        service=handling.draft_review, approve=False, reason=RETURN_REASON,
    )
    outgoing_reach(document=reply, stage="sign", say=quiet, commenter="")
    # The receiving agency's own data holds all of it…
    assert incoming.assignments.get().instruction == INSTRUCTION
    assert incoming.opinions.filter(text=OPINION).exists()
    assert reply.opinions.filter(text=COMMENT).exists()
    assert reply.timeline.filter(comment=RETURN_REASON).exists()

    # …while the sender sees the draft stage as “being handled”, and none of it.
    page = _senders_page(client, van_thu_hu, request)
    assert "Đang xử lý từ ngày" in page and "Đã trả lời" not in page
    _assert_nothing_internal(page)

    outgoing_reach(document=reply, stage="done", say=quiet)
    reply.refresh_from_db()
    for person in (van_thu_hu, world.user("son.bt")):
        page = _senders_page(client, person, request)
        assert reply.notation in page and "Vi Thanh Quyên" in page
        _assert_nothing_internal(page)
