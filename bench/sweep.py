"""The reminder sweep: its time with 1,000 deadlines due among many open ones.

The deadlines belong to Ban Dân tộc's people (the demo world). The due ones are a mix of
every stage the sweep can fire: the day-before reminder, the deadline-day reminder, overdue
alerts (assignee and unit head) and escalations (also the directing leader). The rest are
open and not due (their `next_check_at` lies in the coming weeks). The sweep measured is
`notifications.services.sweep.deadlines_sweep` at a fixed moment (a working Tuesday, 09:00 in
Hà Nội time): it reads the due rows, writes the reminders, the in-app notifications and the
outbox rows, and publishes the send tasks after commit (to an in-memory broker here; SMTP
is not part of it). Each size is swept a few times (the median counts), the due rows made
due again in between.
"""

from __future__ import annotations

import datetime
import itertools

from .harness import (
    Measure,
    Profile,
    QueryCounter,
    RowTemplate,
    analyze,
    log,
    median,
    scratch_database,
    stopwatch,
)

GOAL_SECONDS = ("<=", 1.0)
# Issue 14: the large size's sweep within 20 % of the small one's.
GOAL_GROWTH = ("<=", 1.2)
DUE_PREFIX = "due:"
STAGES = ("before", "due_day", "overdue", "escalation")


def sweep_moment() -> datetime.datetime:
    """09:00 on Tuesday 24/11/2026 in the project's time zone: a working day's morning."""
    from workcalendar.services import local_zone

    return datetime.datetime(2026, 11, 24, 9, 0, tzinfo=local_zone())


class DeadlineWriter:
    """Writes open deadlines of Ban Dân tộc's people at COPY speed."""

    def __init__(self, now: datetime.datetime):
        from accounts.models import Agency, User
        from notifications.models import Deadline
        from workcalendar.services import WorkCalendar

        self.now = now
        self.calendar = WorkCalendar()
        self.agency = Agency.objects.get(code="bdt-bac-giang")
        people = {u.username: u.pk for u in User.objects.filter(agency=self.agency)}
        self.assignees = [people[name] for name in ("tuan.nq", "ha.nt", "duc.pv", "hoa.lt")]
        self.unit_head, self.leader = people["lan.tt"], people["quyen.vt"]
        self.template = RowTemplate(
            Deadline, key="", agency_id=self.agency.pk, assignee_id=self.assignees[0],
            unit_head_id=self.unit_head, directed_by_id=self.leader,
            title="V/v báo cáo kết quả thực hiện nhiệm vụ năm 2026", notation="",
            url="/incoming/1/", due_at=now, opened_at=now - datetime.timedelta(days=10),
            next_check_at=now,
        )
        self.written = 0

    def _due_at(self, stage: str, n: int) -> datetime.datetime:
        today = self.now.date()
        offset = {"before": 1, "due_day": 0, "overdue": -1, "escalation": -(2 + n % 3)}[stage]
        return self.calendar.closing(
            self.calendar.add_working_days(today, offset), self.agency.pk
        )

    def add_due(self, count: int) -> None:
        """`count` deadlines whose next check has come, over every stage of the policy."""
        due_at = {stage: [self._due_at(stage, n) for n in range(3)] for stage in STAGES}
        check = self.now - datetime.timedelta(minutes=1)
        rows = (
            self.template.row(
                key=f"{DUE_PREFIX}{n}", notation=f"{n + 1}/BDT-HCTH",
                assignee_id=self.assignees[n % len(self.assignees)],
                due_at=due_at[STAGES[n % len(STAGES)]][n % 3], next_check_at=check,
            )
            for n in range(count)
        )
        self.written += self.template.insert(rows)

    def add_waiting(self, count: int) -> None:
        """`count` open deadlines not due: next checks spread over the coming 20 days."""
        hours = [self.now + datetime.timedelta(hours=1 + h) for h in range(0, 480, 7)]
        moments = [(moment, moment + datetime.timedelta(days=2)) for moment in hours]
        cycle = itertools.cycle(moments)
        start = self.written
        rows = (
            self.template.row(
                key=f"open:{start + n}", assignee_id=self.assignees[n % len(self.assignees)],
                next_check_at=check, due_at=due,
            )
            for n, (check, due) in zip(range(count), cycle, strict=False)
        )
        self.written += self.template.insert(rows)
        analyze()

    def reset_due(self) -> None:
        """Make the due deadlines due again, as they were before the sweep."""
        from notifications.models import Deadline, Notification, Outbox, Reminder

        Outbox.objects.all().delete()
        Notification.objects.all().delete()
        Reminder.objects.all().delete()
        Deadline.objects.filter(key__startswith=DUE_PREFIX).update(
            next_check_at=self.now - datetime.timedelta(minutes=1), escalated_at=None
        )


def sweep_measure(writer: DeadlineWriter, repeats: int) -> dict:
    """Median seconds of `repeats` sweeps, with the queries and writes of the last one."""
    from notifications.services.sweep import deadlines_sweep

    times = []
    for _ in range(repeats):
        writer.reset_due()
        with QueryCounter() as counted, stopwatch() as took:
            result = deadlines_sweep(now=writer.now)
        times.append(took[0])
    return {
        "seconds": median(times),
        "runs": [round(t, 3) for t in times],
        "queries": counted.count,
        "db_seconds": round(counted.seconds, 3),
        "query_kinds": counted.kinds,
        "checked": result.checked,
        "reminders": len(result.reminders),
        "emails": len(result.emails),
    }


def run(profile: Profile):
    """Yield the sweep measures."""
    from accounts.demo import load_world

    with scratch_database("sweep"):
        load_world()
        writer = DeadlineWriter(sweep_moment())
        writer.add_due(profile.sweep_due)
        results = {}
        for size in (profile.sweep_small, profile.sweep_large):
            with stopwatch() as took:
                writer.add_waiting(size - writer.written)
            log(f"sweep: {writer.written} open deadlines written in {took[0]:.1f} s")
            results[size] = sweep_measure(writer, profile.sweep_repeats)
            log(f"sweep: at {size}: {results[size]}")

    small, large = results[profile.sweep_small], results[profile.sweep_large]
    params = {"due": profile.sweep_due, "profile": profile.name,
              "repeats": profile.sweep_repeats}
    complete = large["checked"] == profile.sweep_due
    yield Measure(
        "sweep.seconds", large["seconds"], "s",
        params={**params, "open": profile.sweep_large}, goal=GOAL_SECONDS, check=complete,
        extra={"runs": large["runs"], "checked": large["checked"],
               "reminders": large["reminders"], "emails_queued": large["emails"],
               "queries": large["queries"], "db_seconds": large["db_seconds"],
               "query_kinds": large["query_kinds"]},
    )
    yield Measure(
        "sweep.growth", large["seconds"] / small["seconds"], "× time at the small size",
        params={**params, "open": profile.sweep_large, "baseline_open": profile.sweep_small},
        goal=GOAL_GROWTH,
        extra={"seconds_small": round(small["seconds"], 3),
               "seconds_large": round(large["seconds"], 3),
               "queries_small": small["queries"], "queries_large": large["queries"],
               "db_seconds_small": small["db_seconds"], "db_seconds_large": large["db_seconds"]},
    )
