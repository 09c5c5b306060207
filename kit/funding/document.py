"""The saved ``funding_scenarios`` decision, and what step 03 reads from a workspace."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, replace
from functools import cached_property
from typing import Any, Final

import pandas as pd

from kit.decisions import check_schema
from kit.equity import DEFAULT_THRESHOLD_PP, check_threshold
from kit.errors import KitError
from kit.funding.costs import Costs, cost_value
from kit.funding.defaults import load_template
from kit.funding.evaluation import DEFAULT_TARGET, Settings, unit_minutes
from kit.funding.scenarios import check_scenario, template_scenarios
from kit.funding.sources import FundingSource
from kit.funding.staffing_plans import FIELD_RESPONDERS
from kit.staffing import (
    ResponseTarget,
)
from kit.suppression import DEFAULT_SMALL_COUNT

#: Name of the step 03 decision in the workspace's decision store.
DECISION_NAME: Final = "funding_scenarios"


SCHEMA_VERSION: Final = 1


def default_document() -> dict[str, Any]:
    """Step 03's decision before anyone saved it: shipped scenarios and cost defaults."""
    return {
        "schema_version": SCHEMA_VERSION,
        "active": template_scenarios()[0]["name"],
        "scenarios": template_scenarios(),
        "target": asdict(DEFAULT_TARGET),
        "shift_hours": 8,
        "minutes_per_call": {},
        "costs": load_template("costs.json"),
        "officer_cost": {"from": "budget"},
        "reverse": {"budget_cut": load_template("scenarios.json")["reverse"]["budget_cut"]},
        "funding_sources": [],
        "years": [],
        "equity_threshold_pp": DEFAULT_THRESHOLD_PP,
    }


def check_document(document: Mapping[str, Any]) -> dict[str, Any]:
    """Validate a ``funding_scenarios`` document and return it normalised (defaults filled in)."""
    document = check_schema(document, SCHEMA_VERSION, "the funding scenarios", "03")
    doc = default_document()
    doc.update({k: v for k, v in document.items() if k in doc})
    doc["scenarios"] = [check_scenario(s) for s in doc["scenarios"]]
    names = [s["name"] for s in doc["scenarios"]]
    if len(set(names)) != len(names):
        raise KitError("Two scenarios have the same name: give each its own.")
    if doc["active"] not in names:
        raise KitError(f"The chosen scenario {doc['active']!r} is not among the scenarios.")
    target = doc["target"]
    try:
        doc["target"] = {
            "minutes": float(target["minutes"]),
            "share": float(target["share"]),
            "travel_minutes": float(target.get("travel_minutes", DEFAULT_TARGET.travel_minutes)),
        }
    except (KeyError, TypeError, ValueError) as exc:
        raise KitError("The response target needs minutes, share and travel minutes.") from exc
    ResponseTarget(**doc["target"]).check()
    if doc["shift_hours"] not in (8, 10, 12):
        raise KitError("Shifts must be 8, 10 or 12 hours long.")
    minutes = {}
    for responder, value in (doc["minutes_per_call"] or {}).items():
        if responder not in FIELD_RESPONDERS:
            raise KitError(
                f"Service times are for {', '.join(FIELD_RESPONDERS)}, not {responder!r}."
            )
        if value is None:
            continue
        if not isinstance(value, int | float) or not 1 <= value <= 24 * 60:
            raise KitError(f"The service time of {responder} must be 1 to 1,440 minutes.")
        minutes[responder] = float(value)
    doc["minutes_per_call"] = minutes
    Costs.from_document(doc["costs"])
    officer = doc["officer_cost"] or {}
    if officer.get("from", "budget") not in ("budget", "default", "entered"):
        raise KitError("The officer cost comes from the budget, the default or an entered figure.")
    if officer.get("from") == "entered":
        cost_value(officer.get("annual_cost_per_officer"))
    cut = doc["reverse"].get("budget_cut", 0.05)
    if not isinstance(cut, int | float) or not 0 < cut < 1:
        raise KitError("The police budget cut of the reverse scenario must be between 0 and 1.")
    doc["funding_sources"] = [FundingSource.from_dict(s).to_dict() for s in doc["funding_sources"]]
    years = doc["years"] or []
    if not isinstance(years, list) or any(
        not isinstance(y, int) or not 2000 <= y <= 2100 for y in years
    ):
        raise KitError("Plan years must be fiscal years such as 2027.")
    doc["equity_threshold_pp"] = check_threshold(doc["equity_threshold_pp"])
    return doc


@dataclass(frozen=True)
class Inputs:
    """What step 03 reads from a workspace: the cube, step 02's plan and the police budget."""

    cube: Any
    roles: dict[str, Any]
    budget: pd.DataFrame | None
    fiscal_year_start: int = 7
    roles_saved: bool = False
    unit_minutes: Mapping[str, float] = field(default_factory=dict)
    small_count: int = DEFAULT_SMALL_COUNT  # the workspace's threshold for published counts

    def latest_budget_year(self) -> pd.Series | None:
        """The latest fiscal year's budget summary (None without a budget table)."""
        return self._budget_year

    @cached_property
    def _budget_year(self) -> pd.Series | None:
        if self.budget is None or self.budget.empty:
            return None
        from kit.data.budget import budget_summary

        summary = budget_summary(self.budget)
        return summary.iloc[-1].rename(int(summary.index[-1]))


def load_inputs(workspace: Any) -> Inputs:
    """Read the calls (once, into a cube), step 02's saved plan and the budget table."""
    from kit.roles import DECISION_NAME as ROLES
    from kit.roles import build_cube, new_document
    from kit.roles import check_document as check_roles
    from kit.roles.rules import workspace_rules

    saved = workspace.decisions.latest(ROLES)
    roles = check_roles(saved.document) if saved is not None else check_roles(new_document())
    calls = workspace.calls()
    if calls.empty:
        raise KitError("No calls have been imported yet: import them in step 00 first.")
    cube = build_cube(
        calls,
        officers_per_unit=roles["officers_per_unit"],
        families=roles["family_overrides"],
        rules=workspace_rules(workspace),
        minutes_per_call=roles["minutes_per_call"],
    )
    budget = workspace.read_table("budget") if workspace.has_table("budget") else None
    return Inputs(
        cube=cube,
        roles=roles,
        budget=budget,
        fiscal_year_start=int(getattr(workspace.profile, "fiscal_year_start", 7) or 7),
        roles_saved=saved is not None,
        # Without durations in the export, the cube holds the minutes estimated per family.
        unit_minutes=cube.unit_minutes if cube.hours_estimated else unit_minutes(calls),
        small_count=workspace.small_count,
    )


def document_for(workspace: Any, inputs: Inputs) -> dict[str, Any]:
    """The saved step 03 decision, checked; or the defaults, starting from step 02's plan when
    one was saved and from both shipped examples together when none was, and from step 02's
    equity threshold."""
    saved = workspace.decisions.latest(DECISION_NAME)
    if saved is not None:
        return check_document(saved.document)
    doc = default_document()
    doc["equity_threshold_pp"] = inputs.roles["equity_threshold_pp"]
    if not inputs.roles_saved:
        doc["active"] = load_template("scenarios.json")["without_saved_roles"]
    return check_document(doc)


def settings_from_document(doc: Mapping[str, Any], inputs: Inputs) -> Settings:
    """The step 03 settings a (checked) document stands for, with the officer cost chosen."""
    costs = Costs.from_document(doc["costs"])
    officer = doc["officer_cost"] or {}
    source = officer.get("from", "budget")
    year = inputs.latest_budget_year()
    if source == "entered":
        costs = replace(costs, officer_annual_cost=cost_value(officer["annual_cost_per_officer"]))
    elif source == "budget" and year is not None and year.get("sworn_headcount", 0) > 0:
        costs = costs.with_officer_cost_from_budget(
            salaries=float(year["salaries"]),
            benefits=float(year["benefits"]),
            overtime=float(year["overtime"]),
            sworn_headcount=float(year["sworn_headcount"]),
        )
    return Settings(
        target=ResponseTarget(**doc["target"]),
        shift_hours=int(doc["shift_hours"]),
        minutes_per_call=dict(doc["minutes_per_call"]),
        costs=costs,
        unit_minutes=inputs.unit_minutes,
    )
