"""A search through the API counts its matches only up to a cap (`count_more` says there are
more), and gives the same documents in the same order as the search itself."""

import pytest

from api import pagination
from workflows.selectors import document_search_for
from workflows.story import request_send

pytestmark = pytest.mark.django_db


@pytest.fixture
def plans(world):
    for quarter in (1, 2, 3):
        request_send(summary=f"Kế hoạch công tác dân tộc quý {quarter} năm 2023")
    return world.user("vanthu.hu")


def test_a_search_with_more_matches_than_the_cap_says_so(clients, plans, monkeypatch):
    monkeypatch.setattr(pagination, "COUNT_CAP", 2)
    answer = clients["vanthu.hu"].get("/api/v1/documents/", {"q": "ke hoach"}).json()
    assert (answer["count"], answer["count_more"]) == (2, True)
    expected = document_search_for(user=plans, text="ke hoach").values_list("pk", flat=True)
    assert [row["id"] for row in answer["results"]] == list(expected)


def test_a_search_under_the_cap_counts_exactly(clients, plans):
    answer = clients["vanthu.hu"].get("/api/v1/documents/", {"q": "Kế hoạch quý 2"}).json()
    assert (answer["count"], answer["count_more"]) == (1, False)
