"""Through the pages: the owner's reviewer scores a leaf where they disagree (a reason is
required), the participant sees the reviewed score and the reason, a submission is returned
with a reason; the results export is an Excel table with Vietnamese ranks and changes."""

import io

import openpyxl
import pytest

from evaluations.demo import district_campaign
from evaluations.models import Round, Score, Submission
from evaluations.services.scores import submission_submit

from .conftest import fill

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(bdt_builder, districts, world):
    campaign = bdt_builder.campaign(agencies=districts[:1])
    submission = campaign.submissions.get()
    head = submission.agency.people.get(role="head")
    fill(submission, head, {"1.1": "40", "1.2": "30", "2.1": "30"})
    submission_submit(user=head, submission=submission)
    return submission, head, {c.code: c.pk for c in campaign.criteria.all()}


def test_reviewer_needs_a_reason_and_the_participant_sees_both(client, submitted, world):
    submission, head, ids = submitted
    client.force_login(world.user("tuan.nq"))
    url = f"/evaluations/submissions/{submission.pk}/"

    refused = client.post(url, {"action": "review", f"review-{ids['1.2']}": "25"})
    assert "Ghi lý do của điểm thẩm định tiêu chí 1.2." in refused.content.decode()
    assert not Score.objects.filter(round=Round.REVIEW).exists()

    client.post(url, {"action": "review", f"review-{ids['1.2']}": "25",
                      f"reason-{ids['1.2']}": "Báo cáo chậm hạn hai lần."})
    client.force_login(head)
    page = client.get(url).content.decode()
    assert "Báo cáo chậm hạn hai lần." in page
    assert 'class="vf-list__table-cell ev-total" style="font-weight:bold">95<' in page


def test_owner_returns_a_submission_with_a_reason(client, submitted, world):
    submission, head, _ids = submitted
    client.force_login(world.user("tuan.nq"))
    client.post(f"/evaluations/submissions/{submission.pk}/",
                {"action": "return", "return_reason": "Thiếu minh chứng tiêu chí 1.1."})
    submission.refresh_from_db()
    assert submission.status == Submission.Status.RETURNED
    client.force_login(head)
    page = client.get(f"/evaluations/submissions/{submission.pk}/").content.decode()
    assert "Thiếu minh chứng tiêu chí 1.1." in page
    assert f'name="score-{_ids["1.1"]}"' in page  # the participant can correct it again


def test_results_export_is_an_excel_table(client, world):
    previous = district_campaign(period="2022")
    campaign = district_campaign(period="2023", previous=previous)
    client.force_login(world.user("truongphong.lucnam"))

    response = client.get(f"/evaluations/{campaign.pk}/results.xlsx")

    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = {row[1]: row[2:] for row in sheet.iter_rows(min_row=3, values_only=True)}
    # Then criterion 1 (20 + 6 reviewed + 4) and criterion 2 (14 + 16).
    assert rows["Phòng Dân tộc huyện Lục Nam"] == (
        60, "Hoàn thành nhiệm vụ", "4/4", "3/4", "giảm 1 bậc", 30, 30)
    own = campaign.submissions.get(agency__code="pdt-luc-nam")
    page = client.get(f"/evaluations/submissions/{own.pk}/").content.decode()
    assert ("<strong>Hoàn thành nhiệm vụ</strong> · Xếp thứ tự <strong>4/4</strong> "
            "(giảm 1 bậc)") in page
