"""One look in a real Chromium: no JavaScript error on pages with multi-selects, the
dd/mm/yyyy date picker, the deadline a number of working days gives, the kanban within the
screen, sans-serif text, the login page in the site's colours, and a task link that opens
after logging in. Screenshots under var/screenshots/<test>/."""

import re

import pytest
from django.urls import get_resolver
from playwright.sync_api import expect, sync_playwright
from viewflow.workflow import STATUS
from viewflow.workflow.models import Task

from workflows import demo
from workflows.flows import IncomingFlow, OutgoingFlow
from workflows.models import Document
from workflows.services.routing import open_task

from .ui import PASSWORD, Person, browser_launch

pytestmark = [
    pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)
]

SITE_PRIMARY = "rgb(142, 27, 27)"  # config/site.py: #8e1b1b


def _task_path(task) -> str:
    get_resolver().url_patterns  # noqa: B018 (viewflow names its URLs once the URLconf loads)
    return task.flow_task.reverse("index", args=[task.process_id, task.pk])


@pytest.fixture
def demo_tasks(world) -> dict[str, str]:
    """The demo's 1719-CV/HU waiting for the head's direction, and tuan.nq's draft."""
    demo.load()
    request = Document.objects.get(agency__code="bdt-bac-giang", source__notation="1719-CV/HU")
    draft = Task.objects.get(
        flow_task=OutgoingFlow.draft, owner__username="tuan.nq", status=STATUS.ASSIGNED
    )
    return {
        "direct": _task_path(open_task(document=request, node=IncomingFlow.direct)),
        "draft": _task_path(draft),
    }


def _collect_errors(page) -> list[str]:
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error"
            else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


def _open_every_multi_select(page) -> None:
    fields = page.locator("vf-field-select-multiple")
    for index in range(fields.count()):
        fields.nth(index).click()
        page.locator("vf-field-select-multiple .mdc-menu-surface--open .mdc-list-item").first\
            .click()
        page.keyboard.press("Escape")
    labels = page.evaluate(
        "Array.from(document.querySelectorAll('[aria-label]')).map(e => e.ariaLabel)"
    )
    assert not [label for label in labels if "Food" in label or "picker" in label]


def test_pages_with_multi_selects_and_dates_work_in_vietnamese(
    live_server, chromium, screenshots, demo_tasks
):
    with sync_playwright() as playwright:
        browser = browser_launch(playwright)
        with Person(browser, live_server.url, "quyen.vt", screenshots) as head:
            errors = _collect_errors(head.page)
            head.go(demo_tasks["direct"] + "assign/")
            head.page.get_by_role("button", name="Nhận và xử lý").click()
            head.page.wait_for_url(re.compile(r"/execute/"))
            _open_every_multi_select(head.page)

            head.page.locator("input[name=working_days]").fill("5")
            preview = head.page.locator(".lt-deadline-preview")
            expect(preview).to_contain_text(re.compile(r"Hạn xử lý: 17:00 .* \d\d/\d\d/\d{4}"))
            expect(preview).to_contain_text("không tính thứ Bảy, Chủ nhật, ngày lễ")

            head.page.locator("[data-datepicker] input").click()
            calendar = head.page.locator(".flatpickr-calendar.open")
            expect(calendar).to_contain_text("T2")  # weeks from Monday, in Vietnamese
            calendar.locator(".flatpickr-day:not(.prevMonthDay):not(.nextMonthDay)").nth(27)\
                .click()
            due_on = head.page.locator("[data-datepicker] input").input_value()
            assert re.fullmatch(r"28/\d\d/\d{4}", due_on), due_on
            head.shot("chi-dao-xu-ly")

            font = head.page.evaluate("getComputedStyle(document.body).fontFamily")
            assert "Roboto" in font and "serif" not in font.replace("sans-serif", "")

            head.go("/incoming/")
            board = head.page.locator(".vf-dashboard__grid")
            expect(board).to_be_visible()
            assert board.evaluate("board => board.scrollWidth <= board.clientWidth")
            head.shot("tong-quan")
            assert errors == []

        with Person(browser, live_server.url, "tuan.nq", screenshots) as specialist:
            errors = _collect_errors(specialist.page)
            specialist.go(demo_tasks["draft"] + "execute/")
            _open_every_multi_select(specialist.page)
            specialist.go("/documents/register/incoming/")
            specialist.page.locator("[data-datepicker] input").first.fill("01/11/2023")
            specialist.shot("so-van-ban-den")
            assert errors == []
        browser.close()


def test_a_task_link_opened_signed_out_asks_to_log_in_then_opens_the_task(
    live_server, chromium, screenshots, demo_tasks
):
    with sync_playwright() as playwright:
        browser = browser_launch(playwright)
        context = browser.new_context(locale="vi-VN")
        page = context.new_page()
        errors = _collect_errors(page)
        page.goto(live_server.url + demo_tasks["direct"])
        page.wait_for_url(re.compile(r"/accounts/login/\?next="))
        background = page.evaluate(
            "getComputedStyle(document.querySelector('.vf-page-lockscreen')).backgroundColor"
        )
        assert background == SITE_PRIMARY
        page.screenshot(path=str(screenshots / "dang-nhap.png"))
        page.fill("input[name=username]", "quyen.vt")
        page.fill("input[name=password]", PASSWORD)
        page.get_by_role("button", name="Đăng nhập").click()
        page.wait_for_url(re.compile(re.escape(demo_tasks["direct"])))
        expect(page.locator(".vf-card__title").first).to_contain_text("Chỉ đạo xử lý")
        assert errors == []
        browser.close()
