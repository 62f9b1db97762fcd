"""Reads of tracked tasks: who sees which, and the statistics, aggregated in the database.

Scoping (the only place it is decided):
- everyone sees only their agency's tasks; another agency's task is a 404;
- the head, deputies and clerks (who enter and follow up the agency's tasks) see all of it;
- a unit head sees the tasks their unit leads and those handled by them;
- a specialist sees the tasks they handle.

Statistics: a task belongs to a period by the day it was given; its status is computed as of
a day (`TrackedTask.status_on` is the same rule in Python). Every figure is a conditional
COUNT in one grouped query, so a page costs the same number of queries for 10 or 100,000
tasks.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, TruncMonth
from django.shortcuts import get_object_or_404
from django.utils.formats import number_format

from accounts.models import Role, Unit, User
from accounts.selectors import scope_to_agency
from notifications.models import Reminder
from workcalendar.services import local_zone

from .models import Category, ExtensionRequest, Status, TaskExport, TrackedTask

WHOLE_AGENCY_ROLES = (Role.HEAD, Role.DEPUTY, Role.CLERK)


def task_list_for(*, user: User) -> QuerySet:
    """The tasks `user` may see (see the module docstring), newest first."""
    queryset = scope_to_agency(TrackedTask.objects.all(), user=user)
    if not user.is_superuser and user.role not in WHOLE_AGENCY_ROLES:
        if user.role == Role.UNIT_HEAD:
            headed = Unit.objects.filter(head=user).values("pk")
            queryset = queryset.filter(Q(lead_unit__in=headed) | Q(handler=user))
        else:
            queryset = queryset.filter(handler=user)
    return queryset


def task_get_for(*, user: User, pk: int) -> TrackedTask:
    """One task the user may see, with what its page shows, or 404."""
    return get_object_or_404(
        task_list_for(user=user).select_related(
            "agency", "category", "lead_unit__head", "handler", "directed_by",
            "assignment__document", "deadline",
        ),
        pk=pk,
    )


def extension_get_for(*, user: User, pk: int) -> ExtensionRequest:
    tasks = task_list_for(user=user).values("pk")
    return get_object_or_404(
        ExtensionRequest.objects.filter(task__in=tasks).select_related("task"), pk=pk
    )


def export_get_for(*, user: User, pk: int) -> TaskExport:
    """One of the person's own Excel exports, or 404: nobody else's, whatever their role."""
    return get_object_or_404(TaskExport, requested_by=user, pk=pk)


def task_timeline(*, task: TrackedTask) -> list:
    """Progress reports and extension requests, oldest first, for the task's page."""
    reports = list(task.reports.select_related("author"))
    extensions = list(task.extensions.select_related("requested_by", "decided_by"))
    return sorted([*reports, *extensions], key=lambda entry: entry.created_at)


def reminder_counts() -> Coalesce:
    """An annotation: how many reminders the task needed (the notifications' records)."""
    counted = (
        Reminder.objects.filter(deadline=OuterRef("deadline"))
        .order_by().values("deadline").annotate(n=Count("pk")).values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def categories() -> QuerySet:
    return Category.objects.filter(is_active=True)


# Statistics -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """Tasks given from `start` to `end` (inclusive), looked at as of `as_of`."""

    start: datetime.date
    end: datetime.date
    as_of: datetime.date

    @property
    def last_day(self) -> datetime.date:
        return min(self.end, self.as_of)


def status_filters(as_of: datetime.date) -> dict[str, Q]:
    """One Q per status as of a day (exclusive buckets), plus `missed` and `extended`.

    `missed` is the inspector's “quá hạn”: every task with a deadline that missed it, finished
    late or still open past it (blocked ones included, since they are shown with their
    reason rather than hidden).
    """
    has_deadline = Q(due_on__isnull=False)
    finished = Q(completed_on__lte=as_of)
    still_open = Q(completed_on__isnull=True) | Q(completed_on__gt=as_of)
    blocked = Q(blocked_on__lte=as_of)
    unblocked = Q(blocked_on__isnull=True) | Q(blocked_on__gt=as_of)
    past_deadline = Q(due_on__lt=as_of)
    late = has_deadline & finished & Q(completed_on__gt=F("due_on"))
    return {
        Status.FINISHED_ON_TIME: has_deadline & finished & Q(completed_on__lte=F("due_on")),
        Status.FINISHED_LATE: late,
        Status.IN_PROGRESS: has_deadline & still_open & unblocked & Q(due_on__gte=as_of),
        Status.OVERDUE: has_deadline & still_open & unblocked & past_deadline,
        Status.BLOCKED: has_deadline & still_open & blocked,
        Status.NO_DEADLINE: ~has_deadline,
        "missed": late | (has_deadline & still_open & past_deadline),
        "extended": has_deadline & ~Q(due_on=F("original_due_on")),
    }


FIGURE_NAMES = [
    Status.FINISHED_ON_TIME, Status.FINISHED_LATE, Status.IN_PROGRESS, Status.OVERDUE,
    Status.BLOCKED, Status.NO_DEADLINE, "missed", "extended",
]


def percent(part: int, whole: int) -> str:
    """“16,67 %”: two decimals, the active language's separator, a space before %."""
    if not whole:
        return "–"
    # number_format cuts digits off (16,66); the report rounds half up, as people do.
    value = (Decimal(100 * part) / Decimal(whole)).quantize(Decimal("0.01"), ROUND_HALF_UP)
    return f"{number_format(value, 2, use_l10n=True)} %"


@dataclass(frozen=True)
class Figures:
    """The counts of one group (the agency, a category, a unit, a person or a month)."""

    key: object
    label: str
    on_time: int = 0
    late: int = 0
    in_progress: int = 0
    overdue: int = 0
    blocked: int = 0
    no_deadline: int = 0
    missed: int = 0
    extended: int = 0

    @property
    def total(self) -> int:
        """Tasks with a deadline; those without one are counted apart."""
        return self.on_time + self.late + self.in_progress + self.overdue + self.blocked

    @property
    def on_time_percent(self) -> str:
        return percent(self.on_time, self.total)

    @property
    def missed_percent(self) -> str:
        return percent(self.missed, self.total)


def _counts(as_of: datetime.date) -> dict:
    names = {Status.FINISHED_ON_TIME: "on_time", Status.FINISHED_LATE: "late"}
    return {
        names.get(key, str(key)): Count("pk", filter=condition)
        for key, condition in status_filters(as_of).items()
    }


def tasks_in_period(tasks: QuerySet, period: Period) -> QuerySet:
    return tasks.filter(assigned_on__gte=period.start, assigned_on__lte=period.last_day)


def totals_for(tasks: QuerySet, period: Period) -> Figures:
    """The figures of every task of `tasks` in the period (one query)."""
    return _figures(tasks_in_period(tasks, period).aggregate(**_counts(period.as_of)), None, "")


# The finest grouping the page needs; every table is a roll-up of these groups. Ids only:
# names joined in would widen every row the database sorts (10× slower at 100,000 tasks).
CELL_FIELDS = ("category", "lead_unit", "handler")
COUNT_NAMES = ("on_time", "late", "in_progress", "overdue", "blocked", "no_deadline", "missed",
               "extended")


def figure_cells(tasks: QuerySet, period: Period) -> list[dict]:
    """The counts per (category, unit, person, month given), in one query.

    The database counts every task; what comes back is one row per group, bounded by the
    agency's categories × people × months, not by its number of tasks.
    """
    return list(
        tasks_in_period(tasks, period).order_by()
        .values(*CELL_FIELDS, month=TruncMonth("assigned_on"))
        .annotate(**_counts(period.as_of))
    )


def _rollup(cells: list[dict], key, label, order) -> list[Figures]:
    """Sum the cells sharing `key(cell)` into one Figures each, sorted by `order(cell)`."""
    groups: dict = {}
    for cell in cells:
        group = groups.setdefault(key(cell), {"cell": cell, **dict.fromkeys(COUNT_NAMES, 0)})
        for name in COUNT_NAMES:
            group[name] += cell[name]
    ordered = sorted(groups.items(), key=lambda item: order(item[1]["cell"]))
    return [
        Figures(key=group_key, label=label(group["cell"]),
                **{name: group[name] for name in COUNT_NAMES})
        for group_key, group in ordered
    ]


def _figures(row: dict, key: object, label: str) -> Figures:
    return Figures(key=key, label=label, **{
        name: row[name] for name in Figures.__dataclass_fields__ if name in row
        and name not in ("key", "label")
    })


@dataclass(frozen=True)
class Statistics:
    period: Period
    totals: Figures
    by_category: list[Figures]
    by_unit: list[Figures]
    by_person: list[Figures]
    by_month: list[Figures]
    most_reminded: list[dict]
    blocked: list[TrackedTask]


def statistics_for(*, tasks: QuerySet, period: Period, blocked_rows: int = 20) -> Statistics:
    """Every figure of the statistics page for `tasks` (already scoped) in `period`.

    Six queries whatever the number of tasks: the counts per category, unit, person and
    month (rolled up into each table and the totals), the names of those categories, units
    and people, the tasks reminded most, and the blocked tasks with their reasons.
    """
    cells = figure_cells(tasks, period)
    category_ids, unit_ids, person_ids = ({cell[field] for cell in cells} for field in CELL_FIELDS)
    kinds = {c.pk: (c.sort_order, c.name) for c in Category.objects.filter(pk__in=category_ids)}
    units = dict(Unit.objects.filter(pk__in=unit_ids).values_list("pk", "name"))
    people = {person.pk: person.get_full_name()
              for person in User.objects.filter(pk__in=person_ids).only("full_name", "username")}
    by_category = _rollup(
        cells, key=lambda c: c["category"], label=lambda c: kinds.get(c["category"], (0, ""))[1],
        order=lambda c: (c["category"] is None, kinds.get(c["category"], (0, ""))),
    )
    by_unit = _rollup(cells, key=lambda c: c["lead_unit"], label=lambda c: units[c["lead_unit"]],
                      order=lambda c: units[c["lead_unit"]])
    by_person = _rollup(
        cells, key=lambda c: c["handler"], label=lambda c: people.get(c["handler"], ""),
        order=lambda c: (c["handler"] is None, people.get(c["handler"], "")),
    )
    by_month = _rollup(cells, key=lambda c: c["month"], label=lambda c: f"{c['month']:%m/%Y}",
                       order=lambda c: c["month"])
    totals = _rollup(cells, key=lambda c: None, label=lambda c: "", order=lambda c: 0)
    in_period = tasks_in_period(tasks, period)
    until = datetime.datetime.combine(period.as_of + datetime.timedelta(days=1),
                                      datetime.time.min, tzinfo=local_zone())
    most_reminded = list(
        in_period.filter(deadline__reminders__created_at__lt=until)
        .values("pk", "content", "source_notation")
        .annotate(reminders=Count("deadline__reminders"))
        .order_by("-reminders", "pk")[:10]
    )
    blocked = list(
        in_period.filter(status_filters(period.as_of)[Status.BLOCKED])
        .select_related("lead_unit").order_by("due_on", "pk")[:blocked_rows]
    )
    return Statistics(
        period=period, totals=totals[0] if totals else Figures(key=None, label=""),
        by_category=by_category,
        by_unit=by_unit, by_person=by_person, by_month=by_month,
        most_reminded=most_reminded, blocked=blocked,
    )


def task_rows_for(*, tasks: QuerySet, period: Period, status: str = "",
                  category: str = "") -> QuerySet:
    """The tasks behind one figure of the statistics page (the same filters, as a list)."""
    tasks = tasks_in_period(tasks, period)
    if status:
        tasks = tasks.filter(status_filters(period.as_of)[status])
    if category == "none":
        tasks = tasks.filter(category__isnull=True)
    elif category:
        tasks = tasks.filter(category_id=category)
    return tasks.select_related("category", "lead_unit", "handler").annotate(
        reminders=reminder_counts()
    ).order_by("due_on", "pk")


def overdue_for(*, user: User, today: datetime.date, limit: int = 5) -> list[TrackedTask]:
    """The open tasks of the user's scope past their deadline, oldest deadline first."""
    return list(
        task_list_for(user=user).filter(status_filters(today)[Status.OVERDUE])
        .select_related("lead_unit").order_by("due_on", "pk")[:limit]
    )


def scope_people(*, user: User) -> QuerySet:
    """People a statistics page may be narrowed to: the agency's for those who see it all."""
    people = scope_to_agency(User.objects.filter(is_active=True), user=user)
    if user.is_superuser or user.role in WHOLE_AGENCY_ROLES:
        return people.exclude(unit__isnull=True)
    if user.role == Role.UNIT_HEAD:
        return people.filter(unit__head=user)
    return people.filter(pk=user.pk)


def scope_units(*, user: User) -> QuerySet:
    # The choice labels print the agency's symbol: fetched with the units, not per unit.
    units = scope_to_agency(Unit.objects.filter(is_active=True).select_related("agency"),
                            user=user)
    if user.is_superuser or user.role in WHOLE_AGENCY_ROLES:
        return units
    if user.role == Role.UNIT_HEAD:
        return units.filter(head=user)
    return units.filter(pk=user.unit_id)
