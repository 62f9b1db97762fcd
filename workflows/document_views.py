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
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView, ListView, TemplateView

from accounts.models import Agency

from .document_forms import (
    DocumentSearchForm,
    NewDraftForm,
    ReceiveForm,
    RegisterFilterForm,
    SendSignedForm,
)
from .flows import IncomingFlow, OutgoingFlow
from .models import Direction, TimelineEntry
from .selectors import (
    document_get_for,
    document_list_for,
    document_replies_for,
    document_search_for,
    register_entries_for,
    register_years_for,
    sees_whole_agency,
)
from .services import routing
from .services.documents import incoming_receive, outgoing_send_signed
from .services.handling import outgoing_draft_new


def can_send_signed(user) -> bool:
    """Whether the user may record and send documents signed on paper (their agency's clerk)."""
    agency_id = getattr(user, "agency_id", None)
    return bool(agency_id) and user.has_perm(
        "accounts.issue_outgoing", Agency(pk=agency_id)
    )


def can_receive(user) -> bool:
    """Whether the user may record documents received outside the system (the clerk)."""
    agency_id = getattr(user, "agency_id", None)
    return bool(agency_id) and user.has_perm(
        "accounts.register_incoming", Agency(pk=agency_id)
    )


def can_draft(user) -> bool:
    """Whether the user may start a new outgoing document (a member of a unit)."""
    return bool(getattr(user, "unit_id", None)) and user.has_perm(
        "accounts.handle_unit_work", user.unit
    )


class DocumentListView(LoginRequiredMixin, ListView):
    """All documents the person may see, newest first, optionally of one direction."""

    template_name = "workflows/documents/document_list.html"
    context_object_name = "documents"
    paginate_by = 50

    def get_queryset(self):
        self.form = DocumentSearchForm(self.request.GET or None)
        return document_search_for(user=self.request.user, **self.form.filters())

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            form=self.form, direction=self.request.GET.get("direction", ""),
            directions=Direction.choices, **kwargs,
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

    template_name = "workflows/documents/form_page.html"
    form_class = SendSignedForm
    extra_context = {
        "page_title": gettext_lazy("Send a signed document"),
        "page_help": gettext_lazy(
            "For a document already signed on paper: it takes the next number of your "
            "outgoing register, the scan is kept as the issued file, and it is delivered to "
            "the recipients."
        ),
        "submit_label": gettext_lazy("Issue and send"),
    }

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


class ReceiveView(LoginRequiredMixin, FormView):
    """“Nhập văn bản đến”: the clerk records a received document, then registers it."""

    template_name = "workflows/documents/form_page.html"
    form_class = ReceiveForm
    extra_context = {
        "page_title": gettext_lazy("Record a received document"),
        "page_help": gettext_lazy(
            "For a document received on paper or by e-mail: attach its scan; the next step "
            "gives it the next number of your incoming register."
        ),
        "submit_label": gettext_lazy("Record and register"),
    }

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not can_receive(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        try:
            document = incoming_receive(clerk=self.request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        task = routing.open_task(document=document, node=IncomingFlow.register)
        routing.task_claim(task=task, user=self.request.user)
        return redirect(task.flow_task.reverse("execute", args=[task.process_id, task.pk]))


class NewDraftView(LoginRequiredMixin, FormView):
    """“Soạn văn bản mới”: a unit member starts an outgoing document and goes to drafting."""

    template_name = "workflows/documents/form_page.html"
    form_class = NewDraftForm
    extra_context = {
        "page_title": gettext_lazy("New outgoing document"),
        "page_help": gettext_lazy(
            "Choose the type and write the summary; the next page takes the body, the "
            "recipients, the proposed signer and the files."
        ),
        "submit_label": gettext_lazy("Start drafting"),
    }

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not can_draft(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            process = outgoing_draft_new(user=self.request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        task = routing.open_task(document=process.document, node=OutgoingFlow.draft)
        return redirect(task.flow_task.reverse("execute", args=[task.process_id, task.pk]))

