"""The person's own side of notifications: reading them, choosing e-mail or digest."""

from __future__ import annotations

from django.db import connection, transaction
from django.utils import timezone

from ..models import Notification, Outbox, Preference


@transaction.atomic
def notification_read(*, user, pk: int) -> Notification:
    """Mark one of the user's notifications read and return it (404-style DoesNotExist
    for anyone else's)."""
    notification = Notification.objects.select_for_update().get(pk=pk, recipient=user)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


@transaction.atomic
def notifications_read_all(*, user) -> int:
    """Mark every unread notification of the user read; returns how many."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def notifications_settle(*, key: str, along: tuple[str, tuple] | None = None) -> None:
    """Mark read, for everyone, the unread notifications of an event that needs nothing
    more (the task was done, by them or a colleague).

    Its e-mails not yet sent (waiting for the sender or held for the digest) are cancelled
    with them: a digest must not list work already done. A row being sent is left alone.
    On PostgreSQL both are one statement (every step of a flow settles its task's notices),
    which also runs `along`, the caller's own UPDATE as (sql, params), when given (the
    step's task completed); elsewhere `along` runs after them.
    """
    now = timezone.now()
    if connection.vendor != "postgresql":
        Outbox.objects.filter(
            key=key, state__in=[Outbox.State.PENDING, Outbox.State.HELD]
        ).update(state=Outbox.State.CANCELLED)
        Notification.objects.filter(key=key, read_at__isnull=True).update(read_at=now)
        if along is not None:
            with connection.cursor() as cursor:
                cursor.execute(*along)
        return
    quote = connection.ops.quote_name
    settle = (
        f"WITH cancelled AS (UPDATE {quote(Outbox._meta.db_table)} SET state = %s "
        f"WHERE key = %s AND state IN (%s, %s)), "
        f"settled AS (UPDATE {quote(Notification._meta.db_table)} SET read_at = %s "
        f"WHERE key = %s AND read_at IS NULL) "
    )
    params = [Outbox.State.CANCELLED, key, Outbox.State.PENDING, Outbox.State.HELD, now, key]
    sql, along_params = along if along is not None else ("SELECT 1", ())
    with connection.cursor() as cursor:
        cursor.execute(settle + sql, [*params, *along_params])


@transaction.atomic
def preference_set(*, user, email_mode: str) -> Preference:
    """Choose immediate e-mails or the 07:30 digest on working days."""
    if email_mode not in Preference.EmailMode.values:
        raise ValueError(f"Unknown e-mail mode {email_mode!r}")
    preference, _ = Preference.objects.update_or_create(
        user=user, defaults={"email_mode": email_mode}
    )
    return preference
