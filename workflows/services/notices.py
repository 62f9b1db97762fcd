"""Telling people of new work and of what became of their documents (in-app and e-mail).

Each notice is written by `notifications.services.notify_people` inside the transaction of the
event that causes it (a step of a flow, an issue, a delivery): a rollback leaves none, and
its key (one per event) with the recipient makes a second write of the same event a no-op.
E-mails go through the notifications outbox, at once or in the person's 07:30 digest.

- `task_created`: a task lands in someone's inbox (assigned to them) or in a queue (to the
  people whose groups may take it); a draft sent back to its drafter says why.
  `task_finished` marks those notices read once the task is taken or done.
- `document_signed`, `document_issued`: the drafter's document was signed, then issued.
- `reply_received`: another agency's reply to one of our requests has arrived.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.db import router
from django.urls import NoReverseMatch, get_resolver, reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from accounts.models import User
from common.compiled import CompiledOnce
from notifications.models import Notification, Outbox
from notifications.services import (
    Message,
    PeopleStatement,
    notice_people,
    notifications_settle,
    notify_people,
)
from notifications.services.emails import notice_context, notice_greeting

from ..models import Assignment, Direction, Document, TimelineEntry
from ..queues import permission_holders, task_queue_grant
from .numbering import NUMBER_SLOT, SlotRows, slot_rows_written
from .routing import Decision


def _url(name: str, *args) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        # A management command run without the site's URLs mounted.
        return ""


def _task_url(task) -> str:
    # The flows learn their place in the site when the URLconf is first loaded, which a
    # management command (load_demo, play_story) has not done yet.
    get_resolver().url_patterns  # noqa: B018
    try:
        return task.flow_task.reverse("index", args=[task.process_id, task.pk])
    except NoReverseMatch:
        return ""


# Whom a notice goes to, read by the statement that writes it (`notify_people`): the same
# statement for every queued task, and for every number of people named, compiled once
# (building and compiling them was a tenth of a story's Python).
_QUEUE_PEOPLE_STATEMENT = CompiledOnce(
    lambda *, shape, **grant: notice_people(permission_holders(**grant))
)


def _named(*, shape: tuple[int, bool], **pks: int):
    _count, active_only = shape
    people = User.objects.filter(pk__in=list(pks.values())).order_by("pk")
    return notice_people(people.filter(is_active=True) if active_only else people)


_NAMED_PEOPLE_STATEMENT = CompiledOnce(_named)


def _queue_people(task) -> PeopleStatement | None:
    """Who finds `task` in their queue (`queues.task_candidates`), as `notify_people` reads
    them; None for a task open to no queue."""
    grant = task_queue_grant(task=task)
    if grant is None:
        return None
    return PeopleStatement(*_QUEUE_PEOPLE_STATEMENT.sql(
        using=router.db_for_write(Outbox), **grant
    ))


def _named_people(pks: Iterable[int | None], *, active_only: bool = False
                  ) -> PeopleStatement | None:
    """The people of `pks` (None skipped; only the active ones if `active_only`), as
    `notify_people` reads them; None when no one is named."""
    pks = sorted({pk for pk in pks if pk is not None})
    if not pks:
        return None
    return PeopleStatement(*_NAMED_PEOPLE_STATEMENT.sql(
        using=router.db_for_write(Outbox), shape=(len(pks), active_only),
        **{f"person{index}": pk for index, pk in enumerate(pks)},
    ))


def _label(document: Document) -> str:
    return f"{document.notation} – {document.summary}" if document.notation else document.summary


def _send(
    *, key: str, kind: str, people: PeopleStatement | None, agency, subject: str, intro: str,
    lines=(), url: str = "", action: str = "",
) -> None:
    """One in-app notification and one e-mail (outbox) per person of `people` (read by the
    statement that writes them), under one event key; nothing for None.

    The e-mail is rendered when sent; the notification keeps the intro and the lines.
    """
    if people is None:
        return
    text = "\n".join([intro, *(f"{label}: {value}" for label, value in lines)])
    if NUMBER_SLOT in subject or NUMBER_SLOT in text:
        # Written before the number of the document it names (an issue): printed with it.
        slot_rows_written(SlotRows(Notification, "key", (key,), ("title", "text")))
        slot_rows_written(SlotRows(Outbox, "key", (key,), ("subject", "context")))
    notify_people(
        people=people, greeting=notice_greeting(), message=Message(
            key=key, user=None, subject=subject, text=text, url=url, agency=agency,
            kind=kind, template="notice", context=notice_context(
                recipient=None, subject=subject, intro=intro, lines=lines, url=url,
                action=action,
            ),
        ),
    )


def _document_lines(document: Document) -> list[tuple[str, str]]:
    lines = []
    if document.notation:
        lines.append((pgettext("reminder e-mail", "Document"), document.notation))
    lines.append((pgettext("reminder e-mail", "Summary"), document.summary))
    if document.direction == Direction.INCOMING:
        sender = document.sender_name or (
            document.sender_agency.name if document.sender_agency_id else ""
        )
        if sender:
            lines.append((_("Sender"), sender))
    return lines


def task_created(*, activation) -> None:
    """A human task was created: tell whoever is to do it.

    Assigned to one person: that person (“Việc của tôi”). Open to a queue: every active
    member of the groups that may take it (“Việc chờ nhận”). A draft sent back for revision
    tells its drafter who returned it and why; a first draft tells no one, its drafter has
    just started it.
    """
    task = activation.task
    process = activation.process
    document = process.document
    returned = None
    if activation.flow_task.told_only_when_returned:
        if process.decision != Decision.RETURNED:
            return
        returned = (
            TimelineEntry.objects.filter(document=document, action=TimelineEntry.Action.RETURNED)
            .select_related("actor").order_by("-pk").first()
        )
    people = _named_people([task.owner_id]) if task.owner_id else _queue_people(task)
    with translation.override(settings.LANGUAGE_CODE):
        title = str(activation.flow_task.task_title)
        lines = [(_("Task"), title), *_document_lines(document)]
        if returned is not None:
            kind = "returned"
            subject = _("Draft returned: %(document)s") % {"document": _label(document)}
            intro = _("%(person)s returned your draft for revision.") % {
                "person": returned.actor.get_full_name() if returned.actor else _("System")
            }
            lines.append((_("Reason"), returned.comment))
        else:
            kind = "task"
            subject = _("New work: %(task)s – %(document)s") % {
                "task": title, "document": _label(document)
            }
            intro = (
                _("A task has been assigned to you.") if task.owner_id
                else _("A task is waiting in your queue; whoever takes it first handles it.")
            )
            assignment = process.artifact if isinstance(process.artifact, Assignment) else None
            if assignment is not None:
                lines.append((pgettext("reminder e-mail", "Deadline"), date_format(
                    timezone.localtime(assignment.due_at), "H:i d/m/Y"
                )))
        _send(
            key=f"task:{task.pk}", kind=kind, people=people, agency=document.agency,
            subject=subject, intro=intro, lines=lines, url=_task_url(task),
        )


def task_finished(*, task, along: tuple[str, tuple] | None = None) -> None:
    """The task was taken or done: its notices, to whoever got them, are read (the bell
    stops ringing for work a colleague of the queue has already taken). `along`: the task's
    own UPDATE as (sql, params), run by the same statement."""
    notifications_settle(key=f"task:{task.pk}", along=along)


def _tell_drafter(*, document: Document, actor: User, kind: str, subject: str, intro: str
                  ) -> None:
    """Tell the drafter of `document` what `actor` did to it, unless it was the drafter."""
    if document.drafted_by_id is None or document.drafted_by_id == actor.pk:
        return
    _send(
        key=f"{kind}:{document.pk}", kind=kind, people=_named_people([document.drafted_by_id]),
        agency=document.agency, subject=subject, intro=intro, lines=_document_lines(document),
        url=_url("documents:detail", document.pk), action=_("Open the document"),
    )


def document_signed(*, document: Document, signer: User) -> None:
    """The drafter learns that the leader approved and signed their draft."""
    with translation.override(settings.LANGUAGE_CODE):
        _tell_drafter(
            document=document, actor=signer, kind="signed",
            subject=_("Draft signed: %(document)s") % {"document": _label(document)},
            intro=_("%(person)s approved and signed your draft; the clerk will issue it.")
            % {"person": signer.get_full_name()},
        )


def document_issued(*, document: Document, clerk: User) -> None:
    """The drafter learns the number and date their document was issued with."""
    with translation.override(settings.LANGUAGE_CODE):
        _tell_drafter(
            document=document, actor=clerk, kind="issued",
            subject=_("Document issued: %(document)s") % {"document": _label(document)},
            intro=_("Your document was issued as %(notation)s on %(date)s.") % {
                "notation": document.notation,
                "date": date_format(document.issued_on, "d/m/Y"),
            },
        )


def reply_received(*, copy: Document) -> None:
    """A reply to our request was delivered: tell who drafted, signed or sent the request.

    `copy` is our incoming copy of the reply; `copy.responds_to` is our own request. The
    clerks hear of the copy through their registration queue.
    """
    request = copy.responds_to
    if request is None:
        return
    people = _named_people(
        [request.drafted_by_id, request.signer_id, request.created_by_id], active_only=True
    )
    with translation.override(settings.LANGUAGE_CODE):
        _send(
            key=f"reply:{copy.pk}", kind="reply", people=people, agency=copy.agency,
            subject=_("Reply received: %(reply)s to %(request)s") % {
                "reply": copy.notation, "request": request.notation or request.summary,
            },
            intro=_("%(agency)s answered your request %(request)s with %(reply)s.") % {
                "agency": copy.sender_name, "request": _label(request), "reply": copy.notation,
            },
            lines=_document_lines(copy), url=_url("documents:detail", request.pk),
            action=_("Open the document"),
        )
