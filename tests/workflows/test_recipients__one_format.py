"""Recipients are handled once: the draft page and “Gửi văn bản đã ký” take the same
“name; e-mail” lines, refuse a bad address naming its line while keeping what was typed,
and the services hold every recipient to the same rules whoever calls them."""

import html

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from workflows.models import Document, Recipient
from workflows.services import handling
from workflows.services.documents import outgoing_send_signed
from workflows.services.recipients import RecipientInput, recipient_lines_parse
from workflows.services.routing import task_perform

from .documents_factory import document_type, pdf_upload
from .flow_fixtures import OutgoingFlow, reply_at, task_of, task_url

pytestmark = pytest.mark.django_db

GOOD = "Sở Tư pháp; vanthu@stp.example.vn"
BAD = "Báo Bắc Giang; toasoan@baobacgiang"
BAD_MESSAGE = (
    "Dòng 2 “Báo Bắc Giang; toasoan@baobacgiang”: “toasoan@baobacgiang” không phải là "
    "địa chỉ e-mail hợp lệ (mỗi dòng một nơi nhận: tên; e-mail)."
)


@pytest.fixture(autouse=True)
def _vietnamese(client):
    client.cookies["django_language"] = "vi"
    with translation.override("vi"):
        yield


def test_lines_are_read_one_way():
    typed = f"{GOOD}\n\n  vanthu@snv.example.vn  \nLãnh đạo Ban\n"
    assert recipient_lines_parse(typed) == [
        RecipientInput(name="Sở Tư pháp", email="vanthu@stp.example.vn"),
        RecipientInput(name="vanthu@snv.example.vn", email="vanthu@snv.example.vn"),
        RecipientInput(name="Lãnh đạo Ban"),
    ]
    assert recipient_lines_parse("Lưu: VT", is_addressee=False) == [
        RecipientInput(name="Lưu: VT", is_addressee=False)
    ]


def test_every_bad_line_is_named():
    typed = f"{GOOD}\n{BAD}\nBáo Nhân Dân <bbt@nhandan.vn>"
    with pytest.raises(ValidationError) as raised:
        recipient_lines_parse(typed)
    assert raised.value.messages[0] == BAD_MESSAGE
    assert raised.value.messages[1].startswith("Dòng 3 “Báo Nhân Dân <bbt@nhandan.vn>”")
    assert len(raised.value.messages) == 2


def _page_keeps(page: str, *typed: str) -> None:
    shown = html.unescape(page)
    for text in typed:
        assert text in shown, text


def test_the_draft_page_refuses_a_bad_address_and_keeps_what_was_typed(
    client, world, chuyen_vien
):
    reply = reply_at("draft")
    task = task_of(reply, OutgoingFlow.draft)
    client.force_login(chuyen_vien)
    data = {
        "document_type": reply.document_type_id, "summary": "V/v đánh giá, xếp loại 2023",
        "body": "Nội dung trả lời đã soạn kỹ", "urgency": "normal", "confidentiality": "normal",
        "recipient_agencies": [world.agency("hu-luc-nam").pk],
        "other_recipients": f"{GOOD}\n{BAD}", "copy_lines": "Lãnh đạo Ban",
    }
    response = client.post(task_url(task, "execute"), data)
    assert response.status_code == 200
    page = response.content.decode()
    _page_keeps(page, BAD_MESSAGE, "V/v đánh giá, xếp loại 2023", "Nội dung trả lời đã soạn kỹ",
                GOOD, BAD, "Lãnh đạo Ban")
    reply.refresh_from_db()
    assert reply.summary != "V/v đánh giá, xếp loại 2023"
    assert task_of(reply, OutgoingFlow.draft).pk == task.pk

    data["other_recipients"] = GOOD
    assert client.post(task_url(task, "execute"), data).status_code == 302
    rows = set(Recipient.objects.filter(document=reply, agency__isnull=True)
               .values_list("name", "email", "is_addressee"))
    assert rows == {("Sở Tư pháp", "vanthu@stp.example.vn", True), ("Lãnh đạo Ban", "", False)}


def test_a_draft_page_shows_the_recipients_again_as_they_are_typed(client, world, chuyen_vien):
    reply = reply_at("draft")
    Recipient.objects.bulk_create([
        Recipient(document=reply, name="Sở Tư pháp", email="vanthu@stp.example.vn"),
        Recipient(document=reply, name="Lãnh đạo Ban", is_addressee=False),
    ])
    client.force_login(chuyen_vien)
    page = client.get(task_url(task_of(reply, OutgoingFlow.draft), "execute")).content.decode()
    fields = {
        name: html.unescape(page.split(f'name="{name}"', 1)[1].split(">", 1)[0])
        for name in ("other_recipients", "copy_lines")
    }
    assert f'value="{GOOD}"' in fields["other_recipients"]
    assert 'value="Lãnh đạo Ban"' in fields["copy_lines"]


def test_the_send_page_refuses_a_bad_address_and_keeps_what_was_typed(
    client, world, van_thu_hu
):
    client.force_login(van_thu_hu)
    form = {
        "document_type": document_type("cong-van").pk, "summary": "V/v hội nghị tổng kết",
        "recipient_agencies": [world.agency("bdt-bac-giang").pk],
        "other_recipients": f"{GOOD}\n{BAD}", "copy_lines": "Lưu: VT",
        "signer_name": "Bùi Thanh Sơn", "signer_title": "BÍ THƯ", "signing_authority": "",
        "urgency": "normal", "confidentiality": "normal",
    }
    response = client.post(reverse("documents:send_signed"), {**form, "file": pdf_upload()})
    assert response.status_code == 200
    _page_keeps(response.content.decode(), BAD_MESSAGE, "V/v hội nghị tổng kết", GOOD, BAD,
                "Lưu: VT", "Bùi Thanh Sơn")
    assert not Document.objects.exists()


@pytest.mark.parametrize(("recipient", "message"), [
    (RecipientInput(name="Báo Bắc Giang", email="toasoan@"),
     "Địa chỉ e-mail của Báo Bắc Giang không hợp lệ: “toasoan@”."),
    (RecipientInput(name="Báo Bắc Giang"),
     "Nơi nhận ngoài hệ thống phải có địa chỉ e-mail: Báo Bắc Giang."),
    (RecipientInput(email="toasoan@baobacgiang.vn"), "Nơi nhận ngoài hệ thống phải có tên."),
])
def test_the_services_hold_python_callers_to_the_same_rules(
    world, van_thu_hu, chuyen_vien, recipient, message
):
    with pytest.raises(ValidationError) as raised:
        outgoing_send_signed(
            clerk=van_thu_hu, document_type=document_type("cong-van"), summary="V/v thử",
            recipients=[world.agency("bdt-bac-giang"), recipient], signer_name="Bùi Thanh Sơn",
            signer_title="BÍ THƯ", signing_authority="", file=pdf_upload(),
        )
    assert raised.value.messages == [message]
    assert not Document.objects.exists()

    reply = reply_at("draft")
    with pytest.raises(ValidationError) as raised:
        task_perform(
            task=task_of(reply, OutgoingFlow.draft), user=chuyen_vien,
            service=handling.draft_save, document_type=reply.document_type,
            summary="V/v thử", body="Nội dung", recipients=[recipient],
        )
    assert raised.value.messages == [message]


def test_the_own_agency_is_never_a_recipient(world, van_thu_hu):
    with pytest.raises(ValidationError) as raised:
        outgoing_send_signed(
            clerk=van_thu_hu, document_type=document_type("cong-van"), summary="V/v thử",
            recipients=[van_thu_hu.agency], signer_name="Bùi Thanh Sơn",
            signer_title="BÍ THƯ", signing_authority="", file=pdf_upload(),
        )
    assert raised.value.messages == ["Cơ quan của bạn không thể là nơi nhận."]
