"""The browser warns before uploading a file over the limit, and the form keeps what was typed:
the too-large file is taken out of its field, a smaller one can be chosen, and the form is
sent as a whole."""

import pytest
from playwright.sync_api import expect, sync_playwright

from workflows.models import Direction, Document

from .ui import Person, browser_launch

pytestmark = [
    pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)
]

SUMMARY = "V/v đề nghị báo cáo kết quả thực hiện chính sách dân tộc năm 2023"


@pytest.fixture
def large_scan(world, tmp_path, settings):
    """A 200 KB scan, over a limit of 64 KB set for the test."""
    settings.ATTACHMENT_MAX_BYTES = 64 * 1024
    path = tmp_path / "ban-quet-lon.pdf"
    path.write_bytes(b"%PDF-1.4\n" + b"0" * 200 * 1024)
    return path


def test_a_too_large_file_is_refused_in_the_browser_and_the_form_is_kept(
    live_server, chromium, screenshots, scan_pdf, large_scan
):
    with sync_playwright() as playwright:
        browser = browser_launch(playwright)
        with Person(browser, live_server.url, "vanthu.hu", screenshots) as clerk:
            page = clerk.go("/documents/send-signed/")
            clerk.fill("summary", SUMMARY)
            clerk.fill("signer_name", "Bùi Thanh Sơn")
            clerk.fill("signer_title", "BÍ THƯ")
            clerk.choose("recipient_agencies", "Ban Dân tộc tỉnh Bắc Giang")
            file_input = page.locator("input[type=file][name='file']")

            clerk.upload("file", large_scan)

            warning = page.get_by_role("alert").filter(has_text="ban-quet-lon.pdf")
            expect(warning).to_have_text(
                "Tệp “ban-quet-lon.pdf” lớn hơn mức 64,0 KB cho phép nên chưa được đính kèm: "
                "hãy chọn tệp nhỏ hơn. Những gì đã nhập vẫn được giữ nguyên."
            )
            assert file_input.evaluate("input => input.files.length") == 0
            expect(page.locator("textarea[name='summary']")).to_have_value(SUMMARY)
            expect(page.locator("input[name='signer_name']")).to_have_value("Bùi Thanh Sơn")
            clerk.shot("01-tep-qua-lon")

            clerk.upload("file", scan_pdf)

            expect(warning).to_have_count(0)
            assert file_input.evaluate("input => input.files[0].name") == scan_pdf.name
            clerk.submit("Phát hành và gửi")
            expect(page.get_by_text("đã được phát hành và gửi đi")).to_be_visible()
            clerk.shot("02-da-gui")
        browser.close()

    sent = Document.objects.get(summary=SUMMARY, direction=Direction.OUTGOING)
    assert sent.attachments.get().file.name.endswith(".pdf")
