"""Excel files of the statistics and of task lists, written row by row.

openpyxl's write-only mode keeps one row in memory and writes the sheet to a temporary
file; the rows come from the database in chunks (`iterator`), so 100,000 tasks cost the
same memory as 100. The caller streams the returned file (FileResponse).
"""

from __future__ import annotations

import tempfile

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from openpyxl import Workbook

from .models import TrackedTask
from .selectors import Figures, Statistics


def _figure_header() -> list[str]:
    return [
        _("Total with a deadline"), _("Finished on time"), _("Finished late"),
        _("In progress, within the deadline"), _("In progress, overdue"), _("Blocked"),
        _("Missed the deadline"),
        _("Missed share"), _("On-time share"), _("No deadline"), _("Extended"),
    ]


def _figure_row(label: str, figures: Figures) -> list:
    return [
        label, figures.total, figures.on_time, figures.late, figures.in_progress,
        figures.overdue, figures.blocked, figures.missed, figures.missed_percent,
        figures.on_time_percent, figures.no_deadline, figures.extended,
    ]


def _date(day) -> str:
    return f"{day:%d/%m/%Y}" if day else ""


def report_write(*, statistics: Statistics, title: str):
    """The statistics as a workbook: the totals and one table per grouping. Returns a file."""
    period = statistics.period
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Statistics"))
    sheet.append([title])
    sheet.append([_("Tasks given from %(start)s to %(end)s, as of %(as_of)s") % {
        "start": _date(period.start), "end": _date(period.end), "as_of": _date(period.as_of),
    }])
    groups = [
        (_("Whole scope"), [statistics.totals], lambda figures: _("Total")),
        (_("By category"), statistics.by_category,
         lambda figures: figures.label or _("Directed incoming documents")),
        (_("By lead unit"), statistics.by_unit, lambda figures: figures.label),
        (_("By person"), statistics.by_person,
         lambda figures: figures.label or _("Not handed over yet")),
        (_("By month given"), statistics.by_month, lambda figures: figures.label),
    ]
    for heading, rows, label in groups:
        sheet.append([])
        sheet.append([heading, *_figure_header()])
        for figures in rows:
            sheet.append(_figure_row(label(figures), figures))
    if statistics.most_reminded:
        sheet.append([])
        sheet.append([_("Tasks reminded most"), _("Document number and symbol"),
                      _("Reminders")])
        for row in statistics.most_reminded:
            sheet.append([row["content"],
                          row["source_notation"], row["reminders"]])
    return _saved(workbook)


def tasks_write(*, tasks: QuerySet, as_of):
    """The task list (one row per task, as of a day) as a workbook. Returns a file."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Tasks"))
    sheet.append([
        _("No."), _("Task content"), _("Given by"), _("Document number and symbol"),
        _("Category"), _("Lead unit"), _("Handled by"), _("Assigned on"), _("Deadline"),
        _("Original deadline"), _("Finished on"), _("Status"), _("Why it is blocked"),
        _("Reminders"), _("Result"),
    ])
    rows = tasks.values_list(
        "content", "giving_body", "source_notation", "category__name", "lead_unit__name",
        "handler__full_name", "assigned_on", "due_on", "original_due_on", "completed_on",
        "blocked_on", "blocked_reason", "reminders", "result",
    )
    probe = TrackedTask()
    for number, (content, giving_body, notation, category, unit, handler, assigned_on,
                 due_on, original_due_on, completed_on, blocked_on, blocked_reason,
                 reminders, result) in enumerate(rows.iterator(chunk_size=2_000), start=1):
        probe.due_on, probe.completed_on, probe.blocked_on = due_on, completed_on, blocked_on
        sheet.append([
            number, content, giving_body, notation, category or "", unit, handler or "",
            _date(assigned_on), _date(due_on), _date(original_due_on), _date(completed_on),
            str(probe.status_on(as_of).label), blocked_reason, reminders, result,
        ])
    return _saved(workbook)


def _saved(workbook):
    stream = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
    workbook.save(stream)
    stream.seek(0)
    return stream
