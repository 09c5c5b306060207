"""The home page and a folder of workspaces in a real browser: choose a jurisdiction, see
where its steps stand, open step 02 on it; another jurisdiction's page on the same server
shows its own calls."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest
from playwright.sync_api import Page, expect

if TYPE_CHECKING:
    from conftest import Server

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

STEP_02 = "02_delineate_roles.ipynb"


@pytest.fixture(scope="module")
def hosted(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """``kit serve`` on a folder holding the sample city and the tiny Testville."""
    from conftest import serving
    from ui_samples import make_workspace, write_calls_csv

    from kit.data.calls import import_calls
    from sample_city.build import sample_workspace

    root = tmp_path_factory.mktemp("hosted")
    folder = root / "workspaces"
    sample_workspace(folder / "port-calder")
    testville = make_workspace(folder / "testville")
    import_calls(testville, [write_calls_csv(root / "calls.csv")])
    with serving(folder, root) as server:
        yield server


def test_choose_a_workspace_and_see_its_steps(page: Page, hosted: Server) -> None:
    """The root lists both jurisdictions; choosing one shows its steps and their state."""
    page.goto(hosted.url + "/")
    expect(page.locator(".kit-choice")).to_have_count(2)
    page.get_by_role("link", name="Port Calder").click()
    expect(page.locator(".kit-home-jurisdiction")).to_have_text("Port Calder")
    steps = page.locator(".kit-home-step")
    expect(steps.first).to_contain_text("Step 00: set up")
    expect(steps.first).to_have_class("kit-home-step kit-saved")
    expect(page.locator('.kit-home-step[data-step="02"]')).to_contain_text("Needs the calls")
    link = page.get_by_role("link", name="Step 02: delineate police roles")
    expect(link).to_have_attribute("href", f"/voila/render/{STEP_02}?workspace=port-calder")


def test_step_02_works_on_the_chosen_workspace(page: Page, hosted: Server) -> None:
    """Step 02 opened from the chosen workspace's home page shows that city's call types."""
    page.goto(hosted.url + "/?workspace=port-calder")
    page.get_by_role("link", name="Step 02: delineate police roles").click()
    expect(page.locator(".kit-step-02.kit-ready")).to_be_visible()
    page.locator(".kit-roles-search input").fill("WELCHK")
    page.locator(".kit-roles-search input").press("Enter")
    expect(page.locator(".kit-roles-types-box tr.kit-roles-type-row")).to_have_count(1)


def test_another_workspace_on_the_same_server_shows_its_own(page: Page, hosted: Server) -> None:
    """Step 02 for Testville, on the same server, shows Testville's call types."""
    page.goto(f"{hosted.url}/voila/render/{STEP_02}?workspace=testville")
    expect(page.locator(".kit-step-02.kit-ready")).to_be_visible()
    expect(page.locator(".kit-roles-types-box")).to_contain_text("TRAFFIC INCIDENT")
    expect(page.locator(".kit-roles-types-box")).not_to_contain_text("WELCHK")
