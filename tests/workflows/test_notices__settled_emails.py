"""A task taken by a colleague or done cancels its e-mails not yet sent: neither the sender
nor the 07:30 digest tells anyone of work already done, and the demo's replayed history
leaves e-mails only about work still open."""

import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from viewflow.workflow.models import Task

from notifications.models import Outbox
from notifications.services import outbox_due_ids, outbox_send_many, preference_set
from notifications.services.sweep import digests_send
from workcalendar.services import WorkCalendar, local_zone
from workflows.services.routing import task_claim
from workflows.story import incoming_copy, incoming_reach, request_send

from .flow_fixtures import IncomingFlow, quiet, task_of

pytestmark = pytest.mark.django_db

SENDABLE = (Outbox.State.PENDING, Outbox.State.HELD)


def _send_all() -> list:
    before = len(mail.outbox)
    outbox_send_many(ids=outbox_due_ids(grace_seconds=0))
    morning = WorkCalendar().add_working_days(timezone.localdate(), 1)
    digests_send(
        now=datetime.datetime.combine(morning, datetime.time(7, 30), tzinfo=local_zone())
    )
    outbox_send_many(ids=outbox_due_ids(grace_seconds=0))
    return mail.outbox[before:]


def test_a_queue_task_taken_cancels_the_colleagues_unsent_and_held_emails(world, truong_ban):
    preference_set(user=world.user("hung.nv"), email_mode="digest")
    incoming = incoming_copy(request=request_send())
    incoming_reach(document=incoming, stage="direct", say=quiet)
    direct = task_of(incoming, IncomingFlow.direct)
    rows = Outbox.objects.filter(key=f"task:{direct.pk}")
    assert sorted(rows.values_list("to_email", "state")) == [
        ("hung.nv@demo.lienthong.vn", Outbox.State.HELD),
        ("quyen.vt@demo.lienthong.vn", Outbox.State.PENDING),
    ]

    task_claim(task=direct, user=truong_ban)

    assert set(rows.values_list("state", flat=True)) == {Outbox.State.CANCELLED}
    sent = _send_all()
    assert not [m for m in sent if f"Việc mới: {direct.flow_task.task_title}" in m.subject]
    assert not [m for m in sent if rows.first().subject in m.body]


def test_an_email_already_sent_stays_sent_when_the_task_is_done(world, chuyen_vien):
    incoming = incoming_copy(request=request_send())
    incoming_reach(document=incoming, stage="handle", say=quiet)
    handle = task_of(incoming, IncomingFlow.handle)
    [sent] = [m for m in _send_all() if m.to == [chuyen_vien.email]]
    assert sent.subject.startswith("Việc mới: ")
    incoming_reach(document=incoming, stage="done", say=quiet)
    assert Outbox.objects.get(key=f"task:{handle.pk}").state == Outbox.State.SENT


def test_the_demo_leaves_emails_only_about_work_still_open(db):
    call_command("load_demo", stdout=io.StringIO())
    task_rows = Outbox.objects.filter(key__startswith="task:", state__in=SENDABLE)
    task_pks = {int(key.split(":")[1]) for key in task_rows.values_list("key", flat=True)}
    assert task_pks, "the demo leaves open work, announced by e-mail"
    assert not Task.objects.filter(pk__in=task_pks, finished__isnull=False).exists()
    assert Outbox.objects.filter(key__startswith="task:", state=Outbox.State.CANCELLED).exists()
