"""A campaign takes a frozen copy of its criteria when it opens: editing the template
afterwards changes nothing in the campaign or in the scores given."""

from decimal import Decimal

import pytest

from evaluations.models import TemplateCriterion
from evaluations.selectors import campaign_results
from evaluations.services.criteria import template_criterion_update

from .conftest import fill

pytestmark = pytest.mark.django_db


def test_editing_the_template_after_opening_changes_nothing(bdt_builder, districts, world):
    campaign = bdt_builder.campaign(agencies=districts[:1])
    submission = campaign.submissions.get()
    head = submission.agency.people.get(role="head")
    fill(submission, head, {"1.1": "40", "1.2": "30", "2.1": "30"})
    before = list(campaign.criteria.values_list("code", "title", "max_score"))

    leaf = TemplateCriterion.objects.get(template=campaign.template, code="1.1")
    template_criterion_update(
        user=bdt_builder.user, criterion=leaf, title="Tiêu chí đã sửa", max_score=Decimal(10)
    )

    assert list(campaign.criteria.values_list("code", "title", "max_score")) == before
    assert campaign.criteria.get(code="1.1").max_score == Decimal(40)
    assert campaign_results(campaign=campaign)[0].total == Decimal(100)
