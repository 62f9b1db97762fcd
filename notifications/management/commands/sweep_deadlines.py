"""`manage.py sweep_deadlines`: one sweep now, for operators and for cron without beat."""

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from notifications.services import outbox_due_ids, outbox_enqueue, outbox_send_many
from notifications.services.sweep import deadlines_sweep, viewflow_timers_fire


class Command(BaseCommand):
    help = (
        "Write the deadline reminders and escalations due now, fire viewflow timers, and "
        "queue the pending e-mails for the Celery worker (--send: send them here instead)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--send", action="store_true",
            help="Send pending e-mails from this process (no worker needed).",
        )

    def handle(self, *, send, **options):
        result = deadlines_sweep()
        for reminder in result.reminders:
            self.stdout.write(
                f"đôn đốc {reminder.get_kind_display()} [{reminder.stage}]: {reminder.deadline}"
            )
        for row in result.emails:
            self.stdout.write(f"  e-mail → {row.to_email} ({row.state}): {row.subject}")
        fired = viewflow_timers_fire()
        pending = outbox_due_ids(grace_seconds=0)
        if send:
            outbox_send_many(ids=pending)
            verb = "sent"
        else:
            with transaction.atomic():
                outbox_enqueue(ids=pending)
            verb = "queued"
        self.stdout.write(
            f"{timezone.localtime():%d/%m/%Y %H:%M}: {result.checked} deadline(s) checked, "
            f"{len(result.reminders)} reminder(s), {len(result.emails)} new e-mail(s), "
            f"{len(pending)} pending e-mail(s) {verb}, {fired} viewflow timer(s) fired."
        )
