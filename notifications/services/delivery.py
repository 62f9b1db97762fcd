"""The outbox: write e-mails with the event, send them after commit, at least once.

`notify` is what other apps call. Sending claims a row with a conditional UPDATE
(pending → sending, one row changed or nothing to do) on PostgreSQL and SQLite alike: a
redelivered task or a second worker finds nothing to claim. That is at least once, not
exactly once: a worker killed after the SMTP server accepted a message but before the row
was marked sent leaves it claimed, and after NOTIFICATIONS_SENDING_LEASE it is sent again,
with the same Message-ID, so mail clients can recognise the duplicate.
"""

from __future__ import annotations

import logging
import mimetypes
import os
import random
import smtplib
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, connections, router, transaction
from django.db.backends.postgresql.base import ServerBindingCursor
from django.db.models import Case, Exists, F, OuterRef, QuerySet, Value, When
from django.db.models.constants import OnConflict
from django.db.models.functions import Coalesce, Concat, NullIf, Trim
from django.db.models.sql import InsertQuery
from django.utils import timezone

from ..models import Notification, Outbox, Preference
from .after_commit import delay_after_commit
from .emails import email_render

logger = logging.getLogger(__name__)


def _wants_digest(user) -> bool:
    return Preference.objects.filter(
        user=user, email_mode=Preference.EmailMode.DIGEST
    ).exists()


@transaction.atomic
def notify(
    *,
    key: str,
    subject: str,
    text: str,
    html: str = "",
    user=None,
    email: str = "",
    agency=None,
    url: str = "",
    attachment: str = "",
    attachment_name: str = "",
    kind: str = "message",
    deadline=None,
    immediate: bool = False,
) -> Outbox | None:
    """Tell one person or one e-mail address something, in the caller's transaction.

    - `key`: the caller's idempotency key for the event, e.g. "issued:12". The same key for
      the same address (or user) writes nothing new: calling twice sends once.
    - `user`: a User of the system: gets an in-app notification (title `subject`, `text`,
      link `url`) and, if they have an e-mail address, an e-mail — at once, or in their 07:30
      digest if they chose it (unless `immediate`).
    - `email`: an address outside the system (or instead of the user's own address).
    - `subject`, `text`, `html`: the e-mail, already in Vietnamese; `html` optional.
    - `url`: a site path ("/documents/12/"); e-mails should print `SITE_URL + url`.
    - `attachment`: the name of a file in the default storage (e.g. an issued document's
      `Attachment.file.name`), attached as `attachment_name` (default: its base name).
    - `agency`: the agency the event belongs to, for scoping in selectors and the admin.
    - `kind`, `deadline`: what it is about ("issued", "overdue"…), and the Deadline if any.

    Returns the Outbox row (new or existing), or None when there is no address to write to.
    The e-mail is sent after the caller's transaction commits; if Redis is down the row stays
    pending and the sweep sends it later: this call never fails because of the broker or SMTP.
    """
    if user is not None:
        _notification_write(
            user=user, key=key, kind=kind, title=subject, text=text, url=url,
            agency=agency, deadline=deadline,
        )
    address = email or (user.email if user is not None else "")
    if not address:
        return None
    return outbox_write(
        key=key, to_email=address, user=user, agency=agency, deadline=deadline, kind=kind,
        subject=subject, text=text, html=html, url=url, attachment=attachment,
        attachment_name=attachment_name,
        held=user is not None and not immediate and _wants_digest(user),
    )[0]


@dataclass(frozen=True)
class Message:
    """One `notify` to a user, for `notify_many`."""

    key: str
    user: object
    subject: str
    text: str
    html: str = ""
    url: str = ""
    agency: object = None
    kind: str = "message"
    deadline: object = None
    # An e-mail rendered when sent (`emails.email_render`) instead of `text` and `html`.
    template: str = ""
    context: dict | None = None
    # Whether the person chose the 07:30 digest, when the caller read it with the person
    # (`digest_chosen`); None: `notify_many` reads it.
    digest: bool | None = None


# Inside the event's transaction: a failure undoes the event, so no savepoint of its own.
@transaction.atomic(savepoint=False)
def notify_many(*, messages: list[Message]) -> list[Outbox]:
    """`notify` for many users at once, in two queries whatever their number (one on
    PostgreSQL when every message says whether its person chose the digest, or there is
    a single e-mail).

    Same rows as calling `notify` for each: an in-app notification per (user, key) and an
    e-mail per (key, address), held for the users who chose the digest, nothing written twice.
    Pending e-mails go to Celery in one message after commit. Returns the new e-mail rows.
    """
    if not messages:
        return []
    notifications = [
        _notification_row(user=m.user, key=m.key, kind=m.kind, title=m.subject, text=m.text,
                          url=m.url, agency=m.agency, deadline=m.deadline)
        for m in messages
    ]
    mailed = [m for m in messages if m.user.email]
    if not mailed:
        Notification.objects.bulk_create(notifications, ignore_conflicts=True)
        return []
    unknown = {m.user.pk for m in mailed if m.digest is None}
    # The choice for a single e-mail (a step telling its task's owner) is read by its
    # insert itself. For more, in one query, even when they all go to one person: an
    # EXISTS per row makes Django write the rows one by one instead of as arrays.
    inline = len(unknown) == 1 and len({(m.key, m.user.email) for m in mailed}) == 1
    digest_users = set(
        Preference.objects.filter(
            user__in=unknown, email_mode=Preference.EmailMode.DIGEST
        ).values_list("user_id", flat=True)
    ) if unknown and not inline else set()
    rows = {}
    for m in mailed:
        row = _outbox_row(
            key=m.key, to_email=m.user.email, user=m.user, agency=m.agency,
            deadline=m.deadline, kind=m.kind, subject=m.subject,
            text="" if m.template else m.text, html=m.html, url=m.url,
            held=m.digest if m.digest is not None else m.user.pk in digest_users,
            template=m.template, context=m.context,
        )
        if m.digest is None and inline:
            row.state = _state_chosen_by(m.user)
        rows.setdefault((m.key, m.user.email), row)
    new = _outbox_insert_new(list(rows.values()), notifications=notifications)
    outbox_enqueue(ids=[row.pk for row in new if row.state == Outbox.State.PENDING])
    return new


def notice_people(people: QuerySet) -> QuerySet:
    """What `notify_people` reads of each person of `people` (a User queryset): the id, the
    e-mail address, the digest choice and the printed name (`User.get_full_name` in SQL)."""
    return people.annotate(digest=digest_chosen()).values(
        "id", "email", "digest", name=_full_name()
    )


@dataclass(frozen=True)
class PeopleStatement:
    """The SQL and parameters of a `notice_people` queryset, for a caller that compiles it
    once and binds new values (`common.compiled.CompiledOnce.sql`)."""

    sql: str
    params: tuple


def notify_people(
    *, people: QuerySet | PeopleStatement, message: Message, greeting: str
) -> None:
    """`notify_many` of `message` to every person of `people` (a User queryset, or the
    statement of its `notice_people`; whatever `message.user` says), with `greeting` ("Dear
    %(name)s,") made for each person as the e-mail's context `greeting`, which
    `emails.notice_context` writes.

    On PostgreSQL one statement reads the people with their digest choice and writes their
    notifications and their e-mails (held for those who chose the digest), nothing twice;
    the pending e-mails go to Celery after commit. Elsewhere the people are read first.
    """
    if isinstance(people, QuerySet):
        people = PeopleStatement(*notice_people(people).query.sql_with_params())
    connection = connections[router.db_for_write(Outbox)]
    if connection.vendor != "postgresql":
        notify_many(messages=[
            replace(message, user=person, digest=bool(person.digest), context={
                **message.context, "greeting": greeting % {"name": person.name}
            })
            for person in get_user_model().objects.raw(people.sql, people.params)
        ])
        return
    people_sql, people_params = people.sql, people.params
    notification = _notification_row(
        user=None, key=message.key, kind=message.kind, title=message.subject, text=message.text,
        url=message.url, agency=message.agency, deadline=message.deadline,
    )
    email = _outbox_row(
        key=message.key, to_email="", agency=message.agency, deadline=message.deadline,
        kind=message.kind, subject=message.subject,
        text="" if message.template else message.text, html=message.html, url=message.url,
        template=message.template, context=message.context,
    )
    per_person = {
        "recipient": "people.id",
        "to_email": "people.email",
        "state": f"CASE WHEN people.digest THEN '{Outbox.State.HELD}' "
                 f"ELSE '{Outbox.State.PENDING}' END",
        # The context's greeting with the person's name (what `notice_context` writes).
        "context": "jsonb_set(%s, '{greeting}', to_jsonb(replace(%s, '%%(name)s', people.name)))",
    }
    notify_columns, notify_values, notify_params = _insert_select(
        connection, notification, per_person
    )
    mail_columns, mail_values, mail_params = _insert_select(
        connection, email, per_person, extra={"context": [greeting]}
    )
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH people AS ({people_sql}), notified AS ("
            f"INSERT INTO {quote(Notification._meta.db_table)} ({notify_columns}) "
            f"SELECT {notify_values} FROM people ORDER BY people.id ON CONFLICT DO NOTHING) "
            f"INSERT INTO {quote(Outbox._meta.db_table)} ({mail_columns}) "
            f"SELECT {mail_values} FROM people WHERE people.email <> '' ORDER BY people.id "
            f"ON CONFLICT DO NOTHING RETURNING id, state",
            (*people_params, *notify_params, *mail_params),
        )
        new = cursor.fetchall()
    outbox_enqueue(ids=[pk for pk, state in new if state == Outbox.State.PENDING])


def _full_name():
    """`User.get_full_name()` as SQL: the printed name, else first and last, else username."""
    return Coalesce(
        NullIf("full_name", Value("")),
        NullIf(Trim(Concat("first_name", Value(" "), "last_name")), Value("")),
        "username",
    )


def _insert_select(connection, row, per_person: dict, extra=None):
    """The columns, SELECT list and parameters inserting `row`'s values for each person:
    a column named in `per_person` takes that SQL (over the CTE `people`, its %s taking
    `row`'s value then the parameters of `extra`), the others `row`'s value."""
    quote = connection.ops.quote_name
    columns, values, params = [], [], []
    for field in type(row)._meta.concrete_fields:
        if field.primary_key:
            continue
        columns.append(quote(field.column))
        value = field.get_db_prep_save(field.pre_save(row, True), connection=connection)
        sql = per_person.get(field.name)
        if sql is None:
            values.append("%s")
            params.append(value)
        else:
            values.append(sql)
            if "%s" in sql.replace("%%", ""):
                params.extend([value, *(extra or {}).get(field.name, ())])
    return ", ".join(columns), ", ".join(values), params


def digest_chosen() -> Exists:
    """Annotate a User queryset with it (`.annotate(digest=digest_chosen())`) to tell
    `Message.digest` whether each person chose the 07:30 digest, without a query more."""
    return Exists(
        Preference.objects.filter(user=OuterRef("pk"), email_mode=Preference.EmailMode.DIGEST)
    )


def _state_chosen_by(user) -> Case:
    """An e-mail's state as `user` chose: held for the 07:30 digest, or pending."""
    return Case(
        When(
            Exists(Preference.objects.filter(
                user_id=user.pk, email_mode=Preference.EmailMode.DIGEST
            )),
            then=Value(Outbox.State.HELD),
        ),
        default=Value(Outbox.State.PENDING),
    )


def _insert_ignoring(model, rows: list, returning_fields=None) -> tuple[str, tuple]:
    """The SQL of `INSERT … ON CONFLICT DO NOTHING [RETURNING …]` of `rows`, as the
    queryset's own insert writes it (every column but the key), and its parameters."""
    query = InsertQuery(model, on_conflict=OnConflict.IGNORE)
    query.insert_values(
        [field for field in model._meta.concrete_fields if not field.primary_key], rows
    )
    compiler = query.get_compiler(using=router.db_for_write(model))
    compiler.returning_fields = returning_fields
    [(sql, params)] = compiler.as_sql()
    return sql, tuple(params)


@contextmanager
def _cursor_for(connection, params: tuple):
    """A cursor of `connection` for a statement of `params`, and the placeholder to write
    in it: for Django's bulk insert of many rows (`UNNEST` of one array per column, every
    parameter a list), a cursor that binds the arrays on the server in binary.

    With client-side binding (`DATABASE_PREPARE_THRESHOLD=off`) Django's cursor writes each
    parameter into the SQL text: an array of texts is quoted element by element in Python,
    about 0.3 s of the sweep's 1,400 e-mails (their bodies and contexts), against 15 ms sent
    binary; with server-side binding the arrays are sent binary either way. The cursor is
    wrapped as Django wraps its own, so the statement is logged and counted like any other.
    """
    if not params or not all(isinstance(param, list) for param in params):
        with connection.cursor() as cursor:
            yield cursor, "%s"
        return
    connection.ensure_connection()
    binding = ServerBindingCursor(connection.connection)
    wrapped = (
        connection.make_debug_cursor(binding) if connection.queries_logged
        else connection.make_cursor(binding)
    )
    with wrapped as cursor:
        yield cursor, "%b"


def _outbox_insert_new(rows: list[Outbox], notifications: list[Notification]) -> list[Outbox]:
    """Insert the rows whose (key, address) is not written yet, and the in-app
    `notifications` whose (user, key) is not; return the new e-mails, with their ids and
    states.

    One statement on PostgreSQL: `WITH … INSERT` of the notifications, then the e-mails'
    `INSERT … ON CONFLICT DO NOTHING RETURNING`. A row already written, by an earlier call
    or a concurrent writer, is skipped, not an error. bulk_create(ignore_conflicts=True)
    returns no ids, hence the insert compiled here; other databases (the embedded SQLite,
    which has no data-modifying WITH) take two statements.
    """
    meta = Outbox._meta
    returning = [
        meta.pk, meta.get_field("key"), meta.get_field("to_email"), meta.get_field("state")
    ]
    connection = connections[router.db_for_write(Outbox)]
    if connection.vendor == "postgresql":
        notify_sql, notify_params = _insert_ignoring(Notification, notifications)
        mail_sql, mail_params = _insert_ignoring(Outbox, rows, returning)
        with _cursor_for(connection, notify_params + mail_params) as (cursor, placeholder):
            cursor.execute(
                f"WITH notified AS ({notify_sql}) {mail_sql}".replace("%s", placeholder),
                notify_params + mail_params,
            )
            returned = cursor.fetchall()
    else:
        Notification.objects.bulk_create(notifications, ignore_conflicts=True)
        returned = Outbox.objects._insert(
            rows,
            fields=[field for field in meta.concrete_fields if not field.primary_key],
            returning_fields=returning,
            on_conflict=OnConflict.IGNORE,
        )
    by_address = {(row.key, row.to_email): row for row in rows}
    new = []
    # A single row skipped comes back as None rather than as no row.
    for pk, key, to_email, state in filter(None, returned):
        row = by_address[key, to_email]
        row.pk = pk
        row.state = state
        row._state.adding = False
        new.append(row)
    return new


def _outbox_row(
    *, key: str, to_email: str, subject: str, text: str, html: str = "", url: str = "",
    user=None, agency=None, deadline=None, kind: str = "message", attachment: str = "",
    attachment_name: str = "", held: bool = False, template: str = "", context=None,
) -> Outbox:
    return Outbox(
        key=key, to_email=to_email, recipient=user, agency=agency, deadline=deadline, kind=kind,
        subject=subject[:300], body_text=text, body_html=html, template=template,
        context=context or {}, url=url, attachment=attachment,
        attachment_name=attachment_name or (os.path.basename(attachment) if attachment else ""),
        state=Outbox.State.HELD if held else Outbox.State.PENDING,
    )


def outbox_write(
    *, key: str, to_email: str, subject: str, text: str, html: str = "", url: str = "",
    user=None, agency=None, deadline=None, kind: str = "message", attachment: str = "",
    attachment_name: str = "", held: bool = False,
) -> tuple[Outbox, bool]:
    """Write one outbox row unless (key, to_email) exists; returns (row, created).

    A pending row is enqueued for sending after commit; a held one waits for the digest.
    """
    row = _outbox_row(
        key=key, to_email=to_email, subject=subject, text=text, html=html, url=url, user=user,
        agency=agency, deadline=deadline, kind=kind, attachment=attachment,
        attachment_name=attachment_name, held=held,
    )
    try:
        # A savepoint, so a concurrent duplicate only undoes this insert, not the caller's work.
        with transaction.atomic():
            row.save(force_insert=True)
    except IntegrityError:
        return Outbox.objects.get(key=key, to_email=to_email), False
    if not held:
        outbox_enqueue(ids=[row.pk])
    return row, True


def _notification_row(*, user, key, kind, title, text, url, agency, deadline) -> Notification:
    return Notification(
        recipient=user, key=key, kind=kind, title=title[:300], text=text, url=url,
        agency=agency, deadline=deadline,
    )


def _notification_write(*, user, key, kind, title, text, url, agency, deadline) -> None:
    try:
        with transaction.atomic():
            _notification_row(
                user=user, key=key, kind=kind, title=title, text=text, url=url, agency=agency,
                deadline=deadline,
            ).save(force_insert=True)
    except IntegrityError:
        pass  # written by an earlier call with the same key: once is enough


def outbox_enqueue(*, ids: list[int]) -> None:
    """After the current transaction commits, ask Celery to send these outbox rows, in one
    call with the other rows of the transaction (`after_commit.delay_after_commit`).

    Broker errors are logged, not raised: the rows stay pending and the sweep resends them.
    """
    from ..tasks import send_outbox

    if ids:
        delay_after_commit(send_outbox, ids, catch_up="the sweep will send them",
                           using=router.db_for_write(Outbox))


def retry_delay(attempts: int) -> float:
    """Seconds before attempt `attempts + 1`: exponential, capped, with ±50 % jitter."""
    base = min(
        settings.NOTIFICATIONS_RETRY_BASE * 2 ** max(0, attempts - 1),
        settings.NOTIFICATIONS_RETRY_CAP,
    )
    return base * random.uniform(0.5, 1.5)


def _message(row: Outbox) -> EmailMultiAlternatives:
    text, html = row.body_text, row.body_html
    if row.template and not text:
        email = email_render(template=row.template, context=row.context)
        text, html = email.text, email.html
    message = EmailMultiAlternatives(
        subject=row.subject,
        body=text,
        to=[row.to_email],
        # One Message-ID per row: should a crash ever make us send a row twice, mail clients
        # and servers can still recognise the copy.
        headers={
            "Message-ID": f"<outbox-{row.pk}-{row.created_at:%Y%m%d%H%M%S}@lienthong>",
            # RFC 3834: no auto-replies to reminders; the kind lets mail rules sort them.
            "Auto-Submitted": "auto-generated",
            "X-Lienthong-Kind": row.kind,
        },
    )
    if html:
        message.attach_alternative(html, "text/html")
    if row.attachment:
        with default_storage.open(row.attachment, "rb") as handle:
            content = handle.read()
        name = row.attachment_name or os.path.basename(row.attachment)
        mimetype = mimetypes.guess_type(name)[0] or "application/octet-stream"
        message.attach(name, content, mimetype)
    return message


def _is_permanent(exc: Exception) -> bool:
    """Whether the SMTP server refused for good (RFC 5321 5yz): retrying cannot help.

    4yz replies (mailbox busy, greylisting), timeouts and lost connections are temporary.
    """
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _reply in exc.recipients.values())
    if isinstance(exc, smtplib.SMTPResponseException):
        return exc.smtp_code >= 500
    return False


def outbox_send(*, outbox_id: int) -> float | None:
    """Claim one pending row and send it; returns the retry delay in seconds after a failure.

    Returns None when the row was sent, failed for good, or was not ours to send (already
    claimed, sent, held, not yet due): a duplicate call is harmless.
    """
    now = timezone.now()
    claimed = Outbox.objects.filter(
        pk=outbox_id, state=Outbox.State.PENDING, next_attempt_at__lte=now
    ).update(state=Outbox.State.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    if not claimed:
        return None
    row = Outbox.objects.get(pk=outbox_id)
    try:
        _message(row).send(fail_silently=False)
    except Exception as exc:  # SMTP down, refused, timed out, file missing: keep and retry
        error = f"{timezone.now():%d/%m/%Y %H:%M:%S} {type(exc).__name__}: {exc}"
        if _is_permanent(exc) or row.attempts >= settings.NOTIFICATIONS_MAX_ATTEMPTS:
            Outbox.objects.filter(pk=row.pk, state=Outbox.State.SENDING).update(
                state=Outbox.State.FAILED, last_error=error
            )
            logger.error("E-mail %s failed for good: %s", row.pk, error)
            return None
        delay = retry_delay(row.attempts)
        Outbox.objects.filter(pk=row.pk, state=Outbox.State.SENDING).update(
            state=Outbox.State.PENDING, last_error=error,
            next_attempt_at=timezone.now() + timedelta(seconds=delay),
        )
        logger.warning("E-mail %s not sent (attempt %s), retry in %.0f s: %s",
                       row.pk, row.attempts, delay, error)
        return delay
    Outbox.objects.filter(pk=row.pk, state=Outbox.State.SENDING).update(
        state=Outbox.State.SENT, sent_at=timezone.now()
    )
    return None


def outbox_send_many(*, ids: list[int]) -> float | None:
    """Send each row (see `outbox_send`); returns the shortest retry delay asked for, if any."""
    delays = [delay for pk in ids if (delay := outbox_send(outbox_id=pk)) is not None]
    return min(delays) if delays else None


def outbox_due_ids(*, grace_seconds: int = 60, limit: int = 500) -> list[int]:
    """Pending rows whose time came `grace_seconds` ago or more.

    A row just written is enqueued by its own transaction; the periodic sweep only picks it
    up once it has waited a minute (a broker that was down, a retry message lost). Rows left
    `sending` by a crashed worker longer than the lease are made pending again first.
    """
    now = timezone.now()
    lease = now - timedelta(seconds=settings.NOTIFICATIONS_SENDING_LEASE)
    Outbox.objects.filter(state=Outbox.State.SENDING, claimed_at__lt=lease).update(
        state=Outbox.State.PENDING, last_error="Worker lost while sending; sent again."
    )
    return list(
        Outbox.objects.filter(
            state=Outbox.State.PENDING,
            next_attempt_at__lte=now - timedelta(seconds=grace_seconds),
        ).order_by("next_attempt_at").values_list("pk", flat=True)[:limit]
    )
