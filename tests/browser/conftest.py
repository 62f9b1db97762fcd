"""Fixtures of the browser tests: Debian's chromium, the screenshot folder, sample files.

These tests drive a real Chromium through Playwright against pytest-django's `live_server`.
Everything that touches the database happens before or after the `with sync_playwright()`
block: Playwright runs an event loop in the test's thread, and Django refuses ORM calls
from a thread with a running loop (see the stack notes).
"""

import io
from pathlib import Path

import docx
import pytest
from django.conf import settings

from workflows.story import pdf_page

from .ui import CHROMIUM


@pytest.fixture(scope="session")
def chromium() -> str:
    """The path of Debian's chromium; the tests are skipped, saying why, when it is missing."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is missing: apt-get install chromium (.ci/run installs it)")
    return CHROMIUM


@pytest.fixture
def screenshots(request) -> Path:
    """VAR_DIR/screenshots/<test name>/, emptied: one PNG per step, for people to look at."""
    folder = Path(settings.VAR_DIR) / "screenshots" / request.node.name
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.png"):
        old.unlink()
    return folder


@pytest.fixture
def scan_pdf(tmp_path) -> Path:
    """A small valid PDF: the scan of a document signed on paper."""
    path = tmp_path / "1719-CV-HU.pdf"
    path.write_bytes(pdf_page("Cong van 1719-CV/HU - Huyen uy Luc Nam"))
    return path


@pytest.fixture
def draft_docx(tmp_path) -> Path:
    """A small Word file: the specialist's working draft attached to the reply."""
    document = docx.Document()
    document.add_paragraph("Dự thảo trả lời Công văn số 1719-CV/HU của Huyện ủy Lục Nam")
    buffer = io.BytesIO()
    document.save(buffer)
    path = tmp_path / "du-thao-tra-loi.docx"
    path.write_bytes(buffer.getvalue())
    return path
