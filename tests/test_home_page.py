"""The home page's words: each step's state, what it needs, and text kept as text."""

from __future__ import annotations

from pathlib import Path

import pytest
from ui_samples import HOSTILE, make_workspace

from kit.launcher import workbook_files
from kit.pages.home import busy_page, home_page, needs, step_rows
from kit.resources import workbooks
from kit.steps import STEPS, basis, status


def _link(workbook: str) -> str:
    return f"/voila/render/{workbook}?workspace=w"


def test_steps_are_listed_in_order_with_links_to_their_pages(tmp_path: Path) -> None:
    """Every step of the catalogue, in order; a step with a workbook links to its page."""
    ws = make_workspace(tmp_path / "ws")
    rows = step_rows(status(ws), workbook_files(workbooks()), _link)
    assert [row.number for row in rows] == [step.number for step in STEPS]
    assert rows[0].link == "/voila/render/00_set_up.ipynb?workspace=w"
    assert rows[0].state == "saved" and rows[0].state_text.endswith("by tester")
    assert rows[2].state == "not-started" and rows[2].state_text == "Not started"


def test_a_step_without_a_workbook_is_not_available(tmp_path: Path) -> None:
    """A step whose workbook is absent is listed, without a link, as not available yet."""
    ws = make_workspace(tmp_path / "ws")
    rows = step_rows(status(ws), {"00": "00_set_up.ipynb"}, _link)
    later = rows[1]
    assert (later.state, later.state_text, later.link) == ("unavailable", "Not available yet", "")


def test_a_step_whose_basis_changed_is_out_of_date_with_the_reason(tmp_path: Path) -> None:
    """Step 02 saved, then the profile saved again: step 02 shows as out of date, and why."""
    from ui_samples import profile

    ws = make_workspace(tmp_path / "ws")
    ws.decisions.save(
        "role_assignments",
        {"basis": basis(ws, "role_assignments")},
        base_version=None,
        step="02",
        user="ana",
    )
    assert step_rows(status(ws), workbook_files(workbooks()), _link)[2].state == "saved"
    ws.save_profile(profile(), user="tester", base_version=1)
    row = step_rows(status(ws), workbook_files(workbooks()), _link)[2]
    assert row.state == "outdated"
    assert row.reasons == ("step 00's profile changed from version 1 to 2",)


def test_each_step_says_what_it_needs_from_the_steps_before() -> None:
    """Step 00 needs nothing; the others need the calls, and step 03 step 02's plan too."""
    by_number = {step.number: step for step in STEPS}
    assert needs(by_number["00"]) == ()
    assert needs(by_number["03"]) == (
        "the calls imported in step 00",
        "step 00's profile",
        "step 02's role assignments",
    )


@pytest.mark.parametrize("jurisdiction", [HOSTILE, "Port <b>Calder</b>"])
def test_names_from_the_workspace_stay_text(tmp_path: Path, jurisdiction: str) -> None:
    """A jurisdiction's name never becomes markup on the home page."""
    ws = make_workspace(tmp_path / "ws")
    rows = step_rows(status(ws), workbook_files(workbooks()), _link)
    page = str(home_page(jurisdiction=jurisdiction, rows=rows))
    assert jurisdiction not in page and "&lt;" in page
    assert "Step 02: delineate police roles" in page


def test_the_busy_page_is_plain() -> None:
    """The busy page says to try again shortly and links home; no error words."""
    page = str(busy_page(home="/"))
    assert "Busy, try again shortly" in page and 'href="/"' in page
    assert "Traceback" not in page and "Error" not in page
