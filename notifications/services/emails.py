"""The Vietnamese texts of reminder and digest e-mails (templates, gettext English msgids).

Rendered by the sweep in a worker, where no request picked a language: always in
settings.LANGUAGE_CODE (Vietnamese).
"""

from __future__ import annotations

import datetime
import functools
from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from ..models import ReminderKind


@dataclass(frozen=True)
class Email:
    subject: str
    text: str
    html: str


def _subject(*, kind: str, days: int, label: str, due: str) -> str:
    if kind == ReminderKind.BEFORE and days == 0:
        # Due tomorrow but tomorrow is a holiday: no working day left, yet not due today.
        return _("Reminder: due %(due)s – %(label)s") % {"due": due, "label": label}
    if kind == ReminderKind.BEFORE:
        return ngettext(
            "Reminder: %(days)d working day left – %(label)s",
            "Reminder: %(days)d working days left – %(label)s", days,
        ) % {"days": days, "label": label}
    if kind == ReminderKind.DUE_DAY:
        return _("Due today: %(label)s") % {"label": label}
    if kind == ReminderKind.OVERDUE:
        return ngettext(
            "Overdue by %(days)d working day: %(label)s",
            "Overdue by %(days)d working days: %(label)s", days,
        ) % {"days": days, "label": label}
    return ngettext(
        "Escalation – overdue by %(days)d working day: %(label)s",
        "Escalation – overdue by %(days)d working days: %(label)s", days,
    ) % {"days": days, "label": label}


def _intro(*, kind: str, is_assignee: bool, assignee_name: str) -> str:
    if kind in (ReminderKind.BEFORE, ReminderKind.DUE_DAY):
        return _("The following task assigned to you is coming due.")
    if kind == ReminderKind.OVERDUE:
        if is_assignee:
            return _("The following task assigned to you is overdue. Please complete it.")
        return _("The following task of %(name)s in your unit is overdue.") % {
            "name": assignee_name
        }
    return _(
        "The following task you directed is overdue; it is reported to you for follow-up."
    )


def _status(*, kind: str, days: int, due: str) -> str:
    if kind == ReminderKind.BEFORE and days == 0:
        return _("due %(due)s, no working day left") % {"due": due}
    if kind == ReminderKind.BEFORE:
        return ngettext(
            "%(days)d working day left", "%(days)d working days left", days
        ) % {"days": days}
    if kind == ReminderKind.DUE_DAY:
        return _("due today")
    return ngettext(
        "overdue by %(days)d working day", "overdue by %(days)d working days", days
    ) % {"days": days}


@functools.lru_cache(maxsize=8)
def _reminder_labels(language: str) -> dict[str, str]:
    """The fixed words of a reminder e-mail in `language`, translated once per process.

    As `{% translate %}` tags they cost half of each rendering, and one sweep renders
    thousands of e-mails.
    """
    with translation.override(language):
        return {
            "document": pgettext("reminder e-mail", "Document"),
            "summary": pgettext("reminder e-mail", "Summary"),
            "assignee": pgettext("reminder e-mail", "Assignee"),
            "deadline": pgettext("reminder e-mail", "Deadline"),
            "status": pgettext("reminder e-mail", "Status"),
            "open": pgettext("reminder e-mail", "Open the task"),
            "footer": _("Document exchange system – automatic message, please do not reply."),
        }


def reminder_context(*, deadline, kind: str, days: int, recipient) -> dict:
    """What the e-mail of one reminder stage to one recipient prints (JSON, for the outbox;
    rendered when sent by `email_render("reminder", ...)`).

    `days` is working days left (before), or working days overdue (overdue, escalation).
    """
    with translation.override(settings.LANGUAGE_CODE):
        label = f"{deadline.notation} – {deadline.title}" if deadline.notation else deadline.title
        due_at = timezone.localtime(deadline.due_at)
        due = f"{due_at:%d/%m/%Y}"
        return {
            "greeting": _("Dear %(name)s,") % {"name": recipient.get_full_name()},
            "assignee_name": deadline.assignee.get_full_name(),
            "notation": deadline.notation,
            "title": deadline.title,
            # Formatted here, not with the template's date filter, which costs as much as the
            # rest of the e-mail: the sweep renders thousands.
            "deadline": f"{due_at:%H:%M} {due}",
            "overdue": kind in (ReminderKind.OVERDUE, ReminderKind.ESCALATION),
            "intro": _intro(
                kind=kind, is_assignee=recipient.pk == deadline.assignee_id,
                assignee_name=deadline.assignee.get_full_name(),
            ),
            "status_line": _status(kind=kind, days=days, due=due),
            "link": f"{settings.SITE_URL}{deadline.url}",
            "subject": _subject(kind=kind, days=days, label=label, due=due),
        }


def email_render(*, template: str, context: dict) -> Email:
    """The e-mail `template` ("reminder", "notice") with `context`, in Vietnamese."""
    with translation.override(settings.LANGUAGE_CODE):
        context = {**context, "labels": _reminder_labels(translation.get_language())}
        return Email(
            subject=context["subject"],
            text=render_to_string(f"notifications/email/{template}.txt", context),
            html=render_to_string(f"notifications/email/{template}.html", context),
        )


def digest_email(*, recipient, day: datetime.date, items) -> Email:
    """One e-mail gathering a person's held e-mails (`items`: Outbox rows) of the day."""
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "recipient_name": recipient.get_full_name(),
            "day": day,
            "items": items,
            "site_url": settings.SITE_URL,
            "subject": ngettext(
                "Daily digest %(day)s: %(count)d reminder",
                "Daily digest %(day)s: %(count)d reminders", len(items),
            ) % {"day": f"{day:%d/%m/%Y}", "count": len(items)},
        }
        return Email(
            subject=context["subject"],
            text=render_to_string("notifications/email/digest.txt", context),
            html=render_to_string("notifications/email/digest.html", context),
        )


def notice_greeting() -> str:
    """A notice e-mail's greeting, "%(name)s" standing for the recipient's name."""
    with translation.override(settings.LANGUAGE_CODE):
        return _("Dear %(name)s,")


def notice_context(
    *, recipient, subject: str, intro: str, lines=(), url: str = "", action: str = ""
) -> dict:
    """What an e-mail telling `recipient` of an event prints (new work, a returned draft, a
    reply…), as JSON for the outbox; rendered when sent by `email_render("notice", ...)`.

    `subject`, `intro`, the (label, value) `lines` and the link's `action` text come already
    translated from the caller; `url` is a site path, printed after settings.SITE_URL.
    `recipient` None: the greeting is left for `notify_people` to write for each person
    (`notice_greeting`).
    """
    with translation.override(settings.LANGUAGE_CODE):
        return {
            "subject": subject,
            "greeting": "" if recipient is None else (
                notice_greeting() % {"name": recipient.get_full_name()}
            ),
            "intro": intro,
            "lines": [list(line) for line in lines],
            "link": f"{settings.SITE_URL}{url}" if url else "",
            "action": action or pgettext("reminder e-mail", "Open the task"),
            "footer": _reminder_labels(translation.get_language())["footer"],
        }
