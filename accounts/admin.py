"""The Django admin for who is who: agencies, units, people, and their permission groups.

Saving a unit or a person goes through the services, so the role groups (and the guardian
permissions behind them) always follow the position written in the form.
"""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermission

from .models import Agency, RoleGroup, Unit, User
from .services import unit_set_head, user_sync_groups

admin.site.site_header = "Liên thông văn bản"
admin.site.site_title = "Liên thông văn bản"
admin.site.index_title = _("Administration")


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "symbol", "kind", "place_name", "is_active", "merged_into")
    list_filter = ("kind", "is_active")
    search_fields = ("name", "code", "symbol")
    autocomplete_fields = ("parent", "merged_into")
    fieldsets = (
        (None, {"fields": ("code", "name", "symbol", "kind", "email")}),
        (_("Document header"), {"fields": ("parent_line", "header_name", "place_name")}),
        (_("Organisation"), {"fields": ("parent", "is_active", "merged_into")}),
    )


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ("name", "symbol", "agency", "head", "is_active")
    list_filter = ("agency", "is_active")
    list_select_related = ("agency", "head")
    search_fields = ("name", "symbol", "agency__name")
    autocomplete_fields = ("agency", "head")

    def save_model(self, request, obj, form, change):
        new_head = obj.head
        # Save with the head on record, then let the service move the head's groups.
        obj.head_id = form.initial.get("head") if change else None
        super().save_model(request, obj, form, change)
        unit_set_head(unit=obj, head=new_head)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ("username", "full_name", "agency", "unit", "role", "title", "is_active")
    list_filter = ("agency", "role", "is_active", "is_staff")
    list_select_related = ("agency", "unit")
    search_fields = ("username", "full_name", "email")
    autocomplete_fields = ("agency", "unit")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Person"), {"fields": ("full_name", "email")}),
        (_("Position"), {"fields": ("agency", "unit", "role", "title", "fields_in_charge")}),
        (
            _("Access"),
            {
                "fields": ("is_active", "is_staff", "is_superuser", "groups"),
                "description": _(
                    "Role groups follow the position above and are set again on saving."
                ),
            },
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "username", "password1", "password2",
                    "full_name", "email", "agency", "unit", "role", "title",
                ),
            },
        ),
    )

    def save_related(self, request, form, formsets, change):
        # After the form's groups are saved: they would otherwise undo the sync.
        super().save_related(request, form, formsets, change)
        user_sync_groups(user=form.instance)


@admin.register(RoleGroup)
class RoleGroupAdmin(admin.ModelAdmin):
    """Read-only: the services create these groups and their permissions."""

    list_display = ("group", "scope", "agency", "unit", "role", "permissions")
    list_filter = ("scope", "role", "agency")
    search_fields = ("group__name", "agency__name", "unit__name")

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("group", "agency", "unit__agency")
            .prefetch_related(
                Prefetch(
                    "group__groupobjectpermission_set",
                    queryset=GroupObjectPermission.objects.select_related("permission"),
                )
            )
        )

    @admin.display(description=_("permissions"))
    def permissions(self, obj):
        return ", ".join(
            sorted(row.permission.codename for row in obj.group.groupobjectpermission_set.all())
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
