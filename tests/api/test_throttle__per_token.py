"""Rate limits count per token: one program using up its requests does not slow another."""

import pytest

pytestmark = pytest.mark.django_db


def test_each_token_has_its_own_allowance(clients, settings):
    settings.API_RATE = "3/minute"
    first, second = clients["mai.ht"], clients["tuan.nq"]
    assert [first.get("/api/v1/tasks/inbox/").status_code for _ in range(3)] == [200] * 3
    refused = first.get("/api/v1/tasks/inbox/")
    assert refused.status_code == 429
    assert "Retry-After" in refused.headers and refused.json()["message"]
    assert second.get("/api/v1/tasks/inbox/").status_code == 200
