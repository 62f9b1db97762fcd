"""Two leaders approve the same draft at the same moment: exactly one signature.

Real threads, each with its own PostgreSQL connection; the flows' select_for_update lock
serialises them on the process row, and the second finds the task already done. SQLite
locks nothing per row and serialises whole transactions, so there is nothing to race there.
"""

import threading

from django.core.exceptions import ValidationError
from django.db import connection
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from accounts.models import User
from workflows.models import Document, TimelineEntry
from workflows.services import handling
from workflows.services.routing import task_perform

from .flow_fixtures import CONCURRENT, OutgoingFlow, reply_at, task_of

pytestmark = CONCURRENT


def test_two_leaders_signing_at_once_produce_one_signature(world):
    reply = reply_at("sign")
    task_pk = task_of(reply, OutgoingFlow.sign).pk
    leaders = [world.user("quyen.vt").pk, world.user("hung.nv").pk]
    start = threading.Barrier(len(leaders))
    signed, refused, errors = [], [], []

    def leader(user_pk):
        try:
            user = User.objects.get(pk=user_pk)
            task = Task.objects.get(pk=task_pk)
            start.wait()
            task_perform(task=task, user=user, service=handling.draft_sign, approve=True)
            signed.append(user.username)
        except ValidationError as error:
            refused.append(error.messages)
        except Exception as error:  # reported below: a thread cannot fail the test itself
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=leader, args=(pk,)) for pk in leaders]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert len(signed) == 1 and len(refused) == 1
    reply = Document.objects.get(pk=reply.pk)
    assert reply.signer.username == signed[0]
    assert reply.timeline.filter(action=TimelineEntry.Action.SIGNED).count() == 1
    task = Task.objects.get(pk=task_pk)
    assert task.status == STATUS.DONE and task.owner.username == signed[0]
    assert Task.objects.filter(process=task.process, flow_task=OutgoingFlow.issue).count() == 1
