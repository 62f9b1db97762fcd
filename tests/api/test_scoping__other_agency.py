"""Every endpoint of the schema keeps another agency out: a person of Sở Nội vụ gets 404 on
each object of Ban Dân tộc, on every method, and finds none of them in any list.

The endpoints are read from the OpenAPI schema, so a new endpoint is covered as soon as it
exists; a new kind of object fails here until the fixture names one of Ban Dân tộc's.
"""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator

from accounts.models import Agency
from api.services import token_create
from evaluations.services.campaigns import campaign_create
from evaluations.services.criteria import CriterionSpec, scale_create, template_create
from notifications.models import Notification
from tracking.models import Category
from tracking.services import task_create
from workflows.models import Attachment, Direction, Document
from workflows.queues import task_queue_for
from workflows.services.numbering import register_for
from workflows.story import request_send

PATHS = SchemaGenerator().get_schema(request=None, public=True)["paths"]
DETAIL = sorted(
    (path, method) for path, operations in PATHS.items() if "{id}" in path
    for method in operations
)


def _is_list(operation: dict) -> bool:
    schema = operation["responses"]["200"]["content"]["application/json"]["schema"]
    return schema.get("type") == "array" or "Paginated" in schema.get("$ref", "")


LISTS = sorted(
    path for path, operations in PATHS.items()
    if "{" not in path and "get" in operations and _is_list(operations["get"])
)
# Figures rather than objects: each is checked by its own test below.
SUMMARIES = sorted(
    path for path, operations in PATHS.items()
    if "{" not in path and "get" in operations and not _is_list(operations["get"])
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
    today = timezone.localdate()
    tracked = task_create(
        user=clerk, content="Báo cáo kết quả thực hiện chính sách dân tộc",
        category=Category.objects.filter(is_active=True).first(),
        lead_unit=world.unit("bdt-bac-giang", "HCTH"), handler=world.user("tuan.nq"),
        directed_by=world.user("quyen.vt"), assigned_on=today,
        due_on=today + datetime.timedelta(days=30),
    )
    campaign = campaign_create(
        user=world.user("tuan.nq"), title="Đánh giá, xếp loại Phòng Dân tộc", period="2023",
        scale=scale_create(user=world.user("tuan.nq"), agency=clerk.agency, name="Thang",
                           bands=((Decimal(50), "Hoàn thành"), (Decimal(0), "Không đạt"))),
        deadline=timezone.now() + datetime.timedelta(days=10),
        template=template_create(
            user=world.user("tuan.nq"), agency=clerk.agency, name="Bộ tiêu chí",
            criteria=(CriterionSpec(code="1", title="Tiêu chí 1", max_score=Decimal(100)),),
        ),
        agencies=list(Agency.objects.filter(code__startswith="pdt-")),
    )
    return {
        "documents": (incoming.pk, clerk),
        "file_id": Attachment.objects.filter(document=incoming).values_list("pk", flat=True)[0],
        "registers": (
            register_for(agency=clerk.agency, direction=Direction.INCOMING).pk, clerk
        ),
        "tasks": (task.pk, clerk),
        "notifications": (notification.pk, clerk),
        "tokens": (token.pk, clerk),
        "tracked-tasks": (tracked.pk, clerk),
        "campaigns": (campaign.pk, world.user("tuan.nq")),
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


@pytest.mark.parametrize("path", LISTS)
def test_a_person_outside_every_agency_finds_nothing_in_any_list(world, ours, path):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(get_user_model().objects.create_user("khach", password="x"))
    answer = client.get(path, {"page_size": 100})
    assert answer.status_code == 200, answer.content[:300]
    body = answer.json()
    assert (body["results"] if isinstance(body, dict) else body) == [], path


def test_the_summaries_are_the_ones_checked_here():
    assert SUMMARIES == ["/api/v1/tracked-tasks/statistics/"]


def test_another_agencys_statistics_count_none_of_our_tasks(world, ours):
    path = "/api/v1/tracked-tasks/statistics/"
    owner = _client(world, ours["tracked-tasks"][1].username).get(path).json()
    outsider = _client(world, OUTSIDER).get(path).json()
    assert owner["totals"]["in_progress"] == 1
    assert outsider["totals"]["total"] == 0
