"""The flow menu's badges count the whole inbox and queue; a filtered list counts its rows."""

import re

import pytest
from viewflow.workflow.fields import get_task_ref

from workflows.flows import IncomingFlow

from .bulk_processes import processes_bulk

pytestmark = pytest.mark.django_db


def _page(client, url, **params) -> tuple[list[str], str | None]:
    html = client.get(url, params).content.decode()
    badges = re.findall(r'mdc-list-item__meta">\s*(\d+)', html)
    total = re.search(r'data-total-items-count="(\d+)"', html)
    return badges, total and total.group(1)


def test_the_queue_page_and_the_menu_agree_and_a_filter_counts_only_its_rows(client, world):
    processes_bulk(world, 40)  # 10 BDT documents wait for direction, 10 are tuan.nq's
    client.force_login(world.user("quyen.vt"))
    url = IncomingFlow.instance.reverse("queue")
    assert _page(client, url) == (["0", "10"], "10")
    direct = get_task_ref(IncomingFlow.direct)
    assert _page(client, url, flow_task=direct) == (["0", "10"], "10")
    register = get_task_ref(IncomingFlow.register)
    assert _page(client, url, flow_task=register) == (["0", "10"], None)


def test_the_inbox_page_counts_the_inbox_once_for_both(client, world):
    processes_bulk(world, 40)
    client.force_login(world.user("tuan.nq"))
    assert _page(client, IncomingFlow.instance.reverse("inbox")) == (["10", "0"], "10")
