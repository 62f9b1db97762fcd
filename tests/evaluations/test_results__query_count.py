"""The results page runs the same queries for 4 participants as for 200: totals, ranks,
classes and the previous campaign's ranks come from a fixed number of queries."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from evaluations.models import Round, Score

from .conftest import other_agencies

pytestmark = pytest.mark.django_db


def _scored(builder, agencies, previous=None, period="2023"):
    campaign = builder.campaign(agencies=agencies, previous=previous, period=period)
    leaves = list(campaign.criteria.filter(is_leaf=True))
    # Scores written directly: the page's queries, not the scoring services, are measured.
    Score.objects.bulk_create(
        Score(submission=submission, criterion=leaf, round=Round.SELF,
              value=min(leaf.max_score, Decimal(n % 29)))
        for n, submission in enumerate(campaign.submissions.all())
        for leaf in leaves
    )
    return campaign


def _queries(client, campaign) -> int:
    with CaptureQueriesContext(connection) as queries:
        page = client.get(f"/evaluations/{campaign.pk}/results/")
    assert page.status_code == 200
    return len(queries)


def test_results_page_queries_do_not_grow_with_participants(client, bdt_builder, world):
    few, many = other_agencies(4, "few"), other_agencies(200, "many")
    small = _scored(bdt_builder, few, previous=_scored(bdt_builder, few, period="2022"))
    large = _scored(bdt_builder, many, previous=_scored(bdt_builder, many, period="2022"))
    client.force_login(world.user("quyen.vt"))

    counts = (_queries(client, small), _queries(client, large))

    assert counts[0] == counts[1], counts
    assert client.get(f"/evaluations/{large.pk}/results/").content.decode().count(
        'class="ev-result"') == 200
