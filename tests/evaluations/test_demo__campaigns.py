"""`load_demo` holds an open campaign of Sở Nội vụ that Ban Dân tộc's specialist can fill in,
and Ban Dân tộc's published ranking of the district offices; a second load adds nothing."""

import pytest

from evaluations.demo import load
from evaluations.models import Campaign, Score, Submission
from evaluations.selectors import campaign_list_for, campaign_results, submission_list_for

pytestmark = pytest.mark.django_db


def test_demo_campaigns_load_once(world):
    load()
    counts = (Campaign.objects.count(), Submission.objects.count(), Score.objects.count())
    load()
    assert (Campaign.objects.count(), Submission.objects.count(), Score.objects.count()) == counts

    specialist = world.user("ha.nt")
    open_one = campaign_list_for(user=specialist).get(owner__code="snv-bac-giang")
    assert open_one.status == Campaign.Status.OPEN
    assert open_one.criteria.filter(is_leaf=True).count() == 20
    mine = submission_list_for(user=specialist, campaign=open_one).get()
    assert mine.status == Submission.Status.DRAFT

    published = Campaign.objects.get(owner__code="bdt-bac-giang", period="2023")
    assert published.status == Campaign.Status.PUBLISHED
    lucnam = next(row for row in campaign_results(campaign=published)
                  if row.submission.agency.code == "pdt-luc-nam")
    assert (lucnam.classification, lucnam.rank, lucnam.count, lucnam.change) == (
        "Hoàn thành nhiệm vụ", 4, 4, -1)
