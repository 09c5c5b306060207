"""Step 03 through step 02's flow: hours freed, coverage, staffing, scenarios, reverse."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kit.errors import KitError
from kit.funding import (
    SENSITIVITY,
    Plan,
    Settings,
    check_document,
    default_costs,
    default_document,
    evaluate,
    hours_between,
    reverse_scenario,
    scenario_plan,
    sensitivity,
)
from kit.roles import build_cube, flow, new_document, totals
from kit.staffing import HOURS_PER_WEEK, WEEKS_PER_YEAR, ResponseTarget

TZ = "America/Chicago"
MONDAY = pd.Timestamp("2024-01-01 00:00", tz=TZ)  # a Monday
TARGET = ResponseTarget(minutes=20, share=0.9, travel_minutes=10)


def _calls(spec: list[tuple[str, str, float]], weeks: int = 52) -> pd.DataFrame:
    """One call of each (type, description, unit hours) in every hour of every week."""
    rows = []
    for week in range(weeks):
        for hour in range(HOURS_PER_WEEK):
            for call_type, desc, hours in spec:
                rows.append((call_type, desc, week * HOURS_PER_WEEK + hour, "North", hours))
    frame = pd.DataFrame(rows, columns=["call_type", "call_type_desc", "how", "area", "unit_hours"])
    frame["received_at"] = MONDAY + pd.to_timedelta(frame.pop("how"), unit="h")
    frame["initiated_by"] = "911"
    frame["units"] = 1
    return frame


@pytest.fixture(scope="module")
def cube():
    return build_cube(
        _calls(
            [
                ("MH", "MENTAL SUBJ - CRISIS", 0.75),
                ("THEFT", "THEFT - RPT", 0.5),
                ("ROB", "ROB - ARMED IP", 2.0),
            ],
            weeks=8,
        )
    )


def _plan(assignments: dict, coverage: dict | None = None, **assumed: dict) -> Plan:
    base = new_document()
    assumptions = {**base["assumptions"], **assumed}
    return Plan(
        assignments=assignments,
        assumptions=assumptions,
        coverage=coverage or {},
        productive_hours=1_849.0,
    )


def test_hand_computed_scenario(cube) -> None:
    """Every hour: one 45-minute crisis call; half taken up, 10% handed back, 90% in 20 min.

    Arrivals are 0.5 an hour (one call an hour, half taken up), 0.375 Erlangs: one team
    reaches 1 - 0.375 * exp(-0.625 * 10 / 45) = 67% in time, two teams 96%, so two teams
    every hour: 42 eight-hour shifts a week.
    """
    plan = _plan(
        {"MH": {"crisis_team": 1.0}},
        crisis_team={"screening": 0.0, "take_up": 0.5, "back_up": 0.1},
    )
    result = evaluate(cube, plan, Settings(target=TARGET), name="hand")
    mh_hours_per_year = 8 * HOURS_PER_WEEK * 0.75 / cube.years
    assert result.hours_freed == pytest.approx(mh_hours_per_year * 0.5 * 0.9)
    assert result.effect.fte_freed == pytest.approx(result.hours_freed / 1_849)
    team = result.staffing["crisis_team"]
    assert team.minutes_per_call == pytest.approx(45)
    rate = 0.5 * 8 / (cube.years * WEEKS_PER_YEAR)
    assert team.by_hour["calls_per_hour"].to_numpy() == pytest.approx(np.full(168, rate))
    assert (team.by_hour["teams"] == 2).all()
    assert team.plan.shifts_per_week == 42
    assert team.budget.headcount == pytest.approx(336 * WEEKS_PER_YEAR * 2 / 1_849)
    assert set(result.staffing) == {"crisis_team"}


def test_full_coverage_equals_step_02(cube) -> None:
    """With 24/7 coverage the hours freed are step 02's figure (flow's freed hours per year)."""
    plan = _plan({"MH": {"crisis_team": 1.0}, "THEFT": {"cso": 0.5, "online": 0.3}})
    result = evaluate(cube, plan, Settings(target=TARGET))
    step02 = totals(flow(cube, plan.assignments, plan.assumptions))["freed_hours"].iloc[0]
    assert result.hours_freed == pytest.approx(step02 / cube.years)
    by_area = result.freed_by(("area",))
    assert by_area["hours_freed"].sum() == pytest.approx(result.hours_freed)
    detail = result.freed_by()
    assert set(detail.columns) == {"call_type", "hour_of_week", "area", "hours_freed"}
    assert detail["hours_freed"].sum() == pytest.approx(result.hours_freed)


def test_coverage_shrinks_hours_freed_visibly(cube) -> None:
    """A weekday 10:00-18:00 crisis team frees about 40/168 of what a 24/7 one frees."""
    everything = _plan({"MH": {"crisis_team": 1.0}})
    daytime = replace(everything, coverage={"crisis_team": hours_between(10, 18, days=range(5))})
    full = evaluate(cube, everything, Settings(target=TARGET))
    part = evaluate(cube, daytime, Settings(target=TARGET))
    assert part.hours_freed == pytest.approx(full.hours_freed * 40 / 168)
    needs = part.staffing["crisis_team"].by_hour["teams"].to_numpy()
    assert needs[hours_between(10, 18, days=range(5))].min() > 0
    assert needs.sum() == needs[hours_between(10, 18, days=range(5))].sum()


def test_hours_between_wraps_midnight_and_week() -> None:
    assert hours_between(22, 6, days=[6]) == [*range(0, 6), 166, 167]
    assert len(hours_between(0, 24)) == 168
    with pytest.raises(KitError, match="Coverage runs from an hour"):
        hours_between(25, 3)


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    shares=st.tuples(*[st.floats(0, 1) for _ in range(3)]),
    take_up=st.floats(0, 1),
    back_up=st.floats(0, 1),
    wide=st.sets(st.integers(0, 167), max_size=168),
    keep=st.floats(0, 1),
)
def test_conservation_and_coverage(cube, shares, take_up, back_up, wide, keep) -> None:
    """Hours freed never exceed the hours routed away; narrowing coverage never frees more."""
    mh, theft, rob = shares
    assignments = {
        "MH": {"crisis_team": mh},
        "THEFT": {"cso": theft * 0.5, "online": theft * 0.5},
        "ROB": {"cso": rob},
    }
    assumed = {"screening": 0.0, "take_up": take_up, "back_up": back_up}
    wide_hours = sorted(wide)
    narrow_hours = wide_hours[: int(len(wide_hours) * keep)]
    results = []
    for hours in (None, wide_hours, narrow_hours):
        coverage = {} if hours is None else {"crisis_team": hours, "cso": hours}
        plan = _plan(assignments, coverage, crisis_team=assumed, cso=assumed, online=assumed)
        result = evaluate(cube, plan, Settings(target=TARGET))
        routed = result.flow_by_hour
        away = routed[~routed["responder"].isin(["police", "co_response"])]
        assert result.hours_freed <= away["routed_hours"].sum() / cube.years + 1e-6
        results.append(result.hours_freed)
    full, wide_freed, narrow_freed = results
    assert narrow_freed <= wide_freed + 1e-6 <= full + 2e-6


def test_sensitivity_ranges(cube) -> None:
    """Tornado data: each main assumption at both ends of its stated range, widest first."""
    plan = _plan({"MH": {"crisis_team": 1.0}, "THEFT": {"cso": 1.0}})
    frame = sensitivity(cube, plan, Settings(target=TARGET))
    assert set(frame["assumption"]) == set(SENSITIVITY)
    assert list(frame["swing"]) == sorted(frame["swing"], reverse=True)
    rows = frame.set_index("assumption")
    assert (
        rows.at["team_cost", "high_net_if_redeployed"]
        < rows.at["team_cost", "low_net_if_redeployed"]
    )
    assert (
        rows.at["officer_cost", "high_net_if_redeployed"]
        > rows.at["officer_cost", "low_net_if_redeployed"]
    )
    assert rows.at["take_up", "high_hours_freed"] > rows.at["take_up", "low_hours_freed"]
    assert rows.at["back_up", "high_hours_freed"] <= rows.at["back_up", "low_hours_freed"]
    assert (frame["range"].str.len() > 0).all()


def test_reverse_scenario_moves_the_biggest_first(cube) -> None:
    """A cut worth less than the theft reports' hours moves only what frees the most."""
    roles = new_document()
    settings_ = Settings(target=TARGET, costs=replace(default_costs(), officer_annual_cost=100_000))
    everything = reverse_scenario(cube, roles, settings_, budget_cut=0.5, police_budget=1e9)
    assert not everything.reached
    moved = everything.moved
    assert len(moved) >= 2
    assert list(moved["hours_freed"]) == sorted(moved["hours_freed"], reverse=True)
    assert "ROB" not in set(moved["call_type"])
    first_hours = float(moved["hours_freed"].iloc[0])
    # A budget whose cut needs a little less than the first type's hours.
    productive = roles["productive_hours_per_officer"]
    budget = 0.9 * first_hours / productive * 100_000 / 0.05
    small = reverse_scenario(cube, roles, settings_, budget_cut=0.05, police_budget=budget)
    assert small.reached
    assert list(small.moved["call_type"]) == [moved["call_type"].iloc[0]]
    assert small.evaluation.hours_freed >= small.hours_needed
    assert small.summary()["reached"] is True
    with pytest.raises(KitError, match="budget cut must be a fraction"):
        reverse_scenario(cube, roles, settings_, budget_cut=1.5, police_budget=budget)


def test_scenarios_from_presets_and_saved_roles(cube) -> None:
    """Template scenarios use step 02's presets; saved roles come first."""
    roles = new_document()
    roles["assignments"] = {"ROB": {"cso": 1.0}}
    both = scenario_plan(
        {"name": "x", "use_saved_roles": True, "presets": ["convening", "crisis_response"]},
        cube,
        roles,
    )
    assert both.assignments["ROB"] == {"cso": 1.0}
    assert "crisis_team" in both.assignments["MH"]
    assert "THEFT" in both.assignments
    with pytest.raises(KitError, match="presets must be a list of"):
        scenario_plan({"name": "x", "presets": ["no_such_preset"]}, cube, roles)


def test_document_defaults_and_checks() -> None:
    """The default decision is valid and names the required scenarios; bad input is refused."""
    doc = check_document(default_document())
    names = [s["name"] for s in doc["scenarios"]]
    assert {"Civilian reports and alarms", "Crisis team", "Both together"} <= set(names)
    assert check_document(doc) == doc
    for change, why in (
        ({"active": "Nope"}, "'Nope' is not among the scenarios"),
        ({"shift_hours": 9}, "Shifts must be 8, 10 or 12 hours long"),
        ({"target": {"minutes": 10, "share": 0.9, "travel_minutes": 12}}, "Travel alone takes"),
        ({"minutes_per_call": {"police": 30}}, "Service times are for"),
        ({"reverse": {"budget_cut": 2}}, "budget cut of the reverse scenario"),
        ({"scenarios": [*doc["scenarios"], doc["scenarios"][0]]}, "have the same name"),
        ({"schema_version": 99}, "schema version 99"),
    ):
        with pytest.raises(KitError, match=why):
            check_document({**doc, **change})


def test_service_time_is_one_units_time() -> None:
    """Two units for 45 minutes each is 90 officer minutes, but a team is busy 45 minutes."""
    from kit.funding import unit_minutes

    calls = _calls([("MH", "MENTAL SUBJ - CRISIS", 1.5)], weeks=2)
    calls["units"] = 2
    cube = build_cube(calls)
    plan = _plan({"MH": {"crisis_team": 1.0}})
    per_unit = unit_minutes(calls)
    assert per_unit == {"MH": pytest.approx(45)}
    summed = evaluate(cube, plan, Settings(target=TARGET))
    alone = evaluate(cube, plan, Settings(target=TARGET, unit_minutes=per_unit))
    assert summed.staffing["crisis_team"].minutes_per_call == pytest.approx(90)
    assert alone.staffing["crisis_team"].minutes_per_call == pytest.approx(45)
    entered = evaluate(
        cube,
        plan,
        Settings(target=TARGET, unit_minutes=per_unit, minutes_per_call={"crisis_team": 30}),
    )
    assert entered.staffing["crisis_team"].minutes_per_call == pytest.approx(30)
    assert alone.hours_freed == pytest.approx(summed.hours_freed)
