"""Forms of the tracking pages: the period asked about, a task entered by hand, the actions."""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass

from django import forms
from django.db.models import QuerySet
from django.http import Http404, QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, Unit, User
from accounts.selectors import scope_to_agency
from workflows.widgets import DatePickerInput

from .selectors import (
    Period,
    categories,
    scope_people,
    scope_units,
    status_filters,
    task_list_for,
    task_rows_for,
)

DATE_WIDGET = DatePickerInput()


class PeriodForm(forms.Form):
    """The period of the statistics (GET): a month, a quarter, a year or from–to, as of a day."""

    PERIODS = [
        ("month", _("Month")), ("quarter", _("Quarter")), ("year", _("Year")),
        ("custom", _("From – to")),
    ]
    period = forms.ChoiceField(label=_("Period"), choices=PERIODS, required=False,
                               initial="year")
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100, required=False,
                              initial=lambda: timezone.localdate().year)
    month = forms.IntegerField(label=_("Month"), min_value=1, max_value=12, required=False)
    quarter = forms.IntegerField(label=_("Quarter"), min_value=1, max_value=4, required=False)
    start = forms.DateField(label=_("From"), required=False, widget=DATE_WIDGET)
    end = forms.DateField(label=_("To"), required=False, widget=DATE_WIDGET)
    as_of = forms.DateField(label=_("As of"), required=False, widget=DATE_WIDGET)
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=None, required=False)
    person = forms.ModelChoiceField(label=_("Handled by"), queryset=None, required=False)

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = scope_units(user=user)
        self.fields["person"].queryset = scope_people(user=user)

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if data.get("period") == "custom" and start and end and end < start:
            self.add_error("end", _("The end of the period is before its start."))
        return data

    def period_bounds(self) -> tuple[datetime.date, datetime.date, datetime.date]:
        """(start, end, as of) from the cleaned data; today's year when nothing is asked."""
        today = timezone.localdate()
        data = self.cleaned_data if self.is_valid() else {}
        year = data.get("year") or today.year
        kind = data.get("period") or "year"
        if kind == "month":
            month = data.get("month") or today.month
            start = datetime.date(year, month, 1)
            end = datetime.date(year, month, calendar.monthrange(year, month)[1])
        elif kind == "quarter":
            quarter = data.get("quarter") or (today.month - 1) // 3 + 1
            start = datetime.date(year, 3 * quarter - 2, 1)
            last_month = 3 * quarter
            end = datetime.date(year, last_month, calendar.monthrange(year, last_month)[1])
        elif kind == "custom":
            start = data.get("start") or datetime.date(year, 1, 1)
            end = data.get("end") or today
        else:
            start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
        return start, end, data.get("as_of") or min(end, today)


@dataclass(frozen=True)
class StatisticsScope:
    """A statistics question read from a query string: the period, the narrowing to a unit or
    a person (or to the tasks not handed over yet), and the tasks it counts."""

    form: PeriodForm
    period: Period
    unit: Unit | None
    person: User | None
    unassigned: bool
    tasks: QuerySet

    def rows(self, *, status: str = "", category: str = "") -> QuerySet:
        """The tasks behind one figure; an unknown status or category is a 404."""
        if (status and status not in status_filters(self.period.as_of)) or not (
            category in ("", "none") or category.isdigit()
        ):
            raise Http404
        return task_rows_for(tasks=self.tasks, period=self.period, status=status,
                             category=category)


def statistics_scope(*, user: User, query: QueryDict) -> StatisticsScope:
    """The statistics pages' (and the API's) reading of `query` for `user`; a unit or person
    outside the user's scope does not exist for them (404)."""
    query = query.copy()
    # “Not handed over yet” (the by-person row without a person) is no person's id.
    unassigned = query.get("person") == "none"
    if unassigned:
        query.pop("person")
    form = PeriodForm(query or None, user=user)
    if form.is_bound and not form.is_valid() and (
        "unit" in form.errors or "person" in form.errors
    ):
        raise Http404
    start, end, as_of = form.period_bounds()
    data = form.cleaned_data if form.is_bound else {}
    unit, person = data.get("unit"), data.get("person")
    tasks = task_list_for(user=user)
    if unit:
        tasks = tasks.filter(lead_unit=unit)
    if person:
        tasks = tasks.filter(handler=person)
    elif unassigned:
        tasks = tasks.filter(handler__isnull=True)
    return StatisticsScope(
        form=form, period=Period(start=start, end=end, as_of=as_of), unit=unit, person=person,
        unassigned=unassigned, tasks=tasks,
    )


class TaskForm(forms.Form):
    """A task entered by a clerk, a leader or a unit head."""

    content = forms.CharField(label=_("Content"), widget=forms.Textarea(attrs={"rows": 3}))
    category = forms.ModelChoiceField(label=_("Category"), queryset=None, required=False)
    giving_body = forms.CharField(label=_("Given by"), max_length=255, required=False)
    source_notation = forms.CharField(label=_("Document number and symbol"), max_length=100,
                                      required=False)
    lead_unit = forms.ModelChoiceField(label=_("Lead unit"), queryset=None)
    supporting_units = forms.ModelMultipleChoiceField(
        label=_("Supporting units"), queryset=None, required=False
    )
    handler = forms.ModelChoiceField(label=_("Handled by"), queryset=None, required=False)
    directed_by = forms.ModelChoiceField(label=_("Directed by"), queryset=None, required=False)
    assigned_on = forms.DateField(label=_("Assigned on"), widget=DATE_WIDGET)
    due_on = forms.DateField(label=_("Deadline"), required=False, widget=DATE_WIDGET)

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        units = scope_units(user=user)
        people = scope_to_agency(User.objects.filter(is_active=True), user=user)
        self.fields["category"].queryset = categories()
        self.fields["lead_unit"].queryset = units
        self.fields["supporting_units"].queryset = scope_to_agency(
            Unit.objects.filter(is_active=True), user=user
        )
        self.fields["handler"].queryset = people.exclude(unit__isnull=True)
        self.fields["directed_by"].queryset = people.filter(role__in=(Role.HEAD, Role.DEPUTY))
        self.initial.setdefault("assigned_on", timezone.localdate())


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Excel file (.xlsx)"))


class ReportForm(forms.Form):
    text = forms.CharField(label=_("Progress"), widget=forms.Textarea(attrs={"rows": 3}))
    file = forms.FileField(label=_("File"), required=False)


class BlockForm(forms.Form):
    reason = forms.CharField(label=_("Why it is blocked"),
                             widget=forms.Textarea(attrs={"rows": 2}))


class FinishForm(forms.Form):
    result = forms.CharField(label=_("Result"), widget=forms.Textarea(attrs={"rows": 2}))
    completed_on = forms.DateField(label=_("Finished on"), required=False, widget=DATE_WIDGET)


class ExtensionForm(forms.Form):
    due_on = forms.DateField(label=_("Requested deadline"), widget=DATE_WIDGET)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class DecisionForm(forms.Form):
    accept = forms.TypedChoiceField(
        label=_("Decision"), coerce=lambda value: value == "1",
        choices=[("1", _("Accept")), ("0", _("Refuse"))],
    )
    note = forms.CharField(label=_("Note"), required=False)

