"""Writes of the notifications app; other apps import from here.

- deadlines: `deadline_open`, `deadline_reassign`, `deadline_close`
- delivery: `notify` (in-app + e-mail outbox), `outbox_send`, …
- sweep: `deadlines_sweep` (reminders and escalations), `digests_send`
"""

from .deadlines import deadline_close, deadline_open, deadline_reassign
from .delivery import notify, outbox_due_ids, outbox_enqueue, outbox_send, outbox_send_many

__all__ = [
    "deadline_close",
    "deadline_open",
    "deadline_reassign",
    "notify",
    "outbox_due_ids",
    "outbox_enqueue",
    "outbox_send",
    "outbox_send_many",
]
