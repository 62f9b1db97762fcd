"""Fixtures for the reminder tests: a deadline on the demo world's BDT people.

tuan.nq (chuyen_vien) handles the task, lan.tt (truong_phong) heads his unit HCTH,
quyen.vt (truong_ban) directed it.
"""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import mail

from notifications.services import outbox_due_ids, outbox_send_many

HCM = ZoneInfo("Asia/Ho_Chi_Minh")


def at(*args) -> datetime.datetime:
    """A moment in Vietnamese time."""
    return datetime.datetime(*args, tzinfo=HCM)


def send_pending() -> list:
    """Send every pending e-mail here, as the worker would; returns the messages sent."""
    before = len(mail.outbox)
    outbox_send_many(ids=outbox_due_ids(grace_seconds=0))
    return mail.outbox[before:]


@pytest.fixture
def open_deadline(world, chuyen_vien, truong_phong, truong_ban):
    """A function opening a BDT deadline for tuan.nq, due at `due_at`."""
    from notifications.services import deadline_open

    def _open(*, key="assignment:1", due_at, notation="1719-CV/HU"):
        return deadline_open(
            key=key, agency=world.agency("bdt-bac-giang"), assignee=chuyen_vien,
            unit_head=truong_phong, directed_by=truong_ban, due_at=due_at,
            title="V/v đánh giá, xếp loại cơ quan ngành dọc cấp huyện năm 2023",
            url="/documents/1/", notation=notation,
        )

    return _open
