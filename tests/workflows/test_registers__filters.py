"""The outgoing/incoming register pages: one year at a time, in number order, with filters."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from freezegun import freeze_time

from workflows.models import Confidentiality, Direction, Urgency
from workflows.selectors import register_entries_for
from workflows.services.documents import outgoing_issue

from .documents_factory import approved_outgoing, document_type

pytestmark = pytest.mark.django_db


@pytest.fixture
def issued(world, van_thu_bdt):
    """Four BDT documents: three in 2023 (one report, one flash), one in 2024, one secret."""

    def issue(on, **fields):
        document = approved_outgoing(world, **fields)
        with freeze_time(f"{on} 09:00+07:00"):
            return outgoing_issue(document=document, clerk=van_thu_bdt)

    return [
        issue(datetime.date(2023, 11, 20)),
        issue(datetime.date(2023, 12, 5), type_code="bao-cao", summary="Báo cáo sơ kết thi đua"),
        issue(datetime.date(2023, 12, 28), urgency=Urgency.FLASH, summary="Triệu tập họp"),
        issue(datetime.date(2024, 1, 3), summary="Kế hoạch công tác năm 2024"),
        issue(datetime.date(2023, 12, 6), confidentiality=Confidentiality.SECRET),
    ]


def _notations(user, **filters):
    entries = register_entries_for(user=user, direction=Direction.OUTGOING, **filters)
    return [entry.notation for entry in entries]


def test_a_year_lists_its_entries_in_number_order(van_thu_bdt, issued):
    assert _notations(van_thu_bdt, year=2023) == ["01/BDT-HCTH", "02/BC-BDT", "03/BDT-HCTH"]
    assert _notations(van_thu_bdt, year=2024) == ["01/BDT-HCTH"]
    assert _notations(van_thu_bdt, year=2023, confidential=True) == ["01/BDT-HCTH"]


def test_filters_by_type_text_urgency_and_dates(van_thu_bdt, issued):
    report = document_type("bao-cao").pk
    assert _notations(van_thu_bdt, year=2023, document_types=[report]) == ["02/BC-BDT"]
    assert _notations(van_thu_bdt, year=2023, text="sơ kết") == ["02/BC-BDT"]
    assert _notations(van_thu_bdt, year=2023, text="03/BDT") == ["03/BDT-HCTH"]
    assert _notations(van_thu_bdt, year=2023, urgency=Urgency.FLASH) == ["03/BDT-HCTH"]
    assert _notations(
        van_thu_bdt, year=2023, date_from=datetime.date(2023, 12, 1),
        date_to=datetime.date(2023, 12, 27),
    ) == ["02/BC-BDT"]


def test_register_page_reads_filters_from_the_query_and_prints_dates(client, van_thu_bdt, issued):
    client.force_login(van_thu_bdt)
    url = reverse("documents:register_outgoing")
    page = client.get(url, {"year": "2023", "date_from": "01/12/2023", "date_to": "31/12/2023"})
    assert [e.notation for e in page.context["entries"]] == ["02/BC-BDT", "03/BDT-HCTH"]
    html = page.content.decode()
    assert "Sổ văn bản đi" in html and "05/12/2023" in html and "Huyện ủy Lục Nam" in html
    bad = client.get(url, {"year": "2023", "date_from": "31/12/2023", "date_to": "01/12/2023"})
    assert "Ngày bắt đầu sau ngày kết thúc." in bad.content.decode()
    secret = client.get(url, {"year": "2023", "confidential": "1"})
    assert [e.notation for e in secret.context["entries"]] == ["01/BDT-HCTH"]


def test_only_whole_agency_readers_open_the_confidential_register(client, world, issued):
    specialist = world.user("tuan.nq")
    client.force_login(specialist)
    page = client.get(reverse("documents:register_outgoing"), {"year": 2023, "confidential": "1"})
    assert page.context["confidential"] is False
    assert "01/BDT-HCTH" in [e.notation for e in page.context["entries"]]
    assert not any(e.register.is_confidential for e in page.context["entries"])


def test_document_types_are_editable_in_the_admin(client, world):
    admin = get_user_model().objects.create_superuser("quantri", password="x")
    client.force_login(admin)
    changelist = client.get(reverse("admin:workflows_documenttype_changelist"))
    assert changelist.status_code == 200
    assert "Giấy ủy quyền" in changelist.content.decode()
    register_page = client.get(reverse("admin:workflows_register_changelist"))
    assert register_page.status_code == 200
