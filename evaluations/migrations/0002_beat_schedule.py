"""Seed the beat schedule of evaluations (editable in the admin): lock at the deadline and
remind participants before it, every 5 minutes."""

from django.db import migrations

SWEEP = "Đánh giá, xếp loại: khóa khi hết hạn và nhắc hạn (mỗi 5 phút)"


def seed(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    every_5_minutes, _ = IntervalSchedule.objects.get_or_create(every=5, period="minutes")
    PeriodicTask.objects.get_or_create(
        name=SWEEP, defaults={"task": "evaluations.tasks.sweep", "interval": every_5_minutes}
    )


def unseed(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=SWEEP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("evaluations", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(seed, unseed)]
