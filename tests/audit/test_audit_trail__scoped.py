"""Changes to agencies, units, people, roles, registers and documents are recorded (who,
when, what), and an agency's administrator reads only their own agency's trail."""

import pytest
from auditlog.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission

from accounts.models import Agency, Unit
from audit.selectors import audit_entries_for
from workflows.models import Direction, Document
from workflows.services.numbering import register_for

pytestmark = pytest.mark.django_db

User = get_user_model()


@pytest.fixture
def superuser(world):
    return User.objects.create_superuser("quantri", password="x")


@pytest.fixture
def bdt_admin(world):
    """An administrator of Ban Dân tộc: staff, may read the audit trail, not a superuser."""
    admin = User.objects.create_user(
        "quantri.bdt", password="x", is_staff=True, agency=world.agency("bdt-bac-giang"),
    )
    admin.user_permissions.add(
        Permission.objects.get(codename="view_logentry", content_type__app_label="auditlog")
    )
    return admin


def _entries_of(obj):
    return LogEntry.objects.get_for_object(obj).order_by("timestamp")


def test_admin_edits_are_recorded_with_the_actor_and_the_change(client, world, superuser):
    client.force_login(superuser)
    unit = world.unit("bdt-bac-giang", "HCTH")
    response = client.post(f"/admin/accounts/unit/{unit.pk}/change/", {
        "agency": unit.agency_id, "name": "Văn phòng Ban", "symbol": unit.symbol,
        "head": unit.head_id or "", "is_active": "on",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = _entries_of(unit).last()
    assert (entry.action, entry.actor) == (LogEntry.Action.UPDATE, superuser)
    assert entry.changes_dict["name"] == [unit.name, "Văn phòng Ban"]


def test_people_roles_registers_and_documents_are_recorded(world, van_thu_bdt):
    person = world.user("tuan.nq")
    person.title = "CHUYÊN VIÊN CHÍNH"
    person.save()
    register = register_for(agency=world.agency("bdt-bac-giang"), direction=Direction.OUTGOING)
    assert _entries_of(person).last().changes_dict["title"][1] == "CHUYÊN VIÊN CHÍNH"
    assert _entries_of(register).get().action == LogEntry.Action.CREATE
    person.groups.clear()
    assert _entries_of(person).last().action == LogEntry.Action.UPDATE
    from tests.workflows.documents_factory import approved_outgoing

    document = approved_outgoing(world)
    assert _entries_of(document).filter(action=LogEntry.Action.CREATE).exists()
    assert "password" not in str([e.changes for e in _entries_of(person)])


def test_an_agency_administrator_reads_only_their_agency(client, world, bdt_admin, superuser):
    bdt, hu = world.agency("bdt-bac-giang"), world.agency("hu-luc-nam")
    for agency in (bdt, hu):
        agency.place_name = f"{agency.place_name} (sửa)"
        agency.save()
    seen = audit_entries_for(user=bdt_admin)
    agency_type = LogEntry.objects.get_for_object(bdt).first().content_type
    assert seen.filter(content_type=agency_type, object_id=bdt.pk).exists()
    assert not seen.filter(content_type=agency_type, object_id=hu.pk).exists()
    assert not seen.exclude(
        object_id__in=[*Agency.objects.filter(pk=bdt.pk).values_list("pk", flat=True),
                       *Unit.objects.filter(agency=bdt).values_list("pk", flat=True),
                       *User.objects.filter(agency=bdt).values_list("pk", flat=True),
                       *Document.objects.filter(agency=bdt).values_list("pk", flat=True)]
    ).filter(content_type=agency_type).exists()
    assert audit_entries_for(user=superuser).filter(object_id=hu.pk,
                                                    content_type=agency_type).exists()

    client.force_login(bdt_admin)
    page = client.get("/admin/auditlog/logentry/")
    assert page.status_code == 200
    text = page.content.decode()
    assert bdt.name in text and hu.name not in text
    hu_entry = LogEntry.objects.get_for_object(hu).last()
    assert client.get(f"/admin/auditlog/logentry/{hu_entry.pk}/change/").status_code in (302, 404)


def test_a_person_who_is_not_an_administrator_cannot_read_it(client, van_thu_bdt):
    client.force_login(van_thu_bdt)
    response = client.get("/admin/auditlog/logentry/")
    assert response.status_code == 302 and "/login/" in response.url
