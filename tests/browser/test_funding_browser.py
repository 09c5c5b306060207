"""Workbook 03 in a real browser: change the response target, see the teams needed change,
enter a funding source, save, reload and find both kept."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from playwright.sync_api import Page, expect

from kit.funding import DECISION_NAME
from kit.workspace import Workspace

if TYPE_CHECKING:
    from conftest import Server

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

WORKBOOK = "03_identify_funding.ipynb"
HOSTILE = "<img src=x onerror=alert(1)> Fund"
SOURCE = "Positions left unfilled"


def open_step(page: Page, server: Server) -> None:
    """Open workbook 03 and wait until its figures show what the workspace holds now."""
    page.goto(server.page_url(WORKBOOK))
    expect(page.locator(".kit-step-03.kit-ready")).to_be_visible()
    expect(page.locator(".kit-funding-teams svg")).to_be_visible()


def type_into(page: Page, selector: str, value: str) -> None:
    """Replace what a field (or a slider's readout) holds, as a person types it."""
    page.locator(selector).click()
    page.keyboard.press("Control+A")
    page.keyboard.type(value)
    page.keyboard.press("Enter")


def test_change_target_add_money_save_and_reload(
    page: Page, app_server: Server, tmp_path: Path
) -> None:
    """A stricter response target changes the teams needed; a funding source named with markup
    shows as text and can be removed; the page to print downloads; what is saved is there
    after a reload."""
    alerts: list[str] = []
    page.on("dialog", lambda dialog: (alerts.append(dialog.message), dialog.dismiss()))
    open_step(page, app_server)
    assert page.get_by_text("Traceback").count() == 0
    if Workspace.open(app_server.workspace).decisions.latest("role_assignments") is None:
        # A first visit with no step 02 plan: both shipped examples, and a note saying so.
        expect(page.locator(".kit-funding-scenario select")).to_have_value("Both together")
        expect(page.locator(".kit-funding-plan-note")).to_contain_text("No plan is saved")
    expect(page.locator(".kit-funding-headline")).to_contain_text("Officer hours freed a year")
    comparison = page.locator(".kit-funding-comparison")
    expect(comparison.locator("td").first).to_be_visible()
    expect(page.locator(".kit-funding-tornado svg")).to_be_visible()
    team_hours = page.locator(".kit-funding-team-hours")
    before = team_hours.text_content()
    assert before and "team-hours a week" in before
    type_into(page, ".kit-funding-target-minutes .widget-readout", "12")
    expect(team_hours).not_to_have_text(before)
    after = team_hours.text_content()
    expect(comparison).to_contain_text("Press Compare scenarios")

    expect(page.locator(".kit-funding-source-remove")).to_be_hidden()
    type_into(page, ".kit-funding-source-name input", HOSTILE)
    page.locator(".kit-funding-source-add").click()
    expect(page.locator(".kit-funding-sources")).to_contain_text(HOSTILE)
    page.locator(".kit-funding-source-pick select").select_option(label=HOSTILE)
    page.locator(".kit-funding-source-remove").click()
    expect(page.locator(".kit-funding-sources")).to_contain_text("No funding sources entered")
    type_into(page, ".kit-funding-source-name input", SOURCE)
    type_into(page, ".kit-funding-source-amount input", "250000")
    page.locator(".kit-funding-source-status select").select_option("committed")
    page.locator(".kit-funding-source-add").click()
    expect(page.locator(".kit-funding-sources")).to_contain_text(SOURCE)
    expect(page.locator(".kit-funding-checklist")).to_contain_text("$250,000")
    expect(page.locator(".kit-funding-gap td").nth(2)).to_have_text("$250,000")
    page.locator(".kit-funding-compare").click()
    expect(comparison.locator("td").first).to_be_visible()
    page.locator(".kit-funding-sensitivity").click()
    expect(page.locator(".kit-funding-tornado svg")).to_be_visible()
    page.locator(".kit-funding-reverse-run").click()
    expect(page.locator(".kit-funding-reverse")).to_contain_text("smaller police budget removes")
    page.locator(".kit-save").click()
    expect(page.locator(".kit-message")).to_contain_text("Saved as version")
    saved = Workspace.open(app_server.workspace).decisions.latest(DECISION_NAME)
    assert saved is not None and saved.document["target"]["minutes"] == 12
    assert [s["name"] for s in saved.document["funding_sources"]] == [SOURCE]
    page.locator(".kit-funding-print").click()
    with page.expect_download() as download:
        page.locator(".kit-funding-print-link").click()
    assert download.value.suggested_filename == "funding-port-calder.html"
    printed = Path(download.value.path()).read_text(encoding="utf-8")
    assert "Calls reached within 12 minutes" in printed and SOURCE in printed

    height = page.evaluate(
        "Math.ceil(document.querySelector('.kit-step-03').getBoundingClientRect().height) + 80"
    )
    page.set_viewport_size({"width": 1280, "height": height})
    folder = Path(os.environ.get("KIT_SCREENSHOT_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / "funding.png"), full_page=True)
    assert (folder / "funding.png").stat().st_size > 10_000

    page.set_viewport_size({"width": 1280, "height": 900})
    page.reload()
    open_step(page, app_server)
    expect(page.locator(".kit-funding-target-minutes .widget-readout")).to_have_text("12")
    expect(team_hours).to_have_text(after or "")
    expect(page.locator(".kit-funding-sources")).to_contain_text(SOURCE)
    assert page.locator("img[src=x]").count() == 0 and alerts == []
