"""Let the first beat start run the sweep at once instead of one interval later.

django-celery-beat counts an interval task's first run from `date_changed` when it never
ran; a newcomer's `make run` would wait five minutes for the first reminders.
"""

import datetime

from django.db import migrations

SWEEP = "Đôn đốc hạn xử lý (mỗi 5 phút)"


def backdate(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name=SWEEP, last_run_at__isnull=True).update(
        last_run_at=datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)
    )


class Migration(migrations.Migration):
    dependencies = [("notifications", "0003_outbox_url")]

    operations = [migrations.RunPython(backdate, migrations.RunPython.noop)]
