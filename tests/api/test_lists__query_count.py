"""List endpoints run the same number of queries whatever the page size."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from notifications.models import Notification
from tests.workflows.documents_factory import approved_outgoing
from workflows.story import request_send

pytestmark = pytest.mark.django_db


def _queries(client, path, page_size, **params):
    with CaptureQueriesContext(connection) as queries:
        answer = client.get(path, {"page_size": page_size, **params})
    assert answer.status_code == 200, answer.content[:300]
    assert len(answer.json()["results"]) == page_size, path
    return len(queries)


@pytest.fixture
def busy(world):
    """Many documents, tasks and notifications for BDT's clerk."""
    clerk = world.user("mai.ht")
    for number in range(12):
        request_send(number=1800 + number, summary=f"V/v báo cáo số liệu đợt {number}")
    for number in range(40):
        approved_outgoing(world, summary=f"Kế hoạch phối hợp số {number} với huyện Lục Nam")
    Notification.objects.bulk_create(
        Notification(recipient=clerk, agency=clerk.agency, key=f"k{n}", kind="task",
                     title=f"Việc mới {n}")
        for n in range(30)
    )
    client = APIClient()
    client.force_authenticate(clerk)
    return client


@pytest.mark.parametrize(("path", "params"), [
    ("/api/v1/documents/", {}),
    ("/api/v1/documents/", {"q": "luc nam"}),
    ("/api/v1/tasks/queue/", {}),
    ("/api/v1/notifications/", {}),
])
def test_a_page_costs_the_same_queries_at_any_size(busy, path, params):
    small = _queries(busy, path, 2, **params)
    large = _queries(busy, path, 10, **params)
    print(f"{path} {params}: {small} queries")
    # Documents: the search's transaction and plan (3) and the page's ids before its rows.
    assert small == large <= 10
