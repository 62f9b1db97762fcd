"""Admin for the reference data (document types, registers) and for inspecting documents.

Document types and registers are edited here; documents are changed through the flows, so
their admin shows the record (numbers, timeline) read-only where the law makes it a record.
"""

from django.contrib import admin

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
    # Decree 30 Art. 15: a number once taken is a record; counters move only by issuing.
    readonly_fields = ("year", "last_number")
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Register)
class RegisterAdmin(admin.ModelAdmin):
    list_display = ("name", "agency", "direction", "is_confidential", "is_active")
    list_filter = ("direction", "is_confidential", "is_active", "agency")
    search_fields = ("name", "agency__name", "agency__symbol")
    list_select_related = ("agency",)
    inlines = [RegisterCounterInline]


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
