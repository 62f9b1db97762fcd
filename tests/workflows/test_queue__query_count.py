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


def test_a_page_read_again_costs_five_queries_and_lists_no_process_drop_down(client, world):
    """The session and the user, the rows with their list's count (the page's and its
    menu badge's), the menu's other badge, the bell; the session is not written again."""
    processes_bulk(world, 50)
    for name, page in PAGES:
        client.force_login(world.user(name))
        url = IncomingFlow.instance.reverse(page)
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            html = client.get(url).content.decode()
        assert len(captured) == 5, [query["sql"][:60] for query in captured]
        # The rows name their document: its body and search texts are not read.
        assert not [query for query in captured if '"search_files"' in query["sql"]]
        assert 'name="process"' not in html
        assert 'name="flow_task"' in html
