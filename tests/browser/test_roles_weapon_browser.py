"""Workbook 02 in a real browser, weapons first: a call type naming a weapon sent to the crisis
team is not saved until the person ticks the confirmation, and the confirmation is kept."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from playwright.sync_api import Page, expect

from kit.roles import DECISION_NAME
from kit.workspace import Workspace

if TYPE_CHECKING:
    from conftest import Server

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

WORKBOOK = "02_delineate_roles.ipynb"
ARMED = "WEAPON"


def open_armed_type(page: Page, server: Server) -> None:
    """Open workbook 02 and pick the sample city's call type naming a gun in the editor."""
    page.goto(server.page_url(WORKBOOK))
    expect(page.locator(".kit-step-02.kit-ready")).to_be_visible()
    page.locator(".kit-roles-search input").fill(ARMED)
    page.locator(".kit-roles-search input").press("Enter")
    expect(page.locator(".kit-roles-type select")).to_have_value(re.compile(rf"^{ARMED}\b"))


def test_a_weapon_type_goes_without_police_only_once_confirmed(
    page: Page, app_server: Server, tmp_path: Path
) -> None:
    open_armed_type(page, app_server)
    confirmation = page.locator(".kit-roles-weapon")
    expect(confirmation).to_be_hidden()
    box = page.locator(".kit-roles-share-crisis_team input")
    box.fill("100")
    box.press("Enter")
    expect(confirmation).to_be_visible()
    expect(confirmation).to_contain_text("I confirm that calls naming a weapon go without police")
    page.locator(".kit-roles-save").click()
    refused = page.locator(".kit-roles-save-refused")
    expect(refused).to_contain_text("names a weapon")
    expect(refused).to_contain_text("nothing was saved")
    folder = Path(os.environ.get("KIT_SCREENSHOT_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    refused.scroll_into_view_if_needed()
    page.screenshot(path=str(folder / "roles-weapon-refused.png"))

    page.locator(".kit-roles-weapon-confirm input").check()
    confirmation.scroll_into_view_if_needed()
    page.screenshot(path=str(folder / "roles-weapon.png"))
    page.locator(".kit-roles-save").click()
    expect(page.locator(".kit-message")).to_contain_text("Saved as version")
    expect(refused).to_contain_text("Saved as version")
    expect(page.locator(".kit-roles-charter-box")).to_contain_text(
        "Calls naming a weapon sent without police"
    )
    expect(page.locator(".kit-roles-charter-box")).to_contain_text("WEAPON - SUBJ W/ GUN")

    page.reload()
    open_armed_type(page, app_server)
    expect(page.locator(".kit-roles-share-crisis_team input")).to_have_value("100")
    expect(confirmation).to_be_visible()
    expect(page.locator(".kit-roles-weapon-confirm input")).to_be_checked()
    saved = Workspace.open(app_server.workspace).decisions.latest(DECISION_NAME)
    assert saved is not None and saved.document["weapon_confirmed"] == [ARMED]
    assert saved.document["assignments"][ARMED] == {"crisis_team": 1.0}
