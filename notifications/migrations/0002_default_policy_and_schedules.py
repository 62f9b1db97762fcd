"""Seed the default reminder policy and the beat schedules (editable in the admin).

- "Đôn đốc hạn xử lý": the sweep, every 5 minutes.
- "Bản tin hằng ngày 07:30": the daily digest; the task itself skips non-working days, so
  a make-up Saturday gets its digest and a holiday does not.
"""

from django.db import migrations

SWEEP = "Đôn đốc hạn xử lý (mỗi 5 phút)"
DIGEST = "Bản tin nhắc việc hằng ngày 07:30"


def seed(apps, schema_editor):
    ReminderPolicy = apps.get_model("notifications", "ReminderPolicy")
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    if not ReminderPolicy.objects.filter(agency__isnull=True).exists():
        ReminderPolicy.objects.create(
            agency=None, days_before=1, remind_on_due_day=True,
            escalate_after_days=2, repeat_every_days=1,
        )
    every_5_minutes, _ = IntervalSchedule.objects.get_or_create(every=5, period="minutes")
    half_past_seven, _ = CrontabSchedule.objects.get_or_create(
        minute="30", hour="7", day_of_week="*", day_of_month="*", month_of_year="*",
        timezone="Asia/Ho_Chi_Minh",
    )
    PeriodicTask.objects.get_or_create(
        name=SWEEP,
        defaults={"task": "notifications.tasks.sweep", "interval": every_5_minutes},
    )
    PeriodicTask.objects.get_or_create(
        name=DIGEST,
        defaults={"task": "notifications.tasks.send_digests", "crontab": half_past_seven},
    )


def unseed(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name__in=[SWEEP, DIGEST]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(seed, unseed)]
