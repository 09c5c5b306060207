"""Every published output of steps 01 and 03 hides small counts by the workspace's own
``small_count`` setting, not the default of 11: change the setting and the output changes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from community_samples import write_polis, write_sessions
from ui_samples import AREAS, make_workspace

from kit import funding
from kit.cli import main
from kit.community.definition import definition, definition_lines, menu_document, read_sources
from kit.community.summary import workspace_summary
from kit.community.survey import import_survey
from kit.pages.community import menu_html, participation_html, voices_html
from kit.pages.funding import headline_html
from kit.suppression import hidden_ranges
from kit.workspace import Workspace
from sample_city.build import sample_workspace
from tests.safety_samples import calls_frame, write_survey

HUGE = 1_000_000  # a threshold no count here reaches: every count but 0 is hidden


@pytest.fixture
def step_01(tmp_path: Path) -> Workspace:
    ws = make_workspace(tmp_path / "ws")
    ws.write_data({"calls": calls_frame()})
    import_survey(ws, write_survey(tmp_path))
    return ws


def test_the_metric_menu_and_goals_hide_by_the_workspace_setting(step_01: Workspace) -> None:
    """Baselines by area carry the workspace's threshold: shown at 1, hidden at a huge one,
    in the menu page, the saved goals' lines and the JSON flags alike."""
    step_01.set_small_count(1)
    shown = menu_document(read_sources(step_01))
    assert not any(cell["suppressed"] for m in shown for cell in m["baseline"]["by_area"].values())
    assert "fewer than" not in menu_html(shown, list(AREAS))

    step_01.set_small_count(HUGE)
    sources = read_sources(step_01)
    hidden = menu_document(sources)
    cells = [cell for m in hidden for cell in m["baseline"]["by_area"].values() if cell["count"]]
    assert cells and all(cell["suppressed"] for cell in cells)
    assert f"fewer than {HUGE}" in menu_html(hidden, list(AREAS))
    goals = definition(
        sources, [{"text": "Fewer repeat calls", "metric": "repeat_calls", "target": 0.1}]
    )
    assert f"fewer than {HUGE} cases" in "\n".join(definition_lines(goals["goals"]))


def test_participation_hides_by_the_workspace_setting(step_01: Workspace) -> None:
    """Who took part: respondents by area print as counts at 1 and as hidden at a huge one."""
    step_01.set_small_count(1)
    assert "fewer than" not in participation_html(workspace_summary(step_01))
    step_01.set_small_count(HUGE)
    assert f"fewer than {HUGE}" in participation_html(workspace_summary(step_01))


def test_step_03_headline_hides_by_the_workspace_setting(tmp_path: Path) -> None:
    """The calls each field responder takes print as a yearly figure at the default and as
    "fewer than" once the workspace's threshold is above them."""
    ws = sample_workspace(tmp_path / "ws")

    def headline() -> str:
        inputs = funding.load_inputs(ws)
        doc = funding.document_for(ws, inputs)
        settings = funding.settings_from_document(doc, inputs)
        return str(headline_html(funding.evaluate_scenario(inputs, doc, settings).summary()))

    assert "calls a year" in headline() and "fewer than" not in headline()
    ws.set_small_count(HUGE)
    assert f"fewer than {HUGE} calls in the period" in headline()
    assert "calls a year" not in headline()


@pytest.fixture
def voices(tmp_path: Path) -> Workspace:
    ws = make_workspace(tmp_path / "ws")
    comments, votes = write_polis(tmp_path)
    notes = write_sessions(tmp_path / "notes.csv", AREAS)
    args = ["voices", str(ws.path), "--polis", str(comments), str(votes), "--sessions", str(notes)]
    assert main(args) == 0
    return ws


def test_kit_voices_hides_small_counts_by_the_workspace_setting(
    voices: Workspace, capsys: pytest.CaptureFixture[str]
) -> None:
    """At 1 every count prints; at 11 the handful of statements by role are "not shown" in
    the text and the page, while the JSON keeps them exact and names them as hidden."""
    voices.set_small_count(1)
    capsys.readouterr()
    assert main(["voices", str(voices.path)]) == 0
    assert "not shown" not in capsys.readouterr().out
    voices.set_small_count(11)
    assert main(["voices", str(voices.path)]) == 0
    out = capsys.readouterr().out
    assert "Listening sessions: not shown statements" in out
    assert "  resident: not shown" in out
    assert "(30)" in out  # opinion groups of 30 are shown
    assert main(["voices", str(voices.path), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    resident = next(r for r in report["sessions"]["roles"] if r["role"] == "resident")
    assert resident["statements"] == 3 and resident["hidden"] == ["statements"]
    assert report["small_count"] == 11
    page = str(voices_html(report))
    assert "resident (not shown)" in page and "not shown statements" in page


def test_hidden_statement_counts_cannot_be_worked_out_from_the_total(
    voices: Workspace, capsys: pytest.CaptureFixture[str]
) -> None:
    """Statements by role sum to the total shown: each hidden one keeps a range at least the
    threshold wide (the complementary count is hidden with the small one)."""
    voices.set_small_count(3)
    capsys.readouterr()
    assert main(["voices", str(voices.path), "--json"]) == 0
    roles = json.loads(capsys.readouterr().out)["sessions"]["roles"]
    counts = [r["statements"] for r in roles]
    hidden = ["statements" in r["hidden"] for r in roles]
    assert sum(hidden) >= 2
    ranges = hidden_ranges(counts, [list(range(len(counts)))], hidden)
    assert all(high - low >= 3 for low, high in ranges)
