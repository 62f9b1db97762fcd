"""What a person does in the browser, in the words of the Vietnamese pages.

Helpers for the Playwright tests: log in, take a task from a queue or open it from an inbox,
fill viewflow's Material fields (its selects are MDC menus, not native selects), submit, and
keep a screenshot of each step. Every click, and every page opened by its address (which a
person would reach with a click on the menu), is counted in `Clicks`. No database access
here: the tests run these inside the `sync_playwright()` block, where Django's ORM is off
limits.
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
TIMEOUT_MS = 15_000


class Clicks:
    """How many clicks a story took, all people together."""

    def __init__(self):
        self.count = 0

    def add(self, n: int = 1) -> None:
        self.count += n


def browser_launch(playwright) -> Browser:
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


class Person:
    """One person at their own browser (a fresh context: no cookies shared with others)."""

    def __init__(
        self, browser: Browser, base_url: str, username: str, shots: Path | None,
        clicks: Clicks | None = None,
    ):
        self.username = username
        self.clicks = clicks or Clicks()
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
        """Open a page by its address: counted as the click on the menu that leads there."""
        self.clicks.add()
        self.page.goto(self.url(path))
        return self.page

    def click(self, locator) -> None:
        self.clicks.add()
        locator.click()

    def log_in(self) -> None:
        page = self.go("/accounts/login/")
        expect(page.get_by_role("button", name="Đăng nhập")).to_be_visible()
        page.fill("input[name=username]", self.username)
        page.fill("input[name=password]", PASSWORD)
        self.click(page.get_by_role("button", name="Đăng nhập"))
        page.wait_for_url(lambda url: "/accounts/login/" not in url)

    def shot(self, name: str) -> None:
        if self.shots is not None:
            self.page.wait_for_load_state("networkidle")
            self.page.screenshot(path=str(self.shots / f"{name}.png"), full_page=True)

    # Tasks ------------------------------------------------------------------------------

    def task_take(self, *, flow: str, task_title: str, document: str) -> None:
        """From the flow's “Việc chờ nhận” (queue), take the task `task_title` of the document
        whose text contains `document` with its row's “Nhận và xử lý”: one click to its form."""
        self.go(f"/{flow}/queue/")
        row = self._task_row(task_title, document)
        self.click(row.get_by_role("button", name="Nhận và xử lý"))
        self._at_task_form(flow, task_title)

    def task_open(self, *, flow: str, task_title: str, document: str) -> None:
        """From the flow's “Việc của tôi” (inbox), open the task `task_title` of the document
        whose text contains `document` by clicking its row (not a link in it)."""
        self.go(f"/{flow}/inbox/")
        row = self._task_row(task_title, document)
        # Anywhere on the row: towards its right end, away from the task's name.
        box = row.bounding_box()
        self.clicks.add()
        row.click(position={"x": box["width"] * 0.8, "y": box["height"] / 2})
        self._at_task_form(flow, task_title)

    def _task_row(self, task_title: str, document: str):
        row = self.page.locator("tr", has_text=document).filter(has_text=task_title).first
        expect(row).to_be_visible()
        # Rows are named by their task and document, never by numbers (“#35/187”).
        expect(row).to_contain_text(f"{task_title} – ")
        return row

    def _at_task_form(self, flow: str, task_title: str) -> None:
        page = self.page
        page.wait_for_url(re.compile(rf"/{flow}/\d+/\w+/\d+/execute/"))
        expect(page.locator(".vf-card__title").first).to_contain_text(task_title)
        # The phiếu follows the task: taken, it is no longer waiting.
        expect(page.locator(".lt-sheet__task")).to_contain_text("đang do")

    def sheet_shows(
        self, *, summary: str, files: dict[str, str], draft_body: str = "",
        draft_text: str = "",
    ) -> None:
        """The phiếu xử lý beside the form shows the full summary and the files, each with
        its preview (a PDF served inline; a Word file as text, showing `files[name]`); for
        review and sign, the draft's body and the preview of the document as it will be
        issued, showing `draft_text`."""
        page = self.page
        expect(page.locator(".lt-sheet__summary")).to_have_text(summary)
        for name, text in files.items():
            item = page.locator(".lt-file", has_text=name)
            expect(item).to_be_visible()
            preview = item.locator("iframe.lt-preview")
            src = preview.get_attribute("src")
            response = page.request.get(self.url(src))
            assert response.ok, (name, response.status)
            if name.endswith(".pdf"):
                assert response.headers["content-type"] == "application/pdf", name
                assert response.headers["content-disposition"].startswith("inline"), name
            else:
                expect(item.locator("summary")).to_be_visible()
                if item.get_attribute("open") is None:
                    self.click(item.locator("summary"))
                frame = page.frame_locator(f"iframe.lt-preview[src='{src}']")
                expect(frame.locator(".lt-paper")).to_contain_text(text)
        if draft_body:
            expect(page.locator(".lt-sheet__draft-body")).to_have_text(draft_body)
            frame = page.frame_locator("iframe.lt-sheet__draft-preview")
            expect(frame.locator(".lt-paper")).to_contain_text(draft_text)

    def submit(self, label: str = "Thực hiện") -> None:
        """Press the form's button `label` and wait for the next page; a form sent back with
        errors fails the test with the page's text (the messages the person would read)."""
        page = self.page
        start = page.url
        self.click(page.get_by_role("button", name=label, exact=True))
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
                self.click(anchor)
            # A single select lists options; a multiple select, checkbox items.
            self.click(field.locator("[role=option], [role=checkbox]").filter(
                has_text=re.compile(rf"^\s*{re.escape(label)}\s*$")
            ))
        if field.locator(".mdc-select__anchor").get_attribute("aria-expanded") == "true":
            self.page.keyboard.press("Escape")
        for label in labels:
            expect(field.locator(".mdc-select__selected-text")).to_contain_text(label)

    def fill(self, name: str, value: str) -> None:
        self.page.locator(f"[name='{name}']:is(input, textarea)").fill(value)

    def chosen(self, name: str, label: str) -> None:
        """The select `name` already shows `label` (a default the person keeps)."""
        field = self.page.locator(f"vf-field-select[name='{name}']")
        expect(field.locator(".mdc-select__selected-text")).to_contain_text(label)

    def radio(self, name: str, label: str) -> None:
        self.click(
            self.page.locator(f"[name='{name}']").locator("..").get_by_text(label, exact=True)
        )

    def upload(self, name: str, path: Path) -> None:
        self.page.locator(f"input[type=file][name='{name}']").set_input_files(str(path))
