"""The inbox and the queue show each task's hạn xử lý (dd/mm/yyyy, red once passed), read in
the rows' own query: the pages cost the same with 20 or 400 processes."""

import datetime
import re

import pytest
from django.utils import timezone
from viewflow.workflow.models import Task

from workflows.flows import IncomingFlow
from workflows.models import Assignment
from workflows.story import incoming_copy, incoming_reach, request_send

from .bulk_processes import processes_bulk
from .flow_fixtures import quiet, task_of

pytestmark = pytest.mark.django_db


def _directed(world, *, overdue_every: int) -> None:
    """A direction on every bulk document, one in `overdue_every` already past its deadline."""
    now = timezone.now()
    leader, unit = world.user("quyen.vt"), world.user("tuan.nq").unit
    documents = Task.objects.values_list("process__documentprocess__document_id", flat=True)
    Assignment.objects.bulk_create(
        Assignment(
            document_id=pk, directed_by=leader, lead_unit=unit,
            due_at=now + datetime.timedelta(days=-3 if n % overdue_every == 0 else 10),
        )
        for n, pk in enumerate(documents)
    )


@pytest.mark.parametrize("count", [20, 400])
@pytest.mark.parametrize(("person", "page"), [("tuan.nq", "inbox"), ("quyen.vt", "queue")])
def test_the_rows_deadlines_cost_no_query_per_row(
    client, world, django_assert_num_queries, count, person, page
):
    processes_bulk(world, count)
    _directed(world, overdue_every=3)
    client.force_login(world.user(person))
    # The page's rows carry their list's count (no count of its own).
    with django_assert_num_queries(8):
        html = client.get(IncomingFlow.instance.reverse(page)).content.decode()
    assert "lt-row__overdue" in html
    assert (timezone.localdate() + datetime.timedelta(days=10)).strftime("%d/%m/%Y") in html


def test_a_handlers_inbox_row_shows_the_leaders_deadline_and_turns_red_when_passed(
    client, world, chuyen_vien
):
    incoming = incoming_copy(request=request_send())
    incoming_reach(document=incoming, stage="handle", say=quiet)
    assert task_of(incoming, IncomingFlow.handle).owner == chuyen_vien
    assignment = Assignment.objects.get(document=incoming)
    client.force_login(chuyen_vien)
    inbox = IncomingFlow.instance.reverse("inbox")

    html = client.get(inbox).content.decode()
    day = timezone.localtime(assignment.due_at).strftime("%d/%m/%Y")
    assert "Hạn xử lý" in html and day in html and "lt-row__overdue" not in html

    assignment.due_at = timezone.now() - datetime.timedelta(days=2)
    assignment.save(update_fields=["due_at"])
    html = client.get(inbox).content.decode()
    day = timezone.localtime(assignment.due_at).strftime("%d/%m/%Y")
    assert f'<span class="lt-row__overdue">{day}</span>' in html


@pytest.mark.parametrize(("person", "page", "headers"), [
    ("tuan.nq", "inbox", ["Công việc", "Đến lúc", "Hạn xử lý"]),
    ("quyen.vt", "queue", ["Công việc", "Đến lúc", "Hạn xử lý", ""]),
])
def test_each_header_says_what_its_column_shows(client, world, person, page, headers):
    incoming = incoming_copy(request=request_send())
    stage = "handle" if page == "inbox" else "direct"
    incoming_reach(document=incoming, stage=stage, say=quiet)
    task = task_of(incoming, getattr(IncomingFlow, stage))
    client.cookies["django_language"] = "vi"
    client.force_login(world.user(person))
    html = client.get(IncomingFlow.instance.reverse(page)).content.decode()
    shown = [re.sub(r"<[^>]+>|\s+", " ", cell).strip()
             for cell in re.findall(r"<th[^>]*>(.*?)</th>", html, re.S)]
    assert shown == headers
    arrived = timezone.localtime(task.created).strftime("%H:%M %d/%m/%Y")
    assert arrived in html
