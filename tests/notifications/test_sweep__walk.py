"""One deadline walked day by day: reminder → due day → overdue → escalation → done.

Due Thursday 29/04/2027 at 17:00; Friday 30/4 and Monday 3/5 (for Saturday 1/5) are public
holidays, with a weekend between: the first overdue alert comes on Tuesday 04/05.
"""

import datetime

import pytest
from freezegun import freeze_time

from notifications.models import Reminder
from notifications.selectors import escalations_for
from notifications.services import deadline_close
from notifications.services.sweep import deadlines_sweep

from .conftest import at, send_pending

pytestmark = pytest.mark.django_db

TUAN = "tuan.nq@demo.lienthong.vn"
LAN = "lan.tt@demo.lienthong.vn"
QUYEN = "quyen.vt@demo.lienthong.vn"


def test_walk_through_a_weekend_and_holidays_sends_exactly_these_emails(
    open_deadline, truong_ban
):
    with freeze_time(at(2027, 4, 22, 10)):
        open_deadline(due_at=at(2027, 4, 29, 17))
    received = {}
    day = datetime.date(2027, 4, 22)
    while day <= datetime.date(2027, 5, 12):
        for hour, minute in ((7, 0), (7, 35), (12, 0), (17, 30)):
            with freeze_time(at(day.year, day.month, day.day, hour, minute)):
                deadlines_sweep()
                for message in send_pending():
                    received.setdefault(day.isoformat(), []).append(
                        (message.to[0], message.extra_headers.get("X-Lienthong-Kind"))
                    )
                if day == datetime.date(2027, 5, 5) and hour == 12:
                    assert list(escalations_for(user=truong_ban))
                if day == datetime.date(2027, 5, 6) and hour == 7 and minute == 35:
                    with freeze_time(at(2027, 5, 6, 10)):
                        deadline_close(key="assignment:1")
        day += datetime.timedelta(days=1)

    assert received == {
        "2027-04-28": [(TUAN, "before")],
        "2027-04-29": [(TUAN, "due_day")],
        "2027-05-04": [(TUAN, "overdue"), (LAN, "overdue")],
        "2027-05-05": [(TUAN, "overdue"), (LAN, "overdue"), (QUYEN, "escalation")],
        "2027-05-06": [(TUAN, "overdue"), (LAN, "overdue"), (QUYEN, "escalation")],
    }
    assert Reminder.objects.count() == 5  # five đôn đốc recorded against the task
    assert not escalations_for(user=truong_ban).exists()


def test_a_deadline_opened_already_overdue_gets_only_the_latest_stage(open_deadline):
    with freeze_time(at(2027, 5, 10, 9)):
        open_deadline(due_at=at(2027, 4, 29, 17))
        deadlines_sweep()
        sent = send_pending()
    # 10/05 is the 5th working day after 29/04 (4, 5, 6, 7, 10 May): an escalation.
    assert sorted(m.to[0] for m in sent) == sorted([TUAN, LAN, QUYEN])
    assert list(Reminder.objects.values_list("kind", "stage")) == [
        ("escalation", "2027-04-29+5")
    ]


def test_reassigning_sends_the_current_stage_to_the_newcomer_only(open_deadline, world):
    from notifications.services import deadline_reassign

    with freeze_time(at(2027, 4, 28, 8)):
        open_deadline(due_at=at(2027, 4, 29, 17))
        deadlines_sweep()
        assert [m.to[0] for m in send_pending()] == [TUAN]
        deadline_reassign(key="assignment:1", assignee=world.user("ha.nt"))
        deadlines_sweep()
        assert [m.to[0] for m in send_pending()] == ["ha.nt@demo.lienthong.vn"]
    assert Reminder.objects.count() == 1


def test_a_deadline_on_a_holiday_is_reminded_the_day_before_and_not_on_the_holiday(
    open_deadline
):
    # Friday 30/04/2027 is Ngày Chiến thắng; the reminder comes on Thursday 29/04.
    with freeze_time(at(2027, 4, 27, 10)):
        open_deadline(due_at=at(2027, 4, 30, 17))
    sent = {}
    for day in (28, 29, 30):
        with freeze_time(at(2027, 4, day, 7, 35)):
            deadlines_sweep()
            sent[day] = [(m.to[0], m.subject) for m in send_pending()]
    assert sent[28] == []
    assert sent[29] == [(TUAN, "Nhắc việc: hạn xử lý ngày 30/04/2027 – 1719-CV/HU – "
                               "V/v đánh giá, xếp loại cơ quan ngành dọc cấp huyện năm 2023")]
    assert sent[30] == []
