"""The phiếu xử lý beside every task's form: what it shows, and its fixed number of queries."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from workflows.models import Attachment, Opinion
from workflows.selectors import task_sheet_for
from workflows.services.documents import attachment_add
from workflows.story import COMMENT, REPLY_BODY

from .flow_fixtures import IncomingFlow, OutgoingFlow, incoming_at, reply_at, task_of, task_url

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("vietnamese")]

LONG_SUMMARY = (
    "V/v xin ý kiến đánh giá, xếp loại Phòng Dân tộc huyện Lục Nam năm 2023 theo Quy định "
    "số 12-QĐ/TU về đánh giá, xếp loại chất lượng tổ chức, cơ quan ngành dọc cấp huyện, "
    "gồm kết quả thực hiện nhiệm vụ chuyên môn và công tác phối hợp"
)


def _add_files(document, count, user):
    for n in range(count):
        attachment_add(
            document=document, kind=Attachment.Kind.DRAFT, user=user,
            uploaded_file=SimpleUploadedFile(
                f"phu-luc-{n}.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf"
            ),
        )


def _sheet_queries(django_assert_max_num_queries, user, document):
    with django_assert_max_num_queries(SHEET_QUERIES) as captured:
        sheet = task_sheet_for(user=user, document=document, shows_draft=True)
    return sheet, len(captured)


# Whether the user sees the whole agency (guardian: 2), the document with its request, files,
# the direction and its supporting units, opinions, timeline (6), the working-day calendar's
# exceptions of the years between today and the deadline (1, or 2 across New Year).
SHEET_QUERIES = 10


def test_the_sheet_of_a_review_reads_everything_in_a_fixed_number_of_queries(
    world, django_assert_max_num_queries, truong_phong
):
    reply = reply_at("review")
    sheet, few = _sheet_queries(django_assert_max_num_queries, truong_phong, reply)
    assert sheet.request == reply.responds_to
    assert [opinion.text for opinion in sheet.opinions] == [COMMENT]
    assert sheet.assignment.lead_unit.symbol == "HCTH"
    assert sheet.days_left is not None and sheet.days_overdue is None
    request_files = len(sheet.request_attachments)

    _add_files(reply, 5, truong_phong)
    _add_files(reply.responds_to, 3, truong_phong)
    for n in range(4):
        Opinion.objects.create(document=reply, author=truong_phong, text=f"Ý kiến {n}")
    sheet, many = _sheet_queries(django_assert_max_num_queries, truong_phong, reply)
    assert (len(sheet.attachments), len(sheet.request_attachments)) == (5, request_files + 3)
    assert len(sheet.opinions) == 5
    assert many == few


def test_the_direct_screen_shows_the_full_summary_files_and_sender(client, world, truong_ban):
    document = incoming_at("direct", summary=LONG_SUMMARY)
    _add_files(document, 1, truong_ban)
    task = task_of(document, IncomingFlow.direct)
    client.force_login(truong_ban)
    page = client.get(task_url(task, "assign")).content.decode()
    assert "Phiếu xử lý" in page and LONG_SUMMARY in page
    assert "phu-luc-0.pdf" in page and "Huyện ủy Lục Nam" in page
    assert 'lt-sheet__task">Chỉ đạo xử lý – chờ nhận<' in page and "Nhận và xử lý" in page


def test_the_sheet_follows_the_task_once_taken(client, world, truong_ban):
    document = incoming_at("direct")
    task = task_of(document, IncomingFlow.direct)
    client.force_login(truong_ban)
    response = client.post(task_url(task, "assign"))
    assert response.url == task_url(task, "execute")
    page = client.get(response.url).content.decode()
    assert 'lt-sheet__task">Chỉ đạo xử lý – đang do Vi Thanh Quyên xử lý<' in page


def test_review_and_sign_show_the_draft_and_the_request_it_answers(client, world, truong_ban):
    reply = reply_at("sign")
    task = task_of(reply, OutgoingFlow.sign)
    client.force_login(truong_ban)
    client.post(task_url(task, "assign"))
    page = client.get(task_url(task, "execute")).content.decode()
    assert "Dự thảo như sẽ ban hành" in page
    assert REPLY_BODY.splitlines()[0] in page
    assert reply.responds_to.summary in page and "1719-CV/HU" in page
    assert f'src="/documents/{reply.pk}/preview/"' in page
    # One button each for signing and returning: no radio choice, then a button.
    assert 'name="decision" value="approve"' in page
    assert 'name="decision" value="return"' in page


def test_the_handle_screen_shows_the_direction_and_no_draft(client, world, chuyen_vien):
    document = incoming_at("handle")
    task = task_of(document, IncomingFlow.handle)
    client.force_login(chuyen_vien)
    page = client.get(task_url(task, "execute")).content.decode()
    assert "Phiếu xử lý" in page and "Dự thảo như sẽ ban hành" not in page
    assert "Ý kiến chỉ đạo" in page and "ngày làm việc" in page


def test_the_person_asked_for_comments_reads_the_draft(client, world, pho_truong_ban):
    reply = reply_at("comment")
    task = task_of(reply, OutgoingFlow.comment)
    client.force_login(pho_truong_ban)
    page = client.get(task_url(task, "execute")).content.decode()
    assert "Dự thảo như sẽ ban hành" in page and REPLY_BODY.splitlines()[0] in page


def test_a_supporting_unit_gives_its_opinion_reading_the_document(client, world):
    document = incoming_at("hand_over", supporting=("TTr",), summary=LONG_SUMMARY)
    task = task_of(document, IncomingFlow.give_opinion)
    client.force_login(world.user("hoa.lt"))
    response = client.post(task_url(task, "assign"))
    assert response.url == task_url(task, "execute")
    page = client.get(response.url).content.decode()
    assert LONG_SUMMARY in page and "Ý kiến chỉ đạo" in page and "Thanh tra" in page
