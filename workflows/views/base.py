"""The common shape of a step's view: a form, one service call, then `activation.execute()`."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.views import generic
from viewflow.workflow.flow.views import (
    AssignTaskView,
    DetailTaskView,
    SuccessMessageMixin,
    TaskSuccessUrlMixin,
)

from .. import steps
from ..selectors import task_sheet_for
from ..services.files import files_removed_on_failure


def form_add_errors(form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: on its field when the form has it."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def task_label(task, document) -> str:
    """A task named by its document: “Chỉ đạo xử lý – 02-CV/HU – V/v …”."""
    return f"{task.flow_task.task_title} – {document}"


class TaskMessageMixin(SuccessMessageMixin):
    """The success message names the task by its document, not by “#35/187”: as it is
    now (the step may just have numbered it), not as it was when the page opened."""

    def get_success_message(self, cleaned_data):
        activation = self.request.activation
        document = activation.process.document
        document.refresh_from_db(fields=["notation", "summary"])
        return format_html(str(self.success_message), task=task_label(activation.task, document))


def task_sheet(request, activation):
    """The phiếu xử lý of the request's task (see `selectors.task_sheet_for`), with the draft
    when the step's form view shows it."""
    return task_sheet_for(
        user=request.user, document=activation.process.document,
        shows_draft=activation.flow_task.view.view_class.shows_draft,
    )


class TakeTaskView(TaskMessageMixin, AssignTaskView):
    """“Nhận và xử lý”: the task page before taking it; taking it opens its form at once."""

    template_name = "workflows/task_assign.html"
    success_message = _("You took the task “{task}”.")

    def get_context_data(self, **kwargs):
        kwargs.setdefault("sheet", task_sheet(self.request, self.request.activation))
        return super().get_context_data(**kwargs)

    def get_success_url(self):
        activation = self.request.activation
        return activation.flow_task.reverse(
            "execute", args=[activation.process.pk, activation.task.pk]
        )


class TaskDetailView(DetailTaskView):
    """A task seen after the fact (from “Đã xử lý”, or by someone who may not do it): who did
    it and when, and the phiếu xử lý of its document, not the engine's fields."""

    template_name = "workflows/task_detail.html"

    def get_context_data(self, **kwargs):
        kwargs.setdefault("sheet", task_sheet(self.request, self.request.activation))
        return super().get_context_data(**kwargs)


class TaskFormView(TaskMessageMixin, TaskSuccessUrlMixin, generic.FormView):
    """A flow step: `perform` calls the step's service; then the task is executed.

    A ValidationError from the service rolls back everything the step wrote and shows the
    message on the form.
    """

    template_name = "workflows/task.html"
    success_message = _("Done: {task}.")
    # Whether the phiếu xử lý shows the draft as it will be issued (the steps after drafting).
    shows_draft = False

    @property
    def activation(self):
        return self.request.activation

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(self.get_form_extra())
        return kwargs

    def get_form_extra(self) -> dict:
        return {}

    def get_context_data(self, **kwargs):
        kwargs.setdefault("document", self.activation.process.document)
        kwargs.setdefault("sheet", task_sheet(self.request, self.activation))
        return super().get_context_data(**kwargs)

    def perform(self, form) -> None:
        raise NotImplementedError

    def form_valid(self, form):
        try:
            # The files' guard outside the transaction: a failed commit removes them too.
            with files_removed_on_failure(), transaction.atomic(), steps.writes_last():
                self.perform(form)
                self.activation.execute()
        except ValidationError as error:
            form_add_errors(form, error)
            return self.form_invalid(form)
        return super().form_valid(form)
