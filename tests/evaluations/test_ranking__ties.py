"""Equal totals share a rank and the next rank skips (1, 2, 2, 4); ranks read “n/N”."""

import pytest

from evaluations.exports import score_text
from evaluations.selectors import campaign_results

from .conftest import fill

pytestmark = pytest.mark.django_db


def test_equal_totals_share_a_rank_and_the_next_skips(bdt_builder, districts, world):
    campaign = bdt_builder.campaign(agencies=districts)
    totals = {
        "pdt-luc-nam": {"1.1": "30", "1.2": "20,5", "2.1": "20"},  # 70,5
        "pdt-luc-ngan": {"1.1": "40", "1.2": "30", "2.1": "25"},   # 95
        "pdt-son-dong": {"1.1": "35", "1.2": "25,25", "2.1": "20"},  # 80,25
        "pdt-yen-the": {"1.1": "30", "1.2": "30", "2.1": "20,25"},   # 80,25
    }
    for submission in campaign.submissions.select_related("agency"):
        head = submission.agency.people.get(role="head")
        fill(submission, head, totals[submission.agency.code])

    rows = campaign_results(campaign=campaign)

    table = [
        (row.submission.agency.code, score_text(row.total), f"{row.rank}/{row.count}")
        for row in rows
    ]
    assert table == [
        ("pdt-luc-ngan", "95", "1/4"),
        ("pdt-son-dong", "80,25", "2/4"),
        ("pdt-yen-the", "80,25", "2/4"),
        ("pdt-luc-nam", "70,5", "4/4"),
    ]
