"""The head asks for the Excel task list in Chromium: the page says “Đang chuẩn bị tệp…” and
reloads itself (tracking/static/tracking/reload.js) until a real Celery worker, started only
then, has written the file; the download link appears and the file holds her tasks."""

import datetime
import io

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect, sync_playwright

from notifications.models import Notification
from tests import net
from tests.tracking.conftest import task_add

from .ui import Person, browser_launch

pytestmark = [pytest.mark.browser, *net.worker_process_marks()]

TASKS = 12


def test_the_waiting_page_turns_into_the_download_link(
    live_server, chromium, screenshots, private_broker, smtp_server, logged_processes,
    world, settings, tmp_path,
):
    for number in range(TASKS):
        task_add(world, content=f"Nhiệm vụ số {number}",
                 assigned_on=datetime.date(2021, 1, 4) + datetime.timedelta(days=number))
    env = net.worker_environment(
        redis_url=private_broker.url(), smtp_port=smtp_server.port, var_dir=tmp_path,
        MEDIA_ROOT=str(settings.MEDIA_ROOT),
    )
    with sync_playwright() as playwright:
        browser = browser_launch(playwright)
        with Person(browser, live_server.url, "quyen.vt", screenshots) as head:
            page = head.go("/tracking/tasks/?period=year&year=2021")
            head.click(page.get_by_role("button", name="Danh sách nhiệm vụ (Excel)"))
            page.wait_for_url("**/tracking/exports/*/")
            expect(page.locator(".lt-export-pending")).to_have_text("Đang chuẩn bị tệp…")
            head.shot("dang-chuan-bi")

            logged_processes("worker", lambda log: net.celery_worker_start(env=env, log=log))
            link = page.locator(".lt-export-download")
            expect(link).to_contain_text("Tải về nhiem-vu-20211231.xlsx", timeout=60_000)
            head.shot("tai-ve")
            with page.expect_download() as download:
                link.click()
            rows = list(load_workbook(io.BytesIO(download.value.path().read_bytes()),
                                      read_only=True).worksheets[0].iter_rows(values_only=True))
        browser.close()
    assert sorted(row[1] for row in rows[1:]) == sorted(
        f"Nhiệm vụ số {number}" for number in range(TASKS))
    assert Notification.objects.filter(recipient=world.user("quyen.vt"), kind="export").exists()
