"""Two reviewers save scores of one submission at the same moment, in real threads on
PostgreSQL: both saves succeed, nothing is lost. On the same leaf the row holds one of the
two and the history keeps both; on different leaves both rows are there."""

from decimal import Decimal

import pytest
from django.db import connection

from evaluations.models import Round, Score, ScoreEntry
from evaluations.services.scores import ScoreInput, review_save, submission_submit
from tests.threads import at_once

from .conftest import fill

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="concurrent transactions need PostgreSQL (SQLite locks the whole file)",
    ),
]


@pytest.fixture
def submitted(bdt_builder, districts, world):
    campaign = bdt_builder.campaign(agencies=districts[:1])
    submission = campaign.submissions.select_related("campaign").get()
    head = submission.agency.people.get(role="head")
    fill(submission, head, {"1.1": "40", "1.2": "30", "2.1": "30"})
    submission_submit(user=head, submission=submission)
    leaves = {c.code: c.pk for c in campaign.criteria.all()}
    return submission, leaves, world.user("tuan.nq"), world.user("ha.nt")


def _review(user, submission, criterion_id, value, reason):
    def save():
        review_save(user=user, submission=submission, entries=[
            ScoreInput(criterion_id=criterion_id, value=value, explanation=reason)])
    return save


def test_two_reviewers_on_the_same_leaf_both_succeed_and_both_stay_on_record(submitted):
    submission, leaves, first, second = submitted
    for attempt in range(5):
        at_once(
            _review(first, submission, leaves["1.1"], f"3{attempt}", f"Lý do A{attempt}"),
            _review(second, submission, leaves["1.1"], f"2{attempt}", f"Lý do B{attempt}"),
        )
        row = Score.objects.get(submission=submission, criterion_id=leaves["1.1"],
                                round=Round.REVIEW)
        assert (row.value, row.explanation) in {
            (Decimal(f"3{attempt}"), f"Lý do A{attempt}"),
            (Decimal(f"2{attempt}"), f"Lý do B{attempt}"),
        }
    history = ScoreEntry.objects.filter(submission=submission, round=Round.REVIEW)
    assert history.count() == 10
    assert {entry.explanation for entry in history} == {
        f"Lý do {who}{n}" for who in "AB" for n in range(5)}


def test_two_reviewers_on_different_leaves_keep_both_scores(submitted):
    submission, leaves, first, second = submitted
    at_once(
        _review(first, submission, leaves["1.1"], "35", "Thiếu minh chứng kế hoạch."),
        _review(second, submission, leaves["2.1"], "25,5", "Phối hợp còn chậm."),
    )
    reviewed = dict(Score.objects.filter(submission=submission, round=Round.REVIEW)
                    .values_list("criterion__code", "value"))
    assert reviewed == {"1.1": Decimal("35"), "2.1": Decimal("25.5")}
