"""A plan's figures as step 02 shows them: totals, call types, families, hours and areas.

Everything here goes through :func:`kit.roles.flow_values` and
:func:`kit.roles.totals_values`, the functions behind ``kit.roles.flow`` and
``kit.roles.totals`` that the command line uses, so the page's totals are the command line's.
It works on arrays from the cube, so a slider's change is worked out in milliseconds.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Final

import numpy as np

from kit.equity import compare_shares
from kit.roles.assignments import RESPONDER_LABELS, RESPONDERS
from kit.roles.cube import HOURS_OF_WEEK, Cube
from kit.roles.flow import FLOW_COLUMNS, flow_values, totals_values
from kit.taxonomy import FAMILIES, FAMILY_LABELS

_STAGE: Final = {name: i for i, name in enumerate(FLOW_COLUMNS)}
_POLICE: Final = RESPONDERS.index("police")
_CO: Final = RESPONDERS.index("co_response")
_CIVILIAN: Final = [i for i in range(len(RESPONDERS)) if i not in (_POLICE, _CO)]


@dataclass(frozen=True)
class PlanFigures:
    """What a plan does, a year: the figures step 02's page shows."""

    #: Per row of ``cube.types``: calls, officer hours, calls handled without police, hours freed.
    type_figures: dict[str, np.ndarray]
    #: Totals: calls at each stage, officer hours, hours and officers freed, per responder.
    summary: dict[str, Any]
    #: Per family: calls and officer hours, hours freed, share of the hours police keep.
    families: list[dict[str, Any]]
    #: Calls handled without police by hour of the week (168, Monday 00:00 first).
    moved_by_hour: np.ndarray
    #: Each area's share handled without police beside the city's and its demographics.
    equity: dict[str, Any]


def plan_figures(
    cube: Cube, doc: Mapping[str, Any], areas: Iterable[Any], *, threshold_pp: float
) -> PlanFigures:
    """Work a checked ``role_assignments`` document through the flow, a year at a time."""
    years = cube.years or 1.0
    args = (cube, doc["assignments"], doc["assumptions"])
    coverage = doc["coverage"]
    groups, found = flow_values(*args, coverage=coverage, by=("call_type",))
    values = np.zeros((len(cube.types), *found.shape[1:]))
    values[groups] = found
    per_type = totals_values(values)
    type_figures = {
        "calls_per_year": per_type["calls"] / years,
        "officer_hours_per_year": per_type["officer_hours"] / years,
        "without_police_per_year": per_type["without_police_calls"] / years,
        "freed_hours_per_year": per_type["freed_hours"] / years,
    }
    groups, found = flow_values(*args, coverage=coverage, by=("hour_of_week",))
    moved = totals_values(found)["without_police_calls"] / years
    by_area_groups, by_area = flow_values(*args, coverage=coverage, by=("area",))
    names = np.asarray(list(cube.areas or ("",)), dtype=object)[by_area_groups]
    return PlanFigures(
        type_figures=type_figures,
        summary=_summary(cube, values, years, doc["productive_hours_per_officer"]),
        families=_families(cube, values, type_figures),
        moved_by_hour=np.bincount(groups, weights=moved, minlength=HOURS_OF_WEEK),
        equity=_equity(cube, names.astype(str), by_area, areas, threshold_pp),
    )


def _summary(cube: Cube, values: np.ndarray, years: float, productive_hours: float) -> dict:
    whole = values.sum(axis=0) / years  # responders x stages, a year
    total = {k: float(v[0]) for k, v in totals_values(whole[np.newaxis]).items()}
    responders = [
        {
            "responder": responder,
            "label": RESPONDER_LABELS[responder],
            **{stage: float(whole[i, _STAGE[stage]]) for stage in FLOW_COLUMNS},
        }
        for i, responder in enumerate(RESPONDERS)
        if i != _POLICE and whole[i, _STAGE["routed"]] > 0
    ]
    stages = {
        stage: float(whole[1:, _STAGE[stage]].sum())
        for stage in ("eligible", "routed", "handled", "outside_coverage")
    }
    stages["without_police"] = total["without_police_calls"]
    hours, freed = total["officer_hours"], total["freed_hours"]
    return {
        "calls_per_year": total["calls"],
        "officer_hours_per_year": hours,
        **{f"{stage}_per_year": value for stage, value in stages.items()},
        "without_police_calls_per_year": total["without_police_calls"],
        "co_response_calls_per_year": total["co_response_calls"],
        "freed_hours_per_year": freed,
        "freed_share": freed / hours if hours else 0.0,
        "productive_hours_per_officer": productive_hours,
        "officers_freed": freed / productive_hours,
        "responders": responders,
        "hours_imputed": int(cube.types["hours_imputed"].sum()),
        "hours_estimated": cube.hours_estimated,
        "units_estimated": cube.units_estimated,
        "years": years,
    }


def family_codes(cube: Cube) -> np.ndarray:
    """Each call type's family as its position in FAMILIES (kept with the cube)."""
    codes = cube.cache.get(("family_codes",))
    if codes is None:
        codes = np.asarray([FAMILIES.index(str(f)) for f in cube.types["family"]], dtype=np.int64)
        cube.cache[("family_codes",)] = codes
    return codes  # type: ignore[return-value]


def _families(
    cube: Cube, values: np.ndarray, type_figures: Mapping[str, np.ndarray]
) -> list[dict[str, Any]]:
    codes = family_codes(cube)
    per_type = totals_values(values)

    def per_family(weights: np.ndarray) -> np.ndarray:
        return np.bincount(codes, weights=weights, minlength=len(FAMILIES))

    calls = per_family(type_figures["calls_per_year"])
    hours = per_family(type_figures["officer_hours_per_year"])
    freed = per_family(type_figures["freed_hours_per_year"])
    kept = per_family(per_type["police_hours"] + per_type["co_response_hours"])
    kept_total = kept.sum()
    rows = [
        {
            "family": family,
            "label": FAMILY_LABELS[family],
            "calls_per_year": float(calls[i]),
            "officer_hours_per_year": float(hours[i]),
            "freed_hours_per_year": float(freed[i]),
            "share_of_police_hours": float(kept[i] / kept_total) if kept_total else 0.0,
        }
        for i, family in enumerate(FAMILIES)
        if calls[i] > 0
    ]
    return sorted(rows, key=lambda r: -r["officer_hours_per_year"])


def _equity(
    cube: Cube, names: np.ndarray, values: np.ndarray, areas: Iterable[Any], threshold_pp: float
) -> dict[str, Any]:
    calls = values[:, _POLICE, _STAGE["eligible"]]
    handled = values[:, :, _STAGE["without_police"]].copy()
    handled[:, _CO] = values[:, _CO, _STAGE["handled"]]
    equity = compare_shares(
        list(names), handled[:, _CIVILIAN].sum(axis=1), calls, areas, threshold_pp=threshold_pp
    )
    total = float(calls.sum())
    by_responder = {}
    for i, responder in enumerate(RESPONDERS):
        if i == _POLICE or not handled[:, i].any():
            continue
        with np.errstate(divide="ignore", invalid="ignore"):
            shares = np.where(calls > 0, handled[:, i] / calls, np.nan)
        by_responder[responder] = {
            "citywide": float(handled[:, i].sum() / total) if total else 0.0,
            "by_area": {
                a: (None if math.isnan(s) else float(s)) for a, s in zip(names, shares, strict=True)
            },
        }
    equity["responders"] = by_responder
    equity["years"] = cube.years or 1.0
    return equity
