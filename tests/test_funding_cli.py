"""`kit funding` on the sample city: figures of the saved (or default) scenario."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kit.cli import main
from kit.data.budget import budget_summary
from kit.funding import DECISION_NAME, check_document, default_document
from kit.workspace import Workspace
from sample_city.build import sample_workspace


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    return sample_workspace(tmp_path_factory.mktemp("funding") / "ws")


def test_default_scenario_as_json(workspace: Workspace, capsys: pytest.CaptureFixture[str]) -> None:
    """With nothing saved in step 02 the kit shows both shipped examples together."""
    assert main(["funding", str(workspace.path), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["scenario"] == "Both together"
    assert out["hours_freed"] > 0
    assert out["fte_freed"] == pytest.approx(
        out["hours_freed"] / out["productive_hours_per_officer"]
    )
    assert out["value_of_hours"] == pytest.approx(
        out["hours_freed"] * out["officer_annual_cost"] / out["productive_hours_per_officer"]
    )
    assert {"crisis_team", "cso"} <= set(out["responders"])
    by_type = out["hours_freed_by_call_type"]
    assert sum(by_type.values()) == pytest.approx(out["hours_freed"])
    assert list(by_type.values()) == sorted(by_type.values(), reverse=True)
    for responder in out["responders"].values():
        assert len(responder["teams_by_hour"]) == 168
    # The sample city's budget gives the cost of an officer: sworn pay, benefits and overtime.
    year = budget_summary(workspace.read_table("budget")).iloc[-1]
    expected = (year["salaries"] + year["benefits"] + year["overtime"]) / year["sworn_headcount"]
    assert out["officer_annual_cost"] == pytest.approx(expected)


def test_saved_scenario_in_plain_text(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A saved decision is used: its chosen scenario and its response target."""
    workspace = sample_workspace(tmp_path / "ws")  # its own copy: this test saves
    doc = check_document(default_document())
    doc["active"] = "Crisis team"
    doc["target"] = {"minutes": 30.0, "share": 0.8, "travel_minutes": 12.0}
    workspace.decisions.save(DECISION_NAME, doc, base_version=None, step="03", user="test")
    assert main(["funding", str(workspace.path)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Scenario: Crisis team")
    assert "80% of calls within 30 minutes" in out
    assert "Mon" in out and "Sun" in out
    assert "4.7 per post staffed around the clock" in out


def test_missing_workspace_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["funding", str(tmp_path / "nowhere")]) == 2
    assert capsys.readouterr().err.startswith("kit: ")


def test_page_to_print(
    workspace: Workspace, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`--page` writes the whole step, worked out for the scenario named, as a page to print."""
    page = tmp_path / "funding.html"
    args = ["funding", str(workspace.path), "--scenario", "Crisis team", "--page", str(page)]
    assert main(args) == 0
    assert f"The page to print is in {page}." in capsys.readouterr().out
    text = page.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>") and "Scenario: Crisis team." in text
    assert (
        "<h2>Scenarios side by side</h2>" in text and "<h2>How sure are these figures?</h2>" in text
    )
    assert main(["funding", str(workspace.path), "--page", str(tmp_path / "no" / "x.html")]) == 2
    assert "Could not write the page to" in capsys.readouterr().err
