"""A draft returned by the unit head or by the leader goes back to its drafter, history kept."""

import pytest
from django.core.exceptions import ValidationError
from viewflow.workflow.status import STATUS

from workflows.models import TimelineEntry
from workflows.services import handling
from workflows.services.routing import task_perform
from workflows.story import outgoing_reach

from .flow_fixtures import OutgoingFlow, reply_at, task_of

pytestmark = pytest.mark.django_db


def test_the_unit_head_returns_the_draft_to_the_drafter(world, truong_phong, chuyen_vien):
    reply = reply_at("review")
    task_perform(
        task=task_of(reply, OutgoingFlow.review), user=truong_phong,
        service=handling.draft_review, approve=False, reason="Bổ sung số liệu giải ngân 2023.",
    )
    redraft = task_of(reply, OutgoingFlow.draft)
    assert redraft.owner == chuyen_vien and redraft.status == STATUS.ASSIGNED
    returned = reply.timeline.get(action=TimelineEntry.Action.RETURNED)
    assert returned.actor == truong_phong
    assert returned.comment == "Bổ sung số liệu giải ngân 2023."
    # The first draft and its review stay in the history.
    assert reply.timeline.filter(action=TimelineEntry.Action.DRAFTED).count() == 1
    assert task_of(reply, OutgoingFlow.review) is None


def test_the_leader_returns_the_draft_and_the_second_round_is_signed(
    world, truong_ban, truong_phong, chuyen_vien
):
    reply = reply_at("sign")
    task_perform(
        task=task_of(reply, OutgoingFlow.sign), user=truong_ban,
        service=handling.draft_sign, approve=False, reason="Nêu rõ xếp thứ tự trong toàn tỉnh.",
    )
    assert task_of(reply, OutgoingFlow.draft).owner == chuyen_vien
    reply.refresh_from_db()
    assert reply.signed_at is None
    outgoing_reach(document=reply, stage="issue", say=lambda _: None, commenter="")
    reply.refresh_from_db()
    assert reply.signer == truong_ban and reply.signed_at is not None
    actions = list(reply.timeline.exclude(actor=None).values_list("action", "actor__username"))
    assert actions == [
        ("drafted", "tuan.nq"), ("comment_requested", "tuan.nq"), ("commented", "hung.nv"),
        ("reviewed", "lan.tt"), ("returned", "quyen.vt"),
        ("drafted", "tuan.nq"), ("reviewed", "lan.tt"), ("signed", "quyen.vt"),
    ]
    finished = reply.processes.get().task_set.filter(flow_task=OutgoingFlow.draft)
    assert finished.filter(status=STATUS.DONE).count() == 2


def test_returning_without_a_reason_is_refused_and_changes_nothing(world, truong_phong):
    reply = reply_at("review")
    task = task_of(reply, OutgoingFlow.review)
    with pytest.raises(ValidationError) as error:
        task_perform(
            task=task, user=truong_phong, service=handling.draft_review, approve=False, reason=" "
        )
    assert "Say why the draft is returned." in str(error.value) or "lý do" in str(error.value)
    task.refresh_from_db()
    assert task.status == STATUS.NEW and task.owner is None
    assert not reply.timeline.filter(action=TimelineEntry.Action.RETURNED).exists()
