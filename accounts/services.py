"""Writes about agencies and people: positions and the permission groups behind them."""

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from guardian.utils import get_group_obj_perms_model

from .models import Agency, Role, RoleGroup, Unit, User

# Which agency-level permissions each role holds, on its own agency object.
AGENCY_PERMISSIONS_BY_ROLE = {
    Role.HEAD: ("view_agency_documents", "direct_incoming", "sign_outgoing"),
    Role.DEPUTY: ("view_agency_documents", "direct_incoming", "sign_outgoing"),
    Role.CLERK: ("view_agency_documents", "register_incoming", "issue_outgoing"),
    Role.UNIT_HEAD: (),
    Role.SPECIALIST: (),
}
UNIT_MEMBER_PERMISSIONS = ("handle_unit_work",)
UNIT_HEAD_PERMISSIONS = ("distribute_unit_work", "review_unit_drafts", "handle_unit_work")


def _group_for(*, scope, agency, unit=None, role="", name, permissions, target):
    """Return the RoleGroup for the key, creating its Group and guardian rows once."""
    role_group = (
        RoleGroup.objects.select_related("group")
        .filter(scope=scope, agency=agency, unit=unit, role=role)
        .first()
    )
    if role_group is None:
        group, _created = Group.objects.get_or_create(name=name)
        role_group = RoleGroup.objects.create(
            group=group, scope=scope, agency=agency, unit=unit, role=role
        )
        # One INSERT for the group's rows: the demo world and imports create many groups.
        content_type = ContentType.objects.get_for_model(target)
        rows_model = get_group_obj_perms_model()
        rows_model.objects.bulk_create(
            [
                rows_model(
                    group=group, permission=permission,
                    content_type=content_type, object_pk=str(target.pk),
                )
                for permission in Permission.objects.filter(
                    content_type=content_type, codename__in=permissions
                )
            ],
            ignore_conflicts=True,
        )
    return role_group


def agency_role_group(*, agency: Agency, role: str) -> RoleGroup:
    """The group of everyone holding `role` in `agency`, with its agency permissions."""
    return _group_for(
        scope=RoleGroup.Scope.AGENCY_ROLE,
        agency=agency,
        role=role,
        name=f"{agency.code}: {Role(role).label}",
        permissions=AGENCY_PERMISSIONS_BY_ROLE[Role(role)],
        target=agency,
    )


def unit_members_group(*, unit: Unit) -> RoleGroup:
    """The group of a unit's members (they handle the unit's work)."""
    return _group_for(
        scope=RoleGroup.Scope.UNIT_MEMBERS,
        agency=unit.agency,
        unit=unit,
        name=f"{unit.agency.code}/{unit.symbol}: members",
        permissions=UNIT_MEMBER_PERMISSIONS,
        target=unit,
    )


def unit_head_group(*, unit: Unit) -> RoleGroup:
    """The group of a unit's head (distributes work, reviews drafts)."""
    return _group_for(
        scope=RoleGroup.Scope.UNIT_HEAD,
        agency=unit.agency,
        unit=unit,
        name=f"{unit.agency.code}/{unit.symbol}: head",
        permissions=UNIT_HEAD_PERMISSIONS,
        target=unit,
    )


@transaction.atomic
def user_sync_groups(*, user: User) -> None:
    """Put `user` in exactly the role groups their position implies.

    Called whenever a position changes (admin, load_demo, imports). Groups that are not
    role groups (made by hand in the admin) are left alone.
    """
    wanted = set()
    if user.agency_id and user.role:
        wanted.add(agency_role_group(agency=user.agency, role=user.role).group_id)
    if user.unit_id:
        wanted.add(unit_members_group(unit=user.unit).group_id)
    for unit in Unit.objects.filter(head=user).select_related("agency"):
        wanted.add(unit_head_group(unit=unit).group_id)
    current = set(
        user.groups.filter(role_group__isnull=False).values_list("id", flat=True)
    )
    if current - wanted:
        user.groups.remove(*(current - wanted))
    if wanted - current:
        user.groups.add(*(wanted - current))


@transaction.atomic
def unit_set_head(*, unit: Unit, head: User | None) -> Unit:
    """Make `head` the head of `unit`, moving the head's permissions from the previous one."""
    previous = unit.head
    unit.head = head
    unit.save(update_fields=["head"])
    for person in {previous, head} - {None}:
        user_sync_groups(user=person)
    return unit
