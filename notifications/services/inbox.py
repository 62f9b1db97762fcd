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


def notifications_settle(*, key: str) -> int:
    """Mark read, for everyone, the unread notifications of an event that needs nothing
    more (the task was done, by them or a colleague); returns how many.

    Its e-mails not yet sent (waiting for the sender or held for the digest) are cancelled
    with them: a digest must not list work already done. A row being sent is left alone.
    On PostgreSQL both are one statement (every step of a flow settles its task's notices).
    """
    now = timezone.now()
    if connection.vendor != "postgresql":
        Outbox.objects.filter(
            key=key, state__in=[Outbox.State.PENDING, Outbox.State.HELD]
        ).update(state=Outbox.State.CANCELLED)
        return Notification.objects.filter(key=key, read_at__isnull=True).update(read_at=now)
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH cancelled AS (UPDATE {quote(Outbox._meta.db_table)} SET state = %s "
            f"WHERE key = %s AND state IN (%s, %s)) "
            f"UPDATE {quote(Notification._meta.db_table)} SET read_at = %s "
            f"WHERE key = %s AND read_at IS NULL",
            [Outbox.State.CANCELLED, key, Outbox.State.PENDING, Outbox.State.HELD, now, key],
        )
        return cursor.rowcount


@transaction.atomic
def preference_set(*, user, email_mode: str) -> Preference:
    """Choose immediate e-mails or the 07:30 digest on working days."""
    if email_mode not in Preference.EmailMode.values:
        raise ValueError(f"Unknown e-mail mode {email_mode!r}")
    preference, _ = Preference.objects.update_or_create(
        user=user, defaults={"email_mode": email_mode}
    )
    return preference
