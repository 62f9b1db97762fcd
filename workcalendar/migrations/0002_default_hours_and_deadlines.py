"""Seed the default office hours (07:30–17:00) and default deadlines by urgency."""

import datetime

from django.db import migrations

# Hỏa tốc: same day; Thượng khẩn: 1; Khẩn: 2; Thường: 7 working days. Editable in the admin.
URGENCY_DAYS = {"flash": 0, "very_urgent": 1, "urgent": 2, "normal": 7}


def seed(apps, schema_editor):
    OfficeHours = apps.get_model("workcalendar", "OfficeHours")
    UrgencyDeadline = apps.get_model("workcalendar", "UrgencyDeadline")
    if not OfficeHours.objects.filter(agency__isnull=True).exists():
        OfficeHours.objects.create(
            agency=None, opens_at=datetime.time(7, 30), closes_at=datetime.time(17, 0)
        )
    for urgency, days in URGENCY_DAYS.items():
        UrgencyDeadline.objects.get_or_create(urgency=urgency, defaults={"working_days": days})


class Migration(migrations.Migration):
    dependencies = [("workcalendar", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
