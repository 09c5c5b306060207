"""One plan worked through: hours freed, teams and shifts, costs and net effect."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Final

import numpy as np
import pandas as pd

from kit.equity import DEFAULT_THRESHOLD_PP, compare_areas
from kit.errors import KitError
from kit.funding.costs import (
    FLEET_ASSUMPTION,
    Costs,
    NetEffect,
    ServiceBudget,
    default_costs,
    dispatch_budget,
    net_effect,
    per_call_budget,
)
from kit.funding.staffing_plans import FIELD_RESPONDERS, ResponderStaffing, staff_responder
from kit.labels import short_label
from kit.staffing import (
    ON_DUTY_HOURS_PER_YEAR,
    ResponseTarget,
    relief_factor,
)
from kit.suppression import DEFAULT_SMALL_COUNT

#: Responders that send no one to a scene and are paid per call.
PER_CALL_RESPONDERS: Final[tuple[str, ...]] = ("online", "other_agency", "no_dispatch")


# Step 03's response target until someone changes it: 90% of calls reached within 20 minutes,
# 10 of them on the road. The travel time is a planning figure. CPSM's "Police Operations and
# Data Analysis Report, Morgan Hill, California" (calls of 2015), table 8-19, found patrol cars
# took 19.8 minutes on average from call to arrival, 11.3 of them before dispatch: about 8.5
# minutes of travel (4.8 for priority 1 calls). A civilian team covering the whole city from
# fewer vehicles than patrol drives further, hence 10. `kit staffing` keeps no travel unless
# told (the textbook queue its checks rely on).
DEFAULT_TARGET: Final = ResponseTarget(minutes=20.0, share=0.9, travel_minutes=10.0)


#: What the travel time means and which default applies where, for the page's help.
TRAVEL_HELP: Final = (
    f"Travel time counts against the response target. Step 03 takes "
    f"{DEFAULT_TARGET.travel_minutes:g} minutes unless you change it: a planning figure for a "
    "team that covers the whole city (patrol cars in one city's workload study drove about "
    "8.5 minutes to a call). The command `kit staffing` assumes no travel unless told."
)


@dataclass(frozen=True)
class Settings:
    """The assumptions of step 03 that are not role assignments.

    ``minutes_per_call`` holds entered service times (travel included) by responder; a
    responder without one takes the mean time one unit was committed to its calls in the
    data.
    ``service_time_factor`` scales every service time (used by the sensitivity analysis).
    """

    target: ResponseTarget = DEFAULT_TARGET
    shift_hours: int = 8
    minutes_per_call: Mapping[str, float] = field(default_factory=dict)
    service_time_factor: float = 1.0
    costs: Costs = field(default_factory=default_costs)
    #: Mean minutes one unit is committed to a call, by call type, from the data (see
    #: :func:`unit_minutes`); empty: the cube's own (:attr:`kit.roles.Cube.unit_minutes`).
    unit_minutes: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Plan:
    """What :func:`kit.roles.flow` needs: assignments, step 02's assumptions and coverage."""

    assignments: Mapping[str, Mapping[str, float]]
    assumptions: Mapping[str, Mapping[str, float]]
    coverage: Mapping[str, list[int] | None]
    productive_hours: float


def hours_between(start: int, end: int, days: Iterable[int] = range(7)) -> list[int]:
    """Hours of week covered from ``start`` to ``end`` o'clock on the given weekdays (0 = Monday).

    ``end`` before or equal to ``start`` runs past midnight (22 to 6 is a night shift); the
    hours after midnight belong to the next day, wrapping from Sunday to Monday.
    """
    if not (0 <= start <= 23 and 0 <= end <= 24):
        raise KitError("Coverage runs from an hour 0-23 to an hour 0-24.")
    length = (end - start) % 24 or 24
    return sorted({(day * 24 + start + k) % 168 for day in days for k in range(length)})


@dataclass
class Evaluation:
    """One scenario worked through: hours freed, teams and shifts, costs and net effect."""

    name: str
    plan: Plan
    flow_by_hour: pd.DataFrame
    years: float
    staffing: dict[str, ResponderStaffing]
    budgets: list[ServiceBudget]
    effect: NetEffect
    cube: Any = field(repr=False, default=None)
    on_duty_hours: float = ON_DUTY_HOURS_PER_YEAR
    small_count: int = DEFAULT_SMALL_COUNT  # the workspace's threshold for published counts

    @property
    def hours_freed(self) -> float:
        """Officer hours freed a year."""
        return self.effect.hours_freed

    def freed_by(self, by: Iterable[str] = ("call_type", "hour_of_week", "area")) -> pd.DataFrame:
        """Officer hours freed a year by call type, hour of week and area (or any of them)."""
        from kit.roles import flow

        keys = list(by)
        frame = flow(
            self.cube,
            self.plan.assignments,
            self.plan.assumptions,
            coverage=self.plan.coverage,
            by=keys,
        )
        freed = frame[~frame["responder"].isin(["police", "co_response"])]
        out = freed.groupby(keys, as_index=False, sort=True)["without_police_hours"].sum()
        out["hours_freed"] = out.pop("without_police_hours") / self.years
        return out[out["hours_freed"] > 0].reset_index(drop=True)

    def summary(self) -> dict[str, Any]:
        """JSON-ready figures for the screen, the brief and ``kit funding --json``."""
        return {
            "scenario": self.name,
            **self.effect.to_dict(),
            # Years of data: the small-count rule is judged on calls in the period.
            "years": self.years,
            "small_count": self.small_count,
            # Calls exported without durations: officer hours come from minutes per family.
            "hours_estimated": bool(getattr(self.cube, "hours_estimated", False)),
            "units_estimated": bool(getattr(self.cube, "units_estimated", False)),
            "on_duty_hours_per_person": self.on_duty_hours,
            "people_per_post_around_the_clock": relief_factor(self.on_duty_hours),
            "responders": {
                name: {
                    "calls_per_year": s.calls_per_year,
                    "minutes_per_call": s.minutes_per_call,
                    "teams_at_peak": s.plan.teams_at_peak,
                    "shifts_per_week": s.plan.shifts_per_week,
                    "staffed_hours_per_week": s.plan.staffed_hours_per_week,
                    "idle_hours_per_week": s.plan.idle_hours_per_week,
                    "headcount": s.budget.headcount,
                    "cost_per_year": s.budget.per_year,
                    "teams_by_hour": [int(t) for t in s.by_hour["teams"]],
                    "shift_plan_note": s.plan.note,
                }
                for name, s in self.staffing.items()
            },
            "budgets": [b.to_dict() for b in self.budgets],
            "fleet": FLEET_ASSUMPTION if self.staffing else "",
        }


def _by_responder_and_hour(frame: pd.DataFrame) -> dict[str, dict[str, np.ndarray]]:
    """Flow columns as 168-hour arrays per responder (hours with no calls are zero)."""
    codes, names = pd.factorize(frame["responder"])
    cell = codes * 168 + frame["hour_of_week"].to_numpy(dtype=np.int64)
    size = len(names) * 168
    out: dict[str, dict[str, np.ndarray]] = {}
    for column in ("handled", "handled_hours", "without_police_hours"):
        values = np.bincount(cell, weights=frame[column].to_numpy(dtype=np.float64), minlength=size)
        grid = values.reshape(len(names), 168)
        out[column] = {str(name): grid[i] for i, name in enumerate(names)}
    return out


def unit_minutes(calls: pd.DataFrame) -> dict[str, float]:
    """Mean minutes one responding unit is committed to a call, by call type.

    A team answers a call alone, so its service time is one unit's time (``unit_hours``
    over ``units``), not the officer time summed over every unit that went. Missing or
    impossible durations take their call type's median, as in step 02's cube.
    """
    from kit.roles import officer_hours
    from kit.roles.cube import unit_minutes_by_type

    if calls.empty:
        return {}
    hours, _ = officer_hours(calls, 1.0)
    per_unit = unit_minutes_by_type(calls, hours)
    return {str(t): float(v) for t, v in per_unit.items() if np.isfinite(v)}


_FLOW_CACHE: Final = 16


def plan_key(plan: Plan) -> str:
    """A plan as text: equal plans give equal keys (for caches of what a plan alone decides)."""
    return json.dumps(
        [plan.assignments, plan.assumptions, plan.coverage, plan.productive_hours], sort_keys=True
    )


def _flow_for(cube: Any, plan: Plan, by: tuple[str, ...]) -> pd.DataFrame:
    """Flow of a plan broken down by ``by``, kept for the last few plans and breakdowns:
    changing a target or a cost does not change which calls each responder handles."""
    from kit.roles import flow

    key = json.dumps([by, plan_key(plan)])
    cache = cube.cache.setdefault("funding_flow", {})
    frame = cache.get(key)
    if frame is None:
        frame = flow(cube, plan.assignments, plan.assumptions, coverage=plan.coverage, by=by)
        if len(cache) >= _FLOW_CACHE:
            cache.pop(next(iter(cache)))
        cache[key] = frame
    return frame


def _data_minutes(cube: Any, plan: Plan, by_type: Mapping[str, float], responder: str) -> float:
    """A responder's mean minutes per call from the data, weighted by the calls it handles.

    ``by_type`` gives one unit's mean minutes per call of each call type: a team answers a
    call alone, so its time is per call, never the time summed over every unit that went.
    Kept for the last few plans, since a change of target or cost does not change it.
    """
    cache = cube.cache.setdefault("funding_minutes", {})
    key = (plan_key(plan), responder, id(by_type))
    if key not in cache:
        frame = _flow_for(cube, plan, ("call_type",))
        rows = frame[(frame["responder"] == responder) & (frame["handled"] > 0)]
        minutes = rows["call_type"].astype(str).map(by_type).astype(float)
        known = minutes.notna()
        weights = rows.loc[known, "handled"]
        if len(cache) >= 3 * _FLOW_CACHE:
            cache.pop(next(iter(cache)))
        cache[key] = (
            float((minutes[known] * weights).sum() / weights.sum())
            if float(weights.sum()) > 0
            else None
        )
    if cache[key] is None:
        raise KitError(
            f"The calls data gives no time per call for {short_label(responder)}: enter its "
            "minutes per call."
        )
    return cache[key]


def evaluate(
    cube: Any,
    plan: Plan,
    settings: Settings,
    *,
    name: str = "",
    small_count: int = DEFAULT_SMALL_COUNT,
) -> Evaluation:
    """Work a plan through: hours freed, each field responder's teams and shifts, and costs.

    Handled calls and officer hours come from :func:`kit.roles.flow` (coverage hours
    included: calls outside a responder's hours stay with police and free nothing). A field
    responder's arrival rate in an hour of the week is its handled calls in that hour over
    the number of times that hour occurs in the data, on the local clock
    (:attr:`kit.roles.Cube.hours_of_week_seen`); its service time is the entered one or the
    mean time one unit was committed to those calls in the data (travel included).
    """

    years = cube.years or 1.0
    seen = cube.hours_of_week_seen
    by_hour = _flow_for(cube, plan, ("hour_of_week",))
    grid = _by_responder_and_hour(by_hour)
    staffing: dict[str, ResponderStaffing] = {}
    budgets: list[ServiceBudget] = []
    for responder in FIELD_RESPONDERS:
        handled = grid["handled"][responder]
        calls = float(handled.sum())
        if calls <= 0:
            continue
        minutes = settings.minutes_per_call.get(responder)
        if minutes is None:
            known = settings.unit_minutes or cube.unit_minutes
            minutes = _data_minutes(cube, plan, known, responder)
        staff = staff_responder(
            responder,
            np.divide(handled, seen, out=np.zeros_like(handled), where=seen > 0),
            float(minutes) * settings.service_time_factor,
            target=settings.target,
            shift_hours=settings.shift_hours,
            costs=settings.costs,
        )
        staffing[responder] = staff
        budgets.append(staff.budget)
    for responder in PER_CALL_RESPONDERS:
        calls = float(grid["handled"][responder].sum())
        if calls > 0:
            budgets.append(per_call_budget(settings.costs, responder, calls / years))
    if staffing:
        budgets.append(dispatch_budget(settings.costs))
    freed = (
        sum(
            float(grid["without_police_hours"][r].sum())
            for r in grid["without_police_hours"]
            if r not in ("police", "co_response")
        )
        / years
    )
    return Evaluation(
        name=name,
        plan=plan,
        flow_by_hour=by_hour,
        years=years,
        staffing=staffing,
        budgets=budgets,
        effect=net_effect(freed, settings.costs, plan.productive_hours, budgets),
        cube=cube,
        on_duty_hours=settings.costs.on_duty_hours_per_year,
        small_count=small_count,
    )


def freed_by_area(
    result: Evaluation,
    areas: Iterable[Any] | None = None,
    *,
    threshold_pp: float = DEFAULT_THRESHOLD_PP,
) -> pd.DataFrame:
    """Share of each area's officer hours the scenario frees, beside the area's demographics.

    Uses :func:`kit.equity.compare_areas`, so an area whose share differs from the citywide
    share by more than ``threshold_pp`` percentage points is flagged, as in every step.
    """

    frame = _flow_for(result.cube, result.plan, ("area",))
    police = frame[frame["responder"] == "police"].set_index("area")["eligible_hours"]
    away = frame[~frame["responder"].isin(["police", "co_response"])]
    freed = away.groupby("area")["without_police_hours"].sum()
    comparison = compare_areas(
        freed / result.years, police / result.years, areas, threshold_pp=threshold_pp
    )
    return comparison.frame.rename(
        columns={"numerator": "hours_freed", "denominator": "officer_hours"}
    )
