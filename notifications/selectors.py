"""Reads of the notifications app, scoped to the reader (agency or own rows)."""

from django.db import router
from django.db.models import Count, QuerySet

from accounts.selectors import scope_to_agency
from common.compiled import CompiledOnce

from .models import Deadline, Notification, Outbox


def _unread(*, shape: tuple, user_pk: int) -> QuerySet:
    return Notification.objects.filter(recipient_id=user_pk, read_at__isnull=True).values("pk")


# Counted on every page (the bell): compiled once.
_UNREAD_STATEMENT = CompiledOnce(_unread)


def unread_count(*, user) -> int:
    """How many in-app notifications the user has not read (the bell's badge)."""
    if not user.is_authenticated:
        return 0
    return _UNREAD_STATEMENT.count(using=router.db_for_read(Notification), user_pk=user.pk)


def notification_list_for(*, user) -> QuerySet:
    """The user's own in-app notifications, newest first."""
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-pk")


def escalations_for(*, user) -> QuerySet:
    """Open deadlines this leader directed that were escalated to them, most overdue first."""
    return (
        Deadline.objects.filter(
            directed_by=user, escalated_at__isnull=False, completed_at__isnull=True
        )
        .select_related("assignee", "unit_head")
        .order_by("due_at", "pk")
    )


def deadline_list_for(*, user) -> QuerySet:
    """Deadlines of the user's agency, with how many times each was reminded (đôn đốc)."""
    return scope_to_agency(
        Deadline.objects.select_related("assignee").annotate(reminder_count=Count("reminders")),
        user=user,
    ).order_by("due_at", "pk")


def outbox_list_for(*, user) -> QuerySet:
    """Outgoing e-mails of the user's agency (the admin shows them all to superusers)."""
    return scope_to_agency(Outbox.objects.all(), user=user)
