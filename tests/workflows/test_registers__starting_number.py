"""An agency joining mid-year continues its paper register: the admin sets the year's start.

Only before the year's first number is taken; who set it, when and why stay on the counter.
"""

import pytest
from django.contrib.auth import get_user_model
from freezegun import freeze_time

from workflows.models import Direction, RegisterCounter
from workflows.services.documents import outgoing_issue
from workflows.services.numbering import register_for

from .documents_factory import approved_outgoing

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/workflows/register/"


@pytest.fixture
def admin(client, world):
    admin = get_user_model().objects.create_superuser("quantri", password="x")
    client.force_login(admin)
    return admin


@pytest.fixture
def register(world):
    return register_for(agency=world.agency("bdt-bac-giang"), direction=Direction.OUTGOING)


def _act(client, register, **form):
    data = {"action": "set_starting_number", "_selected_action": [register.pk]}
    if form:
        data |= {"apply": "1", **form}
    return client.post(CHANGELIST, data)


def test_admin_sets_the_start_and_the_next_issue_continues_from_it(
    client, world, admin, register, van_thu_bdt
):
    page = _act(client, register)
    assert page.status_code == 200 and 'name="first_number"' in page.content.decode()
    response = _act(client, register, year="2023", first_number="215",
                    reason="Sổ giấy đến hết số 214 (tháng 6/2023)")
    assert response.status_code == 302
    counter = RegisterCounter.objects.get(register=register, year=2023)
    assert (counter.first_number, counter.last_number, counter.start_set_by) == (215, 214, admin)
    assert counter.start_reason == "Sổ giấy đến hết số 214 (tháng 6/2023)"
    document = approved_outgoing(world)
    with freeze_time("2023-07-03 09:00+07:00"):
        issued = outgoing_issue(document=document, clerk=van_thu_bdt)
    assert (issued.register_number, issued.notation) == (215, "215/BDT-HCTH")


def test_the_start_cannot_move_once_a_number_is_taken(client, world, admin, register,
                                                      van_thu_bdt):
    document = approved_outgoing(world)
    with freeze_time("2023-07-03 09:00+07:00"):
        outgoing_issue(document=document, clerk=van_thu_bdt)
    response = _act(client, register, year="2023", first_number="215", reason="Muộn")
    assert response.status_code == 200
    assert "đã cấp số trong năm 2023" in response.content.decode()
    counter = RegisterCounter.objects.get(register=register, year=2023)
    assert (counter.first_number, counter.last_number) == (None, 1)


def test_a_start_can_be_corrected_until_the_first_number_is_taken(client, admin, register):
    _act(client, register, year="2024", first_number="215", reason="Sổ giấy")
    _act(client, register, year="2024", first_number="216", reason="Nhầm, sổ giấy đến 215")
    counter = RegisterCounter.objects.get(register=register, year=2024)
    assert (counter.first_number, counter.last_number) == (216, 215)


def test_no_reason_is_refused_in_vietnamese_and_nothing_changes(client, admin, register):
    response = _act(client, register, year="2024", first_number="215", reason=" ")
    assert response.status_code == 200
    assert "Trường này là bắt buộc" in response.content.decode()
    assert not RegisterCounter.objects.filter(register=register, year=2024).exists()


def test_a_person_without_admin_rights_cannot_set_it(client, world, register, van_thu_bdt):
    client.force_login(van_thu_bdt)
    response = _act(client, register, year="2024", first_number="215", reason="x")
    assert response.status_code in (302, 403)
    assert not RegisterCounter.objects.filter(register=register, year=2024).exists()
