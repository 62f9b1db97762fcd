"""The statistics page and the Excel task list with 100,000 tasks (issue 6 item 5, issue 10).

The tasks belong to Ban Dân tộc (the demo world) and are written at COPY speed: given over
2021 and 2022, in every category and unit, handled by its four specialists, a mix of
finished on time, finished late, open, overdue, blocked and without deadline; every tenth
one has a deadline row with two reminders. Measured as the head (quyen.vt) through the
Django test client, logged in:

- `statistics.page.queries` and `statistics.page.p95`: the statistics page of both years
  (every grouping, the tasks reminded most, the blocked list);
- `statistics.export.memory` and `statistics.export.seconds`: the Excel task list of every
  task, written and stored as the worker does it, in a forked process whose peak resident
  memory is reset first (Linux `clear_refs`), so the figure is what the export itself added.
"""

from __future__ import annotations

import datetime
import itertools
import os

from .harness import (
    Measure,
    Profile,
    QueryCounter,
    RowTemplate,
    analyze,
    forked,
    log,
    median,
    next_id,
    percentile,
    scratch_database,
    sequences_reset,
    stopwatch,
)

GOAL_QUERIES = ("<=", 15)
GOAL_P95_MS = ("<=", 200)
GOAL_EXPORT_MIB = ("<=", 100)
WARM_UP = 3
# Both years, so that every task written counts in every figure.
PAGE = {"period": "custom", "start": "2021-01-01", "end": "2022-12-31", "as_of": "2022-12-31"}
SPECIALISTS = ("tuan.nq", "ha.nt", "duc.pv", "hoa.lt")


def tasks_write(total: int) -> None:
    """`total` tasks of Ban Dân tộc over 2021–2022, one in ten with two reminders."""
    from accounts.models import Agency, User
    from notifications.models import Deadline, Reminder, ReminderKind
    from tracking.models import Category, TrackedTask

    agency = Agency.objects.get(code="bdt-bac-giang")
    people = [User.objects.get(username=name) for name in SPECIALISTS]
    categories = itertools.cycle([*Category.objects.values_list("pk", flat=True), None])
    first_deadline = next_id(Deadline)
    deadline_rows = RowTemplate(
        Deadline, explicit_ids=True, key="", agency_id=agency.pk, assignee_id=people[0].pk,
        title="", due_at=datetime.datetime(2021, 6, 1, 10, tzinfo=datetime.UTC),
    )
    reminded = range(0, total, 10)
    deadline_rows.insert(
        deadline_rows.row(id=first_deadline + n, key=f"bench:{number}",
                          title=f"Nhiệm vụ {number}")
        for n, number in enumerate(reminded)
    )
    reminder_rows = RowTemplate(Reminder, deadline_id=first_deadline, kind=ReminderKind.OVERDUE,
                                stage="", created_at=datetime.datetime(2021, 6, 2,
                                                                       tzinfo=datetime.UTC))
    reminder_rows.insert(
        reminder_rows.row(deadline_id=first_deadline + n, stage=f"s{stage}")
        for n in range(len(reminded)) for stage in range(2)
    )
    task_rows = RowTemplate(
        TrackedTask, agency_id=agency.pk, content="", lead_unit_id=people[0].unit_id,
        assigned_on=datetime.date(2021, 1, 1),
    )

    def rows():
        for number, person in zip(range(total), itertools.cycle(people), strict=False):
            assigned_on = datetime.date(2021, 1, 1) + datetime.timedelta(days=number % 700)
            due_on = assigned_on + datetime.timedelta(days=10 + number % 30)
            finished = number % 3 != 0
            completed_on = assigned_on + datetime.timedelta(days=number % 45) if finished else None
            blocked = not finished and number % 29 == 0
            yield task_rows.row(
                category_id=next(categories), content=f"Nhiệm vụ {number}",
                lead_unit_id=person.unit_id, handler_id=person.pk, assigned_on=assigned_on,
                due_on=due_on if number % 17 else None, original_due_on=due_on,
                completed_on=completed_on, blocked_on=assigned_on if blocked else None,
                blocked_reason="Chưa có kinh phí" if blocked else "",
                deadline_id=first_deadline + number // 10 if number % 10 == 0 else None,
            )

    task_rows.insert(rows())
    sequences_reset(Deadline)
    analyze()


def client_for(username: str):
    from django.test.client import Client

    from accounts.models import User

    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def page_measure(requests: int) -> tuple[int, list[float]]:
    """(queries of one page, the milliseconds of `requests` pages after a warm-up)."""
    from django.urls import reverse

    client = client_for("quyen.vt")
    url = reverse("tracking:index")
    for _ in range(WARM_UP):
        assert client.get(url, PAGE).status_code == 200
    with QueryCounter() as counted:
        client.get(url, PAGE)
    samples = []
    for _ in range(requests):
        with stopwatch() as took:
            response = client.get(url, PAGE)
        assert response.status_code == 200
        samples.append(took[0] * 1000)
    return counted.count, samples


def _status_kib(field: str) -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field):
                return int(line.split()[1])
    raise RuntimeError(f"{field} missing from /proc/self/status")


def export_measure(_state, _share) -> dict:
    """In a forked process: the peak memory (MiB) and seconds of writing one Excel task list
    of every task, as the worker does it (tracking/exports.py)."""
    from urllib.parse import urlencode

    from accounts.models import User
    from tracking.exports import task_export_write
    from tracking.models import TaskExport

    export = TaskExport.objects.create(requested_by=User.objects.get(username="quyen.vt"),
                                       query=urlencode(PAGE))
    baseline = _status_kib("VmRSS:")
    with open("/proc/self/clear_refs", "w") as refs:
        refs.write("5")  # resets VmHWM to the current resident size
    with stopwatch() as took:
        task_export_write(export_id=export.pk)
    export.refresh_from_db()
    assert export.state == TaskExport.State.READY
    return {"mib": (_status_kib("VmHWM:") - baseline) / 1024, "seconds": took[0],
            "bytes": export.file.size}


def run(profile: Profile):
    """Yield the statistics measures."""
    from accounts.demo import load_world

    with scratch_database("statistics"):
        load_world()
        with stopwatch() as took:
            tasks_write(max(profile.statistics_tasks, profile.export_rows))
        log(f"statistics: {profile.statistics_tasks} tasks written in {took[0]:.1f} s")
        queries, samples = page_measure(profile.statistics_requests)
        log(f"statistics: page {queries} queries, median {median(samples):.0f} ms")
        if os.path.exists("/proc/self/clear_refs"):
            _wall, (export,) = forked(prepare=lambda: None, job=export_measure, shares=[0])
        else:
            export = None
    params = {"tasks": profile.statistics_tasks, "profile": profile.name}
    yield Measure("statistics.page.queries", queries, "queries", params=params,
                  goal=GOAL_QUERIES)
    yield Measure("statistics.page.p95", percentile(samples, 95), "ms", params=params,
                  goal=GOAL_P95_MS,
                  extra={"median_ms": round(median(samples), 1), "requests": len(samples)})
    export_params = {"rows": profile.export_rows, "profile": profile.name}
    if export is None:
        for name in ("statistics.export.memory", "statistics.export.seconds"):
            yield Measure(name, None, "", params=export_params,
                          skipped="no /proc/self/clear_refs to reset the peak memory")
        return
    yield Measure("statistics.export.memory", export["mib"], "MiB", params=export_params,
                  goal=GOAL_EXPORT_MIB, extra={"xlsx_bytes": export["bytes"]})
    yield Measure("statistics.export.seconds", export["seconds"], "s", params=export_params)
