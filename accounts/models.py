"""Who is who: agencies, their units, people and the roles they hold.

Everything here is data edited in the admin: since 2025 agencies merge and the district
level is gone, so no organisation, symbol or title is written into code.
"""

from django.conf import settings
from django.contrib.auth.models import AbstractUser, Group
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class Agency(models.Model):
    """An issuing body (cơ quan, tổ chức): Ban Dân tộc tỉnh Bắc Giang, Huyện ủy Lục Nam…"""

    class Kind(models.TextChoices):
        STATE = "state", _("State agency")
        PARTY = "party", _("Party body")

    code = models.SlugField(
        _("code"), max_length=64, unique=True,
        help_text=_("Stable identifier used by imports and the demo data."),
    )
    name = models.CharField(_("full name"), max_length=255)
    header_name = models.CharField(
        _("name in the document header"), max_length=255,
        help_text=_("Printed in capitals under the parent line, e.g. BAN DÂN TỘC."),
    )
    parent_line = models.CharField(
        _("parent agency line"), max_length=255, blank=True,
        help_text=_("Printed above the agency name, e.g. UBND TỈNH BẮC GIANG."),
    )
    symbol = models.CharField(_("symbol"), max_length=20, help_text=_("e.g. BDT, HU, SNV."))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.STATE)
    place_name = models.CharField(
        _("place name"), max_length=100, help_text=_("Used in dates: “Bắc Giang, ngày …”."),
    )
    email = models.EmailField(_("e-mail"), blank=True)
    parent = models.ForeignKey(
        "self", verbose_name=_("superior agency"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="children",
    )
    is_active = models.BooleanField(_("active"), default=True)
    merged_into = models.ForeignKey(
        "self", verbose_name=_("merged into"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="merged_agencies",
    )

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        ordering = ["name"]
        permissions = [
            ("view_agency_documents", _("See all documents of the agency")),
            ("register_incoming", _("Register incoming documents")),
            ("issue_outgoing", _("Number and issue outgoing documents")),
            ("direct_incoming", _("Direct incoming documents to units")),
            ("sign_outgoing", _("Approve and sign outgoing documents")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(merged_into=models.F("pk")),
                name="agency_not_merged_into_itself",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_party(self):
        return self.kind == self.Kind.PARTY


class Unit(models.Model):
    """A unit inside an agency (phòng, văn phòng): Hành chính – Tổng hợp (HCTH)…"""

    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.CASCADE, related_name="units"
    )
    name = models.CharField(_("name"), max_length=255)
    symbol = models.CharField(_("symbol"), max_length=20, help_text=_("e.g. HCTH."))
    head = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("head"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="headed_units",
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["agency__name", "name"]
        permissions = [
            ("distribute_unit_work", _("Hand the unit's work to its specialists")),
            ("review_unit_drafts", _("Review the unit's drafts")),
            ("handle_unit_work", _("Handle the unit's work")),
        ]
        constraints = [
            models.UniqueConstraint(fields=["agency", "symbol"], name="unit_symbol_unique"),
        ]

    def __str__(self):
        return f"{self.name} ({self.agency.symbol})"

    def clean(self):
        if self.head_id and self.agency_id and self.head.agency_id != self.agency_id:
            raise ValidationError({"head": _("The head must be a person of the unit's agency.")})


class Role(models.TextChoices):
    """What a person does in their agency (DOMAIN.md, Roles)."""

    HEAD = "head", _("Head")
    DEPUTY = "deputy", _("Deputy head")
    UNIT_HEAD = "unit_head", _("Unit head")
    SPECIALIST = "specialist", _("Specialist")
    CLERK = "clerk", _("Clerk")


LEADER_ROLES = (Role.HEAD, Role.DEPUTY)


class User(AbstractUser):
    """A person with one position: an agency, optionally a unit, a role and a printed title."""

    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="people",
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="members",
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, blank=True)
    title = models.CharField(
        _("printed title"), max_length=100, blank=True,
        help_text=_("As printed in the signature block, e.g. TRƯỞNG BAN."),
    )
    fields_in_charge = models.TextField(
        _("fields in charge"), blank=True,
        help_text=_("For a deputy: the fields the head gave them."),
    )

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["full_name", "username"]

    def __str__(self):
        return self.get_full_name()

    def clean(self):
        """A person works in an agency in a role; only the system's staff may have neither."""
        super().clean()
        errors = {}
        if not (self.is_staff or self.is_superuser):
            if not self.agency_id:
                errors["agency"] = _("Choose the agency this person works in.")
            if not self.role:
                errors["role"] = _("Choose this person's role in the agency.")
        if self.unit_id and self.unit.agency_id != self.agency_id:
            errors["unit"] = _("This unit belongs to another agency.")
        if errors:
            raise ValidationError(errors)

    def get_full_name(self):
        return self.full_name or super().get_full_name() or self.username

    def get_short_name(self):
        return self.get_full_name()

    @property
    def is_leader(self):
        return self.role in LEADER_ROLES


class RoleGroup(models.Model):
    """The permission group of one role in one agency, or of one unit's members or head.

    Guardian object permissions are granted to these groups on the Agency or Unit object,
    never per user or per document, so a person's queue query stays the same size however
    many documents exist.
    """

    class Scope(models.TextChoices):
        AGENCY_ROLE = "agency_role", _("Role in an agency")
        UNIT_MEMBERS = "unit_members", _("Members of a unit")
        UNIT_HEAD = "unit_head", _("Head of a unit")

    group = models.OneToOneField(Group, on_delete=models.CASCADE, related_name="role_group")
    scope = models.CharField(max_length=20, choices=Scope.choices)
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="role_groups")
    unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.CASCADE, related_name="role_groups"
    )
    role = models.CharField(max_length=20, choices=Role.choices, blank=True)

    class Meta:
        verbose_name = _("role group")
        verbose_name_plural = _("role groups")
        constraints = [
            models.UniqueConstraint(
                fields=["scope", "agency", "role"],
                condition=models.Q(unit__isnull=True),
                name="role_group_agency_unique",
            ),
            models.UniqueConstraint(
                fields=["scope", "unit"],
                condition=models.Q(unit__isnull=False),
                name="role_group_unit_unique",
            ),
        ]

    def __str__(self):
        return self.group.name
