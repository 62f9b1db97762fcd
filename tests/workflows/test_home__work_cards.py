"""The home page tells each person how much work waits for them and in their units' queue,
per flow, and links to where it waits."""

import pytest
from django.test import RequestFactory
from django.utils import translation

from workflows.flows import IncomingFlow
from workflows.home import cards

from .flow_fixtures import incoming_at

pytestmark = pytest.mark.django_db


def _cards(user) -> dict:
    request = RequestFactory().get("/home/")
    request.user = user
    with translation.override("vi"):
        return {card.title: card for card in cards(request)}


def test_a_leader_sees_the_direction_waiting_in_the_queue(world, truong_ban):
    incoming_at("direct")
    found = _cards(truong_ban)
    assert (found["Việc của tôi"].value, found["Việc chờ nhận"].value) == (0, 1)
    assert found["Việc chờ nhận"].url == IncomingFlow.instance.reverse("queue")
    assert found["Việc chờ nhận"].note == "Văn bản đến: 1"


def test_a_specialist_sees_the_document_handed_to_him(client, world, chuyen_vien):
    incoming_at("handle")
    found = _cards(chuyen_vien)
    assert found["Việc của tôi"].value == 1
    assert found["Việc của tôi"].url == IncomingFlow.instance.reverse("inbox")
    client.force_login(chuyen_vien)
    client.cookies["django_language"] = "vi"
    page = client.get("/home/").content.decode()
    assert "Việc của tôi" in page and IncomingFlow.instance.reverse("inbox") in page


def test_a_person_outside_any_agency_gets_no_work_cards(world, django_user_model):
    assert _cards(django_user_model.objects.create_user("admin2", is_superuser=True)) == {}
