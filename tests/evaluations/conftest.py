"""Fixtures of the evaluations tests: scales, criteria trees and campaigns built through the
services, on the demo world (tests/conftest.py)."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.models import Agency
from evaluations.models import Campaign, Submission
from evaluations.services.campaigns import campaign_create, campaign_open
from evaluations.services.criteria import CriterionSpec, scale_create, template_create
from evaluations.services.scores import ScoreInput, self_assessment_save

# The usual four classes (issue 11), as data of the owner agency.
BANDS = (
    (Decimal(90), "Hoàn thành xuất sắc nhiệm vụ"),
    (Decimal(70), "Hoàn thành tốt nhiệm vụ"),
    (Decimal(50), "Hoàn thành nhiệm vụ"),
    (Decimal(0), "Không hoàn thành nhiệm vụ"),
)


def leaf(code: str, max_score, **extra) -> CriterionSpec:
    return CriterionSpec(code=code, title=f"Nội dung {code}", max_score=Decimal(max_score), **extra)


def heading(code: str, *children: CriterionSpec, **extra) -> CriterionSpec:
    return CriterionSpec(code=code, title=f"Tiêu chí {code}", children=children, **extra)


# Two criteria, three leaves, 100 points: 1 → 1.1 (40), 1.2 (30); 2 → 2.1 (30).
SMALL_TREE = (
    heading("1", leaf("1.1", 40), leaf("1.2", 30)),
    heading("2", leaf("2.1", 30)),
)


def in_days(days: int) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(days=days)


class Builder:
    """Campaigns of one owner, made and opened through the services."""

    def __init__(self, owner_user, bands=BANDS):
        self.user = owner_user
        self.scale = scale_create(
            user=owner_user, agency=owner_user.agency, name="Thang xếp loại", bands=bands
        )

    def campaign(
        self, *, agencies=(), units=(), tree=SMALL_TREE, title="Đánh giá, xếp loại",
        period="2023", deadline=None, previous=None, open_=True, request=None,
    ) -> Campaign:
        template = template_create(
            user=self.user, agency=self.user.agency, name=f"Bộ tiêu chí {period}", criteria=tree
        )
        campaign = campaign_create(
            user=self.user, title=title, period=period, scale=self.scale,
            deadline=deadline or in_days(10), template=template, agencies=agencies,
            units=units, previous=previous,
        )
        if open_:
            campaign = campaign_open(user=self.user, campaign=campaign, request=request)
        return campaign


def other_agencies(count: int, prefix: str = "so") -> list[Agency]:
    """`count` extra agencies (the departments a province ranks), one head each is not needed."""
    return Agency.objects.bulk_create(
        Agency(code=f"{prefix}-{n}", name=f"Sở thứ {n:03d}", header_name=f"SỞ {n}",
               symbol=f"S{n}", place_name="Bắc Giang")
        for n in range(1, count + 1)
    )


def fill(submission: Submission, user, values: dict[str, object], explanation="Đã thực hiện."):
    """The participant `user` scores leaves by code."""
    criteria = {c.code: c.pk for c in submission.campaign.criteria.all()}
    return self_assessment_save(
        user=user, submission=submission,
        entries=[ScoreInput(criterion_id=criteria[code], value=value, explanation=explanation)
                 for code, value in values.items()],
    )


@pytest.fixture
def bdt_builder(world, chuyen_vien):
    """Ban Dân tộc's specialist tuan.nq prepares campaigns and drafts their request công văn
    (BDT owns seed 000's ranking); the head approves and publishes."""
    return Builder(chuyen_vien)


@pytest.fixture
def districts(world) -> list[Agency]:
    """The four district Phòng Dân tộc of the demo world (seed 000)."""
    return list(Agency.objects.filter(code__startswith="pdt-").order_by("code"))
