"""A save that waits for a colleague's transaction on the same document is recorded against
what the colleague committed (`workflows.audit_trail`: the UPDATE locks the row and returns
it as it was just before), not against the values the instance was loaded with."""

import threading

import pytest
from auditlog.models import LogEntry
from django.db import connections, transaction

from tests.threads import race_test_marks
from tests.workflows.documents_factory import approved_outgoing
from workflows.models import Document, Urgency

pytestmark = [pytest.mark.slow, *race_test_marks()]


def test_a_save_waiting_for_a_colleagues_commit_is_diffed_against_that_commit(world):
    """A colleague's transaction holds the row while changing the summary; a stale instance's
    save waits for it, and its entry shows the summary the colleague committed."""
    document = approved_outgoing(world)
    mine = Document.objects.get(pk=document.pk)
    held, release = threading.Event(), threading.Event()

    def colleague():
        try:
            with transaction.atomic():
                Document.objects.select_for_update().filter(pk=document.pk).update(
                    summary="Sửa bởi người khác"
                )
                held.set()
                release.wait(30)
        finally:
            connections.close_all()

    thread = threading.Thread(target=colleague)
    thread.start()
    assert held.wait(30)
    threading.Timer(0.3, release.set).start()
    mine.urgency = Urgency.VERY_URGENT
    mine.save()  # waits for the colleague's commit
    thread.join(30)
    entry = LogEntry.objects.get_for_object(mine).order_by("pk").last()
    assert entry.changes_dict["summary"] == ["Sửa bởi người khác", document.summary]
    assert entry.changes_dict["urgency"][1] == Urgency.VERY_URGENT
