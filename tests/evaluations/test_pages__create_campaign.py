"""The owner creates a campaign from the page, then opens it, which drafts the request."""

import datetime

import pytest

from evaluations.models import Campaign, CampaignDocument
from evaluations.services.criteria import template_create
from workcalendar.services import WorkCalendar

from .conftest import SMALL_TREE

pytestmark = pytest.mark.django_db


def test_owner_creates_then_opens_a_campaign(client, bdt_builder, districts, world):
    template = template_create(user=bdt_builder.user, agency=bdt_builder.user.agency,
                               name="Bộ tiêu chí 2024", criteria=SMALL_TREE)
    client.force_login(world.user("tuan.nq"))
    assert client.get("/evaluations/new/").status_code == 200

    response = client.post("/evaluations/new/", {
        "title": "Đánh giá, xếp loại Phòng Dân tộc", "period": "2024",
        "template": template.pk, "scale": bdt_builder.scale.pk,
        "deadline": "15/12/2099", "agencies": [a.pk for a in districts],
        "participant_label": "Phòng Dân tộc cấp huyện trên toàn tỉnh",
    })

    campaign = Campaign.objects.get(period="2024")
    assert response.url == f"/evaluations/{campaign.pk}/"
    assert campaign.submissions.count() == 4
    # The day chosen in the date picker, closing when the owner's office closes.
    assert campaign.deadline == WorkCalendar().closing(
        datetime.date(2099, 12, 15), campaign.owner_id
    )
    client.post(f"/evaluations/{campaign.pk}/do/open/")
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.OPEN
    assert campaign.criteria.count() == 5
    assert CampaignDocument.objects.get(campaign=campaign).document.recipients.count() == 4


def test_a_missing_participant_is_refused_in_vietnamese(client, bdt_builder, world):
    client.force_login(world.user("tuan.nq"))
    template = template_create(user=bdt_builder.user, agency=bdt_builder.user.agency,
                               name="Bộ tiêu chí", criteria=SMALL_TREE)
    page = client.post("/evaluations/new/", {
        "title": "Đánh giá", "period": "2024", "template": template.pk,
        "scale": bdt_builder.scale.pk, "deadline": "15/12/2099",
    })
    assert "Chọn ít nhất một đơn vị tham gia." in page.content.decode()
    assert not Campaign.objects.exists()


def test_an_agency_without_drafting_units_opens_with_a_request_already_sent(client, world):
    from workflows.story import request_send

    from .conftest import Builder

    builder = Builder(world.user("giamdoc.snv"))
    campaign = builder.campaign(agencies=[world.agency("bdt-bac-giang")], open_=False)
    sent = request_send(number=None, clerk="vanthu.snv", to=("bdt-bac-giang",),
                        summary="V/v chấm điểm công tác dân vận chính quyền năm 2024")
    client.force_login(world.user("giamdoc.snv"))
    page = client.get(f"/evaluations/{campaign.pk}/").content.decode()
    assert f'<option value="{sent.pk}">' in page

    client.post(f"/evaluations/{campaign.pk}/do/open/", {"request": sent.pk})

    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.OPEN
    assert CampaignDocument.objects.get(campaign=campaign).document == sent
