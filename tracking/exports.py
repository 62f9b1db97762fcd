"""The Excel task list, written by the worker instead of in the request.

10,000 tasks take about 3 s to write on a busy 2-core server and 100,000 more than gunicorn's
30 s (bench/RESULTS.md, "Excel export"), so the page only asks for the file: the worker
writes it into the default storage and tells the person (bell and e-mail, never held for
the digest) with a link to the export's page, from which only that person may download it.
Files older than KEEP are deleted every night (`exports_purge`, scheduled by migration
0005) and a person's own when they ask for another.
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import User
from notifications.services import Message, notify_many
from notifications.services.emails import notice_context

from . import excel
from .forms import statistics_scope
from .models import TaskExport

logger = logging.getLogger(__name__)

KEEP = datetime.timedelta(days=7)


@transaction.atomic
def task_export_request(*, user: User, query: str) -> TaskExport:
    """Ask for the Excel list of the tasks that the task list shows `user` for `query` (its
    query string, already read by the page); returns the pending export.

    The worker writes it after commit. When the broker cannot be reached (Redis down) it is
    written here and now instead: the person waits, but the request still succeeds.
    """
    exports_purge(user=user)
    export = TaskExport.objects.create(requested_by=user, query=query)
    transaction.on_commit(lambda: _enqueue(export.pk))
    return export


def _enqueue(export_id: int) -> None:
    from .tasks import write_task_export

    try:
        write_task_export.delay(export_id)
    except Exception:  # broker unreachable: the request does the work itself
        logger.warning("Could not enqueue Excel export %s; writing it in the request",
                       export_id, exc_info=True)
        task_export_write(export_id=export_id)


@transaction.atomic
def exports_purge(*, user: User | None = None) -> int:
    """Delete the exports asked for more than KEEP ago, of `user` only when given, with their
    files; returns how many went.

    A file holds the agency's tasks and may only be downloaded by its person: it is not kept
    longer than they need it, even if they never ask for another.
    """
    old = TaskExport.objects.filter(created_at__lt=timezone.now() - KEEP)
    if user is not None:
        old = old.filter(requested_by=user)
    names = [name for name in old.values_list("file", flat=True) if name]
    deleted, _per_model = old.delete()
    # The files go once the rows are gone for good.
    transaction.on_commit(lambda: [default_storage.delete(name) for name in names])
    return deleted


def task_export_write(*, export_id: int) -> TaskExport | None:
    """Write a pending export's file, keep it and tell its person; returns the export, or None
    when there was nothing to do (a message delivered twice writes the file once).

    The tasks are read with the person's scope as it is now; the file and the notice are in
    the site's language, as the worker writes them. A failure marks the export failed (its
    page says so and the person is told) rather than leaving them waiting.
    """
    export = TaskExport.objects.select_related("requested_by__agency").filter(
        pk=export_id, state=TaskExport.State.PENDING
    ).first()
    if export is None:
        return None
    with translation.override(settings.LANGUAGE_CODE):
        query = QueryDict(export.query)
        try:
            scope = statistics_scope(user=export.requested_by, query=query)
            tasks = scope.rows(status=query.get("status", ""),
                               category=query.get("category", ""))
            export.filename = f"nhiem-vu-{scope.period.as_of:%Y%m%d}.xlsx"
            with excel.tasks_write(tasks=tasks, as_of=scope.period.as_of) as stream:
                export.file.save(export.filename, File(stream, name=export.filename),
                                 save=False)
        except Exception:
            logger.exception("Excel export %s failed", export_id)
            with transaction.atomic():
                if _finish(export, state=TaskExport.State.FAILED):
                    _tell(export, subject=_("The Excel task list could not be prepared"),
                          intro=_("Please ask for it again from the task list."))
            return export
        with transaction.atomic():
            if not _finish(export, state=TaskExport.State.READY):
                export.file.delete(save=False)  # another delivery of the message was first
                return None
            _tell(export, subject=_("The Excel task list is ready"),
                  intro=_("%(name)s can be downloaded from its page.") % {
                      "name": export.filename})
    return export


def _finish(export: TaskExport, *, state: str) -> bool:
    """Move a pending export to `state` with its file; False when it was no longer pending."""
    export.state, export.finished_at = state, timezone.now()
    return bool(TaskExport.objects.filter(pk=export.pk, state=TaskExport.State.PENDING).update(
        state=state, finished_at=export.finished_at, file=export.file.name or "",
        filename=export.filename,
    ))


def _tell(export: TaskExport, *, subject: str, intro: str) -> None:
    person, url = export.requested_by, reverse("tracking:export_detail", args=[export.pk])
    notify_many(messages=[Message(
        key=f"task-export:{export.pk}", user=person, subject=subject, text=intro, url=url,
        agency=person.agency, kind="export",
        # Asked for a moment ago: told at once, never held for the next morning's digest.
        digest=False, template="notice", context=notice_context(
            recipient=person, subject=subject, intro=intro, url=url,
            action=_("Open the file's page"),
        ),
    )])
