"""The first task categories (data, editable in the admin) and a tracked task for every
direction given before this app existed."""

import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import migrations

CATEGORIES = [
    ("ubnd-giao", "Nhiệm vụ UBND tỉnh giao", 10),
    ("chuong-trinh-cong-tac", "Chương trình công tác", 20),
    ("nhiem-vu-trong-tam", "Nhiệm vụ trọng tâm", 30),
    ("ket-luan-chi-dao", "Kết luận, chỉ đạo", 40),
]


def categories_add(apps, schema_editor):
    Category = apps.get_model("tracking", "Category")
    for code, name, order in CATEGORIES:
        Category.objects.get_or_create(code=code, defaults={"name": name, "sort_order": order})


def assignments_backfill(apps, schema_editor):
    Assignment = apps.get_model("workflows", "Assignment")
    Deadline = apps.get_model("notifications", "Deadline")
    TrackedTask = apps.get_model("tracking", "TrackedTask")
    zone = ZoneInfo(settings.TIME_ZONE)

    def day(moment: datetime.datetime | None):
        return moment.astimezone(zone).date() if moment else None

    deadlines = dict(Deadline.objects.filter(key__startswith="assignment:").values_list("key", "pk"))
    for assignment in Assignment.objects.filter(tracked_task__isnull=True).select_related(
        "document", "document__sender_agency"
    ).iterator():
        document = assignment.document
        task = TrackedTask.objects.create(
            agency_id=document.agency_id,
            assignment=assignment,
            content=document.summary,
            giving_body=document.sender_name or (
                document.sender_agency.name if document.sender_agency else ""
            ),
            source_notation=document.notation,
            lead_unit_id=assignment.lead_unit_id,
            handler_id=assignment.handler_id,
            directed_by_id=assignment.directed_by_id,
            assigned_on=day(assignment.created_at),
            due_on=day(assignment.due_at),
            original_due_on=day(assignment.due_at),
            completed_on=day(assignment.completed_at),
            result=assignment.closing_note,
            created_by_id=assignment.directed_by_id,
            deadline_id=deadlines.get(f"assignment:{assignment.pk}"),
        )
        task.supporting_units.set(assignment.supporting_units.all())


class Migration(migrations.Migration):
    dependencies = [
        ("tracking", "0001_initial"),
        ("workflows", "0005_task_owner_permission_index"),
        ("notifications", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(categories_add, migrations.RunPython.noop),
        migrations.RunPython(assignments_backfill, migrations.RunPython.noop),
    ]
