"""Schedule the nightly purge of Excel task lists older than a week (editable in the admin).

03:15 in Vietnam, when nobody works: the files of people who never ask for another list
would otherwise stay in the storage for ever.
"""

from django.db import migrations

PURGE = "Xoá tệp Excel danh sách nhiệm vụ quá 7 ngày (03:15 hằng ngày)"


def schedule(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    quarter_past_three, _ = CrontabSchedule.objects.get_or_create(
        minute="15", hour="3", day_of_week="*", day_of_month="*", month_of_year="*",
        timezone="Asia/Ho_Chi_Minh",
    )
    PeriodicTask.objects.get_or_create(
        name=PURGE,
        defaults={"task": "tracking.tasks.purge_task_exports", "crontab": quarter_past_three},
    )


def unschedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=PURGE).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("tracking", "0004_task_export"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(schedule, unschedule)]
