"""Each event of the flows tells the right people once: new work in an inbox or a queue, a
returned draft (with its reason), a signed and an issued document, a reply to a request."""

import pytest
from django.db import transaction
from django.utils import translation

from notifications.models import Notification, Outbox
from workflows.models import Document
from workflows.services import handling, notices
from workflows.services.routing import task_claim, task_perform
from workflows.story import incoming_copy, incoming_reach, outgoing_reach, request_send

from .flow_fixtures import IncomingFlow, OutgoingFlow, quiet, reply_at, task_of

pytestmark = pytest.mark.django_db


def _told(key: str) -> list[str]:
    """Usernames of the people notified under `key`, in order."""
    return sorted(
        Notification.objects.filter(key=key).values_list("recipient__username", flat=True)
    )


def _mailed(key: str) -> list[str]:
    return sorted(Outbox.objects.filter(key=key).values_list("to_email", flat=True))


def test_a_delivered_request_is_announced_to_the_clerks_of_the_receiving_agency(world):
    incoming = incoming_copy(request=request_send())
    task = task_of(incoming, IncomingFlow.register)
    assert _told(f"task:{task.pk}") == ["mai.ht"]
    assert _mailed(f"task:{task.pk}") == ["mai.ht@demo.lienthong.vn"]
    notification = Notification.objects.get(key=f"task:{task.pk}")
    assert notification.kind == "task"
    with translation.override("vi"):
        step = str(IncomingFlow.register.task_title)
    assert notification.title.startswith(f"Việc mới: {step} – 1719-CV/HU – V/v xin ý kiến")
    assert notification.url == f"/incoming/{task.process_id}/register/{task.pk}/"


def test_each_queue_task_goes_to_the_people_who_may_take_it_and_an_assigned_one_to_its_owner(
    world,
):
    incoming = incoming_copy(request=request_send())
    incoming_reach(document=incoming, stage="direct", say=quiet)
    direct = task_of(incoming, IncomingFlow.direct)
    assert _told(f"task:{direct.pk}") == ["hung.nv", "quyen.vt"]
    incoming_reach(document=incoming, stage="hand_over", say=quiet, supporting=("CSDT",))
    hand_over = task_of(incoming, IncomingFlow.hand_over)
    assert _told(f"task:{hand_over.pk}") == ["lan.tt"]
    opinion = task_of(incoming, IncomingFlow.give_opinion)
    assert _told(f"task:{opinion.pk}") == ["duc.pv", "ha.nt", "minh.lv"]
    incoming_reach(document=incoming, stage="handle", say=quiet)
    handle = task_of(incoming, IncomingFlow.handle)
    assert _told(f"task:{handle.pk}") == ["tuan.nq"]
    assert Notification.objects.get(key=f"task:{handle.pk}").text.count(
        "Đồng chí được giao xử lý công việc sau."
    ) == 1


def test_a_first_draft_tells_no_one_and_a_returned_draft_tells_its_drafter_why(
    world, truong_phong, chuyen_vien
):
    reply = reply_at("review")
    first = reply.processes.get().task_set.get(flow_task=OutgoingFlow.draft)
    assert _told(f"task:{first.pk}") == []
    task_perform(
        task=task_of(reply, OutgoingFlow.review), user=truong_phong,
        service=handling.draft_review, approve=False, reason="Bổ sung số liệu giải ngân 2023.",
    )
    redraft = task_of(reply, OutgoingFlow.draft)
    [notice] = Notification.objects.filter(key=f"task:{redraft.pk}")
    assert notice.recipient == chuyen_vien and notice.kind == "returned"
    reply.refresh_from_db()
    assert notice.title == f"Dự thảo bị trả lại: {reply.summary}"
    assert "Trần Thị Lan đã trả lại dự thảo" in notice.text
    assert "Bổ sung số liệu giải ngân 2023." in notice.text


def test_signing_issuing_and_the_reply_each_tell_their_people_once(world):
    reply = reply_at("sign")
    outgoing_reach(document=reply, stage="done", say=quiet)
    reply.refresh_from_db()
    assert _told(f"signed:{reply.pk}") == ["tuan.nq"]
    assert _told(f"issued:{reply.pk}") == ["tuan.nq"]
    issued = Notification.objects.get(key=f"issued:{reply.pk}")
    assert f"{reply.notation} ngày {reply.issued_on:%d/%m/%Y}" in issued.text
    # Huyện ủy Lục Nam's clerk sent 1719-CV/HU: she hears of the answer, and her queue of
    # the copy to register.
    copy = Document.objects.get(source=reply, agency__code="hu-luc-nam")
    assert _told(f"reply:{copy.pk}") == ["vanthu.hu"]
    assert _told(f"task:{task_of(copy, IncomingFlow.register).pk}") == ["vanthu.hu"]

    before = (Notification.objects.count(), Outbox.objects.count())
    notices.document_signed(document=reply, signer=reply.signer)
    notices.document_issued(document=reply, clerk=world.user("mai.ht"))
    notices.reply_received(copy=copy)
    assert (Notification.objects.count(), Outbox.objects.count()) == before


def test_no_person_is_told_twice_of_one_event(world):
    reply_at("sign")
    rows = Notification.objects.values_list("recipient_id", "key")
    assert len(rows) == len(set(rows)) > 5
    mails = Outbox.objects.values_list("to_email", "key")
    assert len(mails) == len(set(mails)) == len(rows)


def test_a_step_rolled_back_leaves_no_notice(world, truong_ban):
    incoming = incoming_copy(request=request_send())
    incoming_reach(document=incoming, stage="direct", say=quiet)
    before = (Notification.objects.count(), Outbox.objects.count())

    class Undone(Exception):
        pass

    with pytest.raises(Undone), transaction.atomic():
        task_perform(
            task=task_of(incoming, IncomingFlow.direct), user=truong_ban,
            service=handling.incoming_direct, lead_unit=world.unit("bdt-bac-giang", "HCTH"),
            working_days=5,
        )
        assert Notification.objects.filter(recipient__username="lan.tt").exists()
        raise Undone
    assert (Notification.objects.count(), Outbox.objects.count()) == before
    assert task_of(incoming, IncomingFlow.hand_over) is None


def test_a_task_taken_by_a_colleague_no_longer_rings_anyones_bell(world, truong_ban):
    incoming = incoming_copy(request=request_send())
    incoming_reach(document=incoming, stage="direct", say=quiet)
    direct = task_of(incoming, IncomingFlow.direct)
    unread = Notification.objects.filter(key=f"task:{direct.pk}", read_at__isnull=True)
    assert sorted(unread.values_list("recipient__username", flat=True)) == [
        "hung.nv", "quyen.vt"
    ]
    task_claim(task=direct, user=truong_ban)
    assert not unread.exists()
    assert _told(f"task:{direct.pk}") == ["hung.nv", "quyen.vt"]


def test_an_assigned_task_done_is_no_longer_unread(world):
    incoming = incoming_copy(request=request_send())
    incoming_reach(document=incoming, stage="handle", say=quiet)
    handle = task_of(incoming, IncomingFlow.handle)
    unread = Notification.objects.filter(key=f"task:{handle.pk}", read_at__isnull=True)
    assert list(unread.values_list("recipient__username", flat=True)) == ["tuan.nq"]
    incoming_reach(document=incoming, stage="done", say=quiet)
    assert not unread.exists()


@pytest.mark.parametrize("stage", ["sign", "issue"])
def test_signing_or_issuing_rolled_back_leaves_no_notice(world, stage):
    reply = reply_at(stage)
    before = (Notification.objects.count(), Outbox.objects.count())

    class Undone(Exception):
        pass

    with pytest.raises(Undone), transaction.atomic():
        outgoing_reach(document=reply, stage="done", say=quiet)
        assert Notification.objects.filter(key=f"signed:{reply.pk}").exists()
        assert Notification.objects.filter(key=f"issued:{reply.pk}").exists()
        assert Notification.objects.filter(kind="reply").exists()
        raise Undone
    assert (Notification.objects.count(), Outbox.objects.count()) == before
