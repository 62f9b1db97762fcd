"""The campaign travels through the routing flows: opening it drafts the owner's công văn in
the OutgoingFlow, which, once issued, lands in each participant's incoming register; the
participant's specialist submitting the self-assessment answers that request with a BÁO CÁO
draft that goes through review, signature and issue back to the owner."""

import io

import docx
import pytest
from viewflow.workflow.status import STATUS

from evaluations.models import CampaignDocument, Submission
from evaluations.selectors import linked_documents_for
from evaluations.services.scores import submission_submit
from workflows.flows import IncomingFlow, OutgoingFlow
from workflows.models import Attachment, Direction, Document, DocumentType
from workflows.services.handling import draft_save
from workflows.services.recipients import RecipientInput
from workflows.services.routing import open_task, task_perform
from workflows.story import incoming_copy, incoming_reach, outgoing_reach, request_send

from .conftest import fill

pytestmark = pytest.mark.django_db

FULL = {"1.1": "38", "1.2": "30", "2.1": "27,5"}
DISTRICTS = ("pdt-luc-nam", "pdt-son-dong", "pdt-luc-ngan", "pdt-yen-the")


def test_opening_drafts_the_request_which_reaches_every_participant_register(
    bdt_builder, districts, world
):
    campaign = bdt_builder.campaign(agencies=districts)

    link = CampaignDocument.objects.get(campaign=campaign, kind=CampaignDocument.Kind.REQUEST)
    request = link.document
    assert (request.direction, request.status, request.drafted_by) == (
        Direction.OUTGOING, Document.Status.DRAFT, world.user("tuan.nq"))
    assert sorted(request.recipients.values_list("agency__code", flat=True)) == sorted(DISTRICTS)
    draft = open_task(document=request, node=OutgoingFlow.draft)
    assert (draft.status, draft.owner) == (STATUS.ASSIGNED, world.user("tuan.nq"))

    outgoing_reach(document=request, stage="done", say=lambda _l: None, commenter="",
                   summary=request.summary, body=request.body, recipients=DISTRICTS)

    request.refresh_from_db()
    assert request.status == Document.Status.ISSUED
    for code in DISTRICTS:
        copy = incoming_copy(request=request, agency_code=code)
        assert open_task(document=copy, node=IncomingFlow.register) is not None
        head = copy.agency.people.get(role="head")
        assert list(linked_documents_for(user=head, campaign=campaign)) == [copy]


def test_the_specialists_submission_answers_the_request_with_a_report(world):
    from .conftest import Builder

    request = request_send(number=None, clerk="vanthu.snv", to=("bdt-bac-giang",),
                           summary="V/v chấm điểm công tác dân vận chính quyền năm 2023")
    campaign = Builder(world.user("giamdoc.snv")).campaign(
        agencies=[world.agency("bdt-bac-giang")], request=request)
    copy = incoming_copy(request=request)
    incoming_reach(document=copy, stage="handle", say=lambda _l: None, lead_unit="CSDT",
                   handler="ha.nt")
    submission = campaign.submissions.get()
    specialist = world.user("ha.nt")
    fill(submission, specialist, FULL)

    submission = submission_submit(user=specialist, submission=submission)

    assert submission.status == Submission.Status.SUBMITTED
    report = CampaignDocument.objects.get(submission=submission).document
    assert (report.document_type.code, report.responds_to, report.drafted_by) == (
        "bao-cao", copy, specialist)
    assert report.attachments.get(kind=Attachment.Kind.DRAFT).original_name.endswith(".docx")
    assert "- Tổng số điểm Ban Dân tộc tỉnh Bắc Giang tự đánh giá: 95,5 điểm" in report.body
    # The report goes on like any draft: drafted, reviewed by CSDT's head, signed, issued.
    task_perform(
        task=open_task(document=report, node=OutgoingFlow.draft), user=specialist,
        service=draft_save, document_type=DocumentType.objects.get(code="bao-cao"),
        summary="Báo cáo kết quả chấm điểm công tác dân vận chính quyền năm 2023",
        body=report.body,
        recipients=[RecipientInput(agency_id=world.agency("snv-bac-giang").pk)],
        proposed_signer=world.user("hung.nv"),
    )
    outgoing_reach(document=report, stage="done", signer="hung.nv", say=lambda _l: None)
    report.refresh_from_db()
    assert report.status == Document.Status.ISSUED
    assert report.notation == f"{report.number:02d}/BC-BDT"
    issued = report.attachments.get(kind=Attachment.Kind.ISSUED)
    with issued.file.open("rb") as handle:
        text = "\n".join(p.text for p in docx.Document(io.BytesIO(handle.read())).paragraphs)
    assert "1. Tiêu chí 1: 68 điểm" in text
    assert "- Xếp loại: Hoàn thành xuất sắc nhiệm vụ." in text
    at_owner = Document.objects.get(source=report, agency__code="snv-bac-giang")
    assert at_owner.responds_to == request
    assert at_owner in linked_documents_for(user=world.user("giamdoc.snv"), campaign=campaign)
