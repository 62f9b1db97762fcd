"""Withdrawing (thu hồi) an issued document from its page: head or clerk, with a reason.

HU's clerk sends 1719-CV/HU to BDT and to an outside newspaper, then withdraws it: the number
stays taken, BDT's copy is marked with the reason and BDT's leaders and clerks are told, the
newspaper gets an e-mail. Anyone else, or another agency, cannot.
"""

import pytest
from freezegun import freeze_time

from notifications.models import Notification, Outbox
from workflows.models import Direction, Document, RegisterCounter, SigningAuthority
from workflows.services.documents import outgoing_issue, outgoing_send_signed
from workflows.services.numbering import register_for
from workflows.services.recipients import RecipientInput

from .documents_factory import approved_outgoing, document_type, pdf_upload
from .flow_fixtures import reply_at

pytestmark = pytest.mark.django_db

NEWSPAPER = "toasoan@baobacgiang.vn"


@pytest.fixture
def sent(world, van_thu_hu):
    register = register_for(agency=van_thu_hu.agency, direction=Direction.OUTGOING)
    RegisterCounter.objects.create(register=register, year=2023, last_number=1718)
    with freeze_time("2023-11-15 09:00:00+07:00"):
        return outgoing_send_signed(
            clerk=van_thu_hu,
            document_type=document_type("cong-van"),
            summary="V/v xin ý kiến đánh giá, xếp loại năm 2023",
            recipients=[world.agency("bdt-bac-giang"),
                        RecipientInput(name="Báo Bắc Giang", email=NEWSPAPER)],
            signer_name="Bùi Thanh Sơn",
            signer_title="BÍ THƯ",
            signing_authority=SigningAuthority.IN_PERSON,
            file=pdf_upload(),
        )


def _copy(world):
    return Document.objects.get(agency=world.agency("bdt-bac-giang"))


@pytest.mark.parametrize("username", ["vanthu.hu", "son.bt"])
def test_clerk_or_head_withdraws_from_the_page_and_recipients_are_told(
    client, world, sent, username
):
    client.force_login(world.user(username))
    page = client.get(f"/documents/{sent.pk}/").content.decode()
    assert f'href="/documents/{sent.pk}/withdraw/"' in page
    assert "Thu hồi văn bản" in page

    response = client.post(f"/documents/{sent.pk}/withdraw/", {"reason": "Sai thể thức"})

    assert response.status_code == 302
    sent = Document.objects.get(pk=sent.pk)
    assert (sent.status, sent.notation, sent.register_number) == ("cancelled", "1719-CV/HU", 1719)
    assert sent.withdrawn_at is not None
    assert RegisterCounter.objects.get(register=sent.register, year=2023).last_number == 1719
    copy = _copy(world)
    assert copy.withdrawn_at is not None
    assert copy.timeline.last().comment == "Bị Huyện ủy Lục Nam thu hồi: Sai thể thức"
    told = set(Notification.objects.filter(key=f"withdrawn:{copy.pk}")
               .values_list("recipient__username", flat=True))
    assert {"quyen.vt", "hung.nv", "mai.ht"} <= told
    assert not told & {"tuan.nq", "vanthu.hu", "son.bt"}
    mail = Outbox.objects.get(to_email=NEWSPAPER, kind="withdrawn")
    assert "1719-CV/HU" in mail.subject and "Sai thể thức" in mail.body_text
    assert "Sai thể thức" in client.get(f"/documents/{sent.pk}/").content.decode()


def test_recipients_copy_page_shows_the_withdrawal(client, world, sent, van_thu_hu):
    client.force_login(van_thu_hu)
    client.post(f"/documents/{sent.pk}/withdraw/", {"reason": "Sai thể thức"})
    client.force_login(world.user("mai.ht"))
    page = client.get(f"/documents/{_copy(world).pk}/").content.decode()
    assert "lt-withdrawn" in page and "Sai thể thức" in page
    # The recipient cannot withdraw the sender's document.
    assert "/withdraw/" not in page


def test_withdrawing_without_a_reason_is_refused_with_a_message(client, sent, van_thu_hu):
    client.force_login(van_thu_hu)
    response = client.post(f"/documents/{sent.pk}/withdraw/", {"reason": "  "})
    assert response.status_code == 200
    assert "Trường này là bắt buộc" in response.content.decode()
    assert Document.objects.get(pk=sent.pk).status == "issued"


def test_withdrawing_twice_is_refused_with_a_message(client, sent, van_thu_hu):
    client.force_login(van_thu_hu)
    client.post(f"/documents/{sent.pk}/withdraw/", {"reason": "Sai thể thức"})
    told = Outbox.objects.filter(kind="withdrawn").count()
    response = client.post(f"/documents/{sent.pk}/withdraw/", {"reason": "Lần nữa"})
    assert "Chỉ văn bản đã phát hành mới thu hồi được." in response.content.decode()
    assert Outbox.objects.filter(kind="withdrawn").count() == told == 4


def test_the_drafting_specialist_sees_the_document_but_cannot_withdraw(
    client, world, van_thu_bdt, chuyen_vien
):
    issued = outgoing_issue(document=approved_outgoing(world), clerk=van_thu_bdt)
    client.force_login(chuyen_vien)
    page = client.get(f"/documents/{issued.pk}/")
    assert page.status_code == 200 and "/withdraw/" not in page.content.decode()
    response = client.post(f"/documents/{issued.pk}/withdraw/", {"reason": "x"})
    assert response.status_code == 403
    assert Document.objects.get(pk=issued.pk).status == "issued"


def test_another_agency_gets_a_404(client, world, sent):
    client.force_login(world.user("mai.ht"))
    response = client.post(f"/documents/{sent.pk}/withdraw/", {"reason": "x"})
    assert response.status_code == 404
    assert Document.objects.get(pk=sent.pk).status == "issued"


def test_an_answered_request_is_not_offered_and_its_withdrawal_is_refused(client, world):
    reply = reply_at("done")  # BDT answered HU's 1719-CV/HU with an issued reply
    incoming = reply.responds_to
    request = incoming.source
    assert request.answered_at is not None and request.status == "issued"
    for username, document in (("vanthu.hu", request), ("son.bt", request),
                                ("quyen.vt", incoming), ("mai.ht", incoming)):
        client.force_login(world.user(username))
        page = client.get(f"/documents/{document.pk}/").content.decode()
        assert "/withdraw/" not in page, username
    client.force_login(world.user("vanthu.hu"))
    response = client.post(f"/documents/{request.pk}/withdraw/", {"reason": "Sai thể thức"})
    assert response.status_code == 200
    assert ("Văn bản 1719-CV/HU đã được trả lời nên không thể thu hồi nữa."
            in response.content.decode())
    assert Document.objects.get(pk=request.pk).status == "issued"
    assert not Outbox.objects.filter(kind="withdrawn").exists()


def test_the_reply_that_answered_stays_withdrawable(client, world):
    reply = reply_at("done")
    client.force_login(world.user("mai.ht"))
    assert f'href="/documents/{reply.pk}/withdraw/"' in (
        client.get(f"/documents/{reply.pk}/").content.decode()
    )
