"""kill -9 of the Celery worker in the middle of a sweep, against a private Redis and a real
SMTP server: the sweep commits one small batch of deadlines at a time, so the batches done
before the kill keep their reminders and e-mails, the batch in hand is rolled back by
PostgreSQL, and the next sweep (a new worker) finishes the rest. In the end every overdue
deadline has exactly one reminder, and every e-mail arrives exactly once (no e-mail was in
flight: the worker was inside the sweep).
"""

import collections
import os
import signal
from datetime import timedelta

from django.db import connection, transaction
from django.utils import timezone

from notifications.models import Deadline, Outbox, Reminder
from notifications.services.sweep import outbox_resend_stale
from tests.net import celery_worker_start, wait_for, worker_environment, worker_process_marks

pytestmark = worker_process_marks()

DEADLINES = 40


def _sweep_waiting_on_lock() -> bool:
    """A backend other than ours is waiting for a lock (the worker's next batch)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0] > 0


def test_no_reminder_is_lost_or_doubled_after_a_kill_9_in_the_middle_of_a_sweep(
    private_broker, logged_processes, smtp_server, open_deadline, tmp_path
):
    from notifications.tasks import sweep

    for n in range(DEADLINES):
        open_deadline(key=f"assignment:{n}", due_at=timezone.now() - timedelta(days=10))
    # One deadline per transaction: the kill lands between committed batches.
    env = worker_environment(
        redis_url=private_broker.url(), smtp_port=smtp_server.port, var_dir=tmp_path,
        NOTIFICATIONS_SWEEP_BATCH="1", NOTIFICATIONS_SENDING_LEASE="1",
    )

    def start(name):
        return logged_processes(name, lambda log: celery_worker_start(env=env, log=log))

    first = start("worker-1")
    sweep.apply_async()

    assert wait_for(lambda: Reminder.objects.count() >= 3, 60), (
        (tmp_path / "worker-1.log").read_text())
    # Held until the kill: the worker's next batch blocks on its reminder INSERT, inside
    # its transaction, with its deadline row locked.
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("LOCK TABLE notifications_reminder IN SHARE ROW EXCLUSIVE MODE")
        assert wait_for(_sweep_waiting_on_lock, 30), "the sweep finished before the lock"
        done_before_kill = Reminder.objects.count()
        os.kill(first.pid, signal.SIGKILL)
        first.wait(10)
    assert 3 <= done_before_kill < DEADLINES
    # PostgreSQL rolls back the dead worker's batch once it finds its client gone.
    assert wait_for(lambda: not _sweep_waiting_on_lock(), 30)
    assert Reminder.objects.count() == done_before_kill

    start("worker-2")
    sweep.apply_async()  # the next periodic sweep
    assert wait_for(lambda: Reminder.objects.count() == DEADLINES, 60), (
        (tmp_path / "worker-2.log").read_text())
    # E-mails the dead worker had taken from the queue are found by a later sweep.
    Outbox.objects.filter(state=Outbox.State.PENDING).update(
        next_attempt_at=timezone.now() - timedelta(minutes=5)
    )
    outbox_resend_stale()
    assert wait_for(
        lambda: not Outbox.objects.exclude(state=Outbox.State.SENT).exists(), 60
    ), (tmp_path / "worker-2.log").read_text()

    per_deadline = collections.Counter(Reminder.objects.values_list("deadline", flat=True))
    assert sorted(per_deadline) == sorted(Deadline.objects.values_list("pk", flat=True))
    assert set(per_deadline.values()) == {1}
    emails = Outbox.objects.count()
    # The assignee and the unit head of each deadline, the leader too once it escalated.
    assert emails >= 2 * DEADLINES
    arrived = collections.Counter(m["Message-ID"] for m in smtp_server.messages)
    assert len(arrived) == emails
    assert set(arrived.values()) == {1}
