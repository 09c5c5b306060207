"""Named scenarios: the plan each stands for, and all of them side by side."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import pandas as pd

from kit.errors import KitError
from kit.funding.defaults import load_template
from kit.funding.evaluation import Evaluation, Plan, Settings, evaluate
from kit.funding.reverse import reverse_scenario

if TYPE_CHECKING:
    from kit.funding.document import Inputs


def template_scenarios() -> list[dict[str, Any]]:
    """The named scenarios shipped with the kit (``templates/funding/scenarios.json``)."""
    return list(load_template("scenarios.json")["scenarios"])


def check_scenario(definition: Mapping[str, Any]) -> dict[str, Any]:
    """Validate one scenario definition: a name, and saved roles or presets; optional coverage."""
    from kit.roles.assignments import check_coverage
    from kit.roles.presets import preset_ids

    if not isinstance(definition, Mapping):
        raise KitError("A scenario must be an object with a name and presets or saved roles.")
    name = str(definition.get("name") or "").strip()
    if not name or len(name) > 80:
        raise KitError("Each scenario needs a name of 1 to 80 characters.")
    presets = definition.get("presets") or []
    if not isinstance(presets, list) or any(p not in preset_ids() for p in presets):
        raise KitError(f"Scenario {name!r}: presets must be a list of: {', '.join(preset_ids())}.")
    result: dict[str, Any] = {
        "name": name,
        "description": str(definition.get("description") or ""),
        "use_saved_roles": bool(definition.get("use_saved_roles", False)),
        "presets": list(presets),
    }
    if definition.get("coverage") is not None:
        result["coverage"] = check_coverage(definition["coverage"])
    return result


def scenario_plan(definition: Mapping[str, Any], cube: Any, roles: Mapping[str, Any]) -> Plan:
    """The plan a scenario stands for, on this cube, with step 02's assumptions.

    Saved roles come first, then each preset in turn fills call types not yet assigned.
    """
    from kit.roles.presets import apply_preset

    scenario = check_scenario(definition)
    assignments: dict[str, dict[str, float]] = {}
    if scenario["use_saved_roles"]:
        assignments.update({t: dict(s) for t, s in roles["assignments"].items()})
    for preset in scenario["presets"]:
        for call_type, split in apply_preset(preset, cube.types).items():
            assignments.setdefault(call_type, split)
    coverage = dict(roles["coverage"])
    coverage.update(scenario.get("coverage", {}))
    return Plan(
        assignments=assignments,
        assumptions=roles["assumptions"],
        coverage=coverage,
        productive_hours=float(roles["productive_hours_per_officer"]),
    )


def evaluate_scenario(
    inputs: Inputs, doc: Mapping[str, Any], settings: Settings, name: str | None = None
) -> Evaluation:
    """Evaluate the named scenario of a document (the active one by default)."""
    chosen = name or doc["active"]
    for definition in doc["scenarios"]:
        if definition["name"] == chosen:
            plan = scenario_plan(definition, inputs.cube, inputs.roles)
            return evaluate(
                inputs.cube, plan, settings, name=chosen, small_count=inputs.small_count
            )
    raise KitError(f"There is no scenario named {chosen!r}.")


def _comparison_row(result: Evaluation) -> dict[str, Any]:
    effect = result.effect
    return {
        "scenario": result.name,
        "hours_freed": effect.hours_freed,
        "fte_freed": effect.fte_freed,
        "value_of_hours": effect.value_of_hours,
        "teams_at_peak": sum(s.plan.teams_at_peak for s in result.staffing.values()),
        "headcount": sum(s.budget.headcount for s in result.staffing.values()),
        "service_cost": effect.service_cost,
        "start_up_cost": effect.start_up_cost,
        "net_if_redeployed": effect.net_if_redeployed,
        "net_if_not_refilled": effect.net_if_not_refilled,
    }


def compare_scenarios(inputs: Inputs, doc: Mapping[str, Any], settings: Settings) -> pd.DataFrame:
    """Every scenario side by side: hours freed, officers, teams, headcount, cost, net both ways.

    When the budget table gives the police budget, the reverse scenario for the document's
    cut is the last row.
    """
    rows = [
        _comparison_row(evaluate_scenario(inputs, doc, settings, definition["name"]))
        for definition in doc["scenarios"]
    ]
    year = inputs.latest_budget_year()
    if year is not None and year.get("total", 0) > 0:
        reverse = reverse_scenario(
            inputs.cube,
            inputs.roles,
            settings,
            budget_cut=float(doc["reverse"]["budget_cut"]),
            police_budget=float(year["total"]),
        )
        rows.append(_comparison_row(reverse.evaluation))
    return pd.DataFrame(rows)
