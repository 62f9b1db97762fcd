"""A score above a leaf's maximum, a negative one, or one on a heading is refused with a
Vietnamese message, and nothing of the form is saved (not even its good lines)."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from evaluations.models import Score, ScoreEntry
from evaluations.services.scores import ScoreInput, self_assessment_save

pytestmark = pytest.mark.django_db


@pytest.fixture
def lucnam(bdt_builder, districts, world):
    campaign = bdt_builder.campaign(agencies=districts)
    submission = campaign.submissions.get(agency__code="pdt-luc-nam")
    return submission, world.user("truongphong.lucnam")


def _save(submission, user, **values):
    ids = {c.code: c.pk for c in submission.campaign.criteria.all()}
    with translation.override("vi"):
        self_assessment_save(user=user, submission=submission, entries=[
            ScoreInput(criterion_id=ids["1.1"], value="35"),  # a good line, saved with the rest
            *(ScoreInput(criterion_id=ids[code], value=value) for code, value in values.items()),
        ])


@pytest.mark.parametrize(
    ("code", "value", "message"),
    [
        ("1.2", "30,5", "Điểm của tiêu chí 1.2 Nội dung 1.2 tối đa là 30 điểm; 30,5 là quá mức."),
        ("2.1", "-1", "Điểm của tiêu chí 2.1 Nội dung 2.1 không được âm."),
        ("1", "10", "Tiêu chí 1 Tiêu chí 1 có các tiêu chí con: điểm của nó là tổng điểm các "
                    "tiêu chí con, không nhập trực tiếp."),
        ("1.2", "abc", "“abc” không phải là một số."),
    ],
)
def test_bad_score_is_refused_in_vietnamese_and_nothing_saved(lucnam, code, value, message):
    submission, user = lucnam
    with pytest.raises(ValidationError) as refused:
        _save(submission, user, **{code: value})
    assert refused.value.messages == [message]
    assert not Score.objects.filter(submission=submission).exists()
    assert not ScoreEntry.objects.filter(submission=submission).exists()


def test_scores_within_the_maximum_with_two_decimals_are_saved(lucnam):
    submission, user = lucnam
    _save(submission, user, **{"1.2": "29,75", "2.1": "0"})
    saved = dict(
        Score.objects.filter(submission=submission).values_list("criterion__code", "value")
    )
    assert {code: str(value) for code, value in saved.items()} == {
        "1.1": "35.00", "1.2": "29.75", "2.1": "0.00"}
