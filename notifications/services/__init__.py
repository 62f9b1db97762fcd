"""Writes of the notifications app; other apps import from here.

- after_commit: `delay_after_commit` (one Celery call per task for a transaction's requests)
- deadlines: `deadline_open`, `deadline_reassign`, `deadline_close`, `deadline_move`
- delivery: `notify` (in-app + e-mail outbox), `notify_many`, `outbox_send`, …
- inbox: `notification_read`, `notifications_read_all`, `notifications_settle`,
  `preference_set`
- sweep (notifications.services.sweep): `deadlines_sweep`, `digests_send`
"""

from .after_commit import delay_after_commit
from .deadlines import deadline_close, deadline_move, deadline_open, deadline_reassign
from .delivery import (
    Message,
    PeopleStatement,
    digest_chosen,
    notice_people,
    notify,
    notify_many,
    notify_people,
    outbox_due_ids,
    outbox_enqueue,
    outbox_send,
    outbox_send_many,
)
from .inbox import (
    notification_read,
    notifications_read_all,
    notifications_settle,
    preference_set,
)

__all__ = [
    "Message",
    "PeopleStatement",
    "deadline_close",
    "deadline_move",
    "deadline_open",
    "deadline_reassign",
    "delay_after_commit",
    "digest_chosen",
    "notice_people",
    "notification_read",
    "notifications_read_all",
    "notifications_settle",
    "notify",
    "notify_many",
    "notify_people",
    "outbox_due_ids",
    "outbox_enqueue",
    "outbox_send",
    "outbox_send_many",
    "preference_set",
]
