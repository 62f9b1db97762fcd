"""Admin for the calendar data clerks and administrators maintain each year."""

from django.contrib import admin

from .models import CalendarException, OfficeHours, UrgencyDeadline


@admin.register(CalendarException)
class CalendarExceptionAdmin(admin.ModelAdmin):
    list_display = ["date", "kind", "name"]
    list_filter = ["kind"]
    date_hierarchy = "date"
    search_fields = ["name"]


@admin.register(OfficeHours)
class OfficeHoursAdmin(admin.ModelAdmin):
    list_display = ["__str__", "opens_at", "closes_at"]
    list_select_related = ["agency"]


@admin.register(UrgencyDeadline)
class UrgencyDeadlineAdmin(admin.ModelAdmin):
    list_display = ["urgency", "working_days"]
    list_editable = ["working_days"]
