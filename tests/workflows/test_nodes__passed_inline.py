"""Gateways and automatic steps are passed in-line, without task rows of their own (issue 14).

A finished story keeps one task row per step a person (or the waiting reply) takes, plus
each process's start and end; the tasks link to each other across the passed nodes, the
charts still draw every node, and a manager's cancel, undo and revive work on the rows that
exist, through the passed join again.
"""

import pytest
from viewflow.workflow.models import Task
from viewflow.workflow.status import PROCESS, STATUS

from workflows.flows import IncomingFlow, OutgoingFlow
from workflows.models import Opinion
from workflows.services import handling
from workflows.services.routing import process_of, task_perform
from workflows.story import COMMENT, seed000_play

from .flow_fixtures import reply_at, task_of

pytestmark = pytest.mark.django_db


def _steps(process) -> list[str]:
    return [task.flow_task.name for task in process.task_set.order_by("pk")]


def test_a_story_leaves_one_task_row_per_step(world):
    story = seed000_play(out=lambda _text: None)
    incoming = process_of(document=story.incoming)
    outgoing = process_of(document=story.reply)
    (copy,) = story.delivered
    assert _steps(incoming) == [
        "start", "register", "direct", "hand_over", "handle", "await_reply", "end"
    ]
    assert _steps(outgoing) == ["start", "draft", "comment", "review", "sign", "issue", "end"]
    assert _steps(process_of(document=copy)) == ["start", "register"]
    assert incoming.status == outgoing.status == PROCESS.DONE

    tasks = {task.flow_task.name: task for task in outgoing.task_set.all()}
    # Each task follows the step before it, across the gateways, split and join passed.
    for step, before in [("comment", "draft"), ("review", "comment"), ("sign", "review"),
                         ("issue", "sign"), ("end", "issue")]:
        assert list(tasks[step].previous.all()) == [tasks[before]]
    # viewflow's tokens: the split's branch carries the drafting task's prefix, the join
    # gives the base token back.
    assert tasks["comment"].token.token == f"start/{tasks['draft'].pk}_1"
    assert tasks["review"].token.token == "start"


@pytest.mark.parametrize("flow_class", [IncomingFlow, OutgoingFlow])
def test_the_process_chart_and_bpmn_still_draw_every_node(client, world, flow_class):
    story = seed000_play(out=lambda _text: None)
    document = story.incoming if flow_class is IncomingFlow else story.reply
    process = process_of(document=document)
    client.force_login(world.user("quyen.vt"))
    url = flow_class.instance.reverse("process_chart", args=[process.pk])

    chart = client.get(url)
    bpmn = client.get(url, {"format": "bpmn"})

    assert chart.status_code == 200 and chart["Content-Type"] == "image/svg+xml"
    assert bpmn.status_code == 200
    drawn = bpmn.content.decode()
    for node in flow_class.instance.nodes():
        assert f'id="id_node_{node.name}"' in drawn


def test_undo_and_revive_pass_the_join_again(world):
    reply = reply_at("review")
    process = process_of(document=reply)
    review = task_of(reply, OutgoingFlow.review)
    comment = process.task_set.get(flow_task=OutgoingFlow.comment)

    with OutgoingFlow.lock(process.pk):
        review.flow_task.activation_class(review).cancel()
    with OutgoingFlow.lock(process.pk):
        comment.refresh_from_db()
        comment.flow_task.activation_class(comment).undo()
    with OutgoingFlow.lock(process.pk):
        comment.refresh_from_db()
        revived = comment.flow_task.activation_class(comment).revive()

    assert revived.status == STATUS.ASSIGNED and revived.owner == world.user("hung.nv")
    assert revived.token == comment.token
    task_perform(
        task=revived, user=world.user("hung.nv"), service=handling.comment_give, text=COMMENT
    )
    reviews = Task.objects.filter(process=process, flow_task=OutgoingFlow.review)
    assert sorted(task.status for task in reviews) == sorted([STATUS.CANCELED, STATUS.NEW])
    assert Opinion.objects.filter(document=reply).count() == 2


def test_cancelling_a_process_waiting_at_the_join_cancels_its_branches(world):
    reply = reply_at("comment")
    process = process_of(document=reply)

    OutgoingFlow.instance.cancel(process)

    process.refresh_from_db()
    assert process.status == PROCESS.CANCELED
    comment = process.task_set.get(flow_task=OutgoingFlow.comment)
    assert comment.status == STATUS.CANCELED
