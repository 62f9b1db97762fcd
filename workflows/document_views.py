"""Thin views of the documents application: lists, registers, the document page, sending.

Every read goes through `workflows.selectors`, so scoping (own agency; specialists see
their own work) is applied once; another agency's document is a 404.
"""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.generic import FormView, ListView, TemplateView

from accounts.models import Agency
from accounts.selectors import user_agency_id
from workcalendar.services import deadline_after

from .document_forms import (
    DocumentSearchForm,
    NewDraftForm,
    ReceiveForm,
    RegisterFilterForm,
    SendSignedForm,
)
from .models import PDF, Direction, TimelineEntry
from .registers import register_columns, register_rows, register_workbook
from .selectors import (
    delivery_progress_for,
    document_get_for,
    document_list_for,
    document_replies_for,
    document_search_for,
    register_entries_for,
    register_years_for,
    sees_whole_agency,
)
from .services.documents import outgoing_send_signed
from .services.handling import incoming_receive_and_claim, outgoing_draft_new
from .services.preview import docx_blocks
from .services.rendering import document_render_docx


def can_send_signed(user) -> bool:
    """Whether the user may record and send documents signed on paper (their agency's clerk)."""
    agency_id = user_agency_id(user)
    return bool(agency_id) and user.has_perm(
        "accounts.issue_outgoing", Agency(pk=agency_id)
    )


def can_receive(user) -> bool:
    """Whether the user may record documents received outside the system (the clerk)."""
    agency_id = user_agency_id(user)
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


class RegisterPrintView(RegisterView):
    """The register in the layout of the paper sổ đăng ký (Decree 30, Appendix IV): every
    entry the page's filters select, on one page to print."""

    template_name = "workflows/documents/register_print.html"
    paginate_by = None

    def get_context_data(self, **kwargs):
        incoming = self.direction == Direction.INCOMING
        return super().get_context_data(
            columns=register_columns(incoming=incoming),
            rows=register_rows(self.object_list, incoming=incoming),
            **kwargs,
        )


class RegisterExcelView(RegisterView):
    """The register as an Excel workbook: the page's filters, the paper register's columns."""

    def get(self, request, *args, **kwargs):
        incoming = self.direction == Direction.INCOMING
        entries = self.get_queryset()  # reads the filters into self.form
        year = self.form.filters()["year"]
        title = _("Incoming register %(year)s") if incoming else _("Outgoing register %(year)s")
        workbook = register_workbook(
            entries, incoming=incoming, title=title % {"year": year},
            agency_name=request.user.agency.name,
        )
        kind = "den" if incoming else "di"
        return FileResponse(
            workbook, as_attachment=True, filename=f"so-van-ban-{kind}-{year}.xlsx",
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )


class DeadlinePreviewView(LoginRequiredMixin, View):
    """The deadline a number of working days gives from now in the person's agency (its
    office hours, holidays), for the direct form to show while the leader types."""

    def get(self, request):
        try:
            working_days = int(request.GET.get("working_days", ""))
        except ValueError:
            working_days = 0
        if not 1 <= working_days <= 365 or request.user.agency is None:
            return JsonResponse(
                {"error": _("Type a number of working days from 1 to 365.")}, status=400
            )
        due_at = timezone.localtime(
            deadline_after(
                start=timezone.now(), working_days=working_days, agency=request.user.agency
            )
        )
        return JsonResponse({
            "due_at": due_at.isoformat(),
            "text": _("Deadline: %(time)s %(weekday)s %(date)s") % {
                "time": f"{due_at:%H:%M}", "weekday": date_format(due_at, "l"),
                "date": f"{due_at:%d/%m/%Y}",
            },
            "rule": _("Working days: Saturdays, Sundays and public holidays are not counted."),
        })


class DocumentDetailView(LoginRequiredMixin, TemplateView):
    """The document page: metadata, recipients, files, links and the timeline of every step."""

    template_name = "workflows/documents/document_detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        document = document_get_for(user=user, pk=kwargs["pk"])
        return super().get_context_data(
            document=document,
            replies=document_replies_for(user=user, document=document),
            delivery_progress=delivery_progress_for(user=user, document=document),
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


@method_decorator(xframe_options_sameorigin, name="dispatch")
class AttachmentPreviewView(LoginRequiredMixin, View):
    """A file shown inside the task page: a PDF inline, a Word file as a page of text."""

    def get(self, request, pk, attachment_pk):
        document = get_object_or_404(document_list_for(user=request.user), pk=pk)
        attachment = get_object_or_404(document.attachments.all(), pk=attachment_pk)
        if attachment.content_type == PDF:
            return FileResponse(
                attachment.file.open("rb"), as_attachment=False,
                filename=attachment.original_name, content_type=PDF,
            )
        with attachment.file.open("rb") as handle:
            blocks = docx_blocks(handle.read())
        return render(
            request, "workflows/documents/docx_preview.html",
            {"title": attachment.original_name, "blocks": blocks},
        )


@method_decorator(xframe_options_sameorigin, name="dispatch")
class DraftPreviewView(LoginRequiredMixin, View):
    """The draft as it will be issued (number and date left blank), from the DOCX rendering."""

    def get(self, request, pk):
        document = get_object_or_404(
            document_list_for(user=request.user, direction=Direction.OUTGOING), pk=pk
        )
        try:
            content = document_render_docx(document=document, preview=not document.notation)
        except ValidationError as error:
            return render(
                request, "workflows/documents/docx_preview.html",
                {"title": document.summary, "errors": error.messages},
            )
        return render(
            request, "workflows/documents/docx_preview.html",
            {"title": document.summary, "blocks": docx_blocks(content)},
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
        try:
            document = outgoing_send_signed(clerk=self.request.user, **form.signed_document())
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
            task = incoming_receive_and_claim(clerk=self.request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        except PermissionDenied as refusal:
            # The page let the clerk in, but the registration was refused (the queue's rule):
            # nothing was recorded, and the form keeps what was typed.
            form.add_error(None, _("The document was not recorded: %(reason)s") % {
                "reason": refusal})
            return self.form_invalid(form)
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
            task = outgoing_draft_new(user=self.request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        return redirect(task.flow_task.reverse("execute", args=[task.process_id, task.pk]))

