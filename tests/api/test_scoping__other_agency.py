"""Every endpoint of the schema keeps another agency out: a person of Sở Nội vụ gets 404 on
each object of Ban Dân tộc, on every method, and finds none of them in any list.

The endpoints are read from the OpenAPI schema, so a new endpoint is covered as soon as it
exists; a new kind of object fails here until the fixture names one of Ban Dân tộc's.
"""

import pytest
from drf_spectacular.generators import SchemaGenerator

from api.services import token_create
from notifications.models import Notification
from workflows.models import Attachment, Direction, Document
from workflows.queues import task_queue_for
from workflows.services.numbering import register_for
from workflows.story import request_send

PATHS = SchemaGenerator().get_schema(request=None, public=True)["paths"]
DETAIL = sorted(
    (path, method) for path, operations in PATHS.items() if "{id}" in path
    for method in operations
)
LISTS = sorted(
    path for path, operations in PATHS.items() if "{" not in path and "get" in operations
)
OUTSIDER = "vanthu.snv"
NOT_LISTED_FOR_OWNER = {"/api/v1/tasks/inbox/"}

pytestmark = pytest.mark.django_db


@pytest.fixture
def ours(world):
    """One object of each kind in Ban Dân tộc, with a BDT person who may see it."""
    request = request_send()
    incoming = Document.objects.get(source=request, agency__code="bdt-bac-giang")
    clerk = world.user("mai.ht")
    task = task_queue_for(user=clerk).get(process__documentprocess__document=incoming)
    notification = Notification.objects.create(
        recipient=clerk, agency=clerk.agency, key="test-scoping", kind="task",
        title="Việc mới: đăng ký văn bản đến 1719-CV/HU",
    )
    token, _key = token_create(user=clerk, name="Cổng thông tin")
    return {
        "documents": (incoming.pk, clerk),
        "file_id": Attachment.objects.filter(document=incoming).values_list("pk", flat=True)[0],
        "registers": (
            register_for(agency=clerk.agency, direction=Direction.INCOMING).pk, clerk
        ),
        "tasks": (task.pk, clerk),
        "notifications": (notification.pk, clerk),
        "tokens": (token.pk, clerk),
    }


def _url(path: str, ours: dict) -> str:
    resource = path.split("/")[3]
    assert resource in ours, f"{path}: name an object of Ban Dân tộc for “{resource}”"
    return path.replace("{id}", str(ours[resource][0])).replace("{file_id}", str(ours["file_id"]))


def _client(world, username):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(world.user(username))
    return client


def test_the_schema_lists_the_endpoints_this_test_walks():
    assert len(DETAIL) >= 8 and len(LISTS) >= 5


@pytest.mark.parametrize(("path", "method"), DETAIL)
def test_another_agency_gets_404_on_each_object(world, ours, path, method):
    url = _url(path, ours)
    answer = getattr(_client(world, OUTSIDER), method)(url, {}, format="json")
    assert answer.status_code == 404, (url, answer.content[:300])
    assert answer.json()["message"]
    if method == "get":
        owner = ours[path.split("/")[3]][1]
        assert _client(world, owner.username).get(url).status_code == 200, url


@pytest.mark.parametrize("path", LISTS)
def test_another_agency_finds_none_of_ours_in_any_list(world, ours, path):
    resource = path.split("/")[3]
    answer = _client(world, OUTSIDER).get(path, {"page_size": 100})
    assert answer.status_code == 200, answer.content[:300]
    body = answer.json()
    rows = body["results"] if isinstance(body, dict) else body
    assert ours[resource][0] not in {row["id"] for row in rows}, path
    own = _client(world, ours[resource][1].username).get(path, {"page_size": 100}).json()
    own_ids = {row["id"] for row in (own["results"] if isinstance(own, dict) else own)}
    # The owner does find it (the queue holds the task, not the owner's inbox).
    assert (ours[resource][0] in own_ids) is (path not in NOT_LISTED_FOR_OWNER), path
