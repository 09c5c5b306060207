"""Workbook 04's results in a real browser: after the pilot's weeks are appended, the page
estimates the effect with the saved design, naming the responder's disposition changes the
reading, the results are saved, and after a reload the saved results are there."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from conftest import serving
from playwright.sync_api import Page, expect

from kit.pilot.results import DECISION_NAME
from kit.workspace import Workspace

if TYPE_CHECKING:
    from conftest import Server

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

WORKBOOK = "04_design_pilot.ipynb"
PILOT = ("Area A", "Area C", "Area F")


@pytest.fixture(scope="module")
def results_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """``kit serve`` on a workspace with a saved pilot design and its weeks appended."""
    from results_samples import WEEKS, appended_workspace

    root = tmp_path_factory.mktemp("pilot-results")
    ws = appended_workspace(root / "pilotville", PILOT, WEEKS[28])
    with serving(ws.path, root) as server:
        yield server


def open_results(page: Page, server: Server) -> None:
    """Open workbook 04 and wait until the results part shows an estimate."""
    page.goto(server.page_url(WORKBOOK))
    expect(page.locator(".kit-step-04.kit-ready")).to_be_visible()
    expect(page.locator(".kit-results-body .kit-reading")).to_be_visible()
    expect(page.locator(".kit-results-running")).to_have_count(0)


def test_see_the_reading_save_it_and_find_it_after_a_reload(
    page: Page, results_server: Server, tmp_path: Path
) -> None:
    from results_samples import RESPONDER

    open_results(page, results_server)
    section = page.locator(".kit-pilot-results-section")
    assert page.get_by_text("Traceback").count() == 0
    expect(section.locator(".kit-results-last")).to_contain_text("No results are saved yet")
    expect(section.locator(".kit-results-body svg").first).to_be_visible()  # the event study
    expect(section).to_contain_text("Residents of colour")
    expect(section).to_contain_text("choose above the dispositions")

    section.locator(".kit-results-dispositions select").select_option(RESPONDER)
    reading = section.locator(".kit-results-body .kit-reading")
    expect(reading).to_contain_text("Police handled about 3")
    expect(reading).to_contain_text("fewer calls of CHECK WELFARE")
    expect(section).to_contain_text("Calls the new responder answered")
    section.locator(".kit-results-save").click()
    expect(section.locator(".kit-results-message")).to_contain_text("Saved as version 1.")
    saved = Workspace.open(results_server.workspace).decisions.latest(DECISION_NAME)
    assert saved is not None and saved.document["responder_dispositions"] == [RESPONDER]

    folder = Path(os.environ.get("KIT_SCREENSHOT_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    section.scroll_into_view_if_needed()
    page.screenshot(path=str(folder / "pilot-results.png"), full_page=True)

    page.reload()
    open_results(page, results_server)
    last = page.locator(".kit-pilot-results-section .kit-results-last")
    expect(last).to_contain_text("Version 1")
    expect(last).to_contain_text("Police handled about 3")
    picked = page.locator(".kit-results-dispositions select option:checked")
    expect(picked).to_have_text(RESPONDER)
    expect(page.locator(".kit-results-body .kit-reading")).to_contain_text("Police handled")
