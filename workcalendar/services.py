"""Working-day arithmetic for deadlines (Decree 30: deadlines count working days).

A working day is a weekday that is not a Vietnamese public holiday, or a make-up Saturday;
`CalendarException` rows override both. Deadlines end at the office's closing time in
Asia/Ho_Chi_Minh.

Every function takes an optional `calendar=`: a `WorkCalendar` keeps the exception rows and
office hours it has loaded, so a batch (the reminder sweep) costs one query per year touched
instead of one per call. Without it each call builds a fresh one. The public-holiday table of
a year is computed once per process.

Conventions used everywhere:
- `add_working_days(start, n)` moves n working days forward (negative: backward); `start`
  itself is not counted, so `add_working_days(fri, 1)` is the next Monday.
- `working_days_between(start, end)` counts the working days d with start < d <= end
  (start exclusive, end inclusive), negative when end is before start; so
  `add_working_days(s, working_days_between(s, e)) == e` whenever e is a working day.
"""

from __future__ import annotations

import datetime
import functools
from zoneinfo import ZoneInfo

import holidays
from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from .models import CalendarException, OfficeHours, UrgencyDeadline

# No real calendar has a year without a working day: bad exception data must not hang us.
_MAX_SCAN_DAYS = 366


def local_zone() -> ZoneInfo:
    """The zone deadlines are read in (settings.TIME_ZONE, Asia/Ho_Chi_Minh)."""
    return ZoneInfo(settings.TIME_ZONE)


@functools.lru_cache(maxsize=32)
def _public_holidays(year: int) -> holidays.HolidayBase:
    """Vietnam's public holidays of one year, with substituted days off and make-up days."""
    return holidays.country_holidays("VN", years=year, language="vi")


class WorkCalendar:
    """The calendar for one batch of calls: caches exceptions per year and office hours."""

    def __init__(self):
        self._exceptions: dict[int, dict[datetime.date, tuple[str, str]]] = {}
        self._hours: dict[int | None, tuple[datetime.time, datetime.time]] = {}

    # Days -------------------------------------------------------------------------------
    def _exceptions_of(self, year: int) -> dict[datetime.date, tuple[str, str]]:
        if year not in self._exceptions:
            rows = CalendarException.objects.filter(date__year=year).values_list(
                "date", "kind", "name"
            )
            self._exceptions[year] = {day: (kind, name) for day, kind, name in rows}
        return self._exceptions[year]

    def is_working_day(self, day: datetime.date) -> bool:
        """True for a working day: exceptions first, then the public calendar."""
        exception = self._exceptions_of(day.year).get(day)
        if exception is not None:
            return exception[0] == CalendarException.Kind.WORKING_DAY
        return _public_holidays(day.year).is_working_day(day)

    def holiday_name(self, day: datetime.date) -> str:
        """Why a day is off (the exception's or the holiday's name), or ''."""
        exception = self._exceptions_of(day.year).get(day)
        if exception is not None:
            return exception[1] if exception[0] == CalendarException.Kind.DAY_OFF else ""
        return _public_holidays(day.year).get(day, "")

    def add_working_days(self, start: datetime.date, days: int) -> datetime.date:
        """The date `days` working days after `start` (before it when negative)."""
        step = datetime.timedelta(days=1 if days >= 0 else -1)
        remaining = abs(days)
        day, idle = start, 0
        while remaining:
            day += step
            if self.is_working_day(day):
                remaining, idle = remaining - 1, 0
            else:
                idle += 1
                if idle > _MAX_SCAN_DAYS:
                    raise ValueError(f"No working day within {_MAX_SCAN_DAYS} days of {start}")
        return day

    def next_working_day(self, day: datetime.date) -> datetime.date:
        """`day` itself when it is a working day, else the first working day after it."""
        return day if self.is_working_day(day) else self.add_working_days(day, 1)

    def working_days_between(self, start: datetime.date, end: datetime.date) -> int:
        """Working days d with start < d <= end; if end < start, minus end < d <= start."""
        if end < start:
            return -self.working_days_between(end, start)
        count = 0
        day = start
        while day < end:
            day += datetime.timedelta(days=1)
            if self.is_working_day(day):
                count += 1
        return count

    # Hours ------------------------------------------------------------------------------
    def office_hours(self, agency=None) -> tuple[datetime.time, datetime.time]:
        """(opens_at, closes_at) of an agency (an Agency, its pk, or None for the default)."""
        agency_id = getattr(agency, "pk", agency)
        if agency_id not in self._hours:
            rows = OfficeHours.objects.filter(Q(agency__isnull=True) | Q(agency_id=agency_id))
            best = sorted(rows, key=lambda row: row.agency_id is None)
            if best:
                self._hours[agency_id] = (best[0].opens_at, best[0].closes_at)
            else:
                # The migration seeds a default row; if an admin deleted it, fall back to the
                # model's own defaults rather than refusing to compute deadlines.
                blank = OfficeHours()
                self._hours[agency_id] = (blank.opens_at, blank.closes_at)
        return self._hours[agency_id]

    def opening(self, day: datetime.date, agency=None) -> datetime.datetime:
        """The aware moment the office opens on `day`."""
        return datetime.datetime.combine(day, self.office_hours(agency)[0], tzinfo=local_zone())

    def closing(self, day: datetime.date, agency=None) -> datetime.datetime:
        """The aware moment the office closes on `day`: when a deadline on that day ends."""
        return datetime.datetime.combine(day, self.office_hours(agency)[1], tzinfo=local_zone())

    # Deadlines --------------------------------------------------------------------------
    def first_counting_day(self, start: datetime.datetime, agency=None) -> datetime.date:
        """The working day a period starting at `start` counts from.

        The same day if `start` is on a working day before closing time; otherwise (after
        hours, weekend, holiday) the next working day.
        """
        local = _aware(start).astimezone(local_zone())
        if self.is_working_day(local.date()) and local.time() < self.office_hours(agency)[1]:
            return local.date()
        return self.add_working_days(local.date(), 1)

    def deadline_after(
        self, *, start: datetime.datetime, working_days: int, agency=None
    ) -> datetime.datetime:
        """Closing time of the day `working_days` working days after the first counting day.

        0 working days is the same (counting) day: Hỏa tốc registered at 09:00 is due at 17:00.
        """
        if working_days < 0:
            raise ValueError("working_days must not be negative")
        day = self.add_working_days(self.first_counting_day(start, agency), working_days)
        return self.closing(day, agency)

    def working_days_overdue(self, *, due_at: datetime.datetime, now: datetime.datetime) -> int:
        """Working days elapsed since the deadline's day; 0 when not overdue or overdue today."""
        due_at, now = _aware(due_at), _aware(now)
        if now <= due_at:
            return 0
        zone = local_zone()
        return self.working_days_between(
            due_at.astimezone(zone).date(), now.astimezone(zone).date()
        )


def _aware(moment: datetime.datetime) -> datetime.datetime:
    """A naive datetime is read as local time (Asia/Ho_Chi_Minh)."""
    if timezone.is_naive(moment):
        return timezone.make_aware(moment, local_zone())
    return moment


def is_working_day(day: datetime.date, *, calendar: WorkCalendar | None = None) -> bool:
    """True when `day` is a working day (weekends and public holidays are not; exceptions rule)."""
    return (calendar or WorkCalendar()).is_working_day(day)


def add_working_days(
    start: datetime.date, days: int, *, calendar: WorkCalendar | None = None
) -> datetime.date:
    """The date `days` working days after `start` (start not counted; negative goes back)."""
    return (calendar or WorkCalendar()).add_working_days(start, days)


def working_days_between(
    start: datetime.date, end: datetime.date, *, calendar: WorkCalendar | None = None
) -> int:
    """Working days d with start < d <= end (start excluded, end included); < 0 if end < start."""
    return (calendar or WorkCalendar()).working_days_between(start, end)


def deadline_after(
    *, start: datetime.datetime, working_days: int, agency=None,
    calendar: WorkCalendar | None = None,
) -> datetime.datetime:
    """The aware deadline `working_days` working days after `start`, at office close.

    Counting starts on `start`'s day if it is a working day before closing time, else on the
    next working day (an incoming registered at 18:00 on Friday counts from Monday).
    `agency` picks that agency's office hours (default hours when None).
    """
    return (calendar or WorkCalendar()).deadline_after(
        start=start, working_days=working_days, agency=agency
    )


def default_deadline(
    *, urgency: str, start: datetime.datetime, agency=None,
    calendar: WorkCalendar | None = None,
) -> datetime.datetime:
    """The deadline a document of `urgency` gets when the leader names none.

    `urgency` is a `workflows.models.Urgency` value ("flash", "very_urgent", "urgent",
    "normal"); the number of working days is the `UrgencyDeadline` row (admin-editable).
    Raises ValueError for an urgency without a row.
    """
    try:
        days = UrgencyDeadline.objects.values_list("working_days", flat=True).get(urgency=urgency)
    except UrgencyDeadline.DoesNotExist:
        raise ValueError(f"No default deadline for urgency {urgency!r}") from None
    return deadline_after(start=start, working_days=days, agency=agency, calendar=calendar)


def working_days_overdue(
    *, due_at: datetime.datetime, now: datetime.datetime, calendar: WorkCalendar | None = None
) -> int:
    """How many working days past its deadline's day `now` is (0 if not overdue).

    Due Friday 17:00: Friday 18:00 → 0, Saturday → 0, Monday → 1, Tuesday → 2.
    """
    return (calendar or WorkCalendar()).working_days_overdue(due_at=due_at, now=now)
