"""An administrator sets up an agency, its units and its people in one pass in the Django admin."""

import pytest

from accounts.models import Agency, Unit, User

pytestmark = pytest.mark.django_db


def _agency_form(**changes) -> dict:
    data = {
        "name": "Sở Tư pháp tỉnh Điện Biên",
        "symbol": "STP",
        "code": "",
        "kind": "state",
        "email": "",
        "parent_line": "UBND TỈNH ĐIỆN BIÊN",
        "header_name": "SỞ TƯ PHÁP",
        "place_name": "Điện Biên",
        "is_active": "on",
        "units-TOTAL_FORMS": "2",
        "units-INITIAL_FORMS": "0",
        "units-MIN_NUM_FORMS": "0",
        "units-MAX_NUM_FORMS": "1000",
        "units-0-name": "Văn phòng",
        "units-0-symbol": "VP",
        "units-0-is_active": "on",
        "units-1-name": "Phòng Hành chính tư pháp",
        "units-1-symbol": "HCTP",
        "units-1-is_active": "on",
    }
    data.update(changes)
    return data


def _person_form(**changes) -> dict:
    data = {
        "username": "hoa.dt",
        "usable_password": "true",
        "password1": "Dien-Bien-2025!",
        "password2": "Dien-Bien-2025!",
        "full_name": "Đỗ Thị Hoa",
        "email": "hoa.dt@example.org",
        "agency": "",
        "unit": "",
        "role": "",
        "title": "",
    }
    data.update(changes)
    return data


def test_an_agency_and_its_units_are_created_in_one_post_with_a_code_folded_from_the_symbol(
    admin_client, world
):
    response = admin_client.post("/admin/accounts/agency/add/", _agency_form(), follow=True)

    agency = Agency.objects.get(name="Sở Tư pháp tỉnh Điện Biên")
    assert agency.code == "stp-dien-bien"
    assert sorted(agency.units.values_list("symbol", flat=True)) == ["HCTP", "VP"]
    (message,) = [str(m) for m in response.context["messages"]]
    assert message.startswith("cơ quan “<a href=")
    assert message.endswith(">Sở Tư pháp tỉnh Điện Biên</a>” được thêm vào thành công.")


def test_a_code_already_taken_gets_a_number(admin_client, world):
    admin_client.post(
        "/admin/accounts/agency/add/",
        _agency_form(name="Ban Dân tộc (bản sao)", symbol="BDT", place_name="Bắc Giang"),
    )

    assert Agency.objects.get(name="Ban Dân tộc (bản sao)").code == "bdt-bac-giang-2"


def test_a_code_written_by_hand_is_kept(admin_client, world):
    admin_client.post("/admin/accounts/agency/add/", _agency_form(code="so-tu-phap-db"))

    assert Agency.objects.get(name="Sở Tư pháp tỉnh Điện Biên").code == "so-tu-phap-db"


def test_a_person_without_agency_or_role_is_refused_in_vietnamese_and_keeps_what_was_typed(
    admin_client, world
):
    response = admin_client.post("/admin/accounts/user/add/", _person_form())

    page = response.content.decode()
    assert response.status_code == 200
    assert "Hãy chọn cơ quan người này làm việc." in page
    assert "Hãy chọn vai trò của người này trong cơ quan." in page
    assert 'value="Đỗ Thị Hoa"' in page
    assert not User.objects.filter(username="hoa.dt").exists()


def test_a_staff_member_needs_no_agency(admin_client, world):
    response = admin_client.post("/admin/accounts/user/add/", _person_form(is_staff="on"))

    assert response.status_code == 302
    assert User.objects.get(username="hoa.dt").agency is None


def test_the_head_of_a_new_unit_is_set_when_the_person_is_added(admin_client, world):
    admin_client.post("/admin/accounts/agency/add/", _agency_form())
    office = Unit.objects.get(agency__code="stp-dien-bien", symbol="VP")

    response = admin_client.post(
        "/admin/accounts/user/add/",
        _person_form(agency=office.agency_id, unit=office.pk, role="unit_head",
                     title="CHÁNH VĂN PHÒNG", heads_unit="on"),
    )

    assert response.status_code == 302
    hoa = User.objects.get(username="hoa.dt")
    assert Unit.objects.get(pk=office.pk).head == hoa
    assert hoa.has_perm("accounts.review_unit_drafts", office)


def test_heads_the_unit_without_a_unit_is_refused(admin_client, world):
    agency = world.agency("bdt-bac-giang")

    response = admin_client.post(
        "/admin/accounts/user/add/",
        _person_form(agency=agency.pk, role="specialist", heads_unit="on"),
    )

    assert response.status_code == 200
    assert "Hãy chọn đơn vị người này làm trưởng." in response.content.decode()


def test_the_units_on_the_agency_page_offer_only_the_agency_people_as_head(admin_client, world):
    bdt = world.agency("bdt-bac-giang")

    page = admin_client.get(f"/admin/accounts/agency/{bdt.pk}/change/").content.decode()

    assert f'<option value="{world.user("ha.nt").pk}"' in page
    assert f'<option value="{world.user("son.bt").pk}"' not in page


def test_choosing_a_head_on_the_agency_page_moves_the_head_permissions(admin_client, world):
    bdt = world.agency("bdt-bac-giang")
    units = list(bdt.units.order_by("pk"))
    csdt_index = next(i for i, unit in enumerate(units) if unit.symbol == "CSDT")
    data = _agency_form(
        name=bdt.name, symbol=bdt.symbol, code=bdt.code, kind=bdt.kind,
        parent_line=bdt.parent_line, header_name=bdt.header_name, place_name=bdt.place_name,
        **{"units-TOTAL_FORMS": str(len(units)), "units-INITIAL_FORMS": str(len(units))},
    )
    for index, unit in enumerate(units):
        data |= {
            f"units-{index}-id": unit.pk, f"units-{index}-agency": bdt.pk,
            f"units-{index}-name": unit.name, f"units-{index}-symbol": unit.symbol,
            f"units-{index}-head": unit.head_id or "", f"units-{index}-is_active": "on",
        }
    data[f"units-{csdt_index}-head"] = world.user("ha.nt").pk
    if bdt.parent_id:
        data["parent"] = bdt.parent_id

    response = admin_client.post(f"/admin/accounts/agency/{bdt.pk}/change/", data)

    assert response.status_code == 302, response.context["adminform"].errors
    csdt = world.unit("bdt-bac-giang", "CSDT")
    assert User.objects.get(username="ha.nt").has_perm("accounts.review_unit_drafts", csdt)
    assert not User.objects.get(username="minh.lv").has_perm("accounts.review_unit_drafts", csdt)
