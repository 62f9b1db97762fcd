"""Admin: the owner agency's criteria templates and scales, and campaigns for support."""

from django.contrib import admin

from .models import (
    Campaign,
    CampaignDocument,
    ClassificationBand,
    ClassificationScale,
    CriteriaTemplate,
    Submission,
    TemplateCriterion,
)
from .services.criteria import template_paths_rebuild


class TemplateCriterionInline(admin.TabularInline):
    model = TemplateCriterion
    extra = 1
    fields = ["parent", "position", "code", "title", "max_score", "guidance",
              "evidence_required", "floor"]
    ordering = ["path"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "parent":
            template_id = request.resolver_match.kwargs.get("object_id")
            kwargs["queryset"] = TemplateCriterion.objects.filter(template_id=template_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(CriteriaTemplate)
class CriteriaTemplateAdmin(admin.ModelAdmin):
    list_display = ["name", "agency"]
    list_filter = ["agency"]
    search_fields = ["name"]
    inlines = [TemplateCriterionInline]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        template_paths_rebuild(template=form.instance)


class ClassificationBandInline(admin.TabularInline):
    model = ClassificationBand
    extra = 1


@admin.register(ClassificationScale)
class ClassificationScaleAdmin(admin.ModelAdmin):
    list_display = ["name", "agency"]
    list_filter = ["agency"]
    inlines = [ClassificationBandInline]


class SubmissionInline(admin.TabularInline):
    model = Submission
    extra = 0
    fields = ["agency", "unit", "status", "extended_until", "submitted_at", "locked_at"]
    readonly_fields = ["submitted_at", "locked_at"]
    raw_id_fields = ["agency", "unit"]


class CampaignDocumentInline(admin.TabularInline):
    model = CampaignDocument
    extra = 0
    raw_id_fields = ["document", "submission"]


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ["title", "period", "owner", "status", "deadline"]
    list_filter = ["status", "owner"]
    list_select_related = ["owner"]
    search_fields = ["title"]
    raw_id_fields = ["previous", "template", "approved_by", "created_by"]
    inlines = [SubmissionInline, CampaignDocumentInline]
