"""The clerk's steps take the register's number last (issue 14): the counter row stays
locked only for the writes that print the number, and every one of them prints the real one.

Seed 000 played for real (the clerk's steps through `task_perform`, the delivery to Huyện ủy
Lục Nam passed in-line), then the rows read back; a failed step leaves the counter as it was.
"""

import io
import zipfile

import pytest
from auditlog.models import LogEntry
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import TextField
from django.db.models.functions import Cast
from django.test.utils import CaptureQueriesContext

from accounts.models import Role, User
from notifications.models import Notification, Outbox
from tracking.models import TrackedTask
from workflows.models import Attachment, Document, RegisterCounter, TimelineEntry
from workflows.services import handling
from workflows.services.rendering import NUMBER_SLOT
from workflows.services.routing import task_perform
from workflows.story import seed000_play

from .flow_fixtures import OutgoingFlow, reply_at, task_of

pytestmark = pytest.mark.django_db

# Between the number's statement and the step's COMMIT, on PostgreSQL: the audit entry of
# the issued document's update, the files (the issued one and HU's copy's, whose bytes print
# the number: one INSERT), the audit entry of HU's copy, the tracked task's result naming
# the reply. Everything else that prints the number (the document's row, the drafter's
# notice, HU's copy with its IncomingFlow and its clerks' notice, the reply's notice, the
# timeline) is written before it with its slot, which the number's statement itself fills
# in (data-modifying WITH). 51 before the number went last, 26 before the round trips were
# folded, 16 before the slot (tests/workflows/test_story__query_count.py). The embedded
# SQLite takes the number and fills the slot in five more statements (notices, e-mails,
# timeline, the document, its copy).
AFTER_THE_NUMBER = {"postgresql": 4, "sqlite": 9}


# The registration (số đến): the document's UPDATE with its audit entry and its timeline
# entry, after the task done, the direction's task created and the leaders told. 10 before,
# then 4 with the audit trail's read of the old row.
AFTER_THE_INCOMING_NUMBER = {"postgresql": 3, "sqlite": 4}


def _story_steps() -> dict[str, list[str]]:
    """The statements of each step of a second seed-000 story, by the step's number."""
    seed000_play(out=lambda _text: None)
    marks = []
    with CaptureQueriesContext(connection) as captured:
        seed000_play(
            out=lambda text: marks.append((text.split(" ", 1)[0], len(captured.captured_queries)))
        )
    sql = [query["sql"] for query in captured.captured_queries]
    steps, previous = {}, 0
    for mark, position in marks:
        steps[mark.rstrip(".")] = sql[previous:position]
        previous = position
    return steps


def _after_the_number(step: list[str]) -> tuple[list[str], list[str]]:
    """The statements before the counter's upsert, and those after it until the step's
    savepoint is released (its COMMIT outside a test)."""
    upserts = [
        index for index, sql in enumerate(step)
        if 'INSERT INTO "workflows_registercounter"' in sql
    ]
    assert len(upserts) == 1
    released = next(
        index for index, sql in enumerate(step)
        if index > upserts[0] and sql.startswith("RELEASE SAVEPOINT")
    )
    return step[: upserts[0]], step[upserts[0] + 1:released]


def test_the_issue_number_is_taken_after_every_write_that_does_not_print_it(world):
    before, after = _after_the_number(_story_steps()["10"])
    assert len(after) == AFTER_THE_NUMBER[connection.vendor]
    # The request's wait ended and both requests marked answered before the number, and the
    # issued document's row written with the number's slot.
    assert any(sql.startswith('UPDATE "workflows_assignment"') for sql in before)
    assert sum(sql.startswith('UPDATE "workflows_document"') for sql in before) == 3
    assert not any(sql.startswith('UPDATE "workflows_document" SET "agency_id"') for sql in after)
    # The outgoing process ended (the engine's work of the step) before the number too, and
    # so were HU's copy and its IncomingFlow written, with the number's slot.
    assert any('UPDATE "viewflow_process"' in sql for sql in before)
    assert any(sql.startswith('INSERT INTO "workflows_document"') for sql in before)
    assert any('INSERT INTO "viewflow_process"' in sql for sql in before)


def test_the_incoming_number_is_taken_after_the_engine_s_work_of_the_step(world):
    before, after = _after_the_number(_story_steps()["2"])
    assert len(after) == AFTER_THE_INCOMING_NUMBER[connection.vendor]
    assert any('INSERT INTO "viewflow_task"' in sql for sql in before)
    assert any('INTO "notifications_outbox"' in sql for sql in before)


def test_the_registration_records_its_number_in_the_document_and_the_timeline(world):
    story = seed000_play(out=lambda _text: None)
    incoming = story.incoming
    assert incoming.register_number is not None and incoming.register.direction == "incoming"
    entry = incoming.timeline.get(action=TimelineEntry.Action.REGISTERED)
    assert entry.comment.startswith(f"Số đến {incoming.register_number},")


def test_every_row_of_the_issue_prints_the_real_notation_never_the_slot(world):
    story = seed000_play(out=lambda _text: None)
    reply = story.reply
    notation = reply.notation
    assert notation == f"{reply.register_number:02d}/BDT-HCTH"
    copy = Document.objects.get(source=reply)
    assert (copy.notation, copy.number) == (notation, reply.number)
    for document in (reply, copy):
        attachment = document.attachments.get()
        assert attachment.original_name == f"{notation.replace('/', '-')}.docx"
        with attachment.file.open("rb") as handle:
            package = zipfile.ZipFile(io.BytesIO(handle.read()))
        body = package.read("word/document.xml").decode()
        assert f"Số: {notation}" in body and NUMBER_SLOT not in body
    comments = " ".join(TimelineEntry.objects.values_list("comment", flat=True))
    for expected in (
        notation,  # the issue
        f"Đã phát hành văn bản trả lời: {notation}.",  # the request's handling ended
        f"{notation} – Ban Dân tộc tỉnh Bắc Giang",  # HU's copy received
    ):
        assert expected in comments
    texts = [
        *Notification.objects.values_list("title", "text"),
        *Outbox.objects.values_list("subject", "context"),
        *LogEntry.objects.values_list("changes", "object_repr"),
        *TimelineEntry.objects.values_list("comment", "action"),
    ]
    assert not [row for row in texts if NUMBER_SLOT in str(row)]
    assert _columns_printing_the_slot() == []
    tracked = TrackedTask.objects.get(assignment__document=story.incoming)
    assert notation in tracked.result
    told = Notification.objects.filter(kind__in=("issued", "reply"))
    assert told.count() >= 2 and all(notation in n.text for n in told)


def _columns_printing_the_slot() -> list[str]:
    """Every text or JSON column of every table where some row still holds the slot."""
    found = []
    for model in apps.get_models():
        if not model._meta.managed or model._meta.proxy:
            continue
        for field in model._meta.concrete_fields:
            if field.get_internal_type() not in ("CharField", "TextField", "JSONField"):
                continue
            rows = model._base_manager.annotate(
                slot_text=Cast(field.name, TextField())
            ).filter(slot_text__contains=NUMBER_SLOT)
            if rows.exists():
                found.append(f"{model._meta.db_table}.{field.column}")
    return found


def test_a_render_refused_in_the_step_uses_no_number_and_records_no_file(world, van_thu_bdt):
    reply = reply_at("issue", signer="hung.nv")
    # “KT. TRƯỞNG BAN” cannot be printed without the head's title: the render fails.
    User.objects.filter(role=Role.HEAD, agency=reply.agency).update(title="")
    with pytest.raises(ValidationError, match="người đứng đầu"):
        task_perform(
            task=task_of(reply, OutgoingFlow.issue), user=van_thu_bdt,
            service=handling.draft_issue,
        )
    reply.refresh_from_db()
    assert (reply.status, reply.number, reply.notation) == ("approved", None, "")
    assert not reply.attachments.filter(kind=Attachment.Kind.ISSUED).exists()
    assert not RegisterCounter.objects.filter(register__agency=reply.agency,
                                              register__direction="outgoing").exists()
    assert not Document.objects.filter(source=reply).exists()
