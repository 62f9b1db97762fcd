"""Work asked of Celery by a transaction, sent once it has committed, one call per task.

A step asks for the same work several times (an e-mail sender for each notice, a text reader
for each file), and one Celery call costs about 0.7 ms of the step's CPU: the requests of a
transaction are gathered into one call per task (`delay_after_commit`).
"""

import logging

from django.db import transaction

logger = logging.getLogger(__name__)


class _AfterCommit:
    """The items gathered for one task in one transaction, sent as one call on commit."""

    def __init__(self, task, catch_up: str):
        self.task = task
        self.catch_up = catch_up
        self.items = []

    def __call__(self):
        try:
            self.task.delay(self.items)
        except Exception:  # Redis down, filesystem broker missing
            logger.warning("Could not enqueue %s %s; %s", self.task.name, self.items,
                           self.catch_up, exc_info=True)


def delay_after_commit(task, items: list, *, catch_up: str, using: str | None = None) -> None:
    """After the current transaction commits, call `task.delay(items)` once with the items
    of every call made for `task` in that transaction (at once outside a transaction).

    The items join the call registered by the transaction's first request; a savepoint
    rolled back drops the call it registered, with its items, as Django drops any
    `on_commit` callback, and a later request registers a new one. Items asked for inside a
    savepoint rolled back after joining an older call are sent all the same: the tasks skip
    rows that do not exist. Broker errors are logged with `catch_up` (what does the work
    later), not raised.
    """
    connection = transaction.get_connection(using)
    pending = next(
        (callback for _savepoints, callback, _robust in connection.run_on_commit
         if isinstance(callback, _AfterCommit) and callback.task is task),
        None,
    )
    if pending is not None:
        pending.items.extend(items)
        return
    pending = _AfterCommit(task, catch_up)
    pending.items.extend(items)
    transaction.on_commit(pending, using=using)
