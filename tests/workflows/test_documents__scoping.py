"""Who sees which document: own agency only; leaders and clerks all of it; others their work.

Checked on the selectors (with pinned query counts) and on the list, detail, file and
register URLs: another agency's document is a 404 by URL too.
"""

import datetime

import pytest
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from workflows.models import Assignment, Direction, Document
from workflows.selectors import document_get_for, document_list_for, register_entries_for
from workflows.services.documents import outgoing_issue
from workflows.services.numbering import number_take, register_for

from .documents_factory import approved_outgoing, document_type

pytestmark = pytest.mark.django_db


@pytest.fixture
def documents(world):
    """BDT: a reply drafted in HCTH (issued) and a request led by CSDT (registered); HU: one."""
    clerk = world.user("mai.ht")
    reply = approved_outgoing(world, drafted_by=world.user("tuan.nq"))
    with freeze_time("2023-12-05 09:00+07:00"):
        reply = outgoing_issue(document=reply, clerk=clerk)
    bdt = world.agency("bdt-bac-giang")
    register = register_for(agency=bdt, direction=Direction.INCOMING)
    request = Document.objects.create(
        agency=bdt, direction=Direction.INCOMING, status=Document.Status.REGISTERED,
        document_type=document_type(), summary="Xin ý kiến đánh giá, xếp loại",
        notation="1719-CV/HU", sender_agency=world.agency("hu-luc-nam"),
        sender_name="Huyện ủy Lục Nam", register=register, register_year=2023,
        register_number=number_take(register=register, year=2023),
        registered_at=timezone.now(),
    )
    Assignment.objects.create(
        document=request, directed_by=world.user("quyen.vt"),
        lead_unit=world.unit("bdt-bac-giang", "CSDT"),
        due_at=timezone.now() + datetime.timedelta(days=5),
    )
    other = approved_outgoing(
        world, signer="son.bt", agency_code="hu-luc-nam", unit_symbol="VP",
        recipients=("bdt-bac-giang",), summary="Báo cáo công tác dân vận",
    )
    return {"reply": reply, "request": request, "other": other}


# username → the BDT documents they see (the HU document is never among them)
MATRIX = {
    "quyen.vt": {"reply", "request"},  # head: the whole agency
    "hung.nv": {"reply", "request"},  # deputy: the whole agency
    "mai.ht": {"reply", "request"},  # clerk: the whole agency
    "lan.tt": {"reply"},  # head of HCTH, the drafting unit
    "tuan.nq": {"reply"},  # drafted it
    "ha.nt": {"request"},  # member of CSDT, the lead unit
    "minh.lv": {"request"},  # head of CSDT
    "hoa.lt": set(),  # Thanh tra: neither
    "vanthu.hu": {"other"},  # another agency: only its own
    "truongphong.lucnam": set(),  # another agency
}


def test_document_list_and_detail_follow_the_scoping_rule(world, documents):
    for username, visible in MATRIX.items():
        user = world.user(username)
        listed = set(document_list_for(user=user).values_list("pk", flat=True))
        assert listed == {documents[name].pk for name in visible}, username
        for name, document in documents.items():
            if name in visible:
                assert document_get_for(user=user, pk=document.pk) == document
            else:
                with pytest.raises(Http404):
                    document_get_for(user=user, pk=document.pk)


def test_document_urls_answer_404_outside_the_scope(client, world, documents):
    issued = documents["reply"].attachments.get()
    download_url = reverse("documents:attachment", args=[documents["reply"].pk, issued.pk])
    for username, visible in MATRIX.items():
        client.force_login(world.user(username))
        page = client.get(reverse("documents:index"))
        assert page.status_code == 200
        for name, document in documents.items():
            detail = client.get(reverse("documents:detail", args=[document.pk]))
            assert detail.status_code == (200 if name in visible else 404), (username, name)
            assert (document in page.context["documents"]) == (name in visible)
        download = client.get(download_url)
        assert download.status_code == (200 if "reply" in visible else 404), username


REGISTERS = {
    # username → (outgoing register, incoming register) of 2023 as they see them
    "mai.ht": (["01/BDT-HCTH"], ["1719-CV/HU"]),
    "tuan.nq": (["01/BDT-HCTH"], []),
    "ha.nt": ([], ["1719-CV/HU"]),
    "vanthu.hu": ([], []),
}


def test_register_pages_list_only_visible_entries(client, world, documents):
    for username, (outgoing, incoming) in REGISTERS.items():
        client.force_login(world.user(username))
        for name, expected in (("register_outgoing", outgoing), ("register_incoming", incoming)):
            page = client.get(reverse(f"documents:{name}"), {"year": 2023})
            assert page.status_code == 200
            assert [entry.notation for entry in page.context["entries"]] == expected, username


def test_selectors_run_a_fixed_number_of_queries(world, documents, django_assert_num_queries):
    clerk, specialist = world.user("mai.ht"), world.user("tuan.nq")
    for _ in range(5):
        approved_outgoing(world, drafted_by=specialist)
    # clerk: permission lookup (user and group rows, one query) + the list
    with django_assert_num_queries(2):
        assert len(list(document_list_for(user=clerk))) == 7
    with django_assert_num_queries(2):
        assert len(list(document_list_for(user=specialist))) == 6
    # + the recipients and assignments prefetches
    with django_assert_num_queries(4):
        entries = list(register_entries_for(user=clerk, direction=Direction.OUTGOING, year=2023))
        assert [entry.recipients.all()[0].agency.symbol for entry in entries] == ["HU"]
