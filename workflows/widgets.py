"""The site's date picker and the working-days field that previews its deadline.

Every date field of every form uses `DatePickerInput`: a text field in dd/mm/yyyy (the
Vietnamese DATE_INPUT_FORMATS read it back), turned into a calendar by the vendored
flatpickr (static/workflows/datepicker.js). It is deliberately not a `forms.DateInput`:
viewflow would render that as its own date field, whose calendar speaks English and whose
native variant shows mm/dd/yyyy.
"""

from django import forms
from django.forms.widgets import DateTimeBaseInput
from django.urls import reverse_lazy

DATE_FORMAT = "%d/%m/%Y"


class DatePickerInput(DateTimeBaseInput):
    """A dd/mm/yyyy text field with the site's calendar."""

    format_key = "DATE_INPUT_FORMATS"
    input_type = "text"

    def __init__(self, attrs=None):
        attrs = {"data-datepicker": "date", "autocomplete": "off", **(attrs or {})}
        super().__init__(attrs=attrs, format=DATE_FORMAT)


class WorkingDaysInput(forms.NumberInput):
    """A number of working days; while it is typed, the page shows the deadline it gives
    (static/workflows/deadline_preview.js asks `documents:deadline_preview`)."""

    def __init__(self, attrs=None):
        attrs = {"data-deadline-preview": reverse_lazy("documents:deadline_preview"),
                 **(attrs or {})}
        super().__init__(attrs=attrs)
