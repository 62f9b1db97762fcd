"""Recording a received document and taking its registration is one service call: all or
nothing, in a real transaction.

The claim is refused for real: a person holds the permission to register incoming documents
by a grant of their own (a guardian user permission, which the admin allows), not through
the clerks' group that the registration is open to. The page lets them in; taking the task
refuses them. Then no document, process, task, timeline entry, notice, number or stored file
may be left behind.
"""

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone, translation
from guardian.shortcuts import assign_perm
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from notifications.models import Notification
from workflows.flows import IncomingFlow
from workflows.models import (
    Attachment,
    Document,
    DocumentProcess,
    DocumentType,
    RegisterCounter,
    TimelineEntry,
)
from workflows.services.handling import incoming_receive_and_claim

from .documents_factory import pdf_upload

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

SUMMARY = "V/v sơ kết Phong trào thi đua năm 2023"


@pytest.fixture
def stand_in(world, chuyen_vien):
    """tuan.nq, a specialist given `register_incoming` on BDT as a person, not as a clerk."""
    assign_perm("accounts.register_incoming", chuyen_vien, world.agency("bdt-bac-giang"))
    return chuyen_vien


def _received(world) -> dict:
    return {
        "document_type": DocumentType.objects.get(code="cong-van"),
        "notation": "2101/SNV-TĐKT",
        "issued_on": timezone.localdate(),
        "summary": SUMMARY,
        "sender_agency": world.agency("snv-bac-giang"),
        "file": pdf_upload("2101-SNV.pdf"),
    }


def _records() -> dict[str, int]:
    return {
        "documents": Document.objects.count(),
        "processes": DocumentProcess.objects.count(),
        "tasks": Task.objects.count(),
        "attachments": Attachment.objects.count(),
        "timeline": TimelineEntry.objects.count(),
        "notices": Notification.objects.count(),
        "numbers": sum(RegisterCounter.objects.values_list("last_number", flat=True)),
    }


def _stored_files(settings) -> list[str]:
    return sorted(
        str(path.relative_to(settings.MEDIA_ROOT))
        for path in settings.MEDIA_ROOT.rglob("*") if path.is_file()
    )


def test_the_clerk_records_and_takes_the_registration_in_one_call(world, van_thu_bdt, settings):
    before = _records()
    task = incoming_receive_and_claim(clerk=van_thu_bdt, **_received(world))

    task.refresh_from_db()
    assert task.flow_task is IncomingFlow.register
    assert task.status == STATUS.ASSIGNED and task.owner == van_thu_bdt
    after = _records()
    assert (after["documents"], after["attachments"]) == (
        before["documents"] + 1, before["attachments"] + 1
    )
    assert len(_stored_files(settings)) == 1


def test_a_refused_claim_leaves_no_document_process_task_number_or_file(
    world, stand_in, settings
):
    before = _records()
    with pytest.raises(PermissionDenied):
        incoming_receive_and_claim(clerk=stand_in, **_received(world))

    assert _records() == before
    assert not Document.objects.filter(summary=SUMMARY).exists()
    assert _stored_files(settings) == []


def test_the_page_says_nothing_was_recorded_in_vietnamese_and_keeps_the_typed_fields(
    client, world, stand_in, settings
):
    before = _records()
    client.cookies["django_language"] = "vi"
    client.force_login(stand_in)
    form = {
        **_received(world),
        "document_type": DocumentType.objects.get(code="cong-van").pk,
        "issued_on": timezone.localdate().strftime("%d/%m/%Y"),
        "sender_agency": world.agency("snv-bac-giang").pk,
        "sender_name": "",
        "urgency": "normal",
        "confidentiality": "normal",
    }
    with translation.override("vi"):
        response = client.post("/documents/receive/", form)

    page = response.content.decode()
    assert response.status_code == 200
    assert "Văn bản chưa được ghi nhận: Bạn không được nhận công việc này." in page
    assert SUMMARY in page and "2101/SNV-TĐKT" in page
    assert _records() == before
    assert _stored_files(settings) == []
