"""Per-user tokens: created by the person (key shown once) or by an administrator, the last
use recorded, revocable; a revoked or unknown token is refused with a Vietnamese message."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from api.models import Token
from api.services import key_digest

pytestmark = pytest.mark.django_db


def _with_key(key):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def test_a_person_creates_a_token_sees_its_key_once_and_revokes_it(client, world):
    client.force_login(world.user("mai.ht"))
    created = client.post("/api/v1/tokens/", {"name": "Cổng thông tin tỉnh"},
                          content_type="application/json")
    assert created.status_code == 201
    key = created.json()["key"]
    token = Token.objects.get(pk=created.json()["id"])
    assert token.digest == key_digest(key) and key not in token.digest
    listed = client.get("/api/v1/tokens/").json()["results"]
    assert [row["id"] for row in listed] == [token.pk] and "key" not in listed[0]

    me = _with_key(key).get("/api/v1/tasks/inbox/")
    assert me.status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None

    assert client.delete(f"/api/v1/tokens/{token.pk}/").status_code == 204
    token.refresh_from_db()
    assert token.revoked_at is not None
    refused = _with_key(key).get("/api/v1/tasks/inbox/")
    assert refused.status_code == 401
    assert refused.json()["message"] == "Mã truy cập không hợp lệ hoặc đã bị thu hồi."


def test_an_unnamed_token_is_refused_with_a_field_message(client, world):
    client.force_login(world.user("mai.ht"))
    answer = client.post("/api/v1/tokens/", {"name": ""}, content_type="application/json")
    assert answer.status_code == 400
    assert set(answer.json()["errors"]) == {"name"}
    assert Token.objects.count() == 0


def test_a_colleague_cannot_see_or_revoke_my_token(client, world):
    client.force_login(world.user("mai.ht"))
    token_id = client.post("/api/v1/tokens/", {"name": "Ứng dụng di động"},
                           content_type="application/json").json()["id"]
    colleague = APIClient()
    colleague.force_authenticate(world.user("tuan.nq"))
    assert colleague.get(f"/api/v1/tokens/{token_id}/").status_code == 404
    assert colleague.delete(f"/api/v1/tokens/{token_id}/").status_code == 404
    assert Token.objects.get(pk=token_id).revoked_at is None


def test_an_administrator_creates_a_token_for_a_person_in_the_admin(client, world):
    from accounts.models import User

    admin = User.objects.create_superuser("quantri", "quantri@example.org", "x")
    client.force_login(admin)
    person = world.user("vanthu.hu")
    page = client.post(
        reverse("admin:api_token_add"), {"user": person.pk, "name": "Cổng Huyện ủy"},
        follow=True,
    )
    token = Token.objects.get(user=person)
    shown = next(str(m) for m in page.context["messages"] if "lt_" in str(m))
    key = shown.rsplit(" ", 1)[-1]
    assert token.created_by == admin and token.digest == key_digest(key)
    assert _with_key(key).get("/api/v1/tasks/queue/").status_code == 200


def test_an_unknown_token_and_no_credentials_get_json_errors():
    unknown = _with_key("lt_not-a-real-key").get("/api/v1/documents/")
    assert unknown.status_code == 401 and unknown.json()["errors"] == {}
    anonymous = APIClient().get("/api/v1/documents/")
    assert anonymous.status_code == 401
    assert anonymous.json()["message"]
