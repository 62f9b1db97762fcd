"""Admin of the tracking app: the task categories (data, not code) and the tasks."""

from django.contrib import admin

from .models import Category, ExtensionRequest, ProgressReport, TrackedTask


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "sort_order", "is_active")
    list_editable = ("sort_order", "is_active")
    prepopulated_fields = {"code": ("name",)}


class ProgressReportInline(admin.TabularInline):
    model = ProgressReport
    extra = 0
    raw_id_fields = ("author",)


class ExtensionRequestInline(admin.TabularInline):
    model = ExtensionRequest
    extra = 0
    raw_id_fields = ("requested_by", "decided_by")


@admin.register(TrackedTask)
class TrackedTaskAdmin(admin.ModelAdmin):
    list_display = ("content", "agency", "category", "lead_unit", "handler", "assigned_on",
                    "due_on", "completed_on")
    list_filter = ("agency", "category")
    search_fields = ("content", "source_notation")
    date_hierarchy = "assigned_on"
    raw_id_fields = ("assignment", "handler", "directed_by", "created_by", "deadline")
    filter_horizontal = ("supporting_units",)
    list_select_related = ("agency", "category", "lead_unit__agency", "handler")
    inlines = [ProgressReportInline, ExtensionRequestInline]
