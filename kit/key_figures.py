"""A jurisdiction's key figures in one row: what a batch or a sweep tabulates.

The figures come from what the steps saved: step 03's scenario as ``kit funding`` and the
app work it out from the saved ``funding_scenarios`` and ``role_assignments`` decisions
(through :mod:`kit.funding`, the same functions), and the detectable effect as step 04
saved it in ``pilot_design``. Nothing here works a figure out another way, so a row
of ``kit run-many`` matches what the app shows for that jurisdiction.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

from kit import funding
from kit.funding.staffing_plans import FIELD_RESPONDERS
from kit.pilot.definition import POWER_KEY

if TYPE_CHECKING:
    from kit.workspace import Workspace

#: The decision step 04 saves; its ``power`` (when worked out) holds ``mde``, the smallest
#: reduction its design detects (80% power, two-sided 5%): 0.2 means 20% fewer calls.
PILOT_DECISION: Final = "pilot_design"

#: Each key figure's column, in the order a summary shows them, with what it holds.
KEY_FIGURES: Final[dict[str, str]] = {
    "scenario": "step 03's scenario the figures are for",
    "calls_per_year": "calls for service a year in the data",
    "officer_hours_moved_per_year": "officer hours a year handled by others instead of police",
    "officers_freed_fte": "those hours as full-time officers' worth of on-duty time",
    "service_cost_per_year": "what the alternative responders cost a year",
    "net_per_year_if_redeployed": "value of the hours freed less the service's cost",
    "net_per_year_if_not_refilled": "budget of positions left empty less the service's cost",
    **{
        f"teams_at_peak_{name}": f"{name.replace('_', ' ')} teams on duty at the busiest hour"
        for name in FIELD_RESPONDERS
    },
    "detectable_effect": "smallest reduction the saved pilot design detects (fraction)",
}


def detectable_effect(workspace: Workspace) -> float | None:
    """The saved pilot design's detectable effect; None when no design is saved, its power was
    not worked out, or the effect was not reached."""
    saved = workspace.decisions.latest(PILOT_DECISION)
    power = saved.document.get(POWER_KEY) if saved is not None else None
    value = power.get("mde") if isinstance(power, dict) else None
    return float(value) if isinstance(value, int | float) else None


def key_figures(workspace: Workspace) -> dict[str, Any]:
    """Step 03's figures for the saved scenario and the pilot's detectable effect, by column.

    Raises :class:`~kit.errors.KitError` (as step 03 does) when the workspace has no calls.
    """
    inputs = funding.load_inputs(workspace)
    doc = funding.document_for(workspace, inputs)
    settings = funding.settings_from_document(doc, inputs)
    summary = funding.evaluate_scenario(inputs, doc, settings).summary()
    years = inputs.cube.years or 1.0
    teams = {
        f"teams_at_peak_{name}": summary["responders"].get(name, {}).get("teams_at_peak", 0)
        for name in FIELD_RESPONDERS
    }
    return {
        "scenario": summary["scenario"],
        "calls_per_year": float(inputs.cube.calls.sum()) / years,
        "officer_hours_moved_per_year": summary["hours_freed"],
        "officers_freed_fte": summary["fte_freed"],
        "service_cost_per_year": summary["service_cost"],
        "net_per_year_if_redeployed": summary["net_if_redeployed"],
        "net_per_year_if_not_refilled": summary["net_if_not_refilled"],
        **teams,
        "detectable_effect": detectable_effect(workspace),
    }
