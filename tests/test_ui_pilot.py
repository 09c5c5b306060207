"""Step 04's model, view and workbook on the sample city: the pilot, its design, its
detectable effect (first and refined), saving with power, the plan and the catalog."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from ui_samples import live_fields, page_html

from kit.errors import KitError
from kit.pilot.definition import DECISION_NAME, POWER_KEY
from kit.pilot.plan import workspace_plan
from kit.pilot.power import Plan
from kit.pilot.practices import catalog
from kit.ui.pilot import PilotModel
from kit.ui.pilot import model as pilot_model
from kit.ui.pilot.refine import Refiner
from kit.ui.roles import RolesModel
from kit.workspace import Workspace
from sample_city.build import sample_workspace

#: Placebo pilots per metric in the tests' refinements: enough to fill every figure.
TEST_SIMS = 16


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    return planned_city(tmp_path_factory.mktemp("ui-pilot") / "ws")


@pytest.fixture(autouse=True)
def quick_refiner(monkeypatch: pytest.MonkeyPatch) -> Refiner:
    """A refiner of its own per test, with few placebo pilots, so tests stay quick."""
    refiner = Refiner(sims=TEST_SIMS)
    monkeypatch.setattr(pilot_model, "REFINER", refiner)
    return refiner


def until(condition: Callable[[], bool], timeout: float = 60.0) -> None:
    """Wait for ``condition`` (set from the refining thread), failing after ``timeout``."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "the condition did not come true in time"
        time.sleep(0.05)


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
    assert not model.refined and model.diagnosis["sims"] < TEST_SIMS
    first = model.diagnosis["mde"]
    model.weeks = 8
    assert model.diagnosis["weeks"] == 8 and model.diagnosis["mde"] != first
    model.design = "its"
    assert model.used_design == "its" and model.diagnosis["design"] == "its"
    assert model.recommended["design"] == "did" and model.assessment["design"] == "its"


def test_areas_that_cannot_start_together_make_a_stepped_rollout(ws: Workspace) -> None:
    """How many pilot areas can start at once is one of the constraints the kit recommends
    from: fewer than all of them turns the recommendation into a stepped rollout, saved with
    the pilot."""
    model = PilotModel(ws)
    model.areas = list(ws.profile.area_names[:3])
    assert model.used_design == "did"
    model.start_at_once = 1
    assert model.used_design == "stepped" and "3 steps" in model.recommended["why"]
    assert model.pilot().constraints == {"start_at_once": 1}
    model.start_at_once = 3  # all of them: no constraint left
    assert model.used_design == "did" and model.pilot().constraints == {}


def test_refining_fills_every_metric_and_the_chart(ws: Workspace) -> None:
    """The refined figures cover the three metrics and several durations, primary first."""
    model = PilotModel(ws)
    model.weeks = 12
    model.refine()
    assert model.refined and model.progress == 1.0
    rows = model.power_rows()
    assert [r["metric"] for r in rows[:3]] == ["calls", "response_time", "repeat_calls"]
    assert rows[0]["label"] == "Police-handled calls of the pilot's types"
    assert rows[0]["mde"] == model.diagnosis["mde"] and 0 < rows[0]["coverage"] <= 1
    assert rows[0]["mde_analytic"] is not None  # difference-in-differences has a formula
    assert {p["weeks"] for p in model.diagnosis["curve"]} >= {4, 8, 12}


def test_the_view_refines_in_the_background_and_ignores_late_answers(
    ws: Workspace, quick_refiner: Refiner
) -> None:
    """The page shows the first answer, then the refined one with its chart; a refinement
    of a plan no longer shown changes nothing."""
    from kit.ui.pilot.view import PilotView

    model = PilotModel(ws)
    view = PilotView(model)
    _ = view.widget
    view.refresh()
    assert "A first answer" in view.answer.value
    plan = model.plan_shown
    assert plan is not None and quick_refiner.wait(plan, timeout=240) is not None
    until(lambda: "<svg" in view.chart.value)
    assert model.refined
    assert "These figures are refined" in view.answer.value
    assert view.progress.layout.display == "none"
    refined = dict(model.diagnosis)
    model.apply_refined(Plan("its", 30, plan.areas, plan.types), None, "too short")
    assert model.diagnosis == refined and not model.refine_error


def test_the_refiner_takes_the_plan_asked_for_last(ws: Workspace, quick_refiner: Refiner) -> None:
    """Plans asked for while another is refined wait; only the last of them is refined."""
    model = PilotModel(ws)
    model.recompute()
    panel = model._current_panel()
    plans = [Plan("did", w, tuple(model.areas), tuple(sorted(model.call_types))) for w in (6, 7, 9)]
    finished: list[int] = []
    started = threading.Event()

    def done(plan: Plan, found: object, why: str) -> None:
        finished.append(plan.weeks)

    quick_refiner.ask(panel, plans[0], lambda done, total: started.set(), done)
    assert started.wait(240)
    with quick_refiner.held():  # the first waits at its next placebo pilot meanwhile
        for plan in plans[1:]:
            quick_refiner.ask(panel, plan, lambda done, total: None, done)
    assert quick_refiner.wait(plans[-1], timeout=240) is not None
    assert finished == [6, 9] and quick_refiner.known(plans[1]) is None


@given(first=st.integers(0, 23), until=st.integers(1, 24))
def test_hours_come_back_as_the_span_set(first: int, until: int) -> None:
    """Any span of hours, across midnight or not, reads back as set (a full day as 0-24)."""
    model = PilotModel.__new__(PilotModel)
    PilotModel.hours.instance_init(model)
    model.set_hours_span(first, until)
    expected = (0, 24) if first == until % 24 else (first, until)
    assert model.hours_span() == expected
    assert len(model.hours) == ((until - first) % 24 or 24)


def test_a_saved_pilot_comes_back_with_its_power(ws: Workspace) -> None:
    """Saving goes through save_pilot: the weeks, design and power figures are kept, and a
    new model opens on them."""
    model = PilotModel(ws)
    model.load()
    model.weeks, model.design = 12, "did"
    version = model.save()
    assert "first answer" in model.status
    saved = ws.decisions.latest(DECISION_NAME)
    assert saved is not None and saved.step == "04"
    assert saved.document[POWER_KEY]["mde"] == model.diagnosis["mde"]
    again = PilotModel(ws)
    assert again.load() and again.base_version == version
    assert (again.weeks, again.design) == (12, "did")


def test_a_save_after_someone_else_saved_is_kept_as_a_draft(ws: Workspace) -> None:
    """Two pages open on the same pilot: the second save is refused and kept."""
    from kit.errors import ConflictError

    first, second = PilotModel(ws), PilotModel(ws)
    first.load(), second.load()
    first.save()
    second.weeks = 9
    with pytest.raises(ConflictError, match="draft"):
        second.save()


def test_the_evaluation_plan_is_the_saved_pilots(tmp_path: Path) -> None:
    """Before a save there is no plan; after it, the same document `kit pilot-plan` writes."""
    ws = planned_city(tmp_path / "ws")
    model = PilotModel(ws)
    with pytest.raises(KitError, match="Save the pilot first"):
        model.evaluation_plan()
    model.recompute()
    model.save()
    plan = model.evaluation_plan()
    assert plan == workspace_plan(ws)
    assert plan["power"]["mde"] == model.diagnosis["mde"]


def test_parameters_name_call_types_by_description(ws: Workspace) -> None:
    """A workbook's call types may be descriptions; unknown ones are refused in plain words."""
    model = PilotModel(ws)
    named = model.type_names()
    code = next(c for c, d in named.items() if d != c)
    model.apply_parameters(call_types=[named[code]], areas=[ws.profile.area_names[0].upper()])
    assert model.call_types == [code] and model.areas == [ws.profile.area_names[0]]
    with pytest.raises(KitError, match="not a call type in the calls"):
        model.apply_parameters(call_types=["NO SUCH TYPE"])


def test_starting_from_a_programme_fills_the_call_types(ws: Workspace) -> None:
    """CAHOOTS answers behavioural-health and medical calls: the pilot takes the city's."""
    model = PilotModel(ws)
    model.start_from("cahoots")
    assert model.practice == "cahoots" and model.responder == "crisis_team"
    assert "WELCHK" in model.call_types and "THEFT" not in model.call_types
    assert "CAHOOTS" in model.status
    with pytest.raises(KitError, match="Choose a programme"):
        model.start_from("")


def test_the_catalog_filters_by_family_and_shows_sources(ws: Workspace) -> None:
    """Each programme shown has the family chosen; facts link their sources, ratings read
    exactly as the data has them."""
    from kit.ui.pilot.view import PilotView

    model = PilotModel(ws)
    assert all("traffic" in p.families for p in model.practices("traffic"))
    assert len(model.practices()) == len(catalog())
    view = PilotView(model)
    _ = view.widget
    view.family.value = "traffic"
    shown = view.practice_list.value
    assert "CAHOOTS" not in shown
    practice = model.practices("traffic")[0]
    assert practice.name in shown and practice.crimesolutions in shown
    sourced = next(f for f in practice.facts if f.source_url)
    assert f'href="{sourced.source_url}"' in shown
    assert [o[1] for o in view.programme.options] == [p.id for p in model.practices("traffic")]


@pytest.mark.slow
def test_workbook_runs_headless(tmp_path) -> None:
    """`kit run --step 04` runs the workbook with papermill and saves the pilot it was given,
    with its refined power figures."""
    from kit.cli import main

    ws = planned_city(tmp_path / "ws")
    args = ["-p", "weeks=10", "-p", "design=its", "-p", "call_types=['WELCHK']"]
    assert main(["run", str(ws.path), "--step", "04", *args]) == 0
    saved = ws.decisions.latest(DECISION_NAME)
    assert saved is not None and saved.step == "04"
    document = saved.document
    assert (document["weeks"], document["design"]) == (10, "its")
    assert document["call_types"] == ["WELCHK"]
    power = document[POWER_KEY]
    assert power["design"] == "its" and power["weeks"] == 10
    assert set(power["metrics"]) == {"response_time", "repeat_calls"} and power["curve"]


def test_the_page_names_its_step_once_and_shows_the_effect(ws: Workspace) -> None:
    """The heading comes from the steps' data file, once; the answer names the design."""
    from kit.ui.pilot.view import PilotView

    model = PilotModel(ws)
    model.recompute()
    view = PilotView(model)
    shown = page_html(view.widget)
    view.refresh()
    assert shown.count("Step 04 · Design and evaluate a pilot") == 1
    assert f"Design: {model.assessment['name']}" in view.answer.value
    assert "Detectable effect:" in view.answer.value
    assert "The kit recommends" in view.design_note.value
    assert "detectable reduction" in view.summary_bar.value
    assert live_fields(view.widget) == []  # fields send their value once, never half typed


def test_before_step_02_moves_calls_the_page_opens_on_the_example(tmp_path: Path) -> None:
    """On the sample city as shipped (no plan of step 02's), step 04 opens on the crisis-team
    example and says so beside the pilot's controls; the note goes once the pilot is saved."""
    from kit.ui.pilot.view import PilotView

    ws = sample_workspace(tmp_path / "ws")
    assert PilotModel.missing(ws) is None
    model = PilotModel(ws)
    assert model.origin == "example" and model.responder == "crisis_team"
    model.recompute()
    view = PilotView(model)
    assert "example of a civilian crisis team" in page_html(view.widget)
    model.save()
    assert model.origin == "saved"
    assert "example of a civilian crisis team" not in page_html(view.widget)
