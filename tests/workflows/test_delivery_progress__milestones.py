"""The sender follows its request inside each receiving agency, milestone by milestone:
received (số đến) → directed (lead unit, deadline) → being handled → answered or closed."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from workflows.models import Document
from workflows.selectors import DeliveryProgress, delivery_progress_for
from workflows.services import handling
from workflows.services.routing import task_perform
from workflows.story import (
    incoming_copy,
    incoming_reach,
    outgoing_reach,
    request_send,
)

from .flow_fixtures import IncomingFlow, quiet, task_of

pytestmark = pytest.mark.django_db


def _block(client, user, document) -> str:
    """The “At the receiving agencies” card of `document`'s page as `user` sees it."""
    client.force_login(user)
    page = client.get(f"/documents/{document.pk}/").content.decode()
    start = page.find('class="mdc-card vf-card lt-delivery-progress"')
    assert start != -1, "no delivery progress on the page"
    return page[start:page.find("</section>\n</div>", start)]


def test_each_milestone_appears_on_the_senders_page_as_it_happens(client, world, van_thu_hu):
    request = request_send()
    incoming = incoming_copy(request=request)
    block = _block(client, van_thu_hu, request)
    assert "Ban Dân tộc tỉnh Bắc Giang" in block and "Chờ vào sổ văn bản đến" in block

    incoming_reach(document=incoming, stage="direct", say=quiet)
    incoming.refresh_from_db()
    today = f"{timezone.localdate():%d/%m/%Y}"
    assert f"Đã vào sổ: số đến {incoming.register_number}, ngày {today}" in _block(
        client, van_thu_hu, request
    )

    incoming_reach(document=incoming, stage="hand_over", say=quiet)
    assignment = incoming.assignments.get()
    due = f"{timezone.localtime(assignment.due_at):%d/%m/%Y}"
    block = _block(client, van_thu_hu, request)
    unit = assignment.lead_unit.name
    assert (f"Đã có ý kiến chỉ đạo ngày {today}: đơn vị chủ trì {unit}, hạn xử lý {due}"
            in block)
    assert "Đang xử lý" not in block

    incoming_reach(document=incoming, stage="handle", say=quiet)
    assert f"Đang xử lý từ ngày {today}" in _block(client, van_thu_hu, request)

    incoming_reach(document=incoming, stage="done", say=quiet)
    reply = incoming.replies.get()
    outgoing_reach(document=reply, stage="done", say=quiet)
    reply.refresh_from_db()
    own_copy = Document.objects.get(source=reply, agency=request.agency)
    block = _block(client, van_thu_hu, request)
    assert (f'<b>Đã trả lời</b>: <a href="/documents/{own_copy.pk}/">{reply.notation}</a>, '
            f"{reply.issued_on:%d/%m/%Y} – TRƯỞNG BAN Vi Thanh Quyên") in block
    [progress] = delivery_progress_for(user=van_thu_hu, document=request)
    assert progress.state == DeliveryProgress.State.ANSWERED


def test_a_request_closed_without_reply_shows_the_note(client, world, van_thu_hu, chuyen_vien):
    request = request_send()
    incoming = incoming_copy(request=request)
    incoming_reach(document=incoming, stage="handle", say=quiet)
    task_perform(
        task=task_of(incoming, IncomingFlow.handle), user=chuyen_vien,
        service=handling.incoming_close, note="Đã báo cáo trực tiếp tại hội nghị ngày 20/11.",
    )
    today = f"{timezone.localdate():%d/%m/%Y}"
    block = _block(client, van_thu_hu, request)
    assert (f"Kết thúc, không trả lời bằng văn bản, ngày {today}</b>: "
            "Đã báo cáo trực tiếp tại hội nghị ngày 20/11.") in block
    assert "Đã trả lời" not in block


def test_the_progress_costs_the_same_queries_for_one_and_for_three_recipients(
    world, van_thu_hu
):
    one = request_send()
    three = request_send(number=None, to=("bdt-bac-giang", "snv-bac-giang", "ubnd-bac-giang"))
    for request in (one, three):
        incoming_reach(document=incoming_copy(request=request), stage="handle", say=quiet)
    for code in ("snv-bac-giang", "ubnd-bac-giang"):
        incoming_reach(document=incoming_copy(request=three, agency_code=code), stage="direct",
                       say=quiet)

    def cost(document) -> tuple[int, int]:
        with CaptureQueriesContext(connection) as captured:
            progress = delivery_progress_for(user=van_thu_hu, document=document)
        return len(progress), len(captured)

    (recipients_one, queries_one), (recipients_three, queries_three) = cost(one), cost(three)
    assert (recipients_one, recipients_three) == (1, 3)
    assert queries_one == queries_three <= 5


def test_only_the_sending_agency_sees_the_progress(world, truong_ban):
    request = request_send()
    incoming_reach(document=incoming_copy(request=request), stage="direct", say=quiet)
    assert delivery_progress_for(user=truong_ban, document=request) == []
