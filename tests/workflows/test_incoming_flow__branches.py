"""IncomingFlow: supporting units in parallel, closing without a reply, and who may act."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from viewflow.workflow.status import PROCESS, STATUS

from notifications.models import Deadline
from workflows.models import Assignment, Document, Opinion
from workflows.queues import task_queue_for
from workflows.services import handling
from workflows.services.routing import process_of, task_claim, task_perform
from workflows.story import outgoing_reach

from .flow_fixtures import IncomingFlow, incoming_at, quiet, task_of

pytestmark = pytest.mark.django_db


def test_each_supporting_unit_gets_its_own_opinion_task(world):
    document = incoming_at("hand_over", supporting=("CSDT", "TTr"))
    opinions = process_of(document=document).task_set.filter(flow_task=IncomingFlow.give_opinion)
    assert {task.owner_permission_obj.symbol for task in opinions} == {"CSDT", "TTr"}
    hoa, duc = world.user("hoa.lt"), world.user("duc.pv")
    (ttr_task,) = task_queue_for(user=hoa).filter(flow_task=IncomingFlow.give_opinion)
    assert ttr_task.owner_permission_obj.symbol == "TTr"
    assert ttr_task not in task_queue_for(user=duc)
    with pytest.raises(PermissionDenied):
        task_claim(task=ttr_task, user=duc)
    task_perform(task=ttr_task, user=hoa, service=handling.opinion_give, text="Thống nhất.")
    opinion = Opinion.objects.get(document=document)
    assert (opinion.author, opinion.unit.symbol) == (hoa, "TTr")


def test_issuing_the_reply_ends_the_process_and_cancels_pending_opinions(world):
    document = incoming_at("done", supporting=("TTr",))
    reply = document.replies.get()
    outgoing_reach(document=reply, stage="done", say=quiet)
    process = process_of(document=document)
    assert process.status == PROCESS.DONE
    (opinion,) = process.task_set.filter(flow_task=IncomingFlow.give_opinion)
    assert opinion.status == STATUS.CANCELED
    assignment = document.assignments.get()
    assert assignment.outcome == Assignment.Outcome.REPLIED
    assert Deadline.objects.get(key=f"assignment:{assignment.pk}").completed_at is not None


def test_the_specialist_closes_a_document_that_needs_no_reply(world, chuyen_vien):
    document = incoming_at("handle")
    task = task_of(document, IncomingFlow.handle)
    assert task.owner == chuyen_vien and task.status == STATUS.ASSIGNED
    task_perform(
        task=task, user=chuyen_vien, service=handling.incoming_close,
        note="Đã trao đổi trực tiếp, không cần văn bản trả lời.",
    )
    document.refresh_from_db()
    assert document.status == Document.Status.CLOSED
    assert process_of(document=document).status == PROCESS.DONE
    assignment = document.assignments.get()
    assert assignment.outcome == Assignment.Outcome.CLOSED
    assert Deadline.objects.get(key=f"assignment:{assignment.pk}").completed_at is not None


def test_closing_without_a_note_is_refused(world, chuyen_vien):
    document = incoming_at("handle")
    with pytest.raises(ValidationError):
        task_perform(
            task=task_of(document, IncomingFlow.handle), user=chuyen_vien,
            service=handling.incoming_close, note="  ",
        )
    document.refresh_from_db()
    assert document.status == Document.Status.IN_PROGRESS
    assert task_of(document, IncomingFlow.handle).status == STATUS.ASSIGNED


@pytest.mark.parametrize("username", ["tuan.nq", "lan.tt", "mai.ht", "son.bt"])
def test_only_a_leader_may_direct(world, username):
    document = incoming_at("direct")
    task = task_of(document, IncomingFlow.direct)
    with pytest.raises(PermissionDenied):
        task_perform(
            task=task, user=world.user(username), service=handling.incoming_direct,
            lead_unit=world.unit("bdt-bac-giang", "HCTH"), working_days=3,
        )
    task.refresh_from_db()
    assert task.status == STATUS.NEW and task.owner is None


def test_the_handler_is_the_only_one_who_may_handle(world, truong_ban):
    document = incoming_at("handle")
    with pytest.raises(PermissionDenied):
        task_perform(
            task=task_of(document, IncomingFlow.handle), user=truong_ban,
            service=handling.incoming_reply,
        )


def test_the_hand_over_stays_in_the_lead_unit(world, truong_phong):
    document = incoming_at("hand_over")
    with pytest.raises(ValidationError):
        task_perform(
            task=task_of(document, IncomingFlow.hand_over), user=truong_phong,
            service=handling.incoming_hand_over, handler=world.user("ha.nt"),
        )
    assert document.assignments.get().handler is None
