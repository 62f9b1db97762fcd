"""A campaign over the owner's own units: each unit's people see their own submission only,
while the leadership and the units not taking part review them all."""

import pytest
from django.http import Http404

from evaluations.selectors import submission_get_for, submission_list_for

pytestmark = pytest.mark.django_db


def test_unit_participants_see_only_their_own_submission(world):
    from .conftest import Builder

    builder = Builder(world.user("quyen.vt"))
    units = [world.unit("bdt-bac-giang", "HCTH"), world.unit("bdt-bac-giang", "CSDT")]
    campaign = builder.campaign(units=units)
    hcth, csdt = (campaign.submissions.get(unit=unit) for unit in units)

    assert list(submission_list_for(user=world.user("ha.nt"), campaign=campaign)) == [csdt]
    assert list(submission_list_for(user=world.user("tuan.nq"), campaign=campaign)) == [hcth]
    with pytest.raises(Http404):
        submission_get_for(user=world.user("tuan.nq"), pk=csdt.pk)
    for reviewer in ("quyen.vt", "thanh.dv"):
        assert set(submission_list_for(user=world.user(reviewer), campaign=campaign)) == {
            hcth, csdt}
