"""Step 02 with calls exported without durations: the minutes question and estimated labels."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from kit.errors import KitError
from kit.funding import load_inputs
from kit.roles import DECISION_NAME
from kit.roles.charter import charter_text
from kit.roles.durations import default_minutes
from kit.ui.roles import RolesModel, RolesView
from kit.workspace import Workspace

TZ = "America/Chicago"


@pytest.fixture
def workspace(tmp_path: Path) -> Workspace:
    frame = pd.DataFrame(
        [("ALMRES", "ALM/BURG-RES")] * 30 + [("FIGHT", "FIGHT IP")] * 10,
        columns=["call_type", "call_type_desc"],
    )
    frame["received_at"] = pd.Timestamp("2024-01-01", tz=TZ) + pd.to_timedelta(
        frame.index * 7, unit="h"
    )
    ws = Workspace.create(tmp_path / "ws", name="Test", timezone=TZ)
    ws.write_data({"calls": frame})
    return ws


def test_the_page_asks_for_minutes_and_labels_hours_estimated(workspace: Workspace) -> None:
    """The minutes section shows; a change moves the hours; the labels say estimated."""
    model = RolesModel(workspace)
    view = RolesView(model)
    _ = view.widget
    view.refresh()
    assert view.minutes_box.layout.display is None
    assert "estimated" in view.minutes_note.value
    family = str(model.cube.types.set_index("call_type").loc["ALMRES", "family"])
    assert view.minutes[family].value == default_minutes()[family]
    before = model.summary["officer_hours_per_year"]
    assert before > 0 and model.summary["hours_estimated"]
    assert "Every officer-hour figure is estimated" in view.summary.value
    view.minutes[family].value = 3 * default_minutes()[family]
    assert model.summary["officer_hours_per_year"] > before
    assert model.error == ""


def test_the_minutes_are_saved_and_step_03_uses_them(workspace: Workspace) -> None:
    model = RolesModel(workspace)
    model.set_minutes("alarm", 60)
    model.save(user="ana")
    saved = workspace.decisions.latest(DECISION_NAME)
    assert saved is not None and saved.document["minutes_per_call"] == {"alarm": 60.0}
    charter = saved.document["charter"]
    assert charter["totals"]["hours_estimated"] is True
    assert "Estimated officer hours" in charter_text(charter)
    inputs = load_inputs(workspace)
    assert inputs.cube.hours_estimated
    assert inputs.cube.total_hours == pytest.approx(model.cube.total_hours)
    with pytest.raises(KitError, match="above 0 and at most 1,440"):
        model.set_minutes("alarm", 0)


def test_recorded_durations_hide_the_question(tmp_path: Path) -> None:
    ws = Workspace.create(tmp_path / "ws", name="Test", timezone=TZ)
    frame = pd.DataFrame({"call_type": ["FIGHT"] * 3, "unit_hours": [1.0, 2.0, 1.5]})
    frame["received_at"] = pd.Timestamp("2024-01-01", tz=TZ)
    ws.write_data({"calls": frame})
    view = RolesView(RolesModel(ws))
    _ = view.widget
    view.refresh()
    assert view.minutes_box.layout.display == "none"


def test_step_03_labels_its_hours_estimated(workspace: Workspace) -> None:
    from kit.funding import document_for, evaluate_scenario, settings_from_document
    from kit.pages.funding import headline_html

    inputs = load_inputs(workspace)
    doc = document_for(workspace, inputs)
    result = evaluate_scenario(inputs, doc, settings_from_document(doc, inputs), None)
    summary = result.summary()
    assert summary["hours_estimated"] is True
    assert "Estimated" in headline_html(summary)
