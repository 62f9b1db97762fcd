"""The head of Ban Dân tộc (quyen.vt) opens her home page and the task statistics: the demo
figures, the overdue list and the three charts drawn from the project's own Chart.js, also
after Turbo navigations back and forth (screenshots kept)."""

import pytest
from playwright.sync_api import expect, sync_playwright

from tracking.demo import load as tracking_demo_load
from tracking.forms import PeriodForm
from tracking.selectors import Period, task_list_for, totals_for

from .ui import Person, browser_launch

pytestmark = [
    pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)
]

CHARTS = ("lt-chart-status", "lt-chart-months", "lt-chart-units")
DRAWN = "ids => ids.every(id => window.Chart && Chart.getChart(document.getElementById(id)))"


@pytest.fixture
def demo_figures(world):
    """The tracking demo loaded; the figures the head's page must show for this year."""
    tracking_demo_load()
    head = world.user("quyen.vt")
    start, end, as_of = PeriodForm(None, user=head).period_bounds()
    return totals_for(task_list_for(user=head), Period(start=start, end=end, as_of=as_of))


def test_the_head_sees_live_figures_and_charts(live_server, chromium, screenshots,
                                               demo_figures):
    assert demo_figures.total >= 10 and demo_figures.missed and demo_figures.blocked
    with sync_playwright() as playwright:
        browser = browser_launch(playwright)
        with Person(browser, live_server.url, "quyen.vt", screenshots) as head:
            page = head.page
            body = page.locator("body")
            expect(body).to_contain_text("Tỷ lệ nhiệm vụ quá hạn")
            expect(body).to_contain_text(demo_figures.missed_percent)
            expect(body).to_contain_text("Nhiệm vụ đang quá hạn")
            head.shot("trang-chu")
            page.get_by_role("link", name="Theo dõi nhiệm vụ").first.click()
            page.wait_for_url("**/tracking/")
            expect(page.locator("#lt-totals")).to_contain_text(str(demo_figures.total))
            expect(page.locator("#lt-totals")).to_contain_text(demo_figures.missed_percent)
            expect(body).to_contain_text("Chưa được giao kinh phí")
            page.wait_for_function(DRAWN, arg=list(CHARTS))
            head.shot("thong-ke-nhiem-vu")
            # Turbo: back to the home page and forward again, the charts are drawn anew.
            page.go_back()
            expect(body).to_contain_text("Tỷ lệ nhiệm vụ quá hạn")
            page.go_forward()
            page.wait_for_function(DRAWN, arg=list(CHARTS))
            assert page.evaluate("() => Chart.instances ? Object.keys(Chart.instances).length "
                                 ": 0") == len(CHARTS)
        browser.close()
