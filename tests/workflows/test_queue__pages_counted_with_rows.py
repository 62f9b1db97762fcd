"""An inbox or queue page reads its rows and the list's count in one statement, on every
page: the count, the rows and the menu's badge agree, a page past the end is still a 404."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from viewflow.workflow.fields import get_task_ref

from workflows.flows import IncomingFlow

from .bulk_processes import processes_bulk

pytestmark = pytest.mark.django_db


def _page(client, url, **params) -> tuple[int, int, str | None, list[str]]:
    """(status, rows shown, the count the table carries, the menu's badges)"""
    response = client.get(url, params)
    html = response.content.decode()
    total = re.search(r'data-total-items-count="(\d+)"', html)
    return (
        response.status_code,
        len(re.findall(r'<tr data-row-id="\d+"', html)),
        total and total.group(1),
        re.findall(r'mdc-list-item__meta">\s*(\d+)', html),
    )


def test_every_page_of_the_queue_carries_the_whole_count_and_the_badge(client, world):
    processes_bulk(world, 240)  # 60 BDT documents wait for direction
    client.force_login(world.user("quyen.vt"))
    url = IncomingFlow.instance.reverse("queue")
    assert _page(client, url) == (200, 25, "60", ["0", "60"])
    assert _page(client, url, page=2) == (200, 25, "60", ["0", "60"])
    assert _page(client, url, page=3) == (200, 10, "60", ["0", "60"])
    assert _page(client, url, page="last") == (200, 10, "60", ["0", "60"])
    assert _page(client, url, page=4)[0] == 404
    assert _page(client, url, page=0)[0] == 404
    # Filtered: the count is the filter's, the badge still the whole queue's.
    direct = get_task_ref(IncomingFlow.direct)
    assert _page(client, url, flow_task=direct, page=3) == (200, 10, "60", ["0", "60"])
    register = get_task_ref(IncomingFlow.register)
    assert _page(client, url, flow_task=register) == (200, 0, None, ["0", "60"])


def test_a_later_page_costs_what_the_first_costs(client, world):
    processes_bulk(world, 240)
    client.force_login(world.user("quyen.vt"))
    url = IncomingFlow.instance.reverse("queue")
    costs = []
    for page in (1, 3):
        client.get(url, {"page": page})  # the session keeps the list's address: read again
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url, {"page": page}).status_code == 200
        costs.append(len(captured))
    assert costs == [5, 5]
    # No statement counts the queue on its own: its rows carry the count.
    assert not [query for query in captured if query["sql"].startswith("SELECT COUNT(*)")
                and "owner_permission" in query["sql"]]


def test_an_empty_inbox_is_one_empty_page(client, world):
    client.force_login(world.user("tuan.nq"))
    assert _page(client, IncomingFlow.instance.reverse("inbox")) == (200, 0, None, ["0", "0"])
