"""What a person does in the browser, in the words of the Vietnamese pages.

Helpers for the Playwright tests: log in, find a task in a queue or inbox and open it, fill
viewflow's Material fields (its selects are MDC menus, not native selects), submit, and keep
a screenshot of each step. No database access here: the tests run these inside the
`sync_playwright()` block, where Django's ORM is off limits.
"""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Browser, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

PASSWORD = "lienthong2023"  # every demo account's (accounts/demo.py)
CHROMIUM = "/usr/bin/chromium"
# Debian's chromium as a CI container runs it (see the stack notes).
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TASK_LINK = re.compile(r"^#\d+/\d+$")
TIMEOUT_MS = 15_000


def browser_launch(playwright) -> Browser:
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


class Person:
    """One person at their own browser (a fresh context: no cookies shared with others)."""

    def __init__(self, browser: Browser, base_url: str, username: str, shots: Path | None):
        self.username = username
        self.base_url = base_url.rstrip("/")
        self.shots = shots
        self.context = browser.new_context(locale="vi-VN", accept_downloads=True)
        self.context.set_default_timeout(TIMEOUT_MS)
        self.page: Page = self.context.new_page()

    def __enter__(self) -> Person:
        self.log_in()
        return self

    def __exit__(self, *exc) -> None:
        self.context.close()

    def url(self, path: str) -> str:
        return f"{self.base_url}{path}"

    def go(self, path: str) -> Page:
        self.page.goto(self.url(path))
        return self.page

    def log_in(self) -> None:
        page = self.go("/accounts/login/")
        expect(page.get_by_role("button", name="Đăng nhập")).to_be_visible()
        page.fill("input[name=username]", self.username)
        page.fill("input[name=password]", PASSWORD)
        page.get_by_role("button", name="Đăng nhập").click()
        page.wait_for_url(lambda url: "/accounts/login/" not in url)

    def shot(self, name: str) -> None:
        if self.shots is not None:
            self.page.wait_for_load_state("networkidle")
            self.page.screenshot(path=str(self.shots / f"{name}.png"), full_page=True)

    # Tasks ------------------------------------------------------------------------------

    def task_open(self, *, flow: str, listing: str, task_title: str, document: str) -> None:
        """From the flow's “Việc chờ nhận” (queue) or “Việc của tôi” (inbox) list, open the
        task `task_title` of the document whose text contains `document`, take it if it is
        not theirs yet, and arrive at its form."""
        page = self.go(f"/{flow}/{listing}/")
        row = page.locator("tr", has_text=document).filter(has_text=task_title).first
        expect(row).to_be_visible()
        row.locator("a").filter(has_text=TASK_LINK).click()
        page.wait_for_url(re.compile(rf"/{flow}/\d+/\w+/\d+/"))
        take = page.get_by_role("button", name="Nhận việc và tiếp tục")
        if listing == "queue" or take.count():
            take.click()
        page.wait_for_url(re.compile(r"/execute/"))
        expect(page.locator(".vf-card__title").first).to_contain_text(task_title)

    def submit(self, label: str = "Thực hiện") -> None:
        """Press the form's button `label` and wait for the next page; a form sent back with
        errors fails the test with the page's text (the messages the person would read)."""
        page = self.page
        start = page.url
        page.get_by_role("button", name=label, exact=True).click()
        try:
            page.wait_for_url(lambda url: url != start)
        except PlaywrightTimeoutError:
            raise AssertionError(
                f"{self.username}: “{label}” did not lead on: {page.inner_text('main')}"
            ) from None
        page.wait_for_load_state("networkidle")

    # Fields -----------------------------------------------------------------------------

    def choose(self, name: str, *labels: str) -> None:
        """Pick `labels` in the select (or multiple select) field `name`."""
        field = self.page.locator(
            f"vf-field-select[name='{name}'], vf-field-select-multiple[name='{name}']"
        )
        for label in labels:
            anchor = field.locator(".mdc-select__anchor")
            if anchor.get_attribute("aria-expanded") != "true":
                anchor.click()
            # A single select lists options; a multiple select, checkbox items.
            field.locator("[role=option], [role=checkbox]").filter(
                has_text=re.compile(rf"^\s*{re.escape(label)}\s*$")
            ).click()
        if field.locator(".mdc-select__anchor").get_attribute("aria-expanded") == "true":
            self.page.keyboard.press("Escape")
        for label in labels:
            expect(field.locator(".mdc-select__selected-text")).to_contain_text(label)

    def fill(self, name: str, value: str) -> None:
        self.page.locator(f"[name='{name}']:is(input, textarea)").fill(value)

    def radio(self, name: str, label: str) -> None:
        self.page.locator(f"[name='{name}']").locator("..").get_by_text(label, exact=True).click()

    def upload(self, name: str, path: Path) -> None:
        self.page.locator(f"input[type=file][name='{name}']").set_input_files(str(path))
