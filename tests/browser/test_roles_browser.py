"""Workbook 02 in a real browser: change who answers a call type, see the totals move,
save, reload and find the plan kept."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from playwright.sync_api import Page, expect

from kit.roles import DECISION_NAME
from kit.roles.presets import describe
from kit.taxonomy import FAMILY_LABELS
from kit.workspace import Workspace

if TYPE_CHECKING:
    from conftest import Server

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

WORKBOOK = "02_delineate_roles.ipynb"


def open_step(page: Page, server: Server) -> None:
    """Open workbook 02 and wait until its figures show what the workspace holds now."""
    page.goto(server.page_url(WORKBOOK))
    expect(page.locator(".kit-step-02.kit-ready")).to_be_visible()
    expect(page.locator(".kit-roles-freed-hours")).to_be_visible()


def set_number(page: Page, selector: str, value: int) -> None:
    box = page.locator(f"{selector} input")
    box.fill(str(value))
    box.press("Enter")


def foot_clear_of_the_summary_bar(page: Page) -> None:
    """Scrolled to the very end, the headline line is pinned to the window's foot and the
    page's last control sits above it, where it can be clicked."""
    page.locator(".lm-BoxPanel-child:has(.kit-step)").evaluate("e => e.scrollTo(0, e.scrollHeight)")
    bar, last = page.locator(".kit-summary-bar"), page.locator(".kit-glossary")
    window = page.viewport_size
    assert window is not None
    expect(bar).to_be_in_viewport()
    expect(last).to_be_in_viewport()
    top, foot = bar.bounding_box(), last.bounding_box()
    assert top is not None and foot is not None
    assert abs(top["y"] + top["height"] - window["height"]) <= 2
    assert foot["y"] + foot["height"] <= top["y"]


def test_change_a_responder_save_and_reload(page: Page, app_server: Server, tmp_path: Path) -> None:
    """A call type handed to another responder moves the totals, shows in the charter to print,
    and is kept after a save."""
    open_step(page, app_server)
    assert page.get_by_text("Traceback").count() == 0
    freed = page.locator(".kit-roles-freed-calls")
    before = freed.inner_text()
    page.locator(".kit-roles-filter select").select_option(label=FAMILY_LABELS["behavioral_health"])
    expect(page.locator(".kit-roles-page")).to_contain_text("Page 1 of")
    page.locator(".kit-roles-search input").fill("WELCHK")
    page.locator(".kit-roles-search input").press("Enter")
    expect(page.locator(".kit-roles-types-box tr.kit-roles-type-row")).to_have_count(1)
    expect(page.locator(".kit-roles-type select")).to_have_value(re.compile(r"^WELCHK\b"))
    set_number(page, ".kit-roles-share-crisis_team", 60)
    expect(page.locator(".kit-roles-police-share")).to_contain_text("Police keep 40.0%")
    expect(freed).not_to_have_text(before)
    expect(page.locator(".kit-roles-types-box")).to_contain_text("Crisis team 60%")
    expect(page.locator(".kit-roles-hours td").first).to_be_visible()
    set_number(page, ".kit-roles-share-cso", 50)
    greyed = page.locator(".kit-roles-plan-figures.kit-greyed")
    expect(greyed).to_contain_text("add up to 110%")
    expect(page.locator(".kit-summary-bar.kit-greyed")).to_be_visible()
    set_number(page, ".kit-roles-share-cso", 0)
    expect(greyed).to_have_count(0)
    expect(page.locator(".kit-roles-types-box")).to_contain_text("Crisis team 60%")
    page.locator(".kit-roles-save").click()
    expect(page.locator(".kit-message")).to_contain_text("Saved as version")
    after = freed.inner_text()
    with page.expect_download() as download:
        page.locator(".kit-roles-charter-link").click()
    assert download.value.suggested_filename == "role-charter-port-calder.html"
    printed = Path(download.value.path()).read_text(encoding="utf-8")
    assert printed.startswith("<!DOCTYPE html>") and "Port Calder: a plan for who" in printed
    assert "WELCHK (CHECK WELFARE) (60%)" in printed

    page.reload()
    open_step(page, app_server)
    expect(freed).to_have_text(after)
    page.locator(".kit-roles-search input").fill("WELCHK")
    page.locator(".kit-roles-search input").press("Enter")
    expect(page.locator(".kit-roles-types-box")).to_contain_text("Crisis team 60%")
    expect(page.locator(".kit-roles-share-crisis_team input")).to_have_value("60")
    saved = Workspace.open(app_server.workspace).decisions.latest(DECISION_NAME)
    assert saved is not None and saved.document["assignments"]["WELCHK"] == {
        "police": 0.4,
        "crisis_team": 0.6,
    }

    page.locator(".kit-roles-search input").fill("")
    page.locator(".kit-roles-search input").press("Enter")
    page.locator(".kit-roles-filter select").select_option(label="All families")
    page.locator(".kit-roles-preset select").select_option(
        label=describe("crisis_response")["title"]
    )
    page.locator(".kit-roles-apply").click()
    expect(page.locator(".kit-message")).to_contain_text("call types assigned")
    expect(page.locator(".kit-roles-equity-box")).to_contain_text("Whole city")
    foot_clear_of_the_summary_bar(page)
    page.set_viewport_size({"width": 1280, "height": 5100})
    folder = Path(os.environ.get("KIT_SCREENSHOT_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / "roles.png"), full_page=True)
    assert (folder / "roles.png").stat().st_size > 10_000
