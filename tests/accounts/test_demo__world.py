"""The demo world: the seeds' 2023 agencies and people, loaded idempotently."""

import io

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management import call_command
from guardian.conf.settings import ANONYMOUS_USER_NAME
from guardian.models import GroupObjectPermission, UserObjectPermission

from accounts.demo import PASSWORD, load_world
from accounts.models import Agency, Role, RoleGroup, Unit, User

pytestmark = pytest.mark.django_db


def _counts() -> dict:
    return {
        "agencies": Agency.objects.count(),
        "units": Unit.objects.count(),
        # guardian's migration adds its AnonymousUser: counted, and it must not change either.
        "users": User.objects.count(),
        "groups": Group.objects.count(),
        "role_groups": RoleGroup.objects.count(),
        "group_permissions": GroupObjectPermission.objects.count(),
        "user_permissions": UserObjectPermission.objects.count(),
        "memberships": User.groups.through.objects.count(),
    }


def test_loading_twice_changes_no_count(world):
    before = _counts()

    load_world()

    assert _counts() == before
    assert before["agencies"] == 8
    assert before["units"] == 4
    assert User.objects.exclude(username=ANONYMOUS_USER_NAME).count() == 25
    # Permissions sit on groups only: no per-user rows (they would grow viewflow's queues).
    assert before["user_permissions"] == 0


def test_load_demo_runs_the_loaders_and_prints_logins_and_password(settings):
    settings.DEMO_LOADERS = ["accounts.demo.load_world"]
    first, second = io.StringIO(), io.StringIO()

    call_command("load_demo", stdout=first)
    counts = _counts()
    call_command("load_demo", stdout=second)

    assert _counts() == counts
    output = second.getvalue()
    assert PASSWORD in output
    assert "quyen.vt" in output and "Vi Thanh Quyên" in output and "TRƯỞNG BAN" in output
    assert "vanthu.yenthe" in output


def test_accounts_loader_comes_first():
    assert settings.DEMO_LOADERS[0] == "accounts.demo.load_world"


def test_demo_people_can_log_in_with_the_demo_password(world, client):
    # Through the login page: the login throttle (django-axes) needs the request.
    response = client.post(
        "/accounts/login/", {"username": "vanthu.hu", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(world.user("vanthu.hu").pk)


def test_ban_dan_toc_is_the_seed_agency_with_its_leaders_and_units(world):
    bdt = world.agency("bdt-bac-giang")

    assert (bdt.name, bdt.symbol, bdt.kind) == ("Ban Dân tộc tỉnh Bắc Giang", "BDT", "state")
    assert (bdt.parent_line, bdt.header_name, bdt.place_name) == (
        "UBND TỈNH BẮC GIANG", "BAN DÂN TỘC", "Bắc Giang",
    )
    head = world.user("quyen.vt")
    assert (head.full_name, head.role, head.title) == ("Vi Thanh Quyên", Role.HEAD, "TRƯỞNG BAN")
    assert world.user("hung.nv").title == "PHÓ TRƯỞNG BAN"
    hcth = world.unit("bdt-bac-giang", "HCTH")
    assert (hcth.name, hcth.head.username) == ("Hành chính – Tổng hợp", "lan.tt")
    assert world.user("mai.ht").role == Role.CLERK and world.user("mai.ht").unit == hcth
    assert {unit.symbol for unit in bdt.units.all()} == {"HCTH", "CSDT", "TTr"}


def test_huyen_uy_luc_nam_is_a_party_body(world):
    hu = world.agency("hu-luc-nam")

    assert hu.is_party
    assert (hu.symbol, hu.header_name, hu.parent_line) == (
        "HU", "HUYỆN ỦY LỤC NAM", "ĐẢNG BỘ TỈNH BẮC GIANG",
    )
    assert world.user("vanthu.hu").unit == world.unit("hu-luc-nam", "VP")


def test_every_agency_has_a_head_and_a_clerk(world):
    for agency in Agency.objects.all():
        roles = set(agency.people.values_list("role", flat=True))
        assert {Role.HEAD, Role.CLERK} <= roles, agency.code


def test_the_four_district_offices_that_seed_000_ranks(world):
    offices = Agency.objects.filter(symbol="PDT").order_by("code")

    assert [office.name for office in offices] == [
        "Phòng Dân tộc huyện Lục Nam",
        "Phòng Dân tộc huyện Lục Ngạn",
        "Phòng Dân tộc huyện Sơn Động",
        "Phòng Dân tộc huyện Yên Thế",
    ]
    assert world.user("truongphong.sondong").agency.code == "pdt-son-dong"


def test_reloading_restores_a_changed_position_but_keeps_a_changed_password(world):
    clerk = world.user("mai.ht")
    clerk.role = Role.SPECIALIST
    clerk.set_password("mat-khau-moi-2024")
    clerk.save()

    load_world()

    clerk.refresh_from_db()
    assert clerk.role == Role.CLERK
    assert clerk.check_password("mat-khau-moi-2024")
    assert clerk.has_perm("accounts.register_incoming", world.agency("bdt-bac-giang"))
