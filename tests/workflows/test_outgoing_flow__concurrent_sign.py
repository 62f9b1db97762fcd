"""Two leaders approve the same draft at the same moment: exactly one signature.

Real threads, each with its own PostgreSQL connection; the flows' select_for_update lock
serialises them on the process row, and the second finds the task already done. SQLite
locks nothing per row and serialises whole transactions, so there is nothing to race there.
"""

import pytest
from django.core.exceptions import ValidationError
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from tests.threads import race, race_test_marks
from workflows.models import Document, TimelineEntry
from workflows.services import handling
from workflows.services.routing import task_perform

from .flow_fixtures import OutgoingFlow, reply_at, task_of

pytestmark = [pytest.mark.slow, *race_test_marks()]


def test_two_leaders_signing_at_once_produce_one_signature(world):
    reply = reply_at("sign")
    task_pk = task_of(reply, OutgoingFlow.sign).pk

    def leader(username):
        # Each leader holds their own copy of the task, read before the race as two browsers would.
        user, task = world.user(username), Task.objects.get(pk=task_pk)

        def sign():
            task_perform(task=task, user=user, service=handling.draft_sign, approve=True)
            return username

        return sign

    results = race(leader("quyen.vt"), leader("hung.nv"))
    signed = [result for result in results if isinstance(result, str)]
    refused = [result for result in results if isinstance(result, ValidationError)]
    assert len(signed) == 1 and len(refused) == 1, results
    reply = Document.objects.get(pk=reply.pk)
    assert reply.signer.username == signed[0]
    assert reply.timeline.filter(action=TimelineEntry.Action.SIGNED).count() == 1
    task = Task.objects.get(pk=task_pk)
    assert task.status == STATUS.DONE and task.owner.username == signed[0]
    assert Task.objects.filter(process=task.process, flow_task=OutgoingFlow.issue).count() == 1
