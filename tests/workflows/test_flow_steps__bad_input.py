"""Bad input at a step gets a Vietnamese message and changes nothing."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation
from viewflow.workflow.status import STATUS

from workflows.models import Assignment, Attachment, Document, Recipient
from workflows.services import handling
from workflows.services.recipients import RecipientInput
from workflows.services.routing import task_perform

from .flow_fixtures import IncomingFlow, OutgoingFlow, incoming_at, reply_at, task_of

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _vietnamese():
    with translation.override("vi"):
        yield


def _direct(world, user, **data):
    document = incoming_at("direct")
    task = task_of(document, IncomingFlow.direct)
    with pytest.raises(ValidationError) as error:
        task_perform(
            task=task, user=user, service=handling.incoming_direct,
            lead_unit=data.pop("lead_unit", world.unit("bdt-bac-giang", "HCTH")), **data,
        )
    task.refresh_from_db()
    assert task.status == STATUS.NEW and task.owner is None
    assert not Assignment.objects.filter(document=document).exists()
    return " ".join(error.value.messages)


def test_a_deadline_in_the_past_is_refused(world, truong_ban):
    message = _direct(
        world, truong_ban, due_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    assert message == "Hạn xử lý không được ở trong quá khứ."


def test_a_lead_unit_of_another_agency_is_refused(world, truong_ban):
    message = _direct(world, truong_ban, lead_unit=world.unit("hu-luc-nam", "VP"), working_days=3)
    assert message == "Hãy chọn một đơn vị thuộc cơ quan của bạn."


def test_the_lead_unit_cannot_also_support(world, truong_ban):
    message = _direct(
        world, truong_ban, working_days=3, supporting_units=[world.unit("bdt-bac-giang", "HCTH")]
    )
    assert message == "Đơn vị chủ trì không thể đồng thời là đơn vị phối hợp."


def _draft(world, chuyen_vien, **changes):
    reply = reply_at("draft")
    task = task_of(reply, OutgoingFlow.draft)
    data = {
        "document_type": reply.document_type,
        "summary": "Đánh giá, xếp loại",
        "body": "Nội dung",
        "recipients": [RecipientInput(agency_id=world.agency("hu-luc-nam").pk)],
        **changes,
    }
    before = list(reply.recipients.values_list("agency_id", "name"))
    with pytest.raises(ValidationError) as error:
        task_perform(task=task, user=chuyen_vien, service=handling.draft_save, **data)
    task.refresh_from_db()
    reply.refresh_from_db()
    assert task.status == STATUS.ASSIGNED
    assert list(reply.recipients.values_list("agency_id", "name")) == before
    assert not reply.attachments.exists()
    assert reply.summary != "Đánh giá, xếp loại"
    return " ".join(error.value.messages)


def test_a_draft_without_recipients_is_refused(world, chuyen_vien):
    assert _draft(world, chuyen_vien, recipients=[]) == "Hãy chọn ít nhất một nơi nhận văn bản."


def test_an_outside_addressee_needs_an_e_mail(world, chuyen_vien):
    message = _draft(world, chuyen_vien, recipients=[RecipientInput(name="Báo Bắc Giang")])
    assert message == "Nơi nhận ngoài hệ thống phải có địa chỉ e-mail: Báo Bắc Giang."


def test_a_file_that_is_neither_pdf_nor_docx_is_refused(world, chuyen_vien):
    upload = SimpleUploadedFile("du-thao.exe", b"MZ\x90\x00", content_type="application/pdf")
    message = _draft(world, chuyen_vien, files=[upload])
    assert "PDF" in message and "DOCX" in message


def test_an_oversized_file_is_refused(world, chuyen_vien, settings):
    settings.ATTACHMENT_MAX_BYTES = 1024
    upload = SimpleUploadedFile("du-thao.pdf", b"%PDF-1.4\n" + b"0" * 4096 + b"\n%%EOF")
    message = _draft(world, chuyen_vien, files=[upload])
    assert "dung lượng" in message.lower() or "1,0" in message or "KB" in message


def test_a_proposed_signer_must_be_a_leader(world, chuyen_vien):
    message = _draft(world, chuyen_vien, proposed_signer=world.user("lan.tt"))
    assert message == "Hãy chọn người đứng đầu hoặc cấp phó của cơ quan."


def test_a_good_draft_with_a_pdf_is_saved(world, chuyen_vien):
    reply = reply_at("draft")
    upload = SimpleUploadedFile("du-thao.pdf", b"%PDF-1.4\n%%EOF\n")
    task_perform(
        task=task_of(reply, OutgoingFlow.draft), user=chuyen_vien, service=handling.draft_save,
        document_type=reply.document_type, summary="Đánh giá, xếp loại", body="Nội dung",
        recipients=[
            RecipientInput(agency_id=world.agency("hu-luc-nam").pk),
            RecipientInput(name="Báo Bắc Giang", email="toasoan@baobacgiang.vn"),
            RecipientInput(name="Lãnh đạo Ban", is_addressee=False),
        ],
        files=[upload],
    )
    assert reply.attachments.get().kind == Attachment.Kind.DRAFT
    assert Recipient.objects.filter(document=reply).count() == 3
    assert task_of(reply, OutgoingFlow.review) is not None


def test_a_task_already_done_cannot_be_done_again(world, truong_ban, pho_truong_ban):
    reply = reply_at("sign")
    task = task_of(reply, OutgoingFlow.sign)
    task_perform(task=task, user=truong_ban, service=handling.draft_sign, approve=True)
    with pytest.raises(ValidationError) as error:
        task_perform(task=task, user=pho_truong_ban, service=handling.draft_sign, approve=True)
    assert error.value.messages == ["Công việc này đã được hoàn thành."]
    reply.refresh_from_db()
    assert reply.signer == truong_ban and reply.status == Document.Status.APPROVED
