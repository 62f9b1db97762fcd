"""Before the results are published, a participant sees its own submission only: another
participant's form, its Word report and the results (page and Excel) are 404, in the lists
and by typing addresses; after publication every participant sees the results table at once."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from evaluations.models import Campaign
from evaluations.services.campaigns import campaign_approve, campaign_publish
from evaluations.services.scores import (
    ScoreInput,
    self_assessment_save,
    submission_return,
    submission_submit,
)

from .conftest import fill

pytestmark = pytest.mark.django_db


@pytest.fixture
def scored(bdt_builder, districts, world):
    campaign = bdt_builder.campaign(agencies=districts)
    for n, submission in enumerate(campaign.submissions.select_related("agency")):
        head = submission.agency.people.get(role="head")
        fill(submission, head, {"1.1": f"{30 + n}", "1.2": "20", "2.1": "17,59"})
        submission_submit(user=head, submission=submission)
    return campaign


def _addresses(campaign, submission):
    return {
        "form": f"/evaluations/submissions/{submission.pk}/",
        "docx": f"/evaluations/submissions/{submission.pk}/report.docx",
        "results": f"/evaluations/{campaign.pk}/results/",
        "xlsx": f"/evaluations/{campaign.pk}/results.xlsx",
    }


def test_a_participant_cannot_read_another_before_publication(client, scored, world):
    lucnam, sondong = (scored.submissions.get(agency__code=code)
                       for code in ("pdt-luc-nam", "pdt-son-dong"))
    client.force_login(world.user("truongphong.lucnam"))

    detail = client.get(f"/evaluations/{scored.pk}/")
    assert detail.status_code == 200
    assert [s.pk for s in detail.context["submissions"]] == [lucnam.pk]
    assert "Phòng Dân tộc huyện Sơn Động" not in detail.content.decode()
    for name, path in _addresses(scored, sondong).items():
        assert client.get(path).status_code == 404, name
    own = _addresses(scored, lucnam)
    assert client.get(own["form"]).status_code == 200
    assert client.get(own["docx"]).status_code == 200
    assert client.get(own["results"]).status_code == 404
    # Another agency altogether does not even see the campaign.
    client.force_login(world.user("vanthu.hu"))
    assert client.get("/evaluations/").context["campaigns"].count() == 0
    assert client.get(f"/evaluations/{scored.pk}/").status_code == 404


def test_publication_shows_the_results_to_every_participant_at_once(client, scored, world):
    head = world.user("quyen.vt")
    campaign_approve(user=head, campaign=scored)
    client.force_login(world.user("truongphong.sondong"))
    assert client.get(f"/evaluations/{scored.pk}/results/").status_code == 404

    campaign_publish(user=head, campaign=Campaign.objects.get(pk=scored.pk))

    for place in ("lucnam", "sondong", "lucngan", "yenthe"):
        client.force_login(world.user(f"truongphong.{place}"))
        page = client.get(f"/evaluations/{scored.pk}/results/")
        assert page.status_code == 200
        assert [f"{row.rank}/{row.count}" for row, _change in page.context["rows"]] == [
            "1/4", "2/4", "3/4", "4/4"]
        assert "70,59" in page.content.decode()  # 33 + 20 + 17,59, Vietnamese decimals
        assert client.get(f"/evaluations/{scored.pk}/results.xlsx").status_code == 200
    # The other participants' forms stay theirs.
    other = scored.submissions.get(agency__code="pdt-luc-nam")
    assert client.get(f"/evaluations/submissions/{other.pk}/").status_code == 404


def test_evidence_files_are_served_to_the_submission_readers_only(client, scored, world):
    lucnam = scored.submissions.get(agency__code="pdt-luc-nam")
    submission_return(user=world.user("tuan.nq"), submission=lucnam, reason="Thiếu minh chứng.")
    leaf = scored.criteria.get(code="1.1")
    pdf = b"%PDF-1.4\n%%EOF\n"
    self_assessment_save(user=world.user("truongphong.lucnam"), submission=lucnam, entries=[
        ScoreInput(criterion_id=leaf.pk, value="30", explanation="Kế hoạch 12/KH-PDT.",
                   evidence_file=SimpleUploadedFile("ke-hoach.pdf", pdf))])
    score = lucnam.scores.get(criterion=leaf, round="self")
    path = f"/evaluations/submissions/{lucnam.pk}/evidence/{score.pk}/"

    client.force_login(world.user("truongphong.lucnam"))
    assert b"".join(client.get(path).streaming_content) == pdf
    client.force_login(world.user("truongphong.sondong"))
    assert client.get(path).status_code == 404
    client.force_login(world.user("quyen.vt"))
    assert client.get(path).status_code == 200
