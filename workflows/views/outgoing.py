"""Steps of the OutgoingFlow: draft, comment, review, sign, issue."""

from django.urls import reverse

from accounts.models import Role
from accounts.selectors import person_list_for

from .. import forms
from ..models import Confidentiality, Urgency
from ..services import handling
from ..services.recipients import recipient_lines_format
from .base import TaskFormView


class DraftView(TaskFormView):
    form_class = forms.DraftForm

    def get_form_extra(self):
        return {"user": self.request.user}

    def get_initial(self):
        document = self.activation.process.document
        recipients = list(document.recipients.all())
        return {
            "document_type": document.document_type_id,
            "summary": document.summary,
            "body": document.body,
            "urgency": document.urgency or Urgency.NORMAL,
            "confidentiality": document.confidentiality or Confidentiality.NORMAL,
            "recipient_agencies": [r.agency_id for r in recipients if r.agency_id],
            "other_recipients": recipient_lines_format(
                r for r in recipients if not r.agency_id and r.is_addressee
            ),
            "copy_lines": recipient_lines_format(
                r for r in recipients if not r.agency_id and not r.is_addressee
            ),
            # The head signs unless the drafter proposes a deputy.
            "proposed_signer": document.signer_id
            or person_list_for(user=self.request.user)
            .filter(role=Role.HEAD)
            .values_list("pk", flat=True)
            .first(),
        }

    def perform(self, form):
        data = form.cleaned_data
        handling.draft_save(
            activation=self.activation,
            user=self.request.user,
            document_type=data["document_type"],
            summary=data["summary"],
            body=data["body"],
            recipients=form.recipients(),
            proposed_signer=data["proposed_signer"],
            urgency=data["urgency"],
            confidentiality=data["confidentiality"],
            files=data["files"],
            commenters=data["commenters"],
        )


class CommentView(TaskFormView):
    form_class = forms.TextForm
    shows_draft = True

    def perform(self, form):
        handling.comment_give(
            activation=self.activation, user=self.request.user, text=form.cleaned_data["text"]
        )


class ReviewView(TaskFormView):
    """The unit head's review; SignView is the same page for the leader's signature."""

    form_class = forms.DecisionForm
    shows_draft = True

    def decide(self, **decision):
        return handling.draft_review(**decision)

    def perform(self, form):
        self.decide(
            activation=self.activation,
            user=self.request.user,
            approve=form.cleaned_data["decision"] == forms.DecisionForm.APPROVE,
            reason=form.cleaned_data["reason"],
        )


class SignView(ReviewView):
    form_class = forms.SignForm

    def decide(self, **decision):
        return handling.draft_sign(**decision)


class IssueView(TaskFormView):
    """The clerk lands on the issued document, its DOCX ready to download and print."""

    form_class = forms.IssueForm
    shows_draft = True

    def get_success_url(self):
        return reverse("documents:detail", args=[self.activation.process.document_id])

    def perform(self, form):
        handling.draft_issue(activation=self.activation, user=self.request.user)
