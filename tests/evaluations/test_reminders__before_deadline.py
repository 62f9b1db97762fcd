"""Beat reminds the participants that have not submitted, once, through notifications'
outbox, when the deadline is near; those that submitted hear nothing."""

import datetime

import pytest
from freezegun import freeze_time

from evaluations.services.scores import submission_submit
from evaluations.tasks import sweep
from notifications.models import Notification, Outbox

from .conftest import fill

pytestmark = pytest.mark.django_db


def test_participants_not_submitted_are_reminded_once(bdt_builder, districts, settings):
    settings.EVALUATIONS_REMIND_DAYS_BEFORE = 2
    campaign = bdt_builder.campaign(agencies=districts)
    done = campaign.submissions.get(agency__code="pdt-luc-nam")
    head = done.agency.people.get(role="head")
    fill(done, head, {"1.1": "40", "1.2": "30", "2.1": "30"})
    submission_submit(user=head, submission=done)

    with freeze_time(campaign.deadline - datetime.timedelta(days=3)):
        assert sweep()["reminded"] == 0
    with freeze_time(campaign.deadline - datetime.timedelta(days=1)):
        assert sweep()["reminded"] == 3
        assert sweep()["reminded"] == 0

    reminded = Notification.objects.filter(kind="evaluation")
    assert sorted(reminded.values_list("recipient__username", flat=True)) == [
        "truongphong.lucngan", "truongphong.sondong", "truongphong.yenthe"]
    assert reminded.first().title.startswith("Hạn nộp tự đánh giá")
    assert Outbox.objects.filter(key__startswith="evaluation-reminder:").count() == 3
