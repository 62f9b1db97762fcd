"""Every incoming document a leader directs becomes a tracked task, kept in step with its
direction: handed over, answered or closed, without a second entry."""

import pytest

from tracking.models import Status, TrackedTask
from workflows.services import handling
from workflows.services.routing import task_perform

from ..workflows.flow_fixtures import IncomingFlow, incoming_at, task_of

pytestmark = pytest.mark.django_db


def test_a_direction_becomes_a_task_of_its_lead_unit(world):
    document = incoming_at("hand_over")
    assignment = document.assignments.get()
    task = TrackedTask.objects.get(assignment=assignment)
    assert task.agency_id == document.agency_id
    assert task.lead_unit_id == assignment.lead_unit_id
    assert task.directed_by_id == assignment.directed_by_id
    assert task.handler_id is None
    assert (task.source_notation, task.content) == (document.notation, document.summary)
    assert task.deadline.key == f"assignment:{assignment.pk}"
    assert task.status == Status.IN_PROGRESS


def test_handing_over_names_the_handler_and_closing_finishes_the_task(world, chuyen_vien):
    document = incoming_at("handle")
    task = TrackedTask.objects.get(assignment__document=document)
    assert task.handler == chuyen_vien
    note = "Đã trao đổi trực tiếp, không cần văn bản trả lời."
    task_perform(task=task_of(document, IncomingFlow.handle), user=chuyen_vien,
                 service=handling.incoming_close, note=note)
    task.refresh_from_db()
    assert task.completed_on is not None and task.result == note
    assert task.status == Status.FINISHED_ON_TIME
    assert TrackedTask.objects.count() == 1
