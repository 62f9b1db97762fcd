"""One dd/mm/yyyy date picker on every date field; the deadline preview of the direct form."""

import inspect

import pytest
from django import forms
from django.utils import timezone

from evaluations import forms as evaluation_forms
from tracking import forms as tracking_forms
from workflows import document_forms
from workflows import forms as flow_forms
from workflows.flows import IncomingFlow
from workflows.models import Assignment
from workflows.widgets import DatePickerInput

from .flow_fixtures import incoming_at, task_of

pytestmark = pytest.mark.django_db


def _form_classes():
    for module in (flow_forms, document_forms, tracking_forms, evaluation_forms):
        for _name, klass in inspect.getmembers(module, inspect.isclass):
            if issubclass(klass, forms.BaseForm) and klass.__module__ == module.__name__:
                yield klass


def test_every_date_field_of_every_form_uses_the_site_date_picker():
    date_fields = {
        f"{form.__name__}.{name}": type(field.widget)
        for form in _form_classes()
        for name, field in form.base_fields.items()
        if isinstance(field, forms.DateField | forms.DateTimeField)
    }
    assert len(date_fields) >= 6  # received_on, due_on, issued_on ×3, date_from, date_to
    assert {widget for widget in date_fields.values()} == {DatePickerInput}, date_fields


def test_the_picker_shows_and_reads_day_month_year():
    class Form(forms.Form):
        day = forms.DateField(widget=DatePickerInput)

    html = str(Form(initial={"day": timezone.datetime(2023, 12, 5).date()})["day"])
    assert 'value="05/12/2023"' in html and 'data-datepicker="date"' in html
    assert 'type="date"' not in html
    form = Form({"day": "05/12/2023"})
    assert form.is_valid() and form.cleaned_data["day"].isoformat() == "2023-12-05"
    assert not Form({"day": "12/31/2023"}).is_valid()


def test_the_preview_gives_the_deadline_the_direction_then_sets(
    client, world, truong_ban
):
    document = incoming_at("direct")
    client.force_login(truong_ban)
    preview = client.get("/documents/deadline-preview/", {"working_days": 5}).json()
    assert preview["rule"] == "Ngày làm việc: không tính thứ Bảy, Chủ nhật, ngày lễ."

    task = task_of(document, IncomingFlow.direct)
    url = task.flow_task.reverse("assign", args=[task.process_id, task.pk])
    client.post(url)
    lead_unit = world.unit("bdt-bac-giang", "HCTH")
    response = client.post(
        task.flow_task.reverse("execute", args=[task.process_id, task.pk]),
        {"lead_unit": lead_unit.pk, "working_days": 5, "instruction": ""},
    )
    assert response.status_code == 302
    due_at = timezone.localtime(Assignment.objects.get(document=document).due_at)
    assert preview["due_at"] == due_at.isoformat()
    assert preview["text"].startswith(f"Hạn xử lý: {due_at:%H:%M} ")
    assert preview["text"].endswith(f"{due_at:%d/%m/%Y}")
    # The weekday spelled out as in the documents' own dates (“thứ Hai”, not Django's “Thứ 2”).
    weekday = ["thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu"][due_at.weekday()]
    assert f" {weekday}, " in preview["text"]


@pytest.mark.parametrize("days", ["", "0", "366", "năm"])
def test_a_preview_of_no_usable_number_says_so_in_vietnamese(client, truong_ban, days):
    client.force_login(truong_ban)
    response = client.get("/documents/deadline-preview/", {"working_days": days})
    assert response.status_code == 400
    assert response.json()["error"] == "Hãy nhập số ngày làm việc từ 1 đến 365."
