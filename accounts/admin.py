"""The Django admin for who is who: agencies, units, people, and their permission groups.

An administrator sets up an agency in one pass: the agency page carries its units (the code
is derived from the symbol when left blank), then each person is added with their agency,
unit and role, ticking “heads the unit” for the unit's head. Saving a unit or a person goes
through the services, so the role groups (and the guardian permissions behind them) always
follow the position written in the form.
"""

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermission

from .models import Agency, RoleGroup, Unit, User
from .selectors import agency_free_code
from .services import unit_set_head, user_sync_groups

admin.site.site_header = "Liên thông văn bản"
admin.site.site_title = "Liên thông văn bản"
admin.site.index_title = _("Administration")


class AgencyForm(forms.ModelForm):
    class Meta:
        model = Agency
        fields = (
            "name", "symbol", "code", "kind", "email", "parent_line", "header_name",
            "place_name", "parent", "is_active", "merged_into",
        )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].required = False
        self.fields["code"].help_text = _(
            "Left blank, it is made from the symbol and the place name, e.g. bdt-bac-giang."
        )

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("code") and cleaned.get("symbol") and cleaned.get("place_name"):
            cleaned["code"] = agency_free_code(
                symbol=cleaned["symbol"], place_name=cleaned["place_name"],
                exclude_pk=self.instance.pk,
            )
        return cleaned


class UnitHeadAmongAgencyPeople(forms.ModelForm):
    """A unit form whose head list holds only the people of the unit's agency."""

    agency_id: int | None = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "head" not in self.fields:
            return
        agency_id = self.agency_id or self.instance.agency_id
        self.fields["head"].queryset = User.objects.filter(agency_id=agency_id).order_by(
            "full_name", "username"
        )


def _save_unit_keeping_head_groups(unit: Unit, form: forms.ModelForm) -> None:
    """Save the unit with the head on record, then let the service move the head's groups."""
    new_head = unit.head
    unit.head_id = form.initial.get("head") if unit.pk else None
    unit.save()
    unit_set_head(unit=unit, head=new_head)


class UnitInline(admin.TabularInline):
    model = Unit
    form = UnitHeadAmongAgencyPeople
    fields = ("name", "symbol", "head", "is_active")
    extra = 3

    def get_formset(self, request, obj=None, **kwargs):
        form = type(
            "UnitOfAgencyForm", (self.form,), {"agency_id": obj.pk if obj else None}
        )
        return super().get_formset(request, obj, form=form, **kwargs)


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    form = AgencyForm
    inlines = (UnitInline,)
    list_display = ("name", "code", "symbol", "kind", "place_name", "is_active", "merged_into")
    list_filter = ("kind", "is_active")
    search_fields = ("name", "code", "symbol")
    autocomplete_fields = ("parent", "merged_into")
    fieldsets = (
        (None, {"fields": ("name", "symbol", "code", "kind", "email")}),
        (_("Document header"), {"fields": ("parent_line", "header_name", "place_name")}),
        (_("Organisation"), {"fields": ("parent", "is_active", "merged_into")}),
    )

    def save_formset(self, request, form, formset, change):
        if formset.model is not Unit:
            return super().save_formset(request, form, formset, change)
        saved = formset.save(commit=False)
        for unit_form in formset.forms:
            if unit_form.instance in saved:
                _save_unit_keeping_head_groups(unit_form.instance, unit_form)
        for unit in formset.deleted_objects:
            unit.delete()


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    form = UnitHeadAmongAgencyPeople
    list_display = ("name", "symbol", "agency", "head", "is_active")
    list_filter = ("agency", "is_active")
    list_select_related = ("agency", "head")
    search_fields = ("name", "symbol", "agency__name")
    autocomplete_fields = ("agency",)

    def get_fields(self, request, obj=None):
        # The head is chosen among the agency's people, known once the unit has its agency.
        fields = ("agency", "name", "symbol", "head", "is_active")
        return fields if obj else tuple(f for f in fields if f != "head")

    def save_model(self, request, obj, form, change):
        _save_unit_keeping_head_groups(obj, form)


def _heads_unit_field() -> forms.BooleanField:
    return forms.BooleanField(
        label=_("heads the unit"), required=False,
        help_text=_("Makes this person the head of the unit chosen above."),
    )


class HeadsUnitCheck:
    """The “heads the unit” box of the person forms: the unit's head is set from the person."""

    def set_heads_unit_initial(self):
        person = self.instance
        self.fields["heads_unit"].initial = bool(
            person.pk and person.unit_id and person.unit.head_id == person.pk
        )

    def clean_heads_unit(self):
        heads_unit = self.cleaned_data["heads_unit"]
        if heads_unit and not self.cleaned_data.get("unit"):
            raise forms.ValidationError(_("Choose the unit this person heads."))
        return heads_unit


class PersonChangeForm(HeadsUnitCheck, UserChangeForm):
    heads_unit = _heads_unit_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.set_heads_unit_initial()


class PersonCreationForm(HeadsUnitCheck, AdminUserCreationForm):
    heads_unit = _heads_unit_field()


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = PersonChangeForm
    add_form = PersonCreationForm
    list_display = ("username", "full_name", "agency", "unit", "role", "title", "is_active")
    list_filter = ("agency", "role", "is_active", "is_staff")
    list_select_related = ("agency", "unit")
    search_fields = ("username", "full_name", "email")
    autocomplete_fields = ("agency", "unit")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Person"), {"fields": ("full_name", "email")}),
        (
            _("Position"),
            {"fields": ("agency", "unit", "heads_unit", "role", "title", "fields_in_charge")},
        ),
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
                    "username", "usable_password", "password1", "password2",
                    "full_name", "email", "agency", "unit", "heads_unit", "role", "title",
                    "is_staff",
                ),
            },
        ),
    )

    def save_related(self, request, form, formsets, change):
        # After the form's groups are saved: they would otherwise undo the sync.
        super().save_related(request, form, formsets, change)
        person = form.instance
        user_sync_groups(user=person)
        heads_unit = form.cleaned_data["heads_unit"]
        if heads_unit and person.unit.head_id != person.pk:
            unit_set_head(unit=person.unit, head=person)
        for unit in person.headed_units.exclude(pk=person.unit_id if heads_unit else None):
            unit_set_head(unit=unit, head=None)


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
