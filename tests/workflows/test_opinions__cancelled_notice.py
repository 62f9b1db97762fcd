"""A supporting unit whose opinion is no longer needed, because the reply was issued, is told
so once, and its list says why."""

import pytest

from notifications.models import Notification
from workflows.queues import task_queue_for
from workflows.services import handling
from workflows.services.routing import task_perform
from workflows.story import outgoing_reach

from .flow_fixtures import IncomingFlow, incoming_at, quiet

pytestmark = pytest.mark.django_db


def test_the_unit_is_told_its_opinion_is_no_longer_needed(client, world, vietnamese):
    document = incoming_at("done", supporting=("TTr",))
    reply = document.replies.get()
    outgoing_reach(document=reply, stage="done", say=quiet)
    reply.refresh_from_db()
    members = set(world.unit("bdt-bac-giang", "TTr").members.filter(is_active=True))
    notices = Notification.objects.filter(kind="opinion_cancelled")
    assert {notice.recipient for notice in notices} == members
    assert notices.count() == len(members)
    assert all(reply.notation in notice.text for notice in notices)
    assert all(notice.url == f"/documents/{document.pk}/" for notice in notices)

    client.force_login(world.user("hoa.lt"))
    archive = client.get(IncomingFlow.instance.reverse("archive")).content.decode()
    assert f"Cho ý kiến phối hợp – {document.notation}" in archive
    assert f"Đã hủy: văn bản đã được trả lời bằng văn bản {reply.notation}" in archive


def test_no_notice_when_every_opinion_was_given(world):
    document = incoming_at("done", supporting=("TTr",))
    hoa = world.user("hoa.lt")
    (task,) = task_queue_for(user=hoa).filter(flow_task=IncomingFlow.give_opinion)
    task_perform(task=task, user=hoa, service=handling.opinion_give, text="Thống nhất.")
    outgoing_reach(document=document.replies.get(), stage="done", say=quiet)
    assert not Notification.objects.filter(kind="opinion_cancelled").exists()
