"""Pages show the workspace as it is when they are opened, whatever their kernel was
warmed on: new calls imported while the server runs, and a plan saved in another tab."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from playwright.sync_api import Page, expect

from kit.data.calls import import_calls

if TYPE_CHECKING:
    from conftest import Server

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

OLD_TYPE, NEW_TYPE, THIRD_TYPE = "BURGLAR ALARM", "LOUD PARTY", "STRAY ANIMAL"


def calls_file(folder: Path, *, rows: int, alarms: str = OLD_TYPE) -> Path:
    """A small export whose burglar alarms are described as ``alarms``."""
    from ui_samples import write_calls_csv

    path = write_calls_csv(folder / f"calls-{rows}.csv", rows=rows)
    path.write_text(path.read_text().replace(OLD_TYPE, alarms))
    return path


@pytest.fixture(scope="module")
def fresh_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """``kit serve`` on a small workspace whose calls these tests replace."""
    from conftest import serving
    from ui_samples import make_workspace

    root = tmp_path_factory.mktemp("fresh")
    ws = make_workspace(root / "testville")
    import_calls(ws, [calls_file(root, rows=240)])
    with serving(ws.path, root) as server:
        yield server


def open_page(page: Page, server: Server, notebook: str, step: str) -> None:
    page.goto(server.page_url(notebook))
    expect(page.locator(f".kit-step-{step}.kit-ready")).to_be_visible()


def test_pages_opened_after_an_import_show_only_the_new_calls(
    page: Page, fresh_server: Server, tmp_path: Path
) -> None:
    """Kernels warmed on the old calls still open on the new ones, even with no plan saved."""
    from kit.workspace import Workspace

    open_page(page, fresh_server, "02_delineate_roles.ipynb", "02")
    expect(page.locator(".kit-step-02")).to_contain_text(OLD_TYPE)
    import_calls(
        Workspace.open(fresh_server.workspace), [calls_file(tmp_path, rows=180, alarms=NEW_TYPE)]
    )
    for notebook, step in (
        ("00_set_up.ipynb", "00"),
        ("02_delineate_roles.ipynb", "02"),
        ("03_identify_funding.ipynb", "03"),
    ):
        open_page(page, fresh_server, notebook, step)
        assert OLD_TYPE not in page.content(), f"step {step} shows the calls imported before"
    open_page(page, fresh_server, "02_delineate_roles.ipynb", "02")
    expect(page.locator(".kit-step-02")).to_contain_text(NEW_TYPE)


def test_a_plan_saved_in_one_tab_is_seen_by_step_03_in_another(
    page: Page, fresh_server: Server
) -> None:
    open_page(page, fresh_server, "03_identify_funding.ipynb", "03")
    expect(page.locator(".kit-funding-note")).to_contain_text("No plan is saved in step 02")
    other = page.context.new_page()
    open_page(other, fresh_server, "02_delineate_roles.ipynb", "02")
    other.locator(".kit-roles-save").click()
    expect(other.locator(".kit-message")).to_contain_text("Saved as version")
    open_page(page, fresh_server, "03_identify_funding.ipynb", "03")
    expect(page.locator(".kit-step-03")).to_be_visible()
    assert page.locator(".kit-funding-note").count() == 0


def test_a_page_left_open_notices_an_import_from_the_command_line(
    page: Page, fresh_server: Server, tmp_path: Path
) -> None:
    """Within seconds the open page says the workspace changed; showing what is held now
    keeps what was typed and puts the new calls on the page."""
    open_page(page, fresh_server, "02_delineate_roles.ipynb", "02")
    typed = page.locator(".kit-roles-productive input")
    typed.fill("1500")
    typed.press("Tab")
    expect(page.locator(".kit-refresh")).to_be_hidden()
    export = calls_file(tmp_path, rows=150, alarms=THIRD_TYPE)
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "kit.cli",
            "import",
            "calls",
            str(fresh_server.workspace),
            str(export),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    expect(page.locator(".kit-changed")).to_contain_text("The workspace changed", timeout=30_000)
    page.locator(".kit-refresh").click()
    expect(page.locator(".kit-changed")).to_have_text("")
    expect(page.locator(".kit-step-02")).to_contain_text(THIRD_TYPE)
    expect(typed).to_have_value("1500")
