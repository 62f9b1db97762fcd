"""Admin for the reference data (document types, registers) and for inspecting documents.

Document types and registers are edited here; documents are changed through the flows, so
their admin shows the record (numbers, timeline) read-only where the law makes it a record.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import (
    Assignment,
    Attachment,
    Document,
    DocumentType,
    Opinion,
    Recipient,
    Register,
    RegisterCounter,
    TimelineEntry,
)
from .services.numbering import register_start_set


@admin.register(DocumentType)
class DocumentTypeAdmin(admin.ModelAdmin):
    list_display = ("name", "abbreviation", "party_abbreviation", "code", "sort_order", "is_active")
    list_editable = ("sort_order", "is_active")
    list_filter = ("is_active",)
    search_fields = ("name", "abbreviation", "code")
    prepopulated_fields = {"code": ("name",)}


class RegisterCounterInline(admin.TabularInline):
    model = RegisterCounter
    extra = 0
    # Decree 30 Art. 15: a number once taken is a record; counters move only by issuing,
    # or, before a year's first number, by the “starting number” action (who and why kept).
    fields = readonly_fields = (
        "year", "last_number", "first_number", "start_set_by", "start_set_at", "start_reason",
    )
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class StartingNumberForm(forms.Form):
    year = forms.IntegerField(label=gettext_lazy("Year"), min_value=2000, max_value=2100)
    first_number = forms.IntegerField(label=gettext_lazy("Starting number"), min_value=1)
    reason = forms.CharField(
        label=gettext_lazy("Reason"), widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("E.g. the agency joins in July; its paper register ended at 214."),
    )


@admin.register(Register)
class RegisterAdmin(admin.ModelAdmin):
    list_display = ("name", "agency", "direction", "is_confidential", "is_active")
    list_filter = ("direction", "is_confidential", "is_active", "agency")
    search_fields = ("name", "agency__name", "agency__symbol")
    list_select_related = ("agency",)
    inlines = [RegisterCounterInline]
    actions = ["set_starting_number"]

    @admin.action(
        description=gettext_lazy("Set the starting number of a year (agency joining mid-year)"),
        permissions=["change"],
    )
    def set_starting_number(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, _("Choose exactly one register."), messages.ERROR)
            return None
        register = queryset.get()
        form = StartingNumberForm(
            request.POST if "apply" in request.POST else None,
            initial={"year": timezone.localdate().year},
        )
        if form.is_valid():
            try:
                register_start_set(register=register, user=request.user, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                self.message_user(
                    request,
                    _("%(register)s starts %(year)s at number %(number)s.") % {
                        "register": register, "year": form.cleaned_data["year"],
                        "number": form.cleaned_data["first_number"]},
                    messages.SUCCESS,
                )
                return None
        return TemplateResponse(request, "admin/workflows/register/starting_number.html", {
            **self.admin_site.each_context(request),
            "title": _("Starting number of %(register)s") % {"register": register},
            "register": register,
            "form": form,
            "opts": self.model._meta,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        })


class RecipientInline(admin.TabularInline):
    model = Recipient
    fk_name = "document"
    extra = 0
    raw_id_fields = ("agency", "delivered_copy")
    readonly_fields = ("delivered_at",)


class AttachmentInline(admin.TabularInline):
    model = Attachment
    extra = 0
    fields = ("kind", "file", "original_name", "content_type", "size", "uploaded_by")
    readonly_fields = ("content_type", "size", "uploaded_by")

    # The files of a numbered document are part of its record (Decree 30 Art. 18).
    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.is_numbered():
            return self.fields
        return self.readonly_fields

    def has_add_permission(self, request, obj=None):
        return not (obj is not None and obj.is_numbered())

    def has_delete_permission(self, request, obj=None):
        return not (obj is not None and obj.is_numbered())


class AssignmentInline(admin.StackedInline):
    model = Assignment
    extra = 0
    raw_id_fields = ("directed_by", "lead_unit", "handler")
    filter_horizontal = ("supporting_units",)


class OpinionInline(admin.TabularInline):
    model = Opinion
    extra = 0
    raw_id_fields = ("author", "unit")


class TimelineInline(admin.TabularInline):
    model = TimelineEntry
    extra = 0
    fields = ("created_at", "actor", "action", "comment")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = (
        "notation", "summary", "agency", "direction", "document_type", "status", "issued_on",
    )
    list_filter = ("direction", "status", "urgency", "confidentiality", "document_type", "agency")
    search_fields = ("notation", "summary", "sender_name")
    date_hierarchy = "created_at"
    list_select_related = ("agency", "document_type")
    raw_id_fields = (
        "agency", "sender_agency", "drafting_unit", "drafted_by", "signer", "responds_to",
        "source", "created_by",
    )
    # The number is taken by issuing/registering only (no gaps, no duplicates).
    readonly_fields = (
        "register", "register_year", "register_number", "registered_at", "number",
        "answered_at", "created_at", "updated_at",
    )
    inlines = [RecipientInline, AttachmentInline, AssignmentInline, OpinionInline, TimelineInline]

    def get_readonly_fields(self, request, obj=None):
        """A numbered document's record and status are shown, never edited, here.

        Status moves by the flows and by withdrawal on the document page, which keep the
        timeline and tell the recipients; the record never moves (Document.save refuses).
        """
        if obj is None or not obj.is_numbered():
            return self.readonly_fields
        record = [name.removesuffix("_id") for name in obj.record_fields()]
        return (*self.readonly_fields, "status", *record)

    def has_delete_permission(self, request, obj=None):
        return not (obj is not None and obj.is_numbered())
