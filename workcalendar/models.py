"""The working-day calendar as data: exceptions, office hours and default deadlines.

Weekends and Vietnam's public holidays come from the `holidays` package (country VN, with the
government's substituted days off and make-up Saturdays it knows). What it does not know yet —
a day off announced late, a make-up Saturday of a new year — is a `CalendarException` row,
which always wins.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class CalendarException(models.Model):
    """One day that differs from the computed calendar: an extra day off or a working day."""

    class Kind(models.TextChoices):
        DAY_OFF = "day_off", _("Day off")
        WORKING_DAY = "working_day", _("Working day (make-up)")

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    name = models.CharField(
        _("name"), max_length=200,
        help_text=_("e.g. “Làm bù cho ngày 02/01/2026” or “Nghỉ bù Quốc khánh”."),
    )

    class Meta:
        verbose_name = _("calendar exception")
        verbose_name_plural = _("calendar exceptions")
        ordering = ["-date"]

    def __str__(self):
        return f"{self.date:%d/%m/%Y} – {self.name}"


# Callables, not fixed times: Django's check (fields.W161) takes a fixed time of day for a
# forgotten "now" during the ten seconds around it, and `check --deploy` fails then.
def usual_opening() -> datetime.time:
    """07:30, when offices usually open."""
    return datetime.time(7, 30)


def usual_closing() -> datetime.time:
    """17:00, when offices usually close."""
    return datetime.time(17, 0)


class OfficeHours(models.Model):
    """When the office opens and closes; the row without an agency is the default.

    A deadline ends at closing time; reminders are sent at opening time; a document registered
    after closing counts from the next working day.
    """

    agency = models.OneToOneField(
        "accounts.Agency", verbose_name=_("agency"), null=True, blank=True,
        on_delete=models.CASCADE, related_name="office_hours",
        help_text=_("Empty: the default for every agency without its own hours."),
    )
    opens_at = models.TimeField(_("opens at"), default=usual_opening)
    closes_at = models.TimeField(_("closes at"), default=usual_closing)

    class Meta:
        verbose_name = _("office hours")
        verbose_name_plural = _("office hours")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(opens_at__lt=models.F("closes_at")),
                name="office_hours_open_before_close",
            ),
            # Only one default row (agency NULL): NULLs are distinct in the OneToOne index.
            models.UniqueConstraint(
                models.Value(True), condition=models.Q(agency__isnull=True),
                name="office_hours_one_default",
            ),
        ]

    def __str__(self):
        who = self.agency or _("Default")
        return f"{who}: {self.opens_at:%H:%M}–{self.closes_at:%H:%M}"

    def clean(self):
        if self.opens_at and self.closes_at and self.opens_at >= self.closes_at:
            raise ValidationError(_("The office must open before it closes."))


class UrgencyDeadline(models.Model):
    """How many working days a document of one urgency gets when the leader names none.

    `urgency` holds the values of `workflows.models.Urgency`; 0 working days means the same day.
    """

    urgency = models.CharField(_("urgency"), max_length=20, unique=True)
    working_days = models.PositiveSmallIntegerField(_("working days"))

    class Meta:
        verbose_name = _("default deadline by urgency")
        verbose_name_plural = _("default deadlines by urgency")
        ordering = ["working_days"]

    def __str__(self):
        return f"{self.urgency}: {self.working_days}"
