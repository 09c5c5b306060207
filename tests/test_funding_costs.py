"""Costs of the alternative service, the net effect both ways, and funding sources against cost."""

from __future__ import annotations

from datetime import date

import pytest

from kit.errors import KitError
from kit.funding import (
    Costs,
    FundingSource,
    arpa_enhanced_match_possible,
    default_costs,
    dispatch_budget,
    field_responder_budget,
    funding_checklist,
    funding_gap,
    load_template,
    net_effect,
    officer_hourly_cost,
    per_call_budget,
)
from kit.staffing import HOURS_PER_WEEK, WEEKS_PER_YEAR, shift_plan


def _round_costs() -> Costs:
    """Round numbers chosen so that every figure below can be worked out by hand."""
    doc = load_template("costs.json")
    doc["officer"]["annual_cost_per_officer"] = 100_000
    doc["benefits_rate"] = 0.5
    doc["responders"]["crisis_team"]["members"] = [
        {"role": "crisis worker", "count": 1, "salary": 40_000},
        {"role": "medic", "count": 1, "salary": 40_000},
    ]
    doc["responders"]["crisis_team"]["vehicle_per_team_per_year"] = 10_000
    doc["responders"]["crisis_team"]["vehicle_purchase_per_team"] = 50_000
    doc["supervision"] = {"staff_per_supervisor": 10, "supervisor_cost_multiple": 1.5}
    doc["training_per_person_per_year"] = 1_000
    doc["dispatch_changes_per_year"] = 20_000
    doc["start_up"] = {
        "initial_training_per_person": 2_000,
        "equipment_per_person": 1_000,
        "dispatch_setup": 5_000,
    }
    # One post around the clock is 8,766 hours a year; 2,191.5 on-duty hours make it 4 people.
    doc["on_duty_hours_per_year"] = HOURS_PER_WEEK * WEEKS_PER_YEAR / 4
    return Costs.from_document(doc)


def test_hand_computed_scenario() -> None:
    """One two-person team around the clock, 3,000 officer hours freed: every figure by hand."""
    costs = _round_costs()
    plan = shift_plan([1] * HOURS_PER_WEEK, 8)
    team = field_responder_budget(costs, "crisis_team", plan)
    assert team.headcount == pytest.approx(8.0)
    assert team.supervisors == pytest.approx(0.8)
    assert team.personnel == pytest.approx(8 * 60_000)
    assert team.supervision == pytest.approx(0.8 * 60_000 * 1.5)
    assert team.training == pytest.approx(8.8 * 1_000)
    assert team.vehicles == pytest.approx(10_000)
    assert team.start_up == pytest.approx(50_000 + 8.8 * 3_000)
    dispatch = dispatch_budget(costs)
    effect = net_effect(3_000, costs, 1_500, [team, dispatch])
    assert effect.service_cost == pytest.approx(480_000 + 72_000 + 8_800 + 10_000 + 20_000)
    assert effect.start_up_cost == pytest.approx(76_400 + 5_000)
    assert effect.fte_freed == pytest.approx(2.0)
    assert effect.value_of_hours == pytest.approx(200_000)
    assert effect.positions_not_refilled == 2
    assert effect.net_if_redeployed == pytest.approx(200_000 - 590_800)
    assert effect.net_if_not_refilled == pytest.approx(200_000 - 590_800)


def test_only_whole_positions_release_budget() -> None:
    """2.6 officers' worth of hours is worth 2.6 officers redeployed, but only 2 empty positions."""
    costs = _round_costs()
    effect = net_effect(3_900, costs, 1_500, [])
    assert effect.fte_freed == pytest.approx(2.6)
    assert effect.value_of_hours == pytest.approx(260_000)
    assert effect.budget_released == pytest.approx(200_000)


def test_cso_costs_half_an_officer() -> None:
    """Visalia's conversion: a community service officer costs half a sworn officer, loaded."""
    costs = default_costs()
    plan = shift_plan([1] * HOURS_PER_WEEK, 8)
    cso = field_responder_budget(costs, "cso", plan)
    assert cso.personnel == pytest.approx(cso.headcount * costs.officer_annual_cost / 2)


def test_no_need_costs_nothing() -> None:
    costs = default_costs()
    plan = shift_plan([0] * HOURS_PER_WEEK, 12)
    assert field_responder_budget(costs, "crisis_team", plan).per_year == 0
    assert per_call_budget(costs, "online", 1_000).per_year == pytest.approx(5_000)


def test_officer_cost_from_budget_lines() -> None:
    costs = default_costs().with_officer_cost_from_budget(
        salaries=8_000_000, benefits=3_000_000, overtime=1_000_000, sworn_headcount=100
    )
    assert costs.officer_annual_cost == pytest.approx(120_000)
    assert officer_hourly_cost(costs, 1_500) == pytest.approx(80)
    with pytest.raises(KitError, match="Sworn headcount must be a positive number"):
        default_costs().with_officer_cost_from_budget(
            salaries=1, benefits=0, overtime=0, sworn_headcount=0
        )


def test_defaults_carry_sources() -> None:
    """Every default that is a figure says where it comes from."""
    doc = load_template("costs.json")

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if "value" in node:
                assert node.get("source"), node
            for child in node.values():
                walk(child)
        elif isinstance(node, list):
            for child in node:
                walk(child)

    walk(doc)
    assert doc["officer"]["annual_cost_per_officer"]["value"] == 109_000
    assert doc["benchmarks"]["cahoots_contract_2022"]["value"] == 820_586


def test_malformed_costs_are_a_plain_error() -> None:
    doc = load_template("costs.json")
    del doc["supervision"]
    with pytest.raises(KitError, match="defaults"):
        Costs.from_document(doc)
    doc = load_template("costs.json")
    doc["benefits_rate"] = -1
    with pytest.raises(KitError, match="zero or a positive number; -1 was given"):
        Costs.from_document(doc)


def test_arpa_window() -> None:
    """Section 9813's window runs five years from 2022-04-01."""
    assert arpa_enhanced_match_possible(2022, fiscal_year_start_month=1)
    assert arpa_enhanced_match_possible(2027, fiscal_year_start_month=1)
    assert not arpa_enhanced_match_possible(2028, fiscal_year_start_month=1)
    assert not arpa_enhanced_match_possible(2021, fiscal_year_start_month=1)
    # Fiscal 2022 with a July start runs 2021-07-01 to 2022-06-30: it overlaps the window.
    assert arpa_enhanced_match_possible(2022, fiscal_year_start_month=7)
    assert not arpa_enhanced_match_possible(2028, fiscal_year_start_month=7)


def test_funding_gap_year_by_year() -> None:
    """Secured money closes the gap; pending money is shown beside it; year one carries start-up."""
    sources = [
        FundingSource.from_dict(
            {
                "kind": "general_fund_reallocation",
                "name": "Unfilled patrol positions",
                "amounts": {"2027": 300_000, "2028": 400_000},
                "status": "committed",
            }
        ),
        FundingSource.from_dict(
            {
                "kind": "medicaid_mobile_crisis",
                "amounts": {"2027": 150_000, "2028": 150_000},
                "status": "applied",
                "start": "2026-07-01",
            }
        ),
    ]
    gap = funding_gap(sources, 500_000, [2027, 2028], start_up_cost=100_000)
    first, second = gap.to_dict("records")
    assert first["cost"] == 600_000 and first["secured"] == 300_000 and first["gap"] == 300_000
    assert first["gap_if_pending_arrives"] == 150_000
    assert second["gap"] == 100_000 and second["gap_if_pending_arrives"] == 0
    assert sources[1].start == date(2026, 7, 1)
    assert FundingSource.from_dict(sources[0].to_dict()) == sources[0]


@pytest.mark.parametrize(
    ("raw", "why"),
    [
        ({"kind": "lottery"}, "Unknown kind of funding 'lottery'"),
        ({"kind": "philanthropy", "status": "maybe"}, "Unknown status 'maybe'"),
        ({"kind": "philanthropy", "amounts": {"2027": "lots"}}, "must be numbers by year"),
        ({"kind": "philanthropy", "amounts": {"2027": -5}}, "must be zero or more"),
        ({"kind": "philanthropy", "start": "next spring"}, "must be a date like"),
    ],
)
def test_bad_funding_entries_are_refused(raw: dict, why: str) -> None:
    with pytest.raises(KitError, match=why):
        FundingSource.from_dict(raw)


def test_checklist_names_the_required_kinds() -> None:
    kinds = set(funding_checklist()["kind"])
    assert {
        "general_fund_reallocation",
        "medicaid_mobile_crisis",
        "state_grant",
        "federal_grant",
        "fee_988",
        "local_levy",
        "philanthropy",
    } <= kinds
    assert funding_checklist()["source"].str.len().min() > 0


def test_every_cost_figure_is_editable() -> None:
    """Each figure listed can be changed in place, and the changed document still reads."""
    from kit.funding import cost_figures, with_cost

    doc = load_template("costs.json")
    figures = cost_figures(doc)
    assert len({tuple(f["path"]) for f in figures}) == len(figures)
    for figure in figures:
        changed = with_cost(doc, figure["path"], figure["value"] + 1)
        again = {tuple(f["path"]): f["value"] for f in cost_figures(changed)}
        assert again[tuple(figure["path"])] == pytest.approx(figure["value"] + 1)
    salary = ["responders", "crisis_team", "members", 0, "salary"]
    changed = Costs.from_document(with_cost(doc, salary, 70_000))
    assert changed.responders["crisis_team"].members[0].salary == 70_000
    with pytest.raises(KitError, match="must be zero or a positive number"):
        with_cost(doc, salary, float("nan"))
