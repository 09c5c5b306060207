"""Step 05's brief: every step gathered, not-done steps listed, small counts hidden."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pytest
from brief_samples import GOAL, decided_workspace, save
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from results_samples import RESPONDER, WEEKS, pilot_workspace
from ui_samples import make_workspace, write_calls_csv

from kit.brief import SUMMARY_HEADINGS, Brief, Table, gather
from kit.brief.by_area import hidden_cells
from kit.brief.parts import suppressed_words
from kit.data.calls import import_calls
from kit.pilot.definition import Pilot as SavedPilot
from kit.pilot.definition import read_pilot_calls, save_pilot, type_names
from kit.pilot.results import Pilot as ResultsPilot
from kit.pilot.results import evaluate, save_results
from kit.suppression import is_small
from kit.workspace import Workspace

PILOT_AREAS = ("Area A", "Area C", "Area F")
START = WEEKS[28]


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    return decided_workspace(tmp_path_factory.mktemp("brief") / "ws")


def _table(brief: Brief, name: str) -> Table:
    return next(t for t in brief.tables if t.name == name)


def test_a_new_workspace_lists_every_step_as_not_done(tmp_path: Path) -> None:
    """With a profile and nothing else, the brief is made and says what is not done."""
    brief = gather(make_workspace(tmp_path / "ws"), made=date(2026, 5, 1))
    assert [s.done for s in brief.sections] == [False] * 5
    assert [h for h, _ in brief.summary] == list(SUMMARY_HEADINGS)
    assert all(text.startswith("Not done yet") for _, text in brief.summary)
    assert not brief.equity.done
    assert {r["state"] for r in _table(brief, "decisions").rows} == {"up to date", "not saved"}


def test_a_decided_workspace_fills_the_summary_and_every_section(ws: Workspace) -> None:
    """Goals, moves, money and staffing are summarised; step 04 stays not done."""
    brief = gather(ws)
    points = dict(brief.summary)
    assert GOAL in points["What safety means here"]
    assert "handled without police" in points["What moves off police, and to whom"]
    assert "officer hours a year freed" in points["Hours and money"]
    assert "teams at peak" in points["Staffing for around-the-clock cover"]
    assert points["The pilot and how it will be judged"].startswith("Not done yet")
    assert [s.done for s in brief.sections] == [True, True, True, True, False]
    names = [t.name for t in brief.tables]
    for name in ("goals", "path_of_a_call", "moves", "staffing", "equity_by_area", "sources"):
        assert name in names
    equity = _table(brief, "equity_by_area")
    assert {r["area"] for r in equity.rows} >= {"North", "South"}
    assert all("residents_of_colour" in r and "hours_freed" in r for r in equity.rows)
    sources = _table(brief, "sources")
    assert any("resdac.org" in r["source"] for r in sources.rows)
    assert any(
        r["step"] == "03" and "Bureau of Labor Statistics" in r["source"] for r in sources.rows
    )


def test_small_counts_become_words_at_the_workspace_threshold(ws: Workspace) -> None:
    """At a threshold above every area's count, no per-area count is published; at 1, all are."""
    before = ws.small_count
    try:
        ws.set_small_count(10_000)
        hidden = gather(ws)
        ws.set_small_count(1)
        shown = gather(ws)
    finally:
        ws.set_small_count(before)
    words = suppressed_words(10_000)
    for row in _table(hidden, "equity_by_area").rows:
        assert row["calls"] == row["without_police"] == row["share"] == words
    assert all(r["calls"] == words for r in _table(hidden, "path_of_a_call").rows[1:])
    assert not any(
        isinstance(v, str) and v.startswith("fewer than")
        for r in _table(shown, "equity_by_area").rows
        for v in r.values()
    )


def test_pilot_decisions_are_shown_and_out_of_date_ones_flagged(tmp_path: Path) -> None:
    """A saved pilot design fills step 04; importing the calls again marks later saves stale."""
    ws = decided_workspace(tmp_path / "ws")
    first_type = next(iter(type_names(read_pilot_calls(ws))))
    area = ws.profile.area_names[0]
    save_pilot(ws, SavedPilot((first_type,), "crisis_team", (area,), weeks=8, design="its"))
    import_calls(ws, [write_calls_csv(tmp_path / "again.csv", seed=9)])
    brief = gather(ws)
    pilot = brief.sections[4]
    assert pilot.done and {"field": "Design", "value": "Interrupted time series"} in (
        pilot.tables[0].rows
    )
    said = dict(brief.summary)["The pilot and how it will be judged"]
    assert "judged by interrupted time series" in said and "not worked out yet" in said
    states = {r["decision"]: r["state"] for r in _table(brief, "decisions").rows}
    assert states["role assignments"].startswith("out of date: the calls were imported again")
    assert states["pilot results"] == "not saved"


def test_the_pilot_section_reads_the_design_power_rule_and_results_as_saved(
    tmp_path: Path,
) -> None:
    """With the design saved with its power and `kit evaluate`'s results saved, step 04 says
    what is piloted, the design and why, the detectable effect, the decision rule and the
    plain reading with its interval, in its lines, its tables and the summary."""
    ws = pilot_workspace(tmp_path / "ws", dict.fromkeys(PILOT_AREAS, START))
    pilot = SavedPilot(
        ("WELCHK",), "crisis_team", PILOT_AREAS, start=START.date(), weeks=12, design="did"
    )
    save_pilot(ws, pilot, power={"design": "did", "mde": 0.23})
    starts = dict.fromkeys(PILOT_AREAS, START.date())
    results = evaluate(ws, ResultsPilot(("WELCHK",), starts, responder_dispositions=(RESPONDER,)))
    save_results(ws, results)
    section = gather(ws).sections[4]
    text = "\n".join(section.lines)
    assert section.done and "Area A, Area C, Area F" in text and "12 weeks from" in text
    assert "Design: Difference-in-differences" in text
    assert "Detectable effect: 23% fewer police-handled calls" in text
    assert "Decision rule: Continue and extend the pilot if the 95% interval" in text
    assert f"Results: {results.reading}" in text and "(95% interval" in results.reading
    fields = {r["field"]: r["value"] for r in section.tables[0].rows}
    assert fields["Responder"] == "Civilian crisis team" and fields["Weeks"] == "12"
    assert fields["Why this design"]
    estimate = {r["what"]: r["value"] for r in section.tables[1].rows}
    assert estimate["Effect on police-handled calls"] == pytest.approx(results.estimate.effect)
    assert estimate["95% interval, low"] < estimate["Effect on police-handled calls"]
    assert results.reading in section.summary[0][1]


def test_a_saved_design_that_no_longer_fits_is_listed_as_not_done(tmp_path: Path) -> None:
    """An area dropped from the profile since the design was saved: said, never an error."""
    ws = pilot_workspace(tmp_path / "ws", dict.fromkeys(PILOT_AREAS, START))
    document = SavedPilot(("WELCHK",), "crisis_team", ("Atlantis",), weeks=8).to_document()
    save(ws, "pilot_design", document, "04")
    section = gather(ws).sections[4]
    assert not section.done and "Atlantis" in section.lines[0]


def test_every_table_downloads_as_csv_with_the_goal_neutralised(ws: Workspace) -> None:
    """Each table's CSV has its heading row; the goal starting with '=' is quoted."""
    brief = gather(ws)
    for table in brief.tables:
        assert table.csv().splitlines()[0].count(",") == len(table.columns) - 1
    assert "'" + GOAL in _table(brief, "goals").csv()


@settings(deadline=None, max_examples=40)
@given(
    arrays(np.int64, st.tuples(st.integers(1, 6), st.integers(1, 3)), elements=st.integers(0, 40))
)
def test_hidden_cells_never_leave_one_small_count_alone(counts: np.ndarray) -> None:
    """Every small count is hidden, and a column hides exactly one cell only when its total
    is itself small (then the total is not published either)."""
    hidden = hidden_cells(counts, 11)
    assert hidden[(counts > 0) & (counts < 11)].all()
    for j in range(counts.shape[1]):
        assert hidden[:, j].sum() != 1 or is_small(counts[:, j].sum(), 11)


def test_a_decision_its_step_refuses_is_listed_not_done_with_the_reason(tmp_path: Path) -> None:
    """A funding decision the step's check refuses does not stop the brief: step 03 is listed
    as not done, saying why, and the other steps are shown."""
    ws = decided_workspace(tmp_path / "ws")
    save(ws, "funding_scenarios", {"schema_version": 1, "scenarios": "none"}, "03")
    brief = gather(ws)
    assert [s.done for s in brief.sections] == [True, True, True, False, False]
    assert "could not be worked out" in brief.sections[3].lines[0]
    assert dict(brief.summary)["Hours and money"].startswith("Not done yet")
