"""A participant's specialist fills in a self-assessment of 20 leaves in the browser and
submits it: Nguyễn Thị Hà of Ban Dân tộc answers Sở Nội vụ's campaign. A score above a
leaf's maximum comes back with the Vietnamese message and everything typed still there.
Screenshots of every step land in VAR_DIR/screenshots/."""

import pytest
from playwright.sync_api import expect, sync_playwright

from evaluations.demo import dan_van_campaign
from evaluations.models import CampaignDocument, Round, Score, Submission

from .ui import Person, browser_launch

pytestmark = [
    pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)
]


@pytest.fixture
def campaign(world):
    return dan_van_campaign()


def test_specialist_fills_20_leaves_and_submits(live_server, chromium, screenshots, campaign,
                                                scan_pdf):
    leaves = list(campaign.criteria.filter(is_leaf=True).order_by("path"))
    assert len(leaves) == 20
    # Full marks but one point short on every second leaf; 1.1 first typed too high.
    scores = {leaf.pk: leaf.max_score - (n % 2) for n, leaf in enumerate(leaves)}
    too_high = leaves[0]
    with sync_playwright() as playwright:
        browser = browser_launch(playwright)
        with Person(browser, live_server.url, "ha.nt", screenshots) as specialist:
            page = specialist.go("/evaluations/")
            page.get_by_role("link", name="Chấm điểm công tác dân vận chính quyền").click()
            specialist.shot("1-dot-danh-gia")
            page.get_by_role("link", name="Bản tự đánh giá của đơn vị").click()
            expect(page.locator(".ev-status")).to_have_text("Đang tự chấm")
            specialist.shot("2-mau-tu-cham")
            for leaf in leaves:
                value = scores[leaf.pk] + (1 if leaf == too_high else 0)
                page.fill(f"[name='score-{leaf.pk}']", f"{value}".replace(".", ","))
                page.fill(f"[name='explanation-{leaf.pk}']", f"Giải trình tiêu chí {leaf.code}.")
            page.set_input_files(f"[name='evidence-{too_high.pk}']", str(scan_pdf))
            page.get_by_role("button", name="Lưu điểm", exact=True).click()
            page.wait_for_load_state("networkidle")
            expect(page.locator(".ev-message--error")).to_contain_text(
                f"Điểm của tiêu chí 1.1 {too_high.title[:60]} tối đa là 6 điểm; 7 là quá mức.")
            expect(page.locator(f"[name='explanation-{leaves[-1].pk}']")).to_have_value(
                f"Giải trình tiêu chí {leaves[-1].code}.")
            specialist.shot("3-diem-qua-muc")
            page.fill(f"[name='score-{too_high.pk}']", "6")
            page.set_input_files(f"[name='evidence-{too_high.pk}']", str(scan_pdf))
            page.get_by_role("button", name="Lưu điểm", exact=True).click()
            page.wait_for_load_state("networkidle")
            expect(page.locator(".ev-message--success")).to_contain_text("Đã lưu điểm tự chấm.")
            expect(page.locator(".ev-total")).to_have_text("90")
            specialist.shot("4-da-luu")
            page.get_by_role("button", name="Nộp bản tự đánh giá").click()
            page.wait_for_load_state("networkidle")
            expect(page.locator(".ev-status")).to_have_text("Đã nộp")
            expect(page.locator("[name^='score-']")).to_have_count(0)
            specialist.shot("5-da-nop")
        browser.close()

    submission = Submission.objects.get(campaign=campaign)
    assert submission.status == Submission.Status.SUBMITTED
    saved = dict(Score.objects.filter(submission=submission, round=Round.SELF)
                 .values_list("criterion_id", "value"))
    assert saved == scores
    evidence = Score.objects.get(criterion=too_high, round=Round.SELF)
    assert evidence.evidence_file.read().startswith(b"%PDF-")
    report = CampaignDocument.objects.get(submission=submission).document
    assert report.document_type.code == "bao-cao"
