"""Workbook 05 in a real browser: the brief is shown in its frame and downloads as HTML."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from playwright.sync_api import Page, expect

if TYPE_CHECKING:
    from conftest import Server

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

WORKBOOK = "05_plan_brief.ipynb"


def test_open_the_brief_and_download_it_as_html(page: Page, app_server: Server) -> None:
    """The page shows the brief's summary in its frame; the HTML link saves the whole brief."""
    page.goto(app_server.page_url(WORKBOOK))
    expect(page.locator(".kit-step-05.kit-ready")).to_be_visible()
    frame = page.frame_locator(".kit-brief-frame")
    expect(frame.locator(".kit-brief-summary")).to_contain_text("What moves off police")
    link = page.locator("a.kit-brief-html")
    expect(link).to_be_visible()
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename == f"port-calder-brief-{date.today()}.html"
    saved = Path(download.value.path()).read_text(encoding="utf-8")
    assert "Port Calder: rethinking public safety" in saved
    assert page.get_by_text("Traceback").count() == 0
