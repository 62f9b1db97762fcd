"""Thin views of the documents application: lists, registers, the document page, sending.

Every read goes through `workflows.selectors`, so scoping (own agency; specialists see
their own work) is applied once; another agency's document is a 404.
"""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, ListView, TemplateView

from accounts.models import Agency

from .document_forms import RegisterFilterForm, SendSignedForm
from .models import Direction, TimelineEntry
from .selectors import (
    document_get_for,
    document_list_for,
    document_replies_for,
    register_entries_for,
    register_years_for,
    sees_whole_agency,
)
from .services.documents import outgoing_send_signed


def can_send_signed(user) -> bool:
    """Whether the user may record and send documents signed on paper (their agency's clerk)."""
    agency_id = getattr(user, "agency_id", None)
    return bool(agency_id) and user.has_perm(
        "accounts.issue_outgoing", Agency(pk=agency_id)
    )


class DocumentListView(LoginRequiredMixin, ListView):
    """All documents the person may see, newest first, optionally of one direction."""

    template_name = "workflows/documents/document_list.html"
    context_object_name = "documents"
    paginate_by = 50

    def get_queryset(self):
        direction = self.request.GET.get("direction")
        if direction not in Direction.values:
            direction = None
        return document_list_for(user=self.request.user, direction=direction)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            direction=self.request.GET.get("direction", ""), directions=Direction.choices,
            **kwargs,
        )


class RegisterView(LoginRequiredMixin, ListView):
    """A register (sổ văn bản đến / đi) of the person's agency for one year, with filters."""

    direction = Direction.INCOMING
    template_name = "workflows/documents/register.html"
    context_object_name = "entries"
    paginate_by = 100

    def get_queryset(self):
        user = self.request.user
        self.confidential = self.request.GET.get("confidential") == "1" and sees_whole_agency(
            user=user
        )
        self.form = RegisterFilterForm(
            self.request.GET or None,
            years=register_years_for(user=user, direction=self.direction),
        )
        return register_entries_for(
            user=user, direction=self.direction, confidential=self.confidential,
            **self.form.filters(),
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            form=self.form,
            year=self.form.filters()["year"],
            confidential=self.confidential,
            incoming=self.direction == Direction.INCOMING,
            sees_whole_agency=sees_whole_agency(user=self.request.user),
            **kwargs,
        )


class DocumentDetailView(LoginRequiredMixin, TemplateView):
    """The document page: metadata, recipients, files, links and the timeline of every step."""

    template_name = "workflows/documents/document_detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        document = document_get_for(user=user, pk=kwargs["pk"])
        return super().get_context_data(
            document=document,
            replies=document_replies_for(user=user, document=document),
            request_visible=document.responds_to_id is not None
            and document_list_for(user=user).filter(pk=document.responds_to_id).exists(),
            timeline_actions=TimelineEntry.Action,
            **kwargs,
        )


class AttachmentDownloadView(LoginRequiredMixin, View):
    """Download a file of a document the person may see."""

    def get(self, request, pk, attachment_pk):
        document = document_get_for(user=request.user, pk=pk)
        attachment = get_object_or_404(document.attachments.all(), pk=attachment_pk)
        return FileResponse(
            attachment.file.open("rb"), as_attachment=True, filename=attachment.original_name,
            content_type=attachment.content_type,
        )


class SendSignedView(LoginRequiredMixin, FormView):
    """“Gửi văn bản đã ký”: the clerk records a paper-signed document and sends it."""

    template_name = "workflows/documents/send_signed.html"
    form_class = SendSignedForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not can_send_signed(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            document = outgoing_send_signed(
                clerk=self.request.user,
                document_type=data["document_type"],
                summary=data["summary"],
                recipients=form.recipients(),
                signer_name=data["signer_name"],
                signer_title=data["signer_title"],
                signing_authority=data["signing_authority"],
                file=data["file"],
                drafting_unit=data["drafting_unit"],
                responds_to=data["responds_to"],
                confidentiality=data["confidentiality"],
                urgency=data["urgency"],
                issued_on=data["issued_on"],
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Document %(notation)s was issued and sent.") % {"notation": document.notation},
        )
        return redirect(self.request.resolver_match.app.reverse("detail", args=[document.pk]))
