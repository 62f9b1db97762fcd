"""Which campaigns a person finds: all of their agency's (drafts included), the opened ones
their agency takes part in, none of anyone else's; nothing for a person outside every
agency; everything for the system administrator."""

import pytest
from django.contrib.auth import get_user_model
from django.http import Http404

from evaluations.selectors import campaign_get_for, campaign_list_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaigns(bdt_builder, districts):
    """BDT ranks Lục Nam and Lục Ngạn: one campaign opened, one still a draft."""
    builder = bdt_builder
    taking_part = [a for a in districts if a.code in ("pdt-luc-nam", "pdt-luc-ngan")]
    return {
        "opened": builder.campaign(agencies=taking_part, title="Đã mở"),
        "draft": builder.campaign(agencies=taking_part, title="Bản nháp", open_=False),
    }


@pytest.mark.parametrize(("username", "expected"), [
    ("quyen.vt", {"opened", "draft"}),
    ("tuan.nq", {"opened", "draft"}),
    ("truongphong.lucnam", {"opened"}),
    ("vanthu.lucngan", {"opened"}),
    ("truongphong.yenthe", set()),
    ("vanthu.hu", set()),
])
def test_each_agency_finds_its_own_and_the_opened_ones_it_takes_part_in(
    world, campaigns, username, expected
):
    found = set(campaign_list_for(user=world.user(username)).values_list("pk", flat=True))
    assert found == {campaigns[name].pk for name in expected}


def test_a_person_outside_every_agency_finds_none_and_the_administrator_all(world, campaigns):
    people = get_user_model().objects
    nobody = people.create_user("khach", password="x")
    admin = people.create_superuser("quantri", password="x")

    assert not campaign_list_for(user=nobody).exists()
    with pytest.raises(Http404):
        campaign_get_for(user=nobody, pk=campaigns["opened"].pk)
    assert {c.pk for c in campaigns.values()} <= set(
        campaign_list_for(user=admin).values_list("pk", flat=True)
    )


def test_the_list_is_one_query(world, campaigns, django_assert_num_queries):
    participant = world.user("truongphong.lucnam")
    with django_assert_num_queries(1):
        titles = [(c.title, c.owner.symbol, c.scale.name)
                  for c in campaign_list_for(user=participant)]
    assert titles == [("Đã mở", "BDT", "Thang xếp loại")]
