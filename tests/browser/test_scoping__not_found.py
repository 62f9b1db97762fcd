"""A person of another agency who types the address of a document, its file, its process or
its task gets the “not found” page, in Vietnamese; Ban Dân tộc's own clerk opens the same
addresses (so the addresses are right, and only the agency makes the difference)."""

import pytest
from playwright.sync_api import expect, sync_playwright

from workflows.flows import IncomingFlow
from workflows.models import Attachment
from workflows.services.routing import open_task, process_of
from workflows.story import incoming_copy, request_send

from .ui import Person, browser_launch

# serialized_rollback: a transactional test before this one flushed the document types
# (and other rows) that migrations put in; this brings them back.
pytestmark = [
    pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)
]

NOT_FOUND = "404 Không tìm thấy trang"


@pytest.fixture
def bdt_addresses(world) -> dict[str, str]:
    """The addresses of Ban Dân tộc's copy of 1719-CV/HU, waiting to be registered."""
    document = incoming_copy(request=request_send())
    process = process_of(document=document)
    task = open_task(document=document, node=IncomingFlow.register)
    scan = document.attachments.get(kind=Attachment.Kind.ORIGINAL)
    return {
        "document": f"/documents/{document.pk}/",
        "file": f"/documents/{document.pk}/files/{scan.pk}/",
        "process": f"/incoming/{process.pk}/",
        "task": f"/incoming/{process.pk}/register/{task.pk}/",
    }


def test_another_agency_typing_the_addresses_gets_not_found(
    live_server, chromium, screenshots, bdt_addresses
):
    with sync_playwright() as playwright:
        browser = browser_launch(playwright)
        with Person(browser, live_server.url, "vanthu.snv", screenshots) as outsider:
            for name, path in bdt_addresses.items():
                response = outsider.page.goto(outsider.url(path))
                assert response.status == 404, (name, response.status)
                expect(outsider.page.locator("body")).to_contain_text(NOT_FOUND)
                expect(outsider.page.locator("body")).to_contain_text(
                    "Trang bạn yêu cầu không tồn tại hoặc thuộc về cơ quan khác."
                )
                outsider.shot(f"so-noi-vu-{name}")
        with Person(browser, live_server.url, "mai.ht", screenshots) as clerk:
            for name, path in bdt_addresses.items():
                if name == "file":
                    with clerk.page.expect_download() as download:
                        clerk.page.evaluate("url => { location.href = url }", clerk.url(path))
                    assert download.value.path().read_bytes().startswith(b"%PDF-")
                    continue
                response = clerk.page.goto(clerk.url(path))
                assert response.status == 200, (name, response.status)
                expect(clerk.page.locator("body")).to_contain_text("1719-CV/HU")
        browser.close()
