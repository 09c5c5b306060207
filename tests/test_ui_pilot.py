"""Step 04's model and workbook on the sample city: the pilot, its design, its detectable effect."""

from __future__ import annotations

from pathlib import Path

import pytest
from ui_samples import page_html

from kit.pilot.definition import DECISION_NAME
from kit.ui.pilot import PilotModel
from kit.ui.roles import RolesModel
from kit.workspace import Workspace
from sample_city.build import sample_workspace


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    return planned_city(tmp_path_factory.mktemp("ui-pilot") / "ws")


def planned_city(path: Path) -> Workspace:
    """The sample city with step 02's convening plan saved, which the pilot starts from."""
    ws = sample_workspace(path)
    roles = RolesModel(ws)
    roles.use_preset("convening")
    roles.save()
    return ws


def test_a_change_of_weeks_or_design_changes_the_detectable_effect(ws: Workspace) -> None:
    """The model opens on a pilot proposed from step 02's plan and follows its inputs."""
    model = PilotModel(ws)
    model.recompute()
    assert model.call_types and model.areas and model.used_design
    first = model.diagnosis["mde"]
    model.weeks = 8
    assert model.diagnosis["weeks"] == 8 and model.diagnosis["mde"] != first
    model.design = "its"
    assert model.used_design == "its" and model.diagnosis["design"] == "its"


def test_a_saved_pilot_comes_back(ws: Workspace) -> None:
    """Saving keeps the weeks and design; a new model opens on them."""
    model = PilotModel(ws)
    model.weeks, model.design = 12, "did"
    version = model.save()
    again = PilotModel(ws)
    assert again.load() and again.base_version == version
    assert (again.weeks, again.design) == (12, "did")


@pytest.mark.slow
def test_workbook_runs_headless(tmp_path) -> None:
    """`kit run --step 04` runs the workbook with papermill and saves the pilot it was given."""
    from kit.cli import main

    ws = planned_city(tmp_path / "ws")
    assert main(["run", str(ws.path), "--step", "04", "-p", "weeks=10", "-p", "design=its"]) == 0
    saved = ws.decisions.latest(DECISION_NAME)
    assert saved is not None and saved.step == "04"
    assert (saved.document["weeks"], saved.document["design"]) == (10, "its")


def test_the_page_names_its_step_once_and_shows_the_effect(ws: Workspace) -> None:
    """The heading comes from the steps' data file, once; the answer names the design."""
    from kit.ui.pilot.view import PilotView

    model = PilotModel(ws)
    model.recompute()
    view = PilotView(model)
    shown = page_html(view.widget)
    view.refresh()
    assert shown.count("Step 04 · Design and evaluate a pilot") == 1
    assert f"Design: {model.used_design}" in view.answer.value
    assert "Detectable effect:" in view.answer.value
