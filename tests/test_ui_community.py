"""Step 01's page and workbook: the model works the figures out through kit.community, goals
are checked and saved with their baselines, and papermill runs the workbook unattended."""

from __future__ import annotations

from pathlib import Path

import papermill
import pytest

from kit.community.definition import DECISION_NAME
from kit.errors import KitError
from kit.ui.community import CommunityModel, CommunityView, report_html
from kit.workspace import Workspace
from tests.safety_samples import calls_frame, write_survey
from tests.ui_samples import make_workspace

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def workspace(tmp_path: Path) -> Workspace:
    ws = make_workspace(tmp_path / "ws")
    ws.write_data({"calls": calls_frame()})
    return ws


def test_the_step_waits_for_calls(tmp_path: Path) -> None:
    assert "step 00" in (CommunityModel.missing(make_workspace(tmp_path / "ws")) or "")


def test_a_survey_imported_on_the_page_is_weighted_and_joins_the_menu(
    workspace: Workspace, tmp_path: Path
) -> None:
    model = CommunityModel(workspace)
    model.load()
    model.up_to_date()
    assert model.survey == {}
    assert "survey_feel_safe" not in [item["metric"] for item in model.metrics]
    model.import_survey_file(write_survey(tmp_path))
    assert not model.pending
    assert model.survey["respondents"] == 90
    assert "survey_feel_safe" in [item["metric"] for item in model.metrics]
    html = str(report_html(model))
    assert "Weighted to residents" in html and "Respondents as they came" in html


def test_goals_are_checked_saved_with_baselines_and_loaded_again(workspace: Workspace) -> None:
    model = CommunityModel(workspace)
    model.load()
    with pytest.raises(KitError, match="not on the menu"):
        model.add_goal("Feel safe", "survey_feel_safe", 7)  # no survey imported
    model.add_goal("Faster help in an emergency", "urgent_response", 6)
    model.add_goal("Fewer repeat calls", "repeat_calls", 0.2)
    model.remove_goal(0)
    version = model.save()
    saved = workspace.decisions.latest(DECISION_NAME)
    assert saved.version == version and saved.step == "01"
    (goal,) = saved.document["goals"]
    assert goal["text"] == "Fewer repeat calls"
    assert goal["baseline"]["value"] == pytest.approx(2 / 7, abs=1e-4)
    again = CommunityModel(workspace)
    assert again.load()
    assert again.goals == [{"text": "Fewer repeat calls", "metric": "repeat_calls", "target": 0.2}]


def test_the_view_draws_the_menu_and_adds_a_goal(workspace: Workspace) -> None:
    model = CommunityModel(workspace)
    model.load()
    view = CommunityView(model)
    _ = view.widget
    view.refresh()
    assert "Repeat calls to the same block" in view.menu.value
    view.goal_text.value = "Fewer repeat calls"
    view.goal_metric.value = "repeat_calls"
    assert view.goal_target.description == "Target (%)"
    view.goal_target.value = 20
    view.add_goal()
    assert "Fewer repeat calls" in view.goal_list.value
    assert view.goal_text.value == "" and model.goals[-1]["target"] == pytest.approx(0.2)
    view.goal_text.value = "Too many"
    view.goal_target.value = 120
    with pytest.raises(KitError, match="from 0 to 100, not 120"):
        view.add_goal()


def test_papermill_defines_safety_on_the_sample_city(tmp_path: Path) -> None:
    """The workbook saves the goals given as a parameter, with baselines from the sample city."""
    from sample_city.build import sample_workspace

    ws = sample_workspace(tmp_path / "city")
    goals = [
        {"text": "People in crisis meet a care worker", "metric": "care_share", "target": 0.3},
        {"text": "People feel safe where they live", "metric": "survey_feel_safe", "target": 7},
    ]
    papermill.execute_notebook(
        str(ROOT / "workbooks" / "01_define_safety.ipynb"),
        str(tmp_path / "01.ipynb"),
        parameters={"workspace": str(ws.path), "goals": goals},
        kernel_name="python3",
        progress_bar=False,
    )
    saved = ws.decisions.latest(DECISION_NAME)
    assert saved is not None and saved.step == "01"
    assert [g["metric"] for g in saved.document["goals"]] == ["care_share", "survey_feel_safe"]
    assert [g["target"] for g in saved.document["goals"]] == [0.3, 7.0]
    feel_safe = saved.document["goals"][1]["baseline"]
    assert 0 < feel_safe["value"] < 10
    assert len(feel_safe["by_area"]) == 10


def test_step_02_shows_the_goals_beside_the_plan(workspace: Workspace) -> None:
    from kit.community.definition import save_definition
    from kit.ui.roles import RolesModel, RolesView

    def goals_shown() -> str:
        model = RolesModel(workspace)
        model.load()
        page = RolesView(model).widget
        (section,) = [c for c in page.children if "kit-section-safety-goals" in c._dom_classes]
        return section.children[1].value

    assert "No definition of safety saved yet" in goals_shown()
    save_definition(
        workspace, [{"text": "Fewer repeat calls", "metric": "repeat_calls", "target": 0.2}]
    )
    shown = goals_shown()
    assert "Fewer repeat calls" in shown and "29%" in shown and "20%" in shown


def test_voices_show_agreement_division_and_who_was_not_heard() -> None:
    from kit.pages.community import voices_html

    html = str(
        voices_html(
            {
                "polis": {
                    "participants": 60,
                    "note": "",
                    "groups": [{"group": "A", "participants": 30}],
                    "consensus": [{"consensus": 0.9, "text": "Streetlights <on> every block"}],
                    "division": [{"division": 0.8, "text": "Cameras at every intersection"}],
                },
                "sessions": {
                    "statements": 12,
                    "roles": [{"role": "resident", "statements": 12}],
                    "roles_not_heard": ["business owner", "officer"],
                },
                "themes": [],
                "texts": 0,
            }
        )
    )
    assert "90% Streetlights &lt;on&gt; every block" in html
    assert "80% Cameras at every intersection" in html
    assert "Not heard:</b> business owner, officer" in html
    assert "Themes of" not in html
