"""Directions given before the tracking app existed become tracked tasks at migrate time."""

import importlib

import pytest
from django.apps import apps

from tracking.models import Status, TrackedTask

from ..workflows.flow_fixtures import incoming_at

pytestmark = pytest.mark.django_db

backfill = importlib.import_module("tracking.migrations.0002_categories_and_backfill")


def test_existing_directions_are_backfilled_once(world):
    document = incoming_at("handle", supporting=("TTr",))
    synced = TrackedTask.objects.get(assignment__document=document)
    expected = {field: getattr(synced, field) for field in (
        "agency_id", "lead_unit_id", "handler_id", "directed_by_id", "assigned_on", "due_on",
        "original_due_on", "completed_on", "content", "source_notation", "deadline_id",
    )}
    TrackedTask.objects.all().delete()  # as before the app was installed
    backfill.assignments_backfill(apps, None)
    backfill.assignments_backfill(apps, None)
    task = TrackedTask.objects.get()
    assert {field: getattr(task, field) for field in expected} == expected
    assert [unit.symbol for unit in task.supporting_units.all()] == ["TTr"]
    assert task.status == Status.IN_PROGRESS
