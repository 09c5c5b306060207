"""Step 02's model and view: edits recompute the plan, state round-trips, papermill saves."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from kit.errors import KitError
from kit.roles import DECISION_NAME
from kit.ui.base import StepSkipped
from kit.ui.roles import RolesModel, RolesView, roles_app
from kit.workspace import Workspace

TZ = "America/Chicago"
HOSTILE = "<img src=x onerror=alert(1)>"


def _calls() -> pd.DataFrame:
    rows = (
        [("WELCHK", "CHECK WELFARE", 10, "North", 1.0)] * 40
        + [("ALMRES", "ALM/BURG-RES", 3, "South", 0.5)] * 30
        + [("XSS", HOSTILE, 12, "North", 2.0)] * 20
        + [("ACCPDO", "ACC-PDO NO INJ", 17, "South", 1.0)] * 25
        + [("FIGHT", "FIGHT IP", 22, "South", 1.5)] * 10
    )
    frame = pd.DataFrame(rows, columns=["call_type", "call_type_desc", "how", "area", "unit_hours"])
    frame["received_at"] = pd.Timestamp("2024-01-01", tz=TZ) + pd.to_timedelta(
        frame.pop("how") + 24 * (frame.index % 60), unit="h"
    )
    frame["initiated_by"] = "911"
    frame["disposition"] = "REPORT TO FOLLOW"
    return frame


@pytest.fixture
def workspace(tmp_path: Path) -> Workspace:
    ws = Workspace.create(tmp_path / "ws", name="Test", timezone=TZ)
    ws.write_data({"calls": _calls()})
    return ws


def test_presets_and_edits_recompute_the_plan(workspace: Workspace) -> None:
    """Applying a preset frees hours; a share or an assumption change moves the totals."""
    model = RolesModel(workspace)
    model.recompute()
    assert model.summary["freed_hours_per_year"] == 0
    model.use_preset("crisis_response")
    assert model.assignments["WELCHK"] == {"crisis_team": 1.0}
    freed = model.summary["freed_hours_per_year"]
    assert freed > 0
    model.set_assumption("crisis_team", "take_up", 0.9)
    assert model.summary["freed_hours_per_year"] == pytest.approx(freed * 0.9 / 0.45)
    model.set_share("ACCPDO", "cso", 1.0)
    assert model.assignments["ACCPDO"] == {"cso": 1.0}
    model.set_share("ACCPDO", "cso", 0.0)
    assert "ACCPDO" not in model.assignments
    assert {row["family"] for row in model.families} >= {"behavioral_health", "alarm", "traffic"}
    assert sum(row["share_of_police_hours"] for row in model.families) == pytest.approx(1)
    areas = {row["area"] for row in model.equity["areas"]}
    assert areas == {"North", "South"}


def test_bad_edits_are_plain_errors(workspace: Workspace) -> None:
    """Unknown call types, families, over-full splits and police shares are refused."""
    model = RolesModel(workspace)
    with pytest.raises(KitError, match="not a call type"):
        model.set_share("NOPE", "cso", 0.5)
    with pytest.raises(KitError, match="not a family"):
        model.set_family("XSS", "crime")
    model.set_share("XSS", "cso", 0.7)
    with pytest.raises(KitError, match="exceed 100%"):
        model.set_share("XSS", "online", 0.5)
    with pytest.raises(KitError, match="Police keep"):
        model.set_share("XSS", "police", 0.5)
    with model.reporting("testing"):
        model.set_assumption("cso", "take_up", 2.0)
    assert "between 0 and 1" in model.error


def test_family_choice_reaches_the_figures(workspace: Workspace) -> None:
    """Choosing a family by hand moves the type's hours to that family."""
    model = RolesModel(workspace)
    model.recompute()
    assert any(row["call_type"] == "XSS" for row in model.unclassified())
    model.set_family("XSS", "medical")
    assert not any(row["call_type"] == "XSS" for row in model.unclassified())
    medical = next(row for row in model.families if row["family"] == "medical")
    assert medical["calls_per_year"] > 0
    model.set_family("XSS", None)
    assert "XSS" not in model.family_overrides


def test_state_round_trip_with_charter(workspace: Workspace) -> None:
    """What is saved (with its charter) is what a new model loads."""
    model = RolesModel(workspace)
    model.use_preset("convening")
    model.set_family("XSS", "administrative")
    model.set_assumption("cso", "back_up", 0.1)
    model.coverage = {"crisis_team": list(range(10, 18))}
    version = model.save(user="tester")
    saved = workspace.decisions.latest(DECISION_NAME)
    assert saved is not None and saved.version == version
    assert saved.document["charter"]["moves"]
    again = RolesModel(workspace)
    assert again.load()
    assert again.state_to_document() == model.state_to_document()
    assert again.base_version == version


def test_headless_run_applies_the_preset_and_saves(workspace: Workspace, monkeypatch) -> None:
    """Under papermill the workbook's preset parameter is applied and the plan saved."""
    monkeypatch.delenv("VOILA_PREHEAT", raising=False)
    app = roles_app(workspace=str(workspace.path), preset="crisis_response", officers_per_unit=2.0)
    assert app.model is not None
    saved = workspace.decisions.latest(DECISION_NAME)
    assert saved is not None
    assert saved.document["preset"] == "crisis_response"
    assert saved.document["officers_per_unit"] == 2.0
    assert saved.document["assignments"]["WELCHK"] == {"crisis_team": 1.0}
    # A second run with no preset keeps the saved plan, edits included.
    model = RolesModel(workspace)
    model.load()
    model.set_share("ACCPDO", "online", 0.5)
    model.save()
    roles_app(workspace=str(workspace.path))
    latest = workspace.decisions.latest(DECISION_NAME)
    assert latest is not None
    assert latest.document["assignments"]["ACCPDO"] == {"police": 0.5, "online": 0.5}
    assert latest.document["officers_per_unit"] == 2.0


def test_step_is_skipped_without_calls(tmp_path: Path, monkeypatch) -> None:
    """With no calls imported the workbook says to import them first."""
    monkeypatch.delenv("VOILA_PREHEAT", raising=False)
    ws = Workspace.create(tmp_path / "empty", name="Empty", timezone=TZ)
    with pytest.raises(StepSkipped, match="step 00"):
        roles_app(workspace=str(ws.path))


def test_view_builds_and_escapes_call_types(workspace: Workspace) -> None:
    """The page builds, lists call types, and shows hostile text as text."""
    model = RolesModel(workspace)
    model.use_preset("convening")
    model.set_share("XSS", "cso", 1.0)
    view = RolesView(model)
    widget = view.widget
    view.refresh()
    assert "kit-step-02" in widget._dom_classes
    assert "XSS" in [value for _, value in view.call_type.options]
    pages = [view.summary.value, view.unclassified.value, view.charter.value, view.equity.value]
    assert all("<img" not in page for page in pages)
    assert "&lt;img" in view.charter.value
    assert "Police spend about" in view.summary.value


@pytest.mark.slow
def test_workbook_runs_headless_with_kit_run(workspace: Workspace, capsys) -> None:
    """`kit run --step 02 -p preset=convening` runs the workbook and saves the plan."""
    from kit.cli import main

    code = main(["run", str(workspace.path), "--step", "02", "-p", "preset=convening"])
    assert code == 0, capsys.readouterr()
    saved = workspace.decisions.latest(DECISION_NAME)
    assert saved is not None
    assert saved.document["preset"] == "convening"
    assert saved.step == "02"
    assert "ALMRES" in saved.document["assignments"]


def test_editor_offers_unclassified_and_assigned_types(workspace: Workspace) -> None:
    """Small call types still appear in the editor when unclassified or assigned."""
    model = RolesModel(workspace)
    offered = {row["call_type"] for row in model.type_rows(limit=1)}
    assert "XSS" in offered  # no rule knows it
    model.set_share("ACCPDO", "cso", 0.5)
    assert "ACCPDO" in {row["call_type"] for row in model.type_rows(limit=1)}


def test_view_follows_a_reloaded_model(workspace: Workspace) -> None:
    """When the model is reloaded (a preheated page), sliders and preset show the saved plan."""
    saved = RolesModel(workspace)
    saved.use_preset("crisis_response")
    saved.set_assumption("crisis_team", "take_up", 0.7)
    saved.save()
    model = RolesModel(workspace)
    view = RolesView(model)
    _ = view.widget
    assert view.sliders[("crisis_team", "take_up")].value == pytest.approx(0.45)
    model.load()
    view.refresh()
    assert view.sliders[("crisis_team", "take_up")].value == pytest.approx(0.7)
    assert view.preset.value == "crisis_response"
    view.sliders[("cso", "back_up")].value = 0.2
    assert model.assumptions["cso"]["back_up"] == pytest.approx(0.2)
