"""A city analyst alone with an export the kit has never seen: only a received time, and area
names that are not the profile's. The pages guide them through both, and the figures come,
labelled estimated."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from conftest import serving
from playwright.sync_api import Page, expect

if TYPE_CHECKING:
    from conftest import Server

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

#: Call types the sample rules know, so the plan moves some of them off police.
TYPES = ("TRAFFIC ACCIDENT", "BURGLAR ALARM", "DISTURBANCE", "WELFARE CHECK")


@pytest.fixture
def guided_server(tmp_path: Path) -> Iterator[Server]:
    """``kit serve`` on a workspace of its own with a saved profile and no calls yet."""
    from ui_samples import make_workspace

    ws = make_workspace(tmp_path / "guided")
    with serving(ws.path, tmp_path) as server:
        yield server


def write_bare_export(path: Path, rows: int = 300) -> Path:
    """An export with a received time and a call type only, its areas named "Dist 1"/"Dist 2"."""
    start = datetime(2024, 3, 1)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Incident", "Received", "Nature", "District"])
        for i in range(rows):
            when = start + timedelta(minutes=97 * i)
            writer.writerow(
                [f"24-{i:05d}", when.strftime("%Y-%m-%d %H:%M"), TYPES[i % 4], f"Dist {i % 2 + 1}"]
            )
    return path


def test_an_export_with_only_a_received_time_and_other_area_names(
    page: Page, guided_server: Server, tmp_path: Path
) -> None:
    """Upload, import, map the areas, enter minutes per call: step 02's figures appear,
    each officer-hour figure labelled estimated."""
    page.goto(guided_server.page_url())
    expect(page.locator(".kit-step-00.kit-ready")).to_be_visible()
    with page.expect_file_chooser() as chooser:
        page.locator(".kit-calls-upload").click()
    chooser.value.set_files(str(write_bare_export(tmp_path / "bare.csv")))
    expect(page.locator(".kit-map-received_at select")).to_have_value("Received")
    expect(page.locator(".kit-first-rows")).to_contain_text("When the call was received")
    page.locator(".kit-import").click()
    report = page.locator(".kit-report")
    expect(report).to_contain_text("Calls held: 300.")
    expect(report).to_contain_text("officer hours will be estimated")
    expect(report).to_contain_text("match no area of the profile")

    mapping = page.locator(".kit-section-area-map")
    expect(mapping).to_be_visible()
    choices = mapping.locator(".kit-area-choice select")
    expect(choices).to_have_count(2)
    choices.nth(0).select_option(label="North")
    choices.nth(1).select_option(label="South")
    page.locator(".kit-areas-apply").click()
    expect(page.locator(".kit-feedback.kit-message")).to_contain_text("0 names still unmatched")
    expect(mapping).to_be_hidden()
    assert "--" not in (page.locator(".kit-step-00").text_content() or "").replace("---", "")

    page.locator(".kit-next-link").click()  # step 01 is next; step 02 follows it
    expect(page.locator(".kit-step-01.kit-ready")).to_be_visible()
    page.locator(".kit-next-link").click()
    expect(page.locator(".kit-step-02.kit-ready")).to_be_visible()
    section = page.locator(".kit-roles-minutes-section")
    expect(section).to_be_visible()
    expect(section).to_contain_text("estimated")
    box = page.locator(".kit-roles-minutes-traffic input")
    box.fill("45")
    box.press("Enter")
    expect(page.locator(".kit-roles-freed-hours")).to_be_visible()
    expect(page.locator(".kit-roles-summary-box")).to_contain_text("estimated")
    expect(page.locator(".kit-summary-bar")).to_contain_text("(estimated)")
    expect(page.locator(".kit-roles-equity-box")).to_contain_text("North")
