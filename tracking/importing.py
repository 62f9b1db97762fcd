"""Import of tasks from an Excel sheet: every row checked first, all or nothing.

One row per task, columns in the order of `COLUMNS` (row 1 is the header; `template_write`
gives an empty sheet with it). Units are named by symbol or name, people by user name or
full name, categories by name. A sheet with any mistake is refused whole, with one
Vietnamese message per row and column.
"""

from __future__ import annotations

import datetime
import tempfile
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook, load_workbook

from accounts.models import Unit, User
from accounts.selectors import user_agency_id
from workcalendar.services import WorkCalendar

from .models import Category, TrackedTask
from .services import task_create, task_validate

COLUMNS = [
    ("content", gettext_lazy("Task content")),
    ("giving_body", gettext_lazy("Given by")),
    ("source_notation", gettext_lazy("Document number and symbol")),
    ("category", gettext_lazy("Category")),
    ("lead_unit", gettext_lazy("Lead unit")),
    ("supporting_units", gettext_lazy("Supporting units")),
    ("handler", gettext_lazy("Handled by")),
    ("assigned_on", gettext_lazy("Assigned on")),
    ("due_on", gettext_lazy("Deadline")),
]
TITLES = dict(COLUMNS)
MAX_ROWS = 5_000


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str

    def __str__(self):
        return _("Row %(row)d, column “%(column)s”: %(message)s") % {
            "row": self.row, "column": self.column, "message": self.message,
        }


class ImportRefused(Exception):
    """The sheet was refused; `errors` names each mistake. Nothing was imported."""

    def __init__(self, errors: list[RowError]):
        super().__init__(f"{len(errors)} errors")
        self.errors = errors


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def _date(value) -> datetime.date | None:
    if value is None or _text(value) == "":
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    for pattern in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.datetime.strptime(_text(value), pattern).date()
        except ValueError:
            continue
    raise ValueError(value)


class _Lookup:
    """The agency's units, people and the categories, loaded once per sheet.

    Only the importing person's own agency: the tasks are entered for it (a superuser too).
    """

    def __init__(self, user: User):
        agency_id = user_agency_id(user)
        units = list(Unit.objects.filter(agency_id=agency_id, is_active=True))
        self.units = {key.casefold(): u for u in units for key in (u.symbol, u.name)}
        people = list(User.objects.filter(agency_id=agency_id, is_active=True))
        self.people = {
            key.casefold(): p for p in people for key in (p.username, p.full_name) if key
        }
        self.categories = {
            key.casefold(): c for c in Category.objects.filter(is_active=True)
            for key in (c.name, c.code)
        }


def _row_parse(values, number: int, lookup: _Lookup, errors: list[RowError]) -> dict:
    cells = dict(zip([name for name, _title in COLUMNS], list(values) + [None] * len(COLUMNS),
                     strict=False))
    row = {"content": _text(cells["content"]), "giving_body": _text(cells["giving_body"]),
           "source_notation": _text(cells["source_notation"])}

    def fail(column: str, message: str) -> None:
        errors.append(RowError(number, str(TITLES[column]), message))

    if not row["content"]:
        fail("content", _("the content is empty."))
    category = _text(cells["category"])
    row["category"] = lookup.categories.get(category.casefold()) if category else None
    if category and row["category"] is None:
        fail("category", _("no category is called “%(value)s”.") % {"value": category})
    unit = _text(cells["lead_unit"])
    row["lead_unit"] = lookup.units.get(unit.casefold())
    if row["lead_unit"] is None:
        fail("lead_unit", _("no unit of your agency is called “%(value)s”.") % {"value": unit}
             if unit else _("the lead unit is missing."))
    row["supporting_units"] = []
    for name in filter(None, (part.strip() for part in _text(cells["supporting_units"])
                              .replace(";", ",").split(","))):
        found = lookup.units.get(name.casefold())
        if found is None:
            fail("supporting_units",
                 _("no unit of your agency is called “%(value)s”.") % {"value": name})
        else:
            row["supporting_units"].append(found)
    handler = _text(cells["handler"])
    row["handler"] = lookup.people.get(handler.casefold()) if handler else None
    if handler and row["handler"] is None:
        fail("handler", _("nobody of your agency is called “%(value)s”.") % {"value": handler})
    for column in ("assigned_on", "due_on"):
        try:
            row[column] = _date(cells[column])
        except ValueError:
            row[column] = None
            fail(column, _("“%(value)s” is not a date (write it as 16/07/2021).")
                 % {"value": _text(cells[column])})
    if not _text(cells["assigned_on"]):
        fail("assigned_on", _("the day the task was given is missing."))
    if row["assigned_on"] and row["due_on"] and row["due_on"] < row["assigned_on"]:
        fail("due_on", _("the deadline is before the day the task was given."))
    return row


def tasks_import(*, user: User, file) -> list[TrackedTask]:
    """Read the first sheet of `file` (an .xlsx) and create its tasks, or refuse it whole.

    Raises ImportRefused with every error (row, column, Vietnamese message); then nothing
    is created. Returns the tasks created.
    """
    try:
        workbook = load_workbook(file, read_only=True, data_only=True)
    except Exception:  # openpyxl raises zip, XML and key errors for what is not an .xlsx
        raise ImportRefused([RowError(0, "", _("the file is not an Excel (.xlsx) workbook."))]
                            ) from None
    lookup = _Lookup(user)
    errors: list[RowError] = []
    rows = []
    try:
        sheet = workbook.worksheets[0]
        for number, values in enumerate(sheet.iter_rows(min_row=2, values_only=True), start=2):
            if not any(_text(value) for value in values):
                continue
            if len(rows) >= MAX_ROWS:
                errors.append(RowError(number, "", _("a sheet holds at most %(max)d tasks.")
                                       % {"max": MAX_ROWS}))
                break
            row = _row_parse(values, number, lookup, errors)
            if row["lead_unit"] is not None:
                for field, message in task_validate(
                    user=user, lead_unit=row["lead_unit"],
                    supporting_units=row["supporting_units"], handler=row["handler"],
                    directed_by=None,
                ).items():
                    errors.append(RowError(number, str(TITLES[field]), message))
            rows.append(row)
    finally:
        workbook.close()
    if not rows and not errors:
        errors.append(RowError(0, "", _("the sheet has no task.")))
    if errors:
        raise ImportRefused(errors)
    calendar = WorkCalendar()
    with transaction.atomic():
        return [task_create(user=user, calendar=calendar, **row) for row in rows]


def template_write():
    """An empty sheet with the header row, for people to fill in. Returns a file."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Tasks"))
    sheet.append([str(title) for _name, title in COLUMNS])
    stream = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
    workbook.save(stream)
    stream.seek(0)
    return stream
