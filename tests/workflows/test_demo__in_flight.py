"""The demo loader leaves work in every role's inbox or queue, once, through the services."""

import datetime

import pytest
from django.utils import timezone

from accounts.models import User
from notifications.models import Deadline
from workcalendar.services import add_working_days
from workflows import demo
from workflows.flows import IncomingFlow
from workflows.models import Document
from workflows.queues import task_inbox_for, task_queue_for
from workflows.services.routing import open_task
from workflows.story import seed000_play

pytestmark = pytest.mark.django_db

# khoa.tv: Huyện ủy Lục Nam's office has no head in the demo world, so nobody can hand
# work to its specialist.
WITHOUT_WORK = {"khoa.tv"}


def test_the_demo_leaves_work_everywhere_once(world, truong_ban):
    demo.load()
    idle = [
        person.username
        for person in User.objects.filter(agency__isnull=False)
        if not task_inbox_for(user=person).exists() and not task_queue_for(user=person).exists()
    ]
    assert set(idle) == WITHOUT_WORK

    # 1719-CV/HU waits for the head's direction.
    request = Document.objects.get(agency__code="hu-luc-nam", notation="1719-CV/HU")
    assert request.issued_on == datetime.date(2023, 11, 15)
    copy = Document.objects.get(source=request, agency__code="bdt-bac-giang")
    assert copy.status == Document.Status.REGISTERED
    assert open_task(document=copy, node=IncomingFlow.direct) in task_queue_for(user=truong_ban)

    # Some work is due on the next working day, some is overdue: the reminders have
    # something to send.
    open_deadlines = Deadline.objects.filter(completed_at__isnull=True)
    tomorrow = add_working_days(timezone.localdate(), 1)
    assert open_deadlines.filter(due_at__lt=timezone.now()).count() >= 2
    assert any(timezone.localdate(d.due_at) == tomorrow for d in open_deadlines)

    counts = (Document.objects.count(), Deadline.objects.count())
    demo.load()
    assert (Document.objects.count(), Deadline.objects.count()) == counts


def test_the_story_goes_on_from_the_demo_s_1719(world):
    demo.load()
    story = seed000_play(out=lambda _line: None)
    assert story.request.notation == "1719-CV/HU"
    assert story.request.answered_at is not None
    assert story.steps[0].startswith("1. Huyện ủy Lục Nam đã gửi 1719-CV/HU")
