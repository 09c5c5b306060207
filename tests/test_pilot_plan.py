"""Step 04's evaluation plan: its sections, the registry's fields, step 01's goals and the
power figure carried in, the page to print (escaped) and `kit pilot-plan`."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from kit.cli import main
from kit.errors import KitError
from kit.pages.pilot import plan_page
from kit.pilot.definition import Pilot, hours_text, workspace_pilot
from kit.pilot.plan import build_plan, workspace_plan
from tests.pilot_samples import calls_frame, pilot_workspace
from tests.ui_samples import HOSTILE, make_workspace, profile

SECTIONS = (
    "hypotheses",
    "metrics",
    "design",
    "analysis",
    "decision_rule",
    "equity_checks",
    "data_to_collect",
    "stopping_rules",
    "registry",
)
FIELDS = (
    "title",
    "dates",
    "intervention",
    "primary_outcomes",
    "unit_of_assignment",
    "planned_sample",
    "power_calculation",
    "ethics_review",
)
POWER = {"design": "did", "inference": "randomisation", "mde": 0.18, "mde_analytic": 0.17}


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory):
    return pilot_workspace(tmp_path_factory.mktemp("plan") / "ws")


@pytest.fixture(scope="module")
def pilot(workspace) -> Pilot:
    return workspace_pilot(workspace)


def _plan(pilot: Pilot, **options):
    return build_plan(pilot, calls=calls_frame(), profile=profile(), **options)


def test_the_plan_has_every_section_and_the_registrys_fields(workspace) -> None:
    plan = workspace_plan(workspace)
    assert set(SECTIONS) <= set(plan)
    assert tuple(plan["registry"]["fields"]) == FIELDS
    assert plan["registry"]["name"] == "OSF preregistration"
    assert [m["metric"] for m in plan["metrics"]] == [
        "police_calls",
        "response_time",
        "repeat_calls",
    ]
    assert [m["primary"] for m in plan["metrics"]] == [True, False, False]
    assert "Not yet worked out" in plan["registry"]["fields"]["power_calculation"]
    assert "10:00-18:00" in plan["registry"]["fields"]["intervention"]
    assert any(
        "tells calls answered by the civilian crisis team apart" in line
        for line in plan["data_to_collect"]
    )
    json.dumps(plan, allow_nan=False)


def test_one_pilot_area_of_three_says_it_cannot_conclude(pilot: Pilot) -> None:
    plan = _plan(pilot)
    assert plan["design"]["design"] == "did"
    assert plan["design"]["confident"] is False
    assert "cannot support a confident conclusion" in plan["design"]["warnings"][0]
    assert "descriptive only" in plan["decision_rule"]
    assert plan["design"]["comparison"]
    assert len(plan["design"]["tracking"]) == 2


def test_step_01s_goals_join_the_metrics_and_hypotheses(pilot: Pilot) -> None:
    goals = [
        {"text": "Fewer repeat calls", "metric": "repeat_calls", "target": 0.1},
        {
            "text": "Care for people in crisis",
            "metric": "care_share",
            "target": 0.5,
            "label": "Behavioural-health calls answered by a care responder",
            "unit": "share",
            "better": "higher",
        },
    ]
    plan = _plan(pilot, goals=goals)
    by_key = {m["metric"]: m for m in plan["metrics"]}
    assert by_key["repeat_calls"]["goal"]["text"] == "Fewer repeat calls"
    assert by_key["care_share"]["goal"]["target"] == 0.5
    assert len(plan["metrics"]) == 4
    assert "H4 (step 01's goal 'Fewer repeat calls')" in plan["hypotheses"][3]
    assert "H5 (step 01's goal 'Care for people in crisis')" in plan["hypotheses"][4]


def test_the_power_figure_is_carried_in(pilot: Pilot) -> None:
    text = _plan(pilot, power=POWER)["registry"]["fields"]["power_calculation"]
    assert "is 18%" in text and "formula gives 17%" in text
    with pytest.raises(KitError, match="no minimum detectable effect"):
        _plan(pilot, power={"design": "did"})


def test_a_randomised_pilot_registers_with_the_aea_and_keeps_its_draw(pilot: Pilot) -> None:
    plan = _plan(replace(pilot, constraints={"can_randomise": True}))
    assert plan["design"]["design"] == "randomised"
    assert plan["registry"]["name"] == "AEA RCT Registry"
    assert plan["registry"]["fields"]["unit_of_assignment"] == "shifts or days"
    assert "182 days" in plan["registry"]["fields"]["planned_sample"]
    assert any("sealed draw" in line for line in plan["data_to_collect"])
    assert plan["design"]["comparison"] == []


def test_a_small_expected_count_is_not_printed(pilot: Pilot) -> None:
    tiny = replace(pilot, areas=(HOSTILE,), call_types=("WELCHK",), weeks=1)
    assert "fewer than 11 calls" in _plan(tiny)["registry"]["fields"]["planned_sample"]


def test_a_chosen_design_is_assessed_and_refused_when_impossible(pilot: Pilot) -> None:
    assert _plan(replace(pilot, design="its"))["design"]["inference"] == "time_series"
    with pytest.raises(KitError, match="drawn at random"):
        _plan(replace(pilot, design="randomised"))


@pytest.mark.parametrize(
    ("hours", "text"),
    [
        (tuple(range(24)), "around the clock"),
        (tuple(range(10, 18)), "10:00-18:00"),
        ((0, 1, 22, 23), "00:00-02:00, 22:00-00:00"),
        ((7,), "07:00-08:00"),
    ],
)
def test_hours_read_as_ranges(hours: tuple[int, ...], text: str) -> None:
    assert hours_text(hours) == text


def test_the_page_to_print_escapes_the_data(pilot: Pilot) -> None:
    page = plan_page(_plan(replace(pilot, areas=("North", HOSTILE))))
    assert HOSTILE not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "cannot support a confident conclusion" in page
    for heading in (
        "Registration (OSF preregistration)",
        "Hypotheses",
        "Metrics",
        "Design:",
        "Analysis",
        "Decision rule",
        "Equity checks",
        "Data to collect",
        "Stopping rules",
        "Ethics review",
        "Power calculation",
    ):
        assert heading in page


def test_kit_pilot_plan_writes_json_and_html(workspace, tmp_path: Path, capsys) -> None:
    power = tmp_path / "power.json"
    power.write_text(json.dumps(POWER), encoding="utf-8")
    out = tmp_path / "plan.json"
    assert main(["pilot-plan", str(workspace.path), "--out", str(out), "--power", str(power)]) == 0
    assert json.loads(out.read_text(encoding="utf-8"))["power"]["mde"] == 0.18
    page = tmp_path / "plan.html"
    assert main(["pilot-plan", str(workspace.path), "--out", str(page)]) == 0
    assert page.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert "The evaluation plan is in" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--out", "plan.pdf"], "--out must end in .html or .json"),
        (["--out", "plan.json", "--power", "missing.json"], "Could not read the power figures"),
    ],
)
def test_kit_pilot_plan_refuses_bad_options(
    workspace, extra, message, capsys, monkeypatch, tmp_path
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["pilot-plan", str(workspace.path), *extra]) == 2
    assert message in capsys.readouterr().err


def test_kit_pilot_plan_says_when_it_plans_the_example(tmp_path: Path, capsys) -> None:
    """Without a plan of step 02's that moves calls, the plan is the crisis-team example's,
    and the command says so."""
    ws = make_workspace(tmp_path / "ws")
    ws.write_data({"calls": calls_frame(weeks=4)})
    assert main(["pilot-plan", str(ws.path), "--out", str(tmp_path / "p.json")]) == 0
    assert "crisis-team example" in capsys.readouterr().err
    written = json.loads((tmp_path / "p.json").read_text(encoding="utf-8"))
    assert written["pilot"]["responder"] == "crisis_team"
