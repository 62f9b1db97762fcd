"""At the deadline the beat task locks submissions: a late save or submission is refused
unless the owner extends that participant's deadline."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from freezegun import freeze_time

from evaluations.models import Campaign, Submission
from evaluations.selectors import campaign_results
from evaluations.services.campaigns import (
    campaign_approve,
    campaigns_lock_due,
    submission_extend,
)
from evaluations.services.scores import submission_submit
from evaluations.tasks import sweep

from .conftest import fill

pytestmark = pytest.mark.django_db

FULL = {"1.1": "40", "1.2": "30", "2.1": "30"}


@pytest.fixture
def late(bdt_builder, districts):
    campaign = bdt_builder.campaign(agencies=districts[:2])
    first, second = campaign.submissions.select_related("agency").order_by("agency__code")
    return campaign, first, second


def test_the_beat_task_locks_at_the_deadline_and_a_late_submission_is_refused(late):
    campaign, first, _second = late
    head = first.agency.people.get(role="head")
    fill(first, head, FULL)
    with freeze_time(campaign.deadline + datetime.timedelta(minutes=1)):
        assert sweep() == {"locked": 2, "reminded": 0}
        first.refresh_from_db()
        assert first.status == Submission.Status.LOCKED
        with pytest.raises(ValidationError, match="Đã quá hạn nộp"):
            submission_submit(user=head, submission=first)
        with pytest.raises(ValidationError):
            fill(first, head, {"1.1": "39"})
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.CLOSED


def test_an_extension_reopens_one_participant_only(late, bdt_builder):
    campaign, first, second = late
    with freeze_time(campaign.deadline + datetime.timedelta(minutes=1)):
        campaigns_lock_due()
        submission_extend(
            user=bdt_builder.user, submission=first,
            until=timezone.now() + datetime.timedelta(days=2),
        )
        head = first.agency.people.get(role="head")
        fill(first, head, FULL)
        submitted = submission_submit(user=head, submission=first)
        assert submitted.status == Submission.Status.SUBMITTED
        with pytest.raises(ValidationError):
            fill(second, second.agency.people.get(role="head"), FULL)
    # When the extension ends, the beat task locks the extended submission too.
    with freeze_time(campaign.deadline + datetime.timedelta(days=3)):
        assert campaigns_lock_due() == 1
    first.refresh_from_db()
    assert first.status == Submission.Status.LOCKED


def test_a_draft_never_submitted_counts_nothing_once_approved(late, world):
    campaign, first, second = late
    fill(first, first.agency.people.get(role="head"), FULL)
    submission_submit(user=first.agency.people.get(role="head"), submission=first)
    fill(second, second.agency.people.get(role="head"), FULL)  # saved, never submitted
    campaign_approve(user=world.user("quyen.vt"), campaign=campaign)

    rows = {row.submission.pk: (row.total, row.rank) for row in campaign_results(
        campaign=Campaign.objects.get(pk=campaign.pk))}
    assert rows == {first.pk: (100, 1), second.pk: (0, 2)}
