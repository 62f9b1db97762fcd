"""Saving a person or a unit in the Django admin keeps the permission groups in sync."""

import pytest

from accounts.models import RoleGroup, User

pytestmark = pytest.mark.django_db


def _person_form(person: User, **changes) -> dict:
    data = {
        "username": person.username,
        "full_name": person.full_name,
        "email": person.email,
        "agency": person.agency_id or "",
        "unit": person.unit_id or "",
        "role": person.role,
        "title": person.title,
        "fields_in_charge": person.fields_in_charge,
        "is_active": "on",
        "heads_unit": "on" if person.headed_units.filter(pk=person.unit_id).exists() else "",
        "date_joined_0": "05/12/2023",
        "date_joined_1": "08:00",
    }
    data.update(changes)
    return data


def _fresh(username: str) -> User:
    # guardian caches permissions on the user object: read it again.
    return User.objects.get(username=username)


def test_moving_a_specialist_to_another_unit_moves_the_unit_permissions(
    admin_client, world, chuyen_vien
):
    hcth, csdt = world.unit("bdt-bac-giang", "HCTH"), world.unit("bdt-bac-giang", "CSDT")

    response = admin_client.post(
        f"/admin/accounts/user/{chuyen_vien.pk}/change/", _person_form(chuyen_vien, unit=csdt.pk)
    )

    assert response.status_code == 302, response.context["adminform"].errors
    moved = _fresh("tuan.nq")
    assert moved.unit == csdt
    assert moved.has_perm("accounts.handle_unit_work", csdt)
    assert not moved.has_perm("accounts.handle_unit_work", hcth)


def test_making_a_specialist_a_clerk_gives_the_clerk_permissions(admin_client, world, chuyen_vien):
    bdt = world.agency("bdt-bac-giang")
    assert not chuyen_vien.has_perm("accounts.register_incoming", bdt)

    admin_client.post(
        f"/admin/accounts/user/{chuyen_vien.pk}/change/", _person_form(chuyen_vien, role="clerk")
    )

    assert _fresh("tuan.nq").has_perm("accounts.register_incoming", bdt)


def test_unit_from_another_agency_is_refused(admin_client, world, chuyen_vien):
    office_of_hu = world.unit("hu-luc-nam", "VP")

    response = admin_client.post(
        f"/admin/accounts/user/{chuyen_vien.pk}/change/",
        _person_form(chuyen_vien, unit=office_of_hu.pk),
    )

    assert response.status_code == 200
    assert "Đơn vị này thuộc cơ quan khác." in response.content.decode()
    assert _fresh("tuan.nq").unit.symbol == "HCTH"


def test_changing_a_unit_head_moves_the_head_permissions(admin_client, world):
    csdt = world.unit("bdt-bac-giang", "CSDT")
    new_head = world.user("ha.nt")

    response = admin_client.post(
        f"/admin/accounts/unit/{csdt.pk}/change/",
        {"agency": csdt.agency_id, "name": csdt.name, "symbol": csdt.symbol,
         "head": new_head.pk, "is_active": "on"},
    )

    assert response.status_code == 302
    assert _fresh("ha.nt").has_perm("accounts.review_unit_drafts", csdt)
    assert not _fresh("minh.lv").has_perm("accounts.review_unit_drafts", csdt)
    assert _fresh("minh.lv").has_perm("accounts.handle_unit_work", csdt)


def test_head_from_another_agency_is_refused(admin_client, world):
    csdt = world.unit("bdt-bac-giang", "CSDT")

    response = admin_client.post(
        f"/admin/accounts/unit/{csdt.pk}/change/",
        {"agency": csdt.agency_id, "name": csdt.name, "symbol": csdt.symbol,
         "head": world.user("son.bt").pk, "is_active": "on"},
    )

    # The head list holds only the agency's people: another agency's person is not a choice.
    assert response.status_code == 200
    assert "Hãy chọn một lựa chọn hợp lệ." in response.content.decode()
    assert world.unit("bdt-bac-giang", "CSDT").head.username == "minh.lv"


def test_role_groups_are_listed_with_their_permissions_and_read_only(admin_client, world):
    clerks = RoleGroup.objects.get(
        scope=RoleGroup.Scope.AGENCY_ROLE, agency__code="bdt-bac-giang", role="clerk"
    )

    listing = admin_client.get("/admin/accounts/rolegroup/")

    assert listing.status_code == 200
    assert "issue_outgoing, register_incoming, view_agency_documents" in listing.content.decode()
    assert admin_client.get("/admin/accounts/rolegroup/add/").status_code == 403
    assert admin_client.post(f"/admin/accounts/rolegroup/{clerks.pk}/delete/").status_code == 403
