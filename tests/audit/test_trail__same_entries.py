"""A document's update is recorded from the row its UPDATE replaced
(`workflows.audit_trail`), without auditlog's read of the row before the save: the entries
are the ones auditlog's own receiver writes, and an instance loaded before someone else's
change is diffed against that change (what its save really overwrites), never against what
it loaded."""

from contextlib import contextmanager, nullcontext

import pytest
from auditlog.context import set_actor
from auditlog.models import LogEntry
from auditlog.receivers import log_update
from auditlog.registry import auditlog
from django.db.models.signals import pre_save

from tests.workflows.documents_factory import approved_outgoing
from workflows.audit_trail import trail_connect
from workflows.models import Document, Urgency

COMPARED = ("action", "changes", "changes_text", "object_repr", "serialized_data",
            "actor_id", "object_pk", "content_type_id", "additional_data")


@contextmanager
def _auditlog_own():
    """auditlog's receiver in the place of `workflows.audit_trail`'s, as auditlog connects it."""
    uid = auditlog._dispatch_uid(pre_save, log_update)
    pre_save.disconnect(sender=Document, dispatch_uid="workflows.audit_trail")
    pre_save.connect(log_update, sender=Document, dispatch_uid=uid)
    try:
        yield
    finally:
        trail_connect(Document)


def _rename(pk):
    document = Document.objects.get(pk=pk)
    document.summary = "V/v báo cáo công tác dân tộc năm 2026"
    document.urgency = Urgency.VERY_URGENT
    document.save()


def _status_only(pk):
    document = Document.objects.get(pk=pk)
    document.status = Document.Status.ISSUED
    document.summary = "không lưu: ngoài update_fields"
    document.save(update_fields=["status"])


def _signer_changed(pk):
    document = Document.objects.select_related("signer").get(pk=pk)
    document.signer = document.drafted_by
    document.save()


def _unchanged(pk):
    Document.objects.get(pk=pk).save()


def _stale(pk):
    """Loaded before a colleague's save: its own save writes the summary back, and says so."""
    mine = Document.objects.get(pk=pk)
    theirs = Document.objects.get(pk=pk)
    theirs.summary = "Sửa bởi người khác"
    theirs.save()
    mine.urgency = Urgency.VERY_URGENT
    mine.save()


def _entries(pk, since):
    return [
        {name: getattr(entry, name) for name in COMPARED}
        for entry in LogEntry.objects.filter(
            object_pk=str(pk), content_type__model="document", pk__gt=since
        ).order_by("pk")
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("change", [_rename, _status_only, _signer_changed, _unchanged, _stale])
def test_the_entries_are_auditlogs_own(world, change):
    document = approved_outgoing(world)
    stored = Document.objects.filter(pk=document.pk).values().get()
    written = []
    for trail in (_auditlog_own, nullcontext):
        Document.objects.filter(pk=document.pk).update(**stored)  # no entry: not a save
        since = LogEntry.objects.order_by("-pk").values_list("pk", flat=True).first()
        with trail(), set_actor(world.user("quyen.vt")):
            change(document.pk)
        written.append(_entries(document.pk, since))
    assert written[0] == written[1]
    if change is _stale:
        assert written[1][-1]["changes"]["summary"] == ["Sửa bởi người khác", stored["summary"]]
    if change is not _unchanged:
        assert written[1]
