"""Words viewflow's pages would otherwise show in English, and form defaults a clerk expects."""

import pytest
from django.utils import translation

from workflows.flows import IncomingFlow

from .flow_fixtures import incoming_at

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _vietnamese(client):
    client.cookies["django_language"] = "vi"
    with translation.override("vi"):
        yield


def test_the_list_pager_counts_in_vietnamese(client, world, van_thu_bdt):
    incoming_at("register")
    client.force_login(van_thu_bdt)
    page = client.get(IncomingFlow.instance.reverse("queue")).content.decode()
    assert "1–1 trong tổng số 1" in page
    assert " of " not in page


def test_the_process_panel_is_the_documents_phieu_in_vietnamese(client, world, van_thu_bdt):
    document = incoming_at("register")
    client.force_login(van_thu_bdt)
    process = document.processes.get()
    page = client.get(IncomingFlow.instance.reverse("process_detail", args=[process.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    # The phiếu xử lý of the document, not the process's raw fields (status, last decision).
    assert "Phiếu xử lý" in text and "Trích yếu" in text
    assert "Decision" not in text and "Quyết định gần nhất" not in text


def test_sending_a_signed_document_starts_with_normal_urgency_and_confidentiality(
    client, world, van_thu_hu
):
    client.force_login(van_thu_hu)
    form = client.get("/documents/send-signed/").context["form"]
    assert form["urgency"].value() == "normal"
    assert form["confidentiality"].value() == "normal"
