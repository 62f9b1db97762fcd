"""Under the Content-Security-Policy, viewflow's pages and the admin still work: Chromium
reports no CSP violation and no script error on the pages people use most."""

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import sync_playwright

from workflows.flows import IncomingFlow
from workflows.services.routing import open_task, process_of
from workflows.story import incoming_copy, request_send

from .ui import Person, browser_launch

pytestmark = [
    pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)
]


@pytest.fixture
def addresses(world) -> list[str]:
    document = incoming_copy(request=request_send())
    process = process_of(document=document)
    task = open_task(document=document, node=IncomingFlow.register)
    get_user_model().objects.filter(username="mai.ht").update(is_staff=True, is_superuser=True)
    return [
        "/home/", "/documents/", f"/documents/{document.pk}/", "/documents/new/",
        "/documents/register/incoming/", "/incoming/queue/", f"/incoming/{process.pk}/",
        f"/incoming/{process.pk}/register/{task.pk}/", "/notifications/",
        "/admin/", "/admin/workflows/document/", f"/admin/workflows/document/{document.pk}/change/",
    ]


def test_pages_raise_no_csp_violation_or_script_error(live_server, chromium, addresses):
    problems = []
    with sync_playwright() as playwright:
        browser = browser_launch(playwright)
        with Person(browser, live_server.url, "mai.ht", None) as clerk:
            page = clerk.page
            # The admin has no favicon: the browser's own request for it is no page error.
            page.on("console", lambda message: message.type == "error"
                    and not message.location.get("url", "").endswith("/favicon.ico")
                    and problems.append((page.url, message.text)))
            page.on("pageerror", lambda error: problems.append((page.url, str(error))))
            for path in addresses:
                response = page.goto(clerk.url(path))
                assert response.status == 200, (path, response.status)
                assert "Content-Security-Policy" in {k.title() for k in response.headers}
                page.wait_for_load_state("networkidle")
        browser.close()
    assert problems == []
