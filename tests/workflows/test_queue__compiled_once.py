"""The plain inbox and queue (as the menu opens them) are read by statements compiled once
(`flow_viewsets.CompiledTaskList`): the same rows, count and order as the ORM's own list,
for every kind of person, and a page read again builds and compiles no statement of its
list (building and compiling them was a fifth of a page's time)."""

import pytest
from django.contrib.auth import get_user_model
from viewflow.workflow.models import Task

from accounts.models import User
from workflows.flow_viewsets import CompiledTaskList
from workflows.flows import IncomingFlow, OutgoingFlow
from workflows.queues import task_inbox_for, task_queue_for, tasks_with_deadline

from ..compiling import statements_compiled
from .bulk_processes import processes_bulk

pytestmark = pytest.mark.django_db

LISTS = {"inbox": task_inbox_for, "queue": task_queue_for}
COLUMNS = ("pk", "process_id", "flow_task", "created", "owner_id")


def _people(world) -> list[User]:
    superuser = get_user_model().objects.create_superuser(
        username="compiled-list-admin", email="admin@example.org", password="x"
    )
    outside = User.objects.create_user(username="no-agency", password="x", is_staff=True)
    return [world.user(name) for name in ("quyen.vt", "hung.nv", "tuan.nq", "lan.tt",
                                          "son.bt", "vanthu.hu")] + [superuser, outside]


def _row(task: Task) -> tuple:
    document = task.process.documentprocess.document
    return (*(getattr(task, name) for name in COLUMNS), document.notation, document.summary,
            task.due_at, task.due_completed_at)


def test_every_page_and_count_is_the_orms_for_every_person_and_list(world):
    processes_bulk(world, 120)
    compared = set()
    for user in _people(world):
        for flow_class in (IncomingFlow, OutgoingFlow):
            for name, listed in LISTS.items():
                expected = tasks_with_deadline(
                    listed(user=user, flow_classes=[flow_class])
                ).order_by("-created", "-pk")
                compiled = CompiledTaskList(user=user, flow_class=flow_class, name=name)

                count = expected.count()
                assert compiled.count() == count
                pages = [compiled.counted_rows(bottom, bottom + 25)
                         for bottom in range(0, count + 25, 25)]
                rows = [row for page in pages for row in page]
                want = list(expected)
                # Rows created at the same instant may come in either order: the rows are
                # compared as a set, their order by their creation.
                assert sorted(map(_row, rows), key=str) == sorted(map(_row, want), key=str)
                assert [row.created for row in rows] == [row.created for row in want]
                assert {row.list_count for row in rows} <= {count}
                assert pages[-1] == [] and all(len(page) == 25 for page in pages[:-2])
                compared.add((user.username, name, bool(rows)))
    # Lists with rows and without, for the leaders (the queue) and the specialist (inbox).
    assert ("quyen.vt", "queue", True) in compared
    assert ("tuan.nq", "inbox", True) in compared
    assert ("compiled-list-admin", "queue", True) in compared
    assert ("no-agency", "queue", False) in compared


def test_a_page_read_again_compiles_no_statement_of_its_list(client, world):
    processes_bulk(world, 50)
    for username, page in (("quyen.vt", "queue"), ("tuan.nq", "inbox")):
        client.force_login(world.user(username))
        url = IncomingFlow.instance.reverse(page)
        client.get(url)
        with statements_compiled() as compiled:
            response = client.get(url)

        assert response.status_code == 200
        assert Task not in compiled, username
