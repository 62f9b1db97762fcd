"""Role groups give each position its permissions, on its own agency or unit only."""

import pytest

pytestmark = pytest.mark.django_db


def test_clerk_registers_incoming_for_her_agency_only(world, van_thu_bdt, van_thu_hu):
    bdt, hu = world.agency("bdt-bac-giang"), world.agency("hu-luc-nam")

    assert van_thu_bdt.has_perm("accounts.register_incoming", bdt)
    assert van_thu_bdt.has_perm("accounts.issue_outgoing", bdt)
    assert not van_thu_bdt.has_perm("accounts.register_incoming", hu)
    assert van_thu_hu.has_perm("accounts.register_incoming", hu)
    assert not van_thu_hu.has_perm("accounts.register_incoming", bdt)


def test_head_and_deputy_sign_and_direct_but_do_not_register(world, truong_ban, pho_truong_ban):
    bdt = world.agency("bdt-bac-giang")

    for leader in (truong_ban, pho_truong_ban):
        assert leader.has_perm("accounts.sign_outgoing", bdt)
        assert leader.has_perm("accounts.direct_incoming", bdt)
        assert not leader.has_perm("accounts.register_incoming", bdt)
    assert not truong_ban.has_perm("accounts.sign_outgoing", world.agency("hu-luc-nam"))


def test_unit_head_reviews_her_unit_only(world, truong_phong):
    hcth, csdt = world.unit("bdt-bac-giang", "HCTH"), world.unit("bdt-bac-giang", "CSDT")

    assert truong_phong.has_perm("accounts.review_unit_drafts", hcth)
    assert truong_phong.has_perm("accounts.distribute_unit_work", hcth)
    assert not truong_phong.has_perm("accounts.review_unit_drafts", csdt)
    assert not truong_phong.has_perm("accounts.sign_outgoing", world.agency("bdt-bac-giang"))


def test_specialist_handles_his_unit_work_and_nothing_more(world, chuyen_vien):
    bdt, hcth = world.agency("bdt-bac-giang"), world.unit("bdt-bac-giang", "HCTH")

    assert chuyen_vien.has_perm("accounts.handle_unit_work", hcth)
    assert not chuyen_vien.has_perm("accounts.review_unit_drafts", hcth)
    assert not chuyen_vien.has_perm("accounts.handle_unit_work", world.unit("bdt-bac-giang", "TTr"))
    for codename in ("register_incoming", "issue_outgoing", "sign_outgoing", "direct_incoming",
                     "view_agency_documents"):
        assert not chuyen_vien.has_perm(f"accounts.{codename}", bdt), codename
