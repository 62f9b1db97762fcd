"""A flow step done through the API exactly as its web page does it.

The step's own view class (the node's view) builds the same form, with the same choices and
validation, and its `perform` calls the same service; `routing.task_perform` locks, claims,
checks permissions and executes, as viewflow's views do. No rule of a step lives here.
"""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.forms import ChoiceField, Form
from viewflow.workflow.models import Task

from accounts.models import User
from workflows.services.routing import task_perform


def _view(task: Task, http_request, activation):
    view = task.flow_task.view.view_class()
    http_request.activation = activation
    view.setup(http_request)
    return view


def _form(view, data=None, files=None) -> Form:
    return view.get_form_class()(data=data, files=files, **view.get_form_extra())


def _initial(view, form: Form) -> dict[str, Any]:
    """What the web page shows in each field before the person types anything."""
    initial = {**form.initial, **view.get_initial()}
    for name, field in form.fields.items():
        if name not in initial and field.initial is not None:
            initial[name] = field.initial() if callable(field.initial) else field.initial
    return initial


def _json(value):
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_json(item) for item in value]
    return getattr(value, "pk", value)


def step_form_fields(*, task: Task, http_request) -> list[dict]:
    """The fields of the step's form: name, label, whether required, initial, choices."""
    view = _view(task, http_request, task.flow_task.activation_class(task))
    form = _form(view)
    initial = _initial(view, form)
    fields = []
    for name, field in form.fields.items():
        choices = None
        if isinstance(field, ChoiceField):
            choices = [
                [_json(getattr(value, "value", value)), str(label)]
                for value, label in field.choices
                if getattr(value, "value", value) not in ("", None)
            ]
        fields.append({
            "name": name, "label": str(field.label), "required": field.required,
            "initial": _json(initial.get(name)), "choices": choices,
        })
    return fields


def _step(*, activation, user: User, http_request, data: dict, files) -> None:
    view = _view(activation.task, http_request, activation)
    blank = _form(view)
    form = _form(view, data={**_initial(view, blank), **data}, files=files)
    if not form.is_valid():
        raise ValidationError(form.errors.as_data())
    view.perform(form)


def step_complete(*, task: Task, user: User, http_request, data: dict, files=None) -> Task:
    """Do the step of `task` as `user` with the decision in `data`; return the task."""
    task_perform(
        task=task, user=user, service=_step, http_request=http_request,
        data=data, files=files,
    )
    task.refresh_from_db()
    return task
