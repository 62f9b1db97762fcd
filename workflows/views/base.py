"""The common shape of a step's view: a form, one service call, then `activation.execute()`."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django.views import generic
from viewflow.workflow.flow.views import (
    SuccessMessageMixin,
    TaskSuccessUrlMixin,
    TaskViewTemplateNames,
)


def form_add_errors(form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: on its field when the form has it."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


class TaskFormView(
    SuccessMessageMixin, TaskSuccessUrlMixin, TaskViewTemplateNames, generic.FormView
):
    """A flow step: `perform` calls the step's service; then the task is executed.

    A ValidationError from the service rolls back everything the step wrote and shows the
    message on the form.
    """

    template_filename = "task.html"
    success_message = _("Task {task} has been completed.")

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
        return super().get_context_data(**kwargs)

    def perform(self, form) -> None:
        raise NotImplementedError

    def form_valid(self, form):
        try:
            with transaction.atomic():
                self.perform(form)
                self.activation.execute()
        except ValidationError as error:
            form_add_errors(form, error)
            return self.form_invalid(form)
        return super().form_valid(form)
