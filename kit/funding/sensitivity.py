"""How far the net effect moves across the stated range of each main assumption."""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Final

import pandas as pd

from kit.errors import KitError
from kit.funding.evaluation import Plan, Settings, evaluate
from kit.staffing import (
    ResponseTarget,
)

#: The stated range of each main assumption: (label, low, high, how the range is read).
SENSITIVITY: Final[dict[str, tuple[str, float, float, str]]] = {
    "take_up": ("Take-up", 0.5, 1.5, "times step 02's take-up (capped at 100%)"),
    "back_up": ("Back-up to police", 0.0, 3.0, "times step 02's back-up rate (capped at 100%)"),
    "service_time": ("Service time", 0.75, 1.25, "times the minutes per call"),
    "officer_cost": ("Officer cost", 0.8, 1.2, "times the cost of an officer"),
    "team_cost": ("Team cost", 0.8, 1.2, "times every cost of the new service"),
    "response_target": ("Response target", 0.5, 1.5, "times the target minutes"),
}


def _target_minutes(target: ResponseTarget, factor: float) -> float:
    """The target scaled by ``factor``, never shorter than travel plus one minute (a target
    that travel alone uses up cannot be met by any number of teams)."""
    return max(target.minutes * factor, target.travel_minutes + 1.0)


def _range_text(settings: Settings, key: str, low: float, high: float, meaning: str) -> str:
    """The range of one assumption as it was computed."""
    if key != "response_target":
        return f"{low:g} to {high:g} {meaning}"
    target = settings.target
    shortest, longest = _target_minutes(target, low), _target_minutes(target, high)
    clamped = (
        f", no shorter than travel ({target.travel_minutes:g}) plus 1 minute"
        if shortest > target.minutes * low
        else ""
    )
    return (
        f"{shortest:g} to {longest:g} minutes ({low:g} to {high:g} times the "
        f"{target.minutes:g}-minute target{clamped})"
    )


def _varied(
    plan: Plan, settings: Settings, assumption: str, factor: float
) -> tuple[Plan, Settings]:
    """The plan and settings with one assumption scaled by ``factor``."""
    if assumption in ("take_up", "back_up"):
        assumptions = {
            responder: {
                **values,
                assumption: min(1.0, values[assumption] * factor),
            }
            for responder, values in plan.assumptions.items()
        }
        return replace(plan, assumptions=assumptions), settings
    if assumption == "service_time":
        return plan, replace(settings, service_time_factor=settings.service_time_factor * factor)
    if assumption == "officer_cost":
        # Only the value of officer time moves: staff costed as a share of an officer (the
        # Visalia community service officer default) keep their cost, so that this bar and
        # the team-cost bar measure different things.
        responders = {
            name: replace(
                spec,
                members=tuple(
                    replace(m, loaded_cost_share_of_officer=m.loaded_cost_share_of_officer / factor)
                    if m.loaded_cost_share_of_officer is not None
                    else m
                    for m in spec.members
                ),
            )
            for name, spec in settings.costs.responders.items()
        }
        costs = replace(
            settings.costs,
            officer_annual_cost=settings.costs.officer_annual_cost * factor,
            responders=responders,
        )
        return plan, replace(settings, costs=costs)
    if assumption == "team_cost":
        costs = replace(settings.costs, team_cost_factor=settings.costs.team_cost_factor * factor)
        return plan, replace(settings, costs=costs)
    if assumption == "response_target":
        target = settings.target
        return plan, replace(
            settings, target=replace(target, minutes=_target_minutes(target, factor))
        )
    raise KitError(f"There is no assumption named {assumption!r} to vary.")


def sensitivity(cube: Any, plan: Plan, settings: Settings) -> pd.DataFrame:
    """Tornado data: the net effect (both ways) at the low and high end of each assumption.

    One row per assumption with its stated range, the net effect at each end, and the
    swing (the larger of the two spreads), sorted widest first.
    """
    base = evaluate(cube, plan, settings).effect
    rows = []
    for key, (label, low, high, meaning) in SENSITIVITY.items():
        ends = {}
        for end, factor in (("low", low), ("high", high)):
            varied_plan, varied_settings = _varied(plan, settings, key, factor)
            ends[end] = evaluate(cube, varied_plan, varied_settings).effect
        rows.append(
            {
                "assumption": key,
                "label": label,
                "low": low,
                "high": high,
                "range": _range_text(settings, key, low, high, meaning),
                "base_net_if_redeployed": base.net_if_redeployed,
                "low_net_if_redeployed": ends["low"].net_if_redeployed,
                "high_net_if_redeployed": ends["high"].net_if_redeployed,
                "base_net_if_not_refilled": base.net_if_not_refilled,
                "low_net_if_not_refilled": ends["low"].net_if_not_refilled,
                "high_net_if_not_refilled": ends["high"].net_if_not_refilled,
                "low_hours_freed": ends["low"].hours_freed,
                "high_hours_freed": ends["high"].hours_freed,
            }
        )
    frame = pd.DataFrame(rows)
    frame["swing"] = [
        max(
            abs(r.high_net_if_redeployed - r.low_net_if_redeployed),
            abs(r.high_net_if_not_refilled - r.low_net_if_not_refilled),
        )
        for r in frame.itertuples()
    ]
    return frame.sort_values("swing", ascending=False, ignore_index=True)
