"""Script and HTML typed into any free-text field come out as text: on the document page,
in the notifications page, in the HTML part of e-mails and in the issued DOCX."""

import io
import json
import zipfile

import docx
import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from notifications.models import Deadline, ReminderKind
from notifications.services import notify
from notifications.services.emails import email_render, reminder_context
from workflows.models import Assignment, Attachment, Opinion, Recipient, TimelineEntry
from workflows.services.documents import outgoing_issue

from .documents_factory import approved_outgoing

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert('xss')</script>"
IMG = '<img src=x onerror="alert(1)">'


def _assert_escaped(html: str):
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;alert(" in html


@pytest.fixture
def hostile(world, van_thu_bdt, truong_ban):
    """A BDT document with script or HTML in every field a person types."""
    person = world.user("tuan.nq")
    person.first_name, person.last_name = IMG, SCRIPT
    person.save()
    document = approved_outgoing(world, summary=f"V/v {SCRIPT}", body=f"Kính gửi {IMG}\n{SCRIPT}")
    document.drafted_by = person
    document.save()
    Recipient.objects.create(document=document, name=f"Báo {SCRIPT}", email="a@b.vn")
    Opinion.objects.create(document=document, author=person, text=f"Góp ý {SCRIPT}")
    Assignment.objects.create(
        document=document, directed_by=truong_ban, lead_unit=world.unit("bdt-bac-giang", "HCTH"),
        instruction=f"Chỉ đạo {SCRIPT} {IMG}", due_at=timezone.now(),
    )
    TimelineEntry.objects.create(document=document, actor=person, action="commented",
                                 comment=f"Ý kiến {SCRIPT}")
    attachment = Attachment(document=document, kind="draft", original_name=f"{SCRIPT}.pdf",
                            content_type="application/pdf", size=5)
    attachment.file.save("du-thao.pdf", ContentFile(b"%PDF-"), save=False)
    attachment.save()
    return document


def test_the_document_page_escapes_every_field(client, hostile, truong_ban):
    client.force_login(truong_ban)
    page = client.get(f"/documents/{hostile.pk}/").content.decode()
    _assert_escaped(page)
    for text in ("V/v &lt;script&gt;", "Chỉ đạo &lt;script&gt;", "Ý kiến &lt;script&gt;",
                 "Báo &lt;script&gt;", "&lt;script&gt;alert(&#x27;xss&#x27;)&lt;/script&gt;.pdf"):
        assert text in page, text


def test_lists_escape_the_summary(client, hostile, truong_ban):
    client.force_login(truong_ban)
    _assert_escaped(client.get("/documents/").content.decode())


def test_the_notifications_page_escapes_title_and_text(client, world, truong_ban):
    notify(key="xss:1", user=truong_ban, subject=f"Tiêu đề {SCRIPT}", text=f"Nội dung {IMG}",
           url="/documents/")
    client.force_login(truong_ban)
    page = client.get("/notifications/").content.decode()
    assert "Tiêu đề &lt;script&gt;" in page
    assert "<script>alert" not in page and "<img src=x" not in page


def test_the_html_part_of_a_reminder_escapes_the_title_and_names(world, truong_ban):
    assignee = world.user("tuan.nq")
    assignee.first_name = SCRIPT
    deadline = Deadline(
        title=f"Trả lời {SCRIPT}", notation="01/BDT", assignee=assignee,
        due_at=timezone.now(), url="/documents/1/",
    )
    # Stored as JSON in the outbox, rendered by the sender.
    context = json.loads(json.dumps(reminder_context(
        deadline=deadline, kind=ReminderKind.OVERDUE, days=2, recipient=truong_ban
    )))
    email = email_render(template="reminder", context=context)
    _assert_escaped(email.html)


def test_the_issued_docx_holds_the_text_literally_in_valid_xml(hostile, van_thu_bdt):
    issued = outgoing_issue(document=hostile, clerk=van_thu_bdt)
    content = issued.attachments.get(kind=Attachment.Kind.ISSUED).file.read()
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        xml = archive.read("word/document.xml").decode()
    assert "<script>" not in xml and "&lt;script&gt;" in xml
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(content)).paragraphs)
    assert SCRIPT in text
