"""Seed 004: a province ranks its 19 departments every year. Ban Dân tộc, last of 19 in
2016, scores 75,59 in 2017 (11/19, up 8 places) and 74,41 in 2018 (4/19, up 7)."""

from decimal import Decimal

import pytest
from django.utils import translation

from accounts.models import User
from evaluations.exports import rank_change_text, score_text
from evaluations.selectors import campaign_results
from workflows.story import request_send

from .conftest import Builder, fill, heading, leaf, other_agencies

pytestmark = pytest.mark.django_db

INDEX = (heading("1", leaf("1.1", 60), leaf("1.2", 40)),)


def _yearly(builder, agencies, *, year, totals, previous=None):
    """One year's campaign of UBND tỉnh over the 19 departments, each scoring `totals[code]`."""
    request = request_send(
        number=None, clerk="vanthu.ubnd", summary=f"V/v chấm điểm Chỉ số CCHC năm {year}",
        to=tuple(agency.code for agency in agencies),
    )
    campaign = builder.campaign(
        agencies=agencies, tree=INDEX, period=str(year), previous=previous, request=request,
        title="Chỉ số cải cách hành chính",
    )
    for submission in campaign.submissions.select_related("agency"):
        total = Decimal(totals[submission.agency.code].replace(",", "."))
        part = min(total, Decimal(60))
        fill(submission, User.objects.get(username=f"cv.{submission.agency.code}"),
             {"1.1": part, "1.2": total - part})
    return campaign


def test_ban_dan_toc_climbs_from_19_to_11_then_4_of_19(world):
    departments = [world.agency("bdt-bac-giang"), *other_agencies(18)]
    User.objects.bulk_create(
        User(username=f"cv.{agency.code}", agency=agency, role="specialist")
        for agency in departments
    )
    builder = Builder(world.user("chutich.ubnd"))
    others = [agency.code for agency in departments[1:]]
    # Others' totals: 2016 all above BDT; 2017 ten above 75,59; 2018 three above 74,41.
    y2016 = {"bdt-bac-giang": "52,10", **{code: f"{60 + n}" for n, code in enumerate(others)}}
    y2017 = {"bdt-bac-giang": "75,59",
             **{code: f"{76 + n}" if n < 10 else f"{50 + n}" for n, code in enumerate(others)}}
    y2018 = {"bdt-bac-giang": "74,41",
             **{code: f"{80 + n}" if n < 3 else f"{55 + n}" for n, code in enumerate(others)}}
    c2016 = _yearly(builder, departments, year=2016, totals=y2016)
    c2017 = _yearly(builder, departments, year=2017, totals=y2017, previous=c2016)
    c2018 = _yearly(builder, departments, year=2018, totals=y2018, previous=c2017)

    def bdt(campaign):
        row = next(r for r in campaign_results(campaign=campaign)
                   if r.submission.agency.code == "bdt-bac-giang")
        with translation.override("vi"):
            return score_text(row.total), f"{row.rank}/{row.count}", rank_change_text(row.change)

    assert bdt(c2016) == ("52,1", "19/19", "")
    assert bdt(c2017) == ("75,59", "11/19", "tăng 8 bậc")
    assert bdt(c2018) == ("74,41", "4/19", "tăng 7 bậc")
