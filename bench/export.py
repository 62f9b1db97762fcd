"""The Excel task list of a province's year: 10,000 tracked tasks asked for by the head.

A person should not wait more than about 2 seconds for a page; writing 10,000 tasks takes
longer than that on a busy server, so the page only asks for the file and the worker writes
it (tracking/exports.py). The tasks are those of bench/statistics.py (Ban Dân tộc,
2021–2022); every one is in the file.

- `export.request.seconds`: the median time of asking for the file (the POST, answered
  with the export's page address), as quyen.vt through the Django test client;
- `export.write.seconds`: the median time the worker takes to write and store the file and
  tell the person (`task_export_write`, run here in the process), which is how long the
  person waits for the link.
"""

from __future__ import annotations

from urllib.parse import urlencode

from .harness import Measure, Profile, log, median, scratch_database, stopwatch
from .statistics import PAGE, client_for, tasks_write

GOAL_REQUEST_SECONDS = ("<=", 2.0)
REPEATS = 5


def export_once(client) -> tuple[float, float, int]:
    """(seconds to ask, seconds to write, bytes of the file) of one Excel export."""
    from django.urls import reverse

    from tracking.exports import task_export_write
    from tracking.models import TaskExport

    with stopwatch() as asked:
        response = client.post(f"{reverse('tracking:task_export')}?{urlencode(PAGE)}")
    assert response.status_code == 302, response.status_code
    export = TaskExport.objects.latest("pk")
    with stopwatch() as written:
        task_export_write(export_id=export.pk)
    export.refresh_from_db()
    assert export.state == TaskExport.State.READY
    return asked[0], written[0], export.file.size


def run(profile: Profile):
    """Yield the export measures."""
    from accounts.demo import load_world

    with scratch_database("export"):
        load_world()
        tasks_write(profile.export_year_rows)
        client = client_for("quyen.vt")
        export_once(client)
        samples = [export_once(client) for _ in range(REPEATS)]
    asked = [sample[0] for sample in samples]
    written = [sample[1] for sample in samples]
    log(f"export: {profile.export_year_rows} tasks, asked in {median(asked) * 1000:.0f} ms, "
        f"written in {median(written):.2f} s")
    params = {"rows": profile.export_year_rows, "profile": profile.name}
    yield Measure("export.request.seconds", median(asked), "s", params=params,
                  goal=GOAL_REQUEST_SECONDS, extra={"repeats": REPEATS})
    yield Measure("export.write.seconds", median(written), "s", params=params,
                  extra={"slowest_s": round(max(written), 3), "repeats": REPEATS,
                         "xlsx_bytes": samples[0][2]})
