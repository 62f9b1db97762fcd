"""Branches reaching a join at the same moment, in real threads on PostgreSQL.

The joins have no task row of their own: the branch that arrives counts the branches still
open, under the process lock. Two people commenting at once must leave one review task;
a supporting unit's opinion racing the clerk's issue of the reply (either one holding the
incoming process's lock first) must end either with the opinion recorded before the join closes, or
with the opinion task cancelled and the late opinion refused with a message: never an
opinion on a cancelled task, a second end, or a process left open. SQLite locks nothing
per row, so there is nothing to race there.
"""

import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from viewflow.workflow.models import Task
from viewflow.workflow.status import PROCESS, STATUS

from accounts.models import User
from tests.threads import race, race_test_marks
from workflows.models import Assignment, Opinion, TimelineEntry
from workflows.services import handling
from workflows.services.recipients import RecipientInput
from workflows.services.routing import process_of, task_perform
from workflows.story import COMMENT, outgoing_reach

from .flow_fixtures import IncomingFlow, OutgoingFlow, incoming_at, quiet, task_of

pytestmark = [pytest.mark.slow, *race_test_marks()]


def _step(task_pk, username, service, data, *, before=lambda: None, held=lambda: None):
    """A job for `race`: `username` does the step of `task_pk` in a transaction that commits
    after `held()`, `before()` having run first; the job returns the username."""
    user = User.objects.select_related("agency", "unit").get(username=username)
    task = Task.objects.get(pk=task_pk)

    def job():
        before()
        with transaction.atomic():
            task_perform(task=task, user=user, service=service, **data)
            held()
        return username

    return job


def _refused(results) -> list:
    return [error.code for error in results if isinstance(error, ValidationError)]


def test_two_comments_at_once_leave_one_review(world):
    document = incoming_at("done")
    reply = document.replies.get()
    draft = task_of(reply, OutgoingFlow.draft)
    task_perform(
        task=draft, user=world.user("tuan.nq"), service=handling.draft_save,
        document_type=reply.document_type, summary="V/v góp ý hai người", body="Nội dung.",
        recipients=[RecipientInput(agency_id=world.agency("hu-luc-nam").pk)],
        commenters=[world.user("hung.nv"), world.user("lan.tt")],
    )
    comments = Task.objects.filter(
        process=process_of(document=reply), flow_task=OutgoingFlow.comment
    )
    results = race(*(
        _step(task.pk, task.owner.username, handling.comment_give, {"text": COMMENT})
        for task in comments.select_related("owner")
    ))

    assert set(results) == {"hung.nv", "lan.tt"}, results
    process = process_of(document=reply)
    assert Opinion.objects.filter(document=reply).count() == 2
    assert [task.status for task in process.task_set.filter(flow_task=OutgoingFlow.comment)] == [
        STATUS.DONE, STATUS.DONE
    ]
    review = process.task_set.filter(flow_task=OutgoingFlow.review)
    assert review.count() == 1 and review.get().status == STATUS.NEW


def _first_holds_its_lock(first, second) -> list:
    """`first` in a transaction kept open a second after its step is done (its process locks
    held), `second` started as soon as `first` is done; their results, in that order."""
    first_done = threading.Event()

    def hold():
        first_done.set()
        time.sleep(1)

    return race(
        _step(*first, held=hold),
        _step(*second, before=lambda: first_done.wait(30)),
    )


@pytest.mark.parametrize("first", ["issue", "opinion"])
def test_an_opinion_racing_the_issue_of_the_reply_is_kept_or_refused_whole(world, first):
    document = incoming_at("done", supporting=("TTr",))
    reply = document.replies.get()
    outgoing_reach(document=reply, stage="issue", say=quiet)
    opinion = task_of(document, IncomingFlow.give_opinion)
    steps = {
        "issue": (task_of(reply, OutgoingFlow.issue).pk, "mai.ht", handling.draft_issue, {}),
        "opinion": (opinion.pk, "hoa.lt", handling.opinion_give, {"text": "Thống nhất."}),
    }
    second = "opinion" if first == "issue" else "issue"

    results = _first_holds_its_lock(steps[first], steps[second])

    assert all(isinstance(r, str | ValidationError) for r in results), results
    process = process_of(document=document)
    assert process.status == PROCESS.DONE
    assert process.task_set.filter(flow_task=IncomingFlow.end).count() == 1
    assert document.assignments.get().outcome == Assignment.Outcome.REPLIED
    opinion.refresh_from_db()
    if first == "opinion":
        # The issue waited for the opinion's lock: the join found nothing left to cancel.
        assert set(results) == {"hoa.lt", "mai.ht"}, results
        assert opinion.status == STATUS.DONE and "cancelled_because" not in opinion.data
        assert Opinion.objects.filter(document=document).count() == 1
    else:
        # The opinion's lock was retried until the issue committed: its task had been
        # cancelled with the reason, and the late opinion is refused, nothing written.
        assert results[0] == "mai.ht" and _refused(results) == ["task_done"]
        assert opinion.status == STATUS.CANCELED and opinion.data["cancelled_because"]
        assert not Opinion.objects.filter(document=document).exists()
        assert not document.timeline.filter(action=TimelineEntry.Action.COMMENTED).exists()
