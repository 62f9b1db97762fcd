"""A person's inbox and queue pages cost the same number of queries with 10 or 1,000 processes."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from workflows.flows import IncomingFlow
from workflows.queues import task_queue_for

from .bulk_processes import processes_bulk

pytestmark = pytest.mark.django_db


def _queries(client, user, url) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


PAGES = (("tuan.nq", "inbox"), ("quyen.vt", "queue"), ("hung.nv", "queue"))


def test_inbox_and_queue_pages_cost_the_same_with_10_and_1000_processes(client, world):
    def costs():
        return {
            (name, page): _queries(client, world.user(name), IncomingFlow.instance.reverse(page))
            for name, page in PAGES
        }

    processes_bulk(world, 10)
    small = costs()
    processes_bulk(world, 990)
    large = costs()
    assert large == small
    client.force_login(world.user("quyen.vt"))
    assert "/TEST" in client.get(IncomingFlow.instance.reverse("queue")).content.decode()


def test_the_queue_is_one_query_and_holds_only_the_own_agency(world, django_assert_num_queries):
    processes_bulk(world, 200)

    leader = world.user("quyen.vt")
    with django_assert_num_queries(1):
        tasks = list(task_queue_for(user=leader, flow_classes=[IncomingFlow]))
    assert len(tasks) == 50
    assert {task.process.documentprocess.agency.code for task in tasks} == {"bdt-bac-giang"}
