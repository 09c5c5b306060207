"""Workbook 00 in a real browser: what a person sees, uploads, changes, saves and reloads."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from playwright.sync_api import Page, expect
from ui_samples import HOSTILE, write_calls_csv

if TYPE_CHECKING:
    from conftest import Server

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def open_step(page: Page, server: Server) -> None:
    """Open workbook 00 and wait until it shows what the workspace holds now."""
    page.goto(server.page_url())
    expect(page.locator(".kit-step-00.kit-ready")).to_be_visible()


def upload(page: Page, button: str, path: Path) -> None:
    """Choose a file through a FileUpload widget, as a person would."""
    with page.expect_file_chooser() as chooser:
        page.locator(button).click()
    chooser.value.set_files(str(path))


def test_sample_city_first_look(page: Page, app_server: Server, tmp_path: Path) -> None:
    """The sample city opens with its profile, quality report and first-look charts."""
    open_step(page, app_server)
    expect(page.locator(".kit-profile-name input")).to_have_value("Port Calder")
    expect(page.locator(".kit-report")).to_contain_text("Calls held: 526,586")
    expect(page.locator(".kit-chart")).to_have_count(4)
    expect(page.locator(".kit-top-types")).to_be_visible()
    assert page.get_by_text("Traceback").count() == 0
    page.set_viewport_size({"width": 1280, "height": 2600})
    folder = Path(os.environ.get("KIT_SCREENSHOT_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / "setup.png"), full_page=True)
    assert (folder / "setup.png").stat().st_size > 10_000


def test_save_in_one_page_is_seen_in_the_next(page: Page, scratch_server: Server) -> None:
    """Mistakes get plain messages; a page opened after a save shows the saved profile; an
    earlier profile can be brought back.

    The second page may come from a kernel preheated before the save: it must still show
    what the workspace holds when it is opened.
    """
    open_step(page, scratch_server)
    timezone = page.locator(".kit-profile-timezone input")
    timezone.fill("Mars/Olympus")
    timezone.press("Tab")
    page.locator(".kit-save-profile").click()
    expect(page.locator(".kit-message")).to_contain_text("not a known time zone")
    assert page.get_by_text("Traceback").count() == 0
    assert page.locator(".jp-InputArea, .jp-OutputArea-error").count() == 0
    timezone.fill("America/Chicago")
    timezone.press("Tab")
    page.locator(".kit-profile-population input").fill("31000")
    page.locator(".kit-profile-population input").press("Tab")
    page.locator(".kit-save-profile").click()
    expect(page.locator(".kit-message")).to_contain_text("Profile saved")
    other = page.context.new_page()
    open_step(other, scratch_server)
    expect(other.locator(".kit-profile-population input")).to_have_value("31000")
    other.close()

    # The first profile comes back from the history; the one saved above stays in it.
    page.locator(".kit-history").get_by_text("Earlier versions").click()
    page.locator(".kit-history-pick select").select_option(index=1)
    page.locator(".kit-restore").click()
    expect(page.locator(".kit-message")).to_contain_text("Version 1 is back")
    expect(page.locator(".kit-profile-population input")).to_have_value("30000")
    expect(page.locator(".kit-history-pick select option")).to_have_count(3)


def test_upload_map_import_and_reload(page: Page, scratch_server: Server, tmp_path: Path) -> None:
    """Upload files (one over 50 MB), change a mapping, import, reload: what was saved shows.

    The large file proves the websocket limit was raised above Jupyter's 10 MB default.
    The export's call types and areas include hostile HTML, which must show as text.
    """
    alerts: list[str] = []
    page.on("dialog", lambda dialog: (alerts.append(dialog.message), dialog.dismiss()))
    calls = write_calls_csv(tmp_path / "testville.csv")
    big = tmp_path / "big_export.csv"
    lines = calls.read_bytes().splitlines(keepends=True)
    with big.open("wb") as handle:
        handle.write(lines[0])
        body = b"".join(lines[1:])
        for _ in range(50 * 1024 * 1024 // len(body) + 1):
            handle.write(body)
    open_step(page, scratch_server)
    upload(page, ".kit-calls-upload", big)
    expect(page.locator(".kit-calls-files")).to_contain_text("big_export.csv (5")
    assert (scratch_server.workspace / "uploads" / big.name).stat().st_size == big.stat().st_size
    page.locator(".kit-clear-files").click()
    expect(page.locator(".kit-calls-files")).to_contain_text("No calls file chosen yet")
    upload(page, ".kit-calls-upload", calls)
    expect(page.locator(".kit-calls-files")).to_contain_text("testville.csv")
    expect(page.locator(".kit-map-area select")).to_have_value("District")
    page.locator(".kit-map-priority select").select_option(label="(not in the export)")
    page.locator(".kit-import").click()
    expect(page.locator(".kit-report")).to_contain_text("Calls held: 240.")
    page.reload()
    expect(page.locator(".kit-step-00.kit-ready")).to_be_visible()
    expect(page.locator(".kit-report")).to_contain_text("Calls held: 240.")
    expect(page.locator(".kit-report")).to_contain_text("'Priority' was not kept")
    expect(page.locator(".kit-top-types")).to_contain_text(HOSTILE)
    assert page.locator("img[src=x]").count() == 0 and alerts == []
