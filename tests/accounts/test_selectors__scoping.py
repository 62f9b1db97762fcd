"""Agency scoping: a person reads their own agency's units and people, never another's."""

import pytest
from django.http import Http404

from accounts.models import User
from accounts.selectors import (
    agency_list_for,
    person_get_for,
    person_list_for,
    scope_to_agency,
    unit_get_for,
    unit_list_for,
)

pytestmark = pytest.mark.django_db


def test_a_person_of_agency_a_cannot_load_a_unit_of_agency_b(world, van_thu_hu):
    unit_of_bdt = world.unit("bdt-bac-giang", "HCTH")

    with pytest.raises(Http404):
        unit_get_for(user=van_thu_hu, pk=unit_of_bdt.pk)


def test_a_person_of_agency_a_cannot_load_a_person_of_agency_b(world, van_thu_hu, truong_ban):
    with pytest.raises(Http404):
        person_get_for(user=van_thu_hu, pk=truong_ban.pk)


def test_own_agency_units_and_people_load(world, van_thu_bdt, truong_ban):
    csdt = world.unit("bdt-bac-giang", "CSDT")

    assert unit_get_for(user=van_thu_bdt, pk=csdt.pk) == csdt
    assert person_get_for(user=van_thu_bdt, pk=truong_ban.pk) == truong_ban


def test_lists_hold_only_the_own_agency(world, van_thu_bdt, van_thu_hu):
    assert {unit.symbol for unit in unit_list_for(user=van_thu_bdt)} == {"HCTH", "CSDT", "TTr"}
    assert {unit.symbol for unit in unit_list_for(user=van_thu_hu)} == {"VP"}
    assert {person.agency.code for person in person_list_for(user=van_thu_hu)} == {"hu-luc-nam"}
    assert list(agency_list_for(user=van_thu_hu)) == [world.agency("hu-luc-nam")]


def test_a_person_without_agency_sees_nothing_and_a_superuser_everything(world):
    nobody = User.objects.create_user("khach", password="x")
    admin = User.objects.create_superuser("quantri", password="x")

    assert not unit_list_for(user=nobody).exists()
    assert scope_to_agency(User.objects.all(), user=nobody).count() == 0
    assert unit_list_for(user=admin).count() == 4


def test_unit_list_is_one_query(world, van_thu_bdt, django_assert_num_queries):
    with django_assert_num_queries(1):
        units = [(unit.agency.symbol, unit.head) for unit in unit_list_for(user=van_thu_bdt)]
    assert len(units) == 3
