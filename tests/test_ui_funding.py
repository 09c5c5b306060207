"""Step 03's model and view: defaults, recompute, save and restore, sources, escaping."""

from __future__ import annotations

import base64
from datetime import date
from pathlib import Path

import pytest
from markupsafe import escape
from ui_samples import HOSTILE, live_fields, page_html

from kit import funding
from kit.charts import teams_chart, teams_frame
from kit.errors import KitError
from kit.funding import DECISION_NAME, funding_checklist
from kit.labels import BUDGET_LINE_LABELS
from kit.pages.funding import checklist_html, headline_html, plan_note_html, team_hours_html
from kit.ui.funding import FundingModel, FundingView
from kit.workspace import Workspace
from sample_city.build import sample_workspace


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    return sample_workspace(tmp_path_factory.mktemp("ui-funding") / "ws")


@pytest.fixture(scope="module")
def inputs(ws: Workspace) -> funding.Inputs:
    """The sample city's calls read once; never changed by a test."""
    return funding.load_inputs(ws)


def _model(ws: Workspace, inputs: funding.Inputs) -> FundingModel:
    model = FundingModel(ws)
    model._inputs = inputs  # the same calls: skip reading them again
    return model


@pytest.fixture
def model(ws: Workspace, inputs: funding.Inputs) -> FundingModel:
    """A fresh model per test, so what one test sets never leaks into the next."""
    model = _model(ws, inputs)
    assert model.load() is False
    model.recompute()
    return model


def test_defaults_show_both_examples(model: FundingModel) -> None:
    """Nothing saved in step 02: the page opens on both shipped examples together."""
    assert model.active == "Both together"
    assert model.summary["hours_freed"] > 0
    assert {"crisis_team", "cso"} <= set(model.summary["responders"])
    assert len(model.years) == 3
    assert [row["year"] for row in model.gap] == model.years


def test_a_stricter_target_needs_more_teams(model: FundingModel) -> None:
    """Moving the target slider recomputes the teams; hours freed do not change."""
    before = model.summary
    model.target_minutes = 15.0
    model.recompute()
    after = model.summary
    assert after["hours_freed"] == pytest.approx(before["hours_freed"])
    for name, responder in after["responders"].items():
        assert sum(responder["teams_by_hour"]) >= sum(before["responders"][name]["teams_by_hour"])


def test_sources_close_the_gap_and_round_trip(inputs: funding.Inputs, tmp_path: Path) -> None:
    """Committed money closes the gap; the saved decision comes back in a new model."""
    ws = sample_workspace(tmp_path / "ws")  # its own copy: this test saves
    model = _model(ws, inputs)
    model.load()
    model.recompute()
    first = model.years[0]
    cost = model.gap[0]["cost"]
    model.add_source(
        kind="general_fund_reallocation",
        name="Vacant posts",
        year=first,
        amount=cost / 2,
        status="committed",
    )
    model.add_source(
        kind="medicaid_mobile_crisis",
        name="Medicaid",
        year=first,
        amount=cost / 4,
        status="applied",
        start=date(first - 1, 7, 1),
    )
    assert model.gap[0]["gap"] == pytest.approx(cost / 2)
    assert model.gap[0]["gap_if_pending_arrives"] == pytest.approx(cost / 4)
    model.active = "Crisis team"
    model.shift_hours = 12
    version = model.save(user="tester")
    again = FundingModel(ws)
    assert again.load() is True and again.base_version == version
    assert again.active == "Crisis team" and again.shift_hours == 12
    assert [s["name"] for s in again.funding_sources] == ["Vacant posts", "Medicaid"]
    assert again.funding_sources[1]["start"] == f"{first - 1}-07-01"
    assert ws.decisions.latest(DECISION_NAME).document["schema_version"] == 1
    again.remove_source(0)
    assert [s["name"] for s in again.funding_sources] == ["Medicaid"]
    with pytest.raises(KitError, match="Unknown kind of funding 'lottery'"):
        again.add_source(kind="lottery", name="x", year=first, amount=1)


def test_compare_sensitivity_and_reverse(model: FundingModel) -> None:
    model.compare()
    names = [row["scenario"] for row in model.comparison]
    assert {"Civilian reports and alarms", "Crisis team", "Both together"} <= set(names)
    assert names[-1] == "Police budget 5% smaller"
    model.run_sensitivity()
    assert len(model.tornado) == 6
    model.budget_cut = 0.01
    model.run_reverse()
    assert model.reverse["hours_needed"] > 0 and model.reverse["moved"]
    reverse = model.reverse
    assert reverse["shortfall_hours"] == pytest.approx(
        max(reverse["hours_needed"] - reverse["hours_freed"], 0)
    )


def test_unknown_scenario_parameter_is_refused(model: FundingModel) -> None:
    with pytest.raises(KitError, match="no scenario"):
        model.apply_parameters(scenario="Nowhere")


def test_view_builds_and_escapes(model: FundingModel) -> None:
    """The page builds; text from data and names typed by people are shown escaped."""
    view = FundingView(model)
    root = view.widget
    assert "kit-step-03" in root._dom_classes
    assert live_fields(root) == []
    view.show_summary()
    assert "<svg" in view.teams.value
    model.add_source(kind="philanthropy", name="<script>x</script>", year=model.years[0], amount=10)
    assert "<script>" not in view.sources.value
    assert "&lt;script&gt;" in view.sources.value
    view.remove_choice.value = str(len(model.funding_sources) - 1)
    before = len(model.funding_sources)
    view.model.remove_source(int(view.remove_choice.value))
    assert len(model.funding_sources) == before - 1
    html = headline_html({**model.summary, "responders": {}})
    assert html.startswith("<p>") and "<script" not in html


def test_the_officer_cost_is_shown_in_dollars_beside_its_box(model: FundingModel) -> None:
    """A number box shows no separators, so the cost in use is also written out in dollars."""
    view = FundingView(model)
    model.officer_cost_from = "entered"
    model.officer_annual_cost = 123456.0
    assert "$123,456 a year" in page_html(view.widget)


def test_teams_chart_is_aggregated(model: FundingModel) -> None:
    frame = teams_frame(model.summary, BUDGET_LINE_LABELS)
    assert len(frame) == 168 * len(model.summary["responders"])
    spec = teams_chart(frame).to_dict()
    assert spec["facet"]["row"]["field"] == "responder"


@pytest.mark.slow
def test_workbook_runs_headless(tmp_path) -> None:
    """`kit run --step 03` runs the workbook with papermill and saves the chosen scenario."""
    from kit.cli import main

    ws = sample_workspace(tmp_path / "ws")
    args = ["run", str(ws.path), "--step", "03", "-p", "scenario=Crisis team"]
    assert main([*args, "-p", "shift_hours=10"]) == 0
    saved = ws.decisions.latest(DECISION_NAME)
    assert saved is not None and saved.step == "03"
    assert saved.document["active"] == "Crisis team" and saved.document["shift_hours"] == 10
    # The kept notebook shows what was worked out, not an empty output.
    import nbformat

    kept = sorted(ws.path.glob("runs/*/03_identify_funding.ipynb"))[-1]
    shown = "".join(
        str(output.get("data", {}).get("text/html", ""))
        for cell in nbformat.read(kept, as_version=4).cells
        for output in cell.get("outputs", [])
    )
    assert "Scenario: Crisis team." in shown and "8-hour shifts" not in shown
    for heading in ("Scenarios side by side", "How sure are these figures?", "Funding sources"):
        assert f"<h2>{heading}</h2>" in shown


def test_service_times_costs_and_areas(ws: Workspace, model: FundingModel) -> None:
    """Entered minutes and cost figures change the figures; hours freed are shown by area."""
    model.active = "Crisis team"
    model.recompute()
    before = model.summary
    model.set_minutes("crisis_team", 90)
    model.recompute()
    assert model.summary["responders"]["crisis_team"]["minutes_per_call"] == pytest.approx(90)
    assert (
        model.summary["responders"]["crisis_team"]["headcount"]
        > before["responders"]["crisis_team"]["headcount"]
    )
    model.set_minutes("crisis_team", 0)
    assert "crisis_team" not in model.minutes_per_call
    path = ["responders", "crisis_team", "members", 0, "salary"]
    model.set_cost(path, 80_000)
    model.recompute()
    assert model.summary["service_cost"] > before["service_cost"]
    with pytest.raises(KitError, match="must be zero or a positive number"):
        model.set_cost(path, -1)
    with pytest.raises(KitError, match="Service times are for"):
        model.set_minutes("police", 30)
    areas = {row["area"] for row in model.by_area}
    assert areas == set(ws.profile.area_names)
    freed = sum(row["hours_freed"] for row in model.by_area)
    assert freed == pytest.approx(model.summary["hours_freed"])


def test_narrower_coverage_frees_fewer_hours(ws: Workspace, model: FundingModel) -> None:
    """Weekday daytime cover for the crisis team frees visibly fewer hours than 24/7."""
    from kit.funding import hours_between

    model.active = "Crisis team"
    model.set_coverage("crisis_team", None)
    model.recompute()
    full = model.summary["hours_freed"]
    model.set_coverage("crisis_team", hours_between(10, 18, range(5)))
    model.recompute()
    assert model.summary["hours_freed"] < 0.5 * full
    teams = model.summary["responders"]["crisis_team"]["teams_by_hour"]
    assert sum(teams[h] for h in range(168) if h not in hours_between(10, 18, range(5))) == 0
    saved = next(s for s in model.scenarios if s["name"] == "Crisis team")
    assert len(saved["coverage"]["crisis_team"]) == 40
    model.set_coverage("crisis_team", None)
    model.active = "Both together"


def test_page_rereads_the_workspace_after_a_change(ws: Workspace, model: FundingModel) -> None:
    """A drawn page that re-reads the workspace (a preheated page when it is asked for) takes
    the saved state back without breaking the links between its fields and the model."""
    again = FundingModel(ws)
    again._inputs = model.inputs  # the same calls: skip reading them again
    again.load()
    view = FundingView(again)
    _ = view.widget
    view.refresh()
    in_use = again.officer_annual_cost
    assert in_use > 0
    saved_minutes = again.target_minutes
    again.target_minutes = saved_minutes + 7  # the slider moved; the view recomputes
    again.load()
    assert again.target_minutes == saved_minutes
    assert again.officer_annual_cost == pytest.approx(in_use)
    assert again.error == ""


def test_first_visit_says_no_plan_and_marks_the_empty_scenario(model: FundingModel) -> None:
    """With no step 02 plan saved the page says why it starts from the examples, and the
    comparison marks the step 02 row rather than showing unexplained zeros."""
    assert not model.inputs.roles_saved
    assert "No plan is saved in step 02" in plan_note_html(False)
    assert plan_note_html(True) == ""
    view = FundingView(model)
    _ = view.widget
    model.compare()
    assert "Step 02 plan (none saved yet)" in view.comparison.value
    assert 'class="kit-num"' in view.comparison.value
    model.target_minutes += 5  # figures worked out under the old target are dropped
    assert model.comparison == [] and "Press <b>Compare scenarios</b>" in view.comparison.value
    model.target_minutes -= 5


def test_checklist_and_team_hours_are_escaped(model: FundingModel) -> None:
    """Every kind of funding is listed with what was entered; typed names never become markup."""
    sources = [
        {
            "kind": "philanthropy",
            "name": "<b>x</b>",
            "amounts": {"2030": 5000.0},
            "status": "applied",
        }
    ]
    table = checklist_html(sources)
    for label in funding_checklist()["label"]:
        assert label.replace("'", "&#x27;") in table
    assert "$5,000" in table and "applied" in table and "<b>x</b>" not in table
    lines = team_hours_html(model.summary)
    assert lines.count("<p>") == len(model.summary["responders"])
    assert "team-hours a week" in lines


def test_a_warmed_page_takes_up_a_plan_saved_in_step_02_since(tmp_path) -> None:
    """A page drawn before step 02's plan was saved uses that plan once it is opened."""
    from kit.roles import DECISION_NAME, new_document

    ws = sample_workspace(tmp_path / "ws")
    model = FundingModel(ws)
    model.load()
    assert not model.inputs.roles_saved
    ws.decisions.save(DECISION_NAME, new_document("none"), base_version=None, step="02")
    model.load()  # what opening the preheated page does
    assert model.inputs.roles_saved


def test_page_to_print_is_complete_escaped_and_dropped_when_out_of_date(tmp_path) -> None:
    """The page to print works out what the page left to a button, escapes typed names, and
    its link goes away once an assumption changes (it would no longer match the page)."""
    ws = sample_workspace(tmp_path / "ws")
    model = FundingModel(ws)
    model.load()
    model.recompute()
    model.add_source(kind="philanthropy", name=HOSTILE, year=model.years[0], amount=5000)
    view = FundingView(model)
    _ = view.widget
    assert model.comparison == [] and model.tornado == []
    view.make_page()
    assert model.comparison and model.tornado and model.reverse
    link = view.print_link.value
    assert 'download="funding-port-calder.html"' in link
    printed = base64.b64decode(link.split("base64,")[1].split('"')[0]).decode()
    for heading in (
        "What the scenario frees and costs",
        "Teams by hour of the week",
        "Scenarios side by side",
        "How sure are these figures?",
        "Keeping service with a smaller police budget",
        "The gap, year by year",
    ):
        assert f"<h2>{heading}</h2>" in printed
    assert "Scenario: Both together. Calls reached within 20 minutes" in printed
    assert "<svg" in printed and "<img" not in printed and escape(HOSTILE) in printed
    model.target_minutes = 15
    assert view.print_link.value == ""


def test_a_trait_set_from_plain_python_gives_new_figures_at_once(ws: Workspace) -> None:
    """With no view, a new target recomputes the teams on the spot; figures worked out under
    the old target are dropped, and a change that cannot be worked out leaves them pending."""
    model = FundingModel(ws)
    model.load()
    assert model.pending and not model.summary
    model.run()
    assert not model.pending and model.comparison and model.tornado
    before = model.summary["responders"]
    model.target_minutes = 14.0
    assert not model.pending
    after = model.summary["responders"]
    assert all(
        sum(after[name]["teams_by_hour"]) >= sum(r["teams_by_hour"]) for name, r in before.items()
    )
    assert any(after[name]["teams_by_hour"] != r["teams_by_hour"] for name, r in before.items())
    assert model.comparison == [] and model.tornado == [] and model.reverse == {}
    assert model.figures().summary == model.summary

    model.target_minutes = 8.0
    assert model.pending and "no number of teams can reach calls within 8 minutes" in model.error
    model.target_minutes = 20.0
    model.active = "Crisis team"
    assert not model.pending and model.error == ""
    assert "cso" not in model.summary["responders"]


def test_equity_threshold_is_step_02s_and_saved(tmp_path) -> None:
    """Step 03 starts from the threshold step 02 saved (10 points by default, as there),
    flags areas by it and saves it with its own decision."""
    from kit.equity import DEFAULT_THRESHOLD_PP
    from kit.roles import DECISION_NAME as ROLES
    from kit.roles import new_document

    ws = sample_workspace(tmp_path / "ws")
    first = FundingModel(ws)
    first.load()
    assert first.threshold_pp == DEFAULT_THRESHOLD_PP == 10
    ws.decisions.save(
        ROLES, {**new_document(), "equity_threshold_pp": 0.0}, base_version=None, step="02"
    )
    model = FundingModel(ws)
    model.load()
    assert model.threshold_pp == 0
    model.active = "Both together"
    model.recompute()
    # With no tolerance every area with enough hours and a different share is flagged.
    assert any(row["flagged"] for row in model.by_area)
    model.threshold_pp = 100
    model.recompute()
    assert not any(row["flagged"] for row in model.by_area)
    model.threshold_pp = 12.5
    model.save()
    assert ws.decisions.latest(DECISION_NAME).document["equity_threshold_pp"] == 12.5
    again = FundingModel(ws)
    again.load()
    assert again.threshold_pp == 12.5
