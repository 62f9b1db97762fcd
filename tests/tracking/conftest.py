"""Builders for the tracking tests: tasks entered through the services, seed 001's year,
and the Excel task list as a person gets it."""

import datetime
import io
from urllib.parse import urlencode

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tracking.models import Category
from tracking.selectors import Period
from tracking.services import task_block, task_create

SEED_AS_OF = datetime.date(2021, 7, 16)
SEED_PERIOD = Period(start=datetime.date(2021, 1, 1), end=datetime.date(2021, 12, 31),
                     as_of=SEED_AS_OF)
BLOCKED_REASON = "Chưa được giao kinh phí và chưa có hướng dẫn thực hiện"


def category(code: str) -> Category:
    return Category.objects.get(code=code)


def task_add(world, *, unit="CSDT", handler="ha.nt", category_code="ubnd-giao",
             assigned_on=datetime.date(2021, 1, 4), due_on=datetime.date(2021, 2, 26),
             completed_on=None, content="Nhiệm vụ", clerk="mai.ht"):
    return task_create(
        user=world.user(clerk), content=content, category=category(category_code),
        lead_unit=world.unit("bdt-bac-giang", unit),
        handler=world.user(handler) if handler else None,
        directed_by=world.user("quyen.vt"), assigned_on=assigned_on, due_on=due_on,
        completed_on=completed_on,
    )


@pytest.fixture
def seed_2021(world):
    """Seed 001: Ban Dân tộc's 18 tasks of 2021 as of 16/7/2021.

    15 finished on time and 3 past their deadline: 4 tasks of the work programme (all on
    time), 3 key tasks (2 done, 1 blocked for want of funding), 11 others, of which 2 are
    still open after their deadline.
    """
    on_time = dict(assigned_on=datetime.date(2021, 2, 1), due_on=datetime.date(2021, 3, 31),
                   completed_on=datetime.date(2021, 3, 25))
    overdue = dict(assigned_on=datetime.date(2021, 3, 1), due_on=datetime.date(2021, 6, 30))
    tasks = []
    for number in range(4):
        tasks.append(task_add(world, category_code="chuong-trinh-cong-tac", unit="HCTH",
                              handler="tuan.nq", content=f"Chương trình công tác {number}",
                              **on_time))
    for number in range(2):
        tasks.append(task_add(world, category_code="nhiem-vu-trong-tam", unit="TTr",
                              handler="hoa.lt", content=f"Nhiệm vụ trọng tâm {number}",
                              **on_time))
    blocked = task_add(world, category_code="nhiem-vu-trong-tam",
                       content="Đề án hỗ trợ sinh kế", **overdue)
    task_block(user=world.user("minh.lv"), task=blocked, reason=BLOCKED_REASON,
               since=datetime.date(2021, 5, 10))
    tasks.append(blocked)
    for number in range(9):
        tasks.append(task_add(world, content=f"Nhiệm vụ UBND tỉnh giao {number}", **on_time))
    for number in range(2):
        tasks.append(task_add(world, handler="duc.pv", content=f"Nhiệm vụ quá hạn {number}",
                              **overdue))
    return tasks


@pytest.fixture
def excel_task_list(client, django_capture_on_commit_callbacks):
    """The rows of the Excel task list that the logged-in person asks for with `query`, the
    way they get it: asked for from the list (POST), written by the Celery task after commit
    (eager in these tests), downloaded through the link on the export's page."""

    def rows(query: dict) -> list[tuple]:
        with django_capture_on_commit_callbacks(execute=True):
            asked = client.post(f"{reverse('tracking:task_export')}?{urlencode(query)}")
        assert asked.status_code == 302
        page = client.get(asked.url)
        link = reverse("tracking:export_download", args=[page.context["export"].pk])
        assert link in page.content.decode()
        response = client.get(link)
        assert response.status_code == 200
        workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)),
                                 read_only=True)
        return list(workbook.worksheets[0].iter_rows(values_only=True))

    return rows
