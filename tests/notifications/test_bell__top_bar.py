"""The bell in the top bar of every page shows the person's unread count, in one query."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from notifications.services import notifications_read_all, notify

pytestmark = pytest.mark.django_db


def _bell(page: str) -> str:
    match = re.search(r'<a class="mdc-icon-button lt-bell".*?</a>', page, re.S)
    assert match, "no bell in the top bar"
    return match.group(0)


@pytest.mark.parametrize("url", ["/home/", "/documents/", "/incoming/inbox/", "/notifications/"])
def test_every_page_shows_the_unread_count_in_the_top_bar(client, world, chuyen_vien, url):
    for n in (1, 2, 3):
        notify(key=f"test:{n}", user=chuyen_vien, subject=f"Việc số {n}", text="")
    client.force_login(chuyen_vien)
    bell = _bell(client.get(url).content.decode())
    assert '<span class="lt-bell__count"' in bell and ">3</span>" in bell
    assert 'title="3 thông báo chưa đọc"' in bell
    assert f'href="{reverse("notifications:index")}"' in bell


def test_the_count_disappears_once_everything_is_read(client, world, chuyen_vien):
    notify(key="test:1", user=chuyen_vien, subject="Việc số 1", text="")
    notifications_read_all(user=chuyen_vien)
    client.force_login(chuyen_vien)
    bell = _bell(client.get("/documents/").content.decode())
    assert "lt-bell__count" not in bell


def test_the_bell_costs_one_count_query(client, world, chuyen_vien):
    client.force_login(chuyen_vien)
    with CaptureQueriesContext(connection) as captured:
        client.get("/documents/")
    counts = [q["sql"] for q in captured if "notifications_notification" in q["sql"]]
    assert len(counts) == 1 and "COUNT(" in counts[0]


def test_a_visitor_sees_no_bell(client, world):
    page = client.get(reverse("login")).content.decode()
    assert "lt-bell" not in page
