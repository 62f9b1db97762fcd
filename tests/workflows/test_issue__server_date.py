"""The issue date is the agency's local date when the clerk sends the issue page.

The page offers no date to type: a page opened at 23:59 on 31/12 and sent after midnight
issues on 01/01 with the first number of the new year's register; nobody can backdate.
"""

import datetime

import pytest
from django.utils import translation
from freezegun import freeze_time

from workflows.models import Document, RegisterCounter

from .flow_fixtures import OutgoingFlow, reply_at, task_of
from .flow_fixtures import task_url as _url

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _vietnamese(client):
    client.cookies["django_language"] = "vi"
    with translation.override("vi"):
        yield


def test_a_page_opened_before_midnight_issues_on_the_new_day_with_the_new_years_number(
    client, world, van_thu_bdt
):
    with freeze_time("2023-12-31 23:50:00+07:00"):
        reply = reply_at("issue")
        task = task_of(reply, OutgoingFlow.issue)
        # The last number of 2023 is already taken: 2024 must start again at 1.
        earlier = reply_at("issue")
        client.force_login(van_thu_bdt)
        client.post(_url(task_of(earlier, OutgoingFlow.issue), "assign"))
        client.post(_url(task_of(earlier, OutgoingFlow.issue), "execute"), {})
        assert Document.objects.get(pk=earlier.pk).register_year == 2023
        client.post(_url(task, "assign"))
    with freeze_time("2023-12-31 23:59:00+07:00"):
        page = client.get(_url(task, "execute")).content.decode()
        # The date is shown, not editable.
        assert "31/12/2023" in page and "disabled" in page
    with freeze_time("2024-01-01 00:00:30+07:00"):
        # A forged date in the POST is ignored: the server dates the issue.
        response = client.post(_url(task, "execute"), {"issued_on": "30/12/2023"})
    assert response.status_code == 302
    reply = Document.objects.get(pk=reply.pk)
    assert (reply.status, reply.issued_on) == ("issued", datetime.date(2024, 1, 1))
    assert (reply.register_year, reply.register_number, reply.notation) == (
        2024, 1, "01/BDT-HCTH",
    )
    counters = dict(
        RegisterCounter.objects.filter(register=reply.register).values_list("year", "last_number")
    )
    assert counters == {2023: 1, 2024: 1}
