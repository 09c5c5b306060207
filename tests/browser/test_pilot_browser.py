"""Workbook 04 in a real browser: set up a pilot, change its duration, see the detectable
effect change, save, download the evaluation plan, reload and find the pilot kept."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from conftest import serving
from playwright.sync_api import Page, expect
from test_ui_pilot import planned_city

from kit.pilot.definition import DECISION_NAME, POWER_KEY
from kit.workspace import Workspace

if TYPE_CHECKING:
    from conftest import Server

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

WORKBOOK = "04_design_pilot.ipynb"
AREAS = ["Eastgate", "Old Harbor"]


@pytest.fixture(scope="module")
def pilot_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """``kit serve`` on the sample city with step 02's plan saved, which step 04 starts from."""
    root = tmp_path_factory.mktemp("pilot")
    ws = planned_city(root / "port-calder")
    with serving(ws.path, root) as server:
        yield server


def open_step(page: Page, server: Server) -> None:
    """Open workbook 04 and wait until it shows the detectable effect."""
    page.goto(server.page_url(WORKBOOK))
    expect(page.locator(".kit-step-04.kit-ready")).to_be_visible()
    expect(page.locator(".kit-pilot-mde-line")).to_contain_text("Detectable effect")


def set_weeks(page: Page, weeks: int) -> None:
    box = page.locator(".kit-pilot-weeks input")
    box.fill(str(weeks))
    box.press("Enter")


def test_set_up_a_pilot_change_its_length_save_and_reload(
    page: Page, pilot_server: Server, tmp_path: Path
) -> None:
    open_step(page, pilot_server)
    assert page.get_by_text("Traceback").count() == 0
    expect(page.locator(".kit-pilot-design-note")).to_contain_text("The kit recommends")
    expect(page.locator(".kit-pilot-practices")).to_contain_text("CrimeSolutions")

    line = page.locator(".kit-pilot-mde-line")
    page.locator(".kit-pilot-areas select").select_option(AREAS)
    set_weeks(page, 12)
    expect(page.locator(".kit-summary-bar")).to_contain_text("12 weeks")
    before = line.text_content()
    set_weeks(page, 6)
    expect(page.locator(".kit-summary-bar")).to_contain_text("6 weeks")
    expect(line).not_to_have_text(before or "")

    page.locator(".kit-save").click()
    expect(page.locator(".kit-feedback.kit-message")).to_contain_text("Saved as version")
    saved = Workspace.open(pilot_server.workspace).decisions.latest(DECISION_NAME)
    assert saved is not None
    assert saved.document["weeks"] == 6 and sorted(saved.document["areas"]) == AREAS
    assert saved.document[POWER_KEY]["weeks"] == 6

    page.locator(".kit-pilot-plan").click()
    link = page.locator("a.kit-pilot-plan-json")
    expect(link).to_be_visible()
    with page.expect_download() as download:
        link.click()
    plan = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert plan["pilot"]["weeks"] == 6 and plan["power"]["weeks"] == 6
    expect(page.locator("a.kit-pilot-plan-html")).to_be_visible()

    page.screenshot(path=str(tmp_path / "step-04.png"), full_page=True)
    open_step(page, pilot_server)
    expect(page.locator(".kit-pilot-weeks input")).to_have_value("6")
    expect(page.locator(".kit-summary-bar")).to_contain_text("6 weeks")
    chosen = page.locator(".kit-pilot-areas select").evaluate(
        "select => Array.from(select.selectedOptions).map(o => o.textContent)"
    )
    assert sorted(c.replace("\xa0", " ") for c in chosen) == AREAS  # spaces as the page keeps them

    page.locator(".kit-pilot-family select").select_option(label="Traffic")
    catalog = page.locator(".kit-pilot-practices")
    expect(catalog).to_contain_text("Civilian traffic and collision reporting")
    expect(catalog).not_to_contain_text("CAHOOTS")
    expect(catalog.locator("a[href^='https://']").first).to_be_visible()


def test_before_step_02_moves_calls_the_page_opens_on_the_example(
    page: Page, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """On the sample city as shipped (no plan of step 02's), step 04 still opens ready, on the
    crisis-team example, and says so beside the pilot's controls."""
    from sample_city.build import sample_workspace

    root = tmp_path_factory.mktemp("pilot-example")
    ws = sample_workspace(root / "port-calder")
    with serving(ws.path, root) as server:
        open_step(page, server)
        expect(page.locator(".kit-pilot-example")).to_contain_text("crisis team")
        expect(page.locator(".kit-pilot-responder select")).to_have_value("Civilian crisis team")
        assert page.get_by_text("Traceback").count() == 0
