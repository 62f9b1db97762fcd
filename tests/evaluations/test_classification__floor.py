"""The scale's bands classify a total; with a floor rule, a criterion whose subtotal is below
its floor caps the class, however high the total."""

from decimal import Decimal

import pytest

from evaluations.selectors import campaign_results
from evaluations.services.criteria import scale_create

from .conftest import BANDS, fill, heading, leaf

pytestmark = pytest.mark.django_db

# Criterion 2 must reach 25 of its 30 points for a class above “Hoàn thành tốt nhiệm vụ”.
FLOORED = (
    heading("1", leaf("1.1", 40), leaf("1.2", 30)),
    heading("2", leaf("2.1", 15), leaf("2.2", 15), floor=Decimal(25)),
)


def test_a_criterion_below_its_floor_caps_the_class(bdt_builder, districts):
    bdt_builder.scale = scale_create(
        user=bdt_builder.user, agency=bdt_builder.user.agency, name="Thang có điểm sàn",
        bands=BANDS, floor_cap_label="Hoàn thành tốt nhiệm vụ",
    )
    campaign = bdt_builder.campaign(agencies=districts[:3], tree=FLOORED)
    scores = {
        "pdt-luc-nam": {"1.1": "40", "1.2": "30", "2.1": "12", "2.2": "7"},     # 89
        "pdt-luc-ngan": {"1.1": "40", "1.2": "30", "2.1": "15", "2.2": "12"},   # 97; 2 = 27
        "pdt-son-dong": {"1.1": "40", "1.2": "30", "2.1": "15", "2.2": "8,5"},  # 93,5; 2 = 23,5
    }
    for submission in campaign.submissions.select_related("agency"):
        fill(submission, submission.agency.people.get(role="head"), scores[submission.agency.code])

    classes = {row.submission.agency.code: row.classification
               for row in campaign_results(campaign=campaign)}

    assert classes == {
        "pdt-luc-ngan": "Hoàn thành xuất sắc nhiệm vụ",
        "pdt-son-dong": "Hoàn thành tốt nhiệm vụ",
        "pdt-luc-nam": "Hoàn thành tốt nhiệm vụ",
    }
