"""Steps of the IncomingFlow: register, direct, hand over, handle, give an opinion."""

from .. import forms
from ..services import handling
from .base import TaskFormView


class RegisterView(TaskFormView):
    form_class = forms.RegisterForm

    def perform(self, form):
        handling.incoming_register(
            activation=self.activation,
            user=self.request.user,
            received_on=form.cleaned_data["received_on"],
            note=form.cleaned_data["note"],
        )


class DirectView(TaskFormView):
    form_class = forms.DirectForm

    def get_form_extra(self):
        return {"user": self.request.user}

    def perform(self, form):
        data = form.cleaned_data
        handling.incoming_direct(
            activation=self.activation,
            user=self.request.user,
            lead_unit=data["lead_unit"],
            supporting_units=data["supporting_units"],
            working_days=data["working_days"],
            due_on=data["due_on"],
            instruction=data["instruction"],
        )


class HandOverView(TaskFormView):
    form_class = forms.HandOverForm

    def get_form_extra(self):
        return {
            "user": self.request.user,
            "lead_unit": self.activation.process.artifact.lead_unit,
        }

    def perform(self, form):
        handling.incoming_hand_over(
            activation=self.activation,
            user=self.request.user,
            handler=form.cleaned_data["handler"],
        )


class HandleView(TaskFormView):
    """Answering with a document leads straight into the new draft's task."""

    form_class = forms.HandleForm
    reply_process = None

    def perform(self, form):
        if form.cleaned_data["outcome"] == forms.HandleForm.REPLY:
            self.reply_process = handling.incoming_reply(
                activation=self.activation, user=self.request.user
            )
        else:
            handling.incoming_close(
                activation=self.activation,
                user=self.request.user,
                note=form.cleaned_data["note"],
            )


    def get_success_url(self):
        if self.reply_process is None:
            return super().get_success_url()
        task = handling.draft_task_of(document=self.reply_process.document)
        return task.flow_task.reverse("execute", args=[task.process_id, task.pk])


class OpinionView(TaskFormView):
    form_class = forms.TextForm

    def perform(self, form):
        handling.opinion_give(
            activation=self.activation, user=self.request.user, text=form.cleaned_data["text"]
        )
