"""The whole kit as city staff meet it: a fresh copy of the sample city, steps 00 to 05
opened from the home page one after another, each step's main action done with the mouse
and keyboard, the home page showing every step saved, and the brief downloaded as HTML and
as PDF from step 05's page."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from conftest import serving
from playwright.sync_api import Page, expect

from kit.workspace import Workspace
from sample_city.build import sample_workspace

if TYPE_CHECKING:
    from conftest import Server

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

JURISDICTION = "Port Calder"
GOAL = "Fewer repeat calls to the same block"
#: Step titles as the home page links them.
TITLES = {
    "00": "set up",
    "01": "define safety with the community",
    "02": "delineate police roles",
    "03": "identify funding",
    "04": "design and evaluate a pilot",
    "05": "plan and brief",
}
#: A PDF page object (not the /Pages tree that holds them).
PDF_PAGE = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """``kit serve`` on a fresh copy of the sample city that this walk alone changes."""
    root = tmp_path_factory.mktemp("end-to-end")
    with serving(sample_workspace(root / "port-calder").path, root) as server:
        yield server


def open_from_home(page: Page, server: Server, step: str) -> None:
    """Go to the home page, follow the step's link, and wait until its page is ready."""
    page.goto(server.url + "/")
    expect(page.locator(".kit-home-jurisdiction")).to_have_text(JURISDICTION)
    page.get_by_role("link", name=f"Step {step}: {TITLES[step]}").click()
    expect(page.locator(f".kit-step-{step}.kit-ready")).to_be_visible()
    assert page.get_by_text("Traceback").count() == 0


def expect_saved_on_home(page: Page, server: Server, steps: list[str]) -> None:
    """The home page lists each of ``steps`` as saved (not out of date, not started)."""
    page.goto(server.url + "/")
    for step in steps:
        row = page.locator(f'.kit-home-step[data-step="{step}"]')
        expect(row).to_have_class(re.compile(r"\bkit-saved\b"))
        expect(row.locator(".kit-step-state")).to_contain_text("Saved ")


def type_into(page: Page, selector: str, value: str) -> None:
    """Replace what a text field holds, as a person types it, and leave the field."""
    box = page.locator(f"{selector} input")
    box.fill(value)
    box.press("Tab")


def set_up(page: Page, server: Server) -> None:
    """00: the profile is there and the import report says what the calls export held."""
    open_from_home(page, server, "00")
    expect(page.locator(".kit-profile-name input")).to_have_value(JURISDICTION)
    expect(page.locator(".kit-report")).to_contain_text("Calls held: 526,586")


def define_safety(page: Page, server: Server) -> None:
    """01: write a goal with its metric and target, and save the definition."""
    open_from_home(page, server, "01")
    type_into(page, ".kit-goal-text", GOAL)
    page.locator(".kit-goal-metric select").select_option(label="Repeat calls to the same block")
    type_into(page, ".kit-goal-target", "0.2")
    page.locator(".kit-goal-add").click()
    expect(page.locator(".kit-safety-goal-list")).to_contain_text(GOAL)
    page.locator(".kit-save").click()
    expect(page.locator(".kit-message")).to_contain_text("Saved as version")


def delineate_roles(page: Page, server: Server) -> None:
    """02: hand most welfare checks to the crisis team, and save the plan."""
    open_from_home(page, server, "02")
    search = page.locator(".kit-roles-search input")
    search.fill("WELCHK")
    search.press("Enter")
    expect(page.locator(".kit-roles-types-box tr.kit-roles-type-row")).to_have_count(1)
    share = page.locator(".kit-roles-share-crisis_team input")
    share.fill("60")
    share.press("Enter")
    expect(page.locator(".kit-roles-police-share")).to_contain_text("Police keep 40.0%")
    page.locator(".kit-roles-save").click()
    expect(page.locator(".kit-message")).to_contain_text("Saved as version")


def identify_funding(page: Page, server: Server) -> None:
    """03: the figures worked out from step 02's plan, saved as the funding choice."""
    open_from_home(page, server, "03")
    expect(page.locator(".kit-funding-headline")).to_contain_text("Officer hours freed a year")
    page.locator(".kit-save").click()
    expect(page.locator(".kit-message")).to_contain_text("Saved as version")


def design_pilot(page: Page, server: Server) -> None:
    """04: the pilot proposed from step 02's plan, saved with its existing button."""
    open_from_home(page, server, "04")
    page.locator(".kit-save").click()
    expect(page.locator(".kit-message")).to_contain_text("Saved as version")


def open_brief(page: Page, server: Server) -> None:
    """05: the brief shows what the steps saved; saving it records its versions."""
    open_from_home(page, server, "05")
    frame = page.frame_locator(".kit-brief-frame")
    expect(frame.locator(".kit-brief-summary")).to_contain_text("What moves off police")
    expect(frame.locator("body")).to_contain_text(GOAL)
    page.locator(".kit-save").click()
    expect(page.locator(".kit-message")).to_contain_text("Saved as version")


def download(page: Page, selector: str) -> tuple[str, bytes]:
    """Click a download link; the name the browser would save it as, and its bytes."""
    link = page.locator(selector)
    expect(link).to_be_visible()
    with page.expect_download() as started:
        link.click()
    return started.value.suggested_filename, Path(started.value.path()).read_bytes()


@pytest.mark.timeout(2400)
def test_walk_the_sample_city_from_set_up_to_the_brief(
    page: Page, city: Server, tmp_path: Path
) -> None:
    """Every step opened from the home page and saved; the brief downloads as a
    self-contained HTML page and as a PDF of several numbered pages."""
    set_up(page, city)
    expect_saved_on_home(page, city, ["00"])
    define_safety(page, city)
    expect_saved_on_home(page, city, ["00", "01"])
    delineate_roles(page, city)
    identify_funding(page, city)
    design_pilot(page, city)
    open_brief(page, city)
    expect_saved_on_home(page, city, list(TITLES))
    folder = Path(os.environ.get("KIT_SCREENSHOT_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / "home-all-saved.png"), full_page=True)

    saved = Workspace.open(city.workspace).decisions
    assert saved.latest("role_assignments").document["assignments"]["WELCHK"] == {
        "police": 0.4,
        "crisis_team": 0.6,
    }
    assert [g["text"] for g in saved.latest("safety_definition").document["goals"]] == [GOAL]

    open_from_home(page, city, "05")
    name, html = download(page, "a.kit-brief-html")
    assert name.startswith("port-calder-brief-") and name.endswith(".html")
    text = html.decode("utf-8")
    assert text.startswith("<!DOCTYPE html>") and f"{JURISDICTION}: rethinking" in text
    assert GOAL in text
    # Self-contained: opening the file fetches nothing (links to sources may point out).
    assert not re.search(r"""\bsrc=["']?(https?:)?//|url\(\s*["']?(https?:)?//""", text)
    assert "<link" not in text and "@import" not in text

    page.locator(".kit-brief-print").click()
    expect(page.locator(".kit-message")).to_contain_text("The PDF is ready")
    name, pdf = download(page, "a.kit-brief-pdf-link")
    assert name.startswith("port-calder-brief-") and name.endswith(".pdf")
    assert pdf.startswith(b"%PDF-")
    pages = len(PDF_PAGE.findall(pdf))
    assert pages > 1
    assert printed_pages(page, text) == pages


def printed_pages(page: Page, html: str) -> int:
    """How many pages the same HTML prints to in this browser, by its own ``@page`` rules."""
    page.set_content(html)
    return len(PDF_PAGE.findall(page.pdf(prefer_css_page_size=True)))
