"""Step 03: what moving calls frees, what the alternative service costs, and how to pay for it.

A council asks three questions of a plan that sends some calls to civilian responders:
how much police time does it free (and what is that worth), what does the new service cost
to run around the clock, and where does the money come from. This module answers them from
the role assignments saved in step 02 (through :func:`kit.roles.flow`, the one place that
turns assignments into handled calls and officer hours), the staffing maths in
:mod:`kit.staffing`, editable cost defaults with their sources (``templates/funding/``), and
the funding sources a city enters.

The net effect is shown two ways because cities choose between them: the *value* of officer
hours freed and redeployed to other police work (no cash moves), or the *budget* actually
saved if the positions those hours represent are not refilled (only whole positions can be
left empty).
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field, replace
from datetime import date
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any, Final

import numpy as np
import pandas as pd

from kit.equity import DEFAULT_THRESHOLD_PP, check_threshold, compare_areas
from kit.errors import KitError
from kit.labels import money, short_label
from kit.staffing import (
    ON_DUTY_HOURS_PER_YEAR,
    WEEKS_PER_YEAR,
    ResponseTarget,
    ShiftPlan,
    relief_factor,
    shift_plan,
    teams_by_hour,
)

TEMPLATES: Final[Path] = Path(__file__).resolve().parents[1] / "templates" / "funding"

# American Rescue Plan Act of 2021, section 9813: an 85% federal match for qualifying
# community-based mobile crisis services, for up to 12 fiscal quarters within the five years
# that begin on 2022-04-01.
ARPA_9813_START: Final[date] = date(2022, 4, 1)
ARPA_9813_END: Final[date] = date(2027, 3, 31)


@lru_cache(maxsize=8)
def _read_template(name: str) -> str:
    path = TEMPLATES / name
    if not path.is_file():
        raise KitError(
            f"The defaults file {name} was not found. Restore it from templates/funding/."
        )
    return path.read_text(encoding="utf-8")


def load_template(name: str) -> dict[str, Any]:
    """A fresh copy of one of the JSON files in ``templates/funding/`` (safe to edit)."""
    return json.loads(_read_template(name))


def _value(entry: Any) -> float:
    """A default is either a number or ``{"value": number, "source": text}``."""
    raw = entry["value"] if isinstance(entry, Mapping) else entry
    number = float(raw)
    if not math.isfinite(number) or number < 0:
        raise KitError(f"A cost figure must be zero or a positive number; {raw!r} was given.")
    return number


@dataclass(frozen=True)
class Member:
    """One kind of person on a team and what one of them costs a year, benefits included."""

    role: str
    count: float
    salary: float | None = None
    loaded_cost_share_of_officer: float | None = None

    def loaded_cost(self, officer_annual_cost: float, benefits_rate: float) -> float:
        """Yearly cost of one such person: salary plus benefits, or a share of an officer's cost."""
        if self.loaded_cost_share_of_officer is not None:
            return self.loaded_cost_share_of_officer * officer_annual_cost
        return (self.salary or 0.0) * (1.0 + benefits_rate)


@dataclass(frozen=True)
class ResponderCosts:
    """How one kind of field responder is made up and equipped."""

    label: str
    members: tuple[Member, ...]
    vehicle_per_team_per_year: float
    vehicle_purchase_per_team: float

    @property
    def people_per_team(self) -> float:
        return sum(m.count for m in self.members)


@dataclass(frozen=True)
class Costs:
    """Every cost figure of step 03. Built from ``templates/funding/costs.json``; all editable."""

    officer_annual_cost: float
    benefits_rate: float
    responders: Mapping[str, ResponderCosts]
    per_call: Mapping[str, float]
    staff_per_supervisor: float
    supervisor_cost_multiple: float
    training_per_person_per_year: float
    dispatch_changes_per_year: float
    initial_training_per_person: float
    equipment_per_person: float
    dispatch_setup: float
    on_duty_hours_per_year: float = ON_DUTY_HOURS_PER_YEAR
    team_cost_factor: float = 1.0

    @classmethod
    def from_document(cls, doc: Mapping[str, Any]) -> Costs:
        """Read the costs layout of ``costs.json`` (or a saved decision that uses it)."""
        try:
            responders = {
                name: ResponderCosts(
                    label=str(spec.get("label", name)),
                    members=tuple(
                        Member(
                            role=str(m["role"]),
                            count=_value(m["count"]),
                            salary=_value(m["salary"]) if "salary" in m else None,
                            loaded_cost_share_of_officer=(
                                _value(m["loaded_cost_share_of_officer"])
                                if "loaded_cost_share_of_officer" in m
                                else None
                            ),
                        )
                        for m in spec["members"]
                    ),
                    vehicle_per_team_per_year=_value(spec["vehicle_per_team_per_year"]),
                    vehicle_purchase_per_team=_value(spec["vehicle_purchase_per_team"]),
                )
                for name, spec in doc["responders"].items()
            }
            start = doc["start_up"]
            return cls(
                officer_annual_cost=_value(doc["officer"]["annual_cost_per_officer"]),
                benefits_rate=_value(doc["benefits_rate"]),
                responders=responders,
                per_call={k: _value(v) for k, v in doc["per_call"].items()},
                staff_per_supervisor=_value(doc["supervision"]["staff_per_supervisor"]),
                supervisor_cost_multiple=_value(doc["supervision"]["supervisor_cost_multiple"]),
                training_per_person_per_year=_value(doc["training_per_person_per_year"]),
                dispatch_changes_per_year=_value(doc["dispatch_changes_per_year"]),
                initial_training_per_person=_value(start["initial_training_per_person"]),
                equipment_per_person=_value(start["equipment_per_person"]),
                dispatch_setup=_value(start["dispatch_setup"]),
                on_duty_hours_per_year=_value(
                    doc.get("on_duty_hours_per_year", ON_DUTY_HOURS_PER_YEAR)
                ),
            )
        except (KeyError, TypeError, AttributeError, ValueError) as exc:
            raise KitError(
                f"The cost settings are incomplete or malformed ({exc}). Start again from the "
                "defaults in templates/funding/costs.json."
            ) from exc

    def with_officer_cost_from_budget(
        self, *, salaries: float, benefits: float, overtime: float, sworn_headcount: float
    ) -> Costs:
        """Use the city's own budget lines for the fully loaded cost of a sworn officer."""
        if sworn_headcount <= 0:
            raise KitError(
                "Sworn headcount must be a positive number to work out cost per officer."
            )
        total = salaries + benefits + overtime
        if total <= 0:
            raise KitError(
                "Enter the sworn staff's salaries, benefits and overtime from the budget."
            )
        return replace(self, officer_annual_cost=total / sworn_headcount)


def default_costs() -> Costs:
    """The cost defaults shipped with the kit (see ``templates/funding/costs.json``)."""
    return Costs.from_document(load_template("costs.json"))


def officer_hourly_cost(costs: Costs, productive_hours: float) -> float:
    """Fully loaded cost of one productive officer hour: yearly cost over productive hours."""
    if productive_hours <= 0:
        raise KitError("Productive hours per officer a year must be a positive number.")
    return costs.officer_annual_cost / productive_hours


#: How the fleet is sized, stated wherever vehicle costs are shown.
FLEET_ASSUMPTION: Final = (
    "Vehicles: one per team on duty in the busiest hour of the week. A vehicle passes from "
    "one shift to the next, but teams whose shifts overlap each need their own."
)


@dataclass(frozen=True)
class ServiceBudget:
    """The yearly and start-up cost of one responder (or the whole service when summed)."""

    responder: str
    teams_at_peak: int
    headcount: float
    supervisors: float
    personnel: float
    supervision: float
    training: float
    vehicles: float
    per_call: float
    dispatch: float
    start_up: float

    @property
    def per_year(self) -> float:
        """What the service costs a year once running."""
        return (
            self.personnel
            + self.supervision
            + self.training
            + self.vehicles
            + self.per_call
            + self.dispatch
        )

    def to_dict(self) -> dict[str, float | int | str]:
        return {
            "responder": self.responder,
            "teams_at_peak": self.teams_at_peak,
            "headcount": self.headcount,
            "supervisors": self.supervisors,
            "personnel": self.personnel,
            "supervision": self.supervision,
            "training": self.training,
            "vehicles": self.vehicles,
            "per_call": self.per_call,
            "dispatch": self.dispatch,
            "per_year": self.per_year,
            "start_up": self.start_up,
        }


def field_responder_budget(costs: Costs, responder: str, plan: ShiftPlan) -> ServiceBudget:
    """Cost of staffing ``plan`` with ``responder``'s teams, once relief is counted.

    Headcount comes from the plan's staffed hours over each person's on-duty hours a year
    (leave, training and sickness taken out); supervisors are a share of that headcount; the
    fleet is the most teams ever on duty at once (see :data:`FLEET_ASSUMPTION`).
    """
    spec = costs.responders.get(responder)
    if spec is None:
        raise KitError(f"There are no cost figures for the responder {responder!r}.")
    people = spec.people_per_team
    headcount = plan.headcount(people, costs.on_duty_hours_per_year) if people else 0.0
    if headcount == 0:
        return ServiceBudget(responder, 0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0)
    factor = costs.team_cost_factor
    mean_loaded = (
        sum(
            m.count * m.loaded_cost(costs.officer_annual_cost, costs.benefits_rate)
            for m in spec.members
        )
        / people
    )
    supervisors = headcount / costs.staff_per_supervisor if costs.staff_per_supervisor else 0.0
    peak = plan.teams_at_peak
    everyone = headcount + supervisors
    return ServiceBudget(
        responder=responder,
        teams_at_peak=peak,
        headcount=headcount,
        supervisors=supervisors,
        personnel=factor * headcount * mean_loaded,
        supervision=factor * supervisors * mean_loaded * costs.supervisor_cost_multiple,
        training=factor * everyone * costs.training_per_person_per_year,
        vehicles=factor * peak * spec.vehicle_per_team_per_year,
        per_call=0.0,
        dispatch=0.0,
        start_up=factor
        * (
            peak * spec.vehicle_purchase_per_team
            + everyone * (costs.initial_training_per_person + costs.equipment_per_person)
        ),
    )


def per_call_budget(costs: Costs, responder: str, calls_per_year: float) -> ServiceBudget:
    """Cost of a responder paid per call (online reporting, another agency, no one sent)."""
    rate = costs.per_call.get(responder, 0.0) * costs.team_cost_factor
    return ServiceBudget(
        responder, 0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, rate * calls_per_year, 0.0, 0.0
    )


def dispatch_budget(costs: Costs) -> ServiceBudget:
    """The call-taking and dispatch changes any field service needs, counted once."""
    factor = costs.team_cost_factor
    return ServiceBudget(
        "dispatch",
        0,
        0.0,
        0.0,
        0.0,
        0.0,
        0.0,
        0.0,
        0.0,
        factor * costs.dispatch_changes_per_year,
        factor * costs.dispatch_setup,
    )


@dataclass(frozen=True)
class NetEffect:
    """Officer time freed and what it is worth, against what the new service costs."""

    hours_freed: float
    fte_freed: float
    value_of_hours: float
    positions_not_refilled: int
    budget_released: float
    service_cost: float
    start_up_cost: float

    @property
    def net_if_redeployed(self) -> float:
        """Value of the freed hours, redeployed to other police work, less the service's cost."""
        return self.value_of_hours - self.service_cost

    @property
    def net_if_not_refilled(self) -> float:
        """Budget released by leaving whole positions unfilled, less the service's cost."""
        return self.budget_released - self.service_cost

    def to_dict(self) -> dict[str, float | int]:
        return {
            "hours_freed": self.hours_freed,
            "fte_freed": self.fte_freed,
            "value_of_hours": self.value_of_hours,
            "positions_not_refilled": self.positions_not_refilled,
            "budget_released": self.budget_released,
            "service_cost": self.service_cost,
            "start_up_cost": self.start_up_cost,
            "net_if_redeployed": self.net_if_redeployed,
            "net_if_not_refilled": self.net_if_not_refilled,
        }


def net_effect(
    hours_freed: float, costs: Costs, productive_hours: float, budgets: Iterable[ServiceBudget]
) -> NetEffect:
    """Put the hours freed a year next to the service's cost, both ways a city may count them."""
    hourly = officer_hourly_cost(costs, productive_hours)
    fte = hours_freed / productive_hours
    # A position can only be left empty whole; the small tolerance keeps 2.9999999 from losing one.
    positions = math.floor(fte + 1e-9)
    spent = list(budgets)
    return NetEffect(
        hours_freed=hours_freed,
        fte_freed=fte,
        value_of_hours=hours_freed * hourly,
        positions_not_refilled=positions,
        budget_released=positions * costs.officer_annual_cost,
        service_cost=sum(b.per_year for b in spent),
        start_up_cost=sum(b.start_up for b in spent),
    )


# --- Funding sources ---------------------------------------------------------------------------


@dataclass(frozen=True)
class FundingSource:
    """One source of money the city has found or hopes for, with amounts by fiscal year."""

    kind: str
    name: str
    amounts: Mapping[int, float] = field(default_factory=dict)
    status: str = "idea"
    start: date | None = None
    end: date | None = None

    @classmethod
    def from_dict(cls, raw: Mapping[str, Any]) -> FundingSource:
        """Read one entry of the ``funding_sources`` list, checking what a person typed."""
        checklist = load_template("sources.json")
        kinds = {k["kind"] for k in checklist["kinds"]}
        kind = str(raw.get("kind", ""))
        if kind not in kinds:
            raise KitError(
                f"Unknown kind of funding {kind!r}; choose one of {', '.join(sorted(kinds))}."
            )
        status = str(raw.get("status", "idea"))
        if status not in checklist["statuses"]:
            raise KitError(
                f"Unknown status {status!r} for {raw.get('name') or kind}; "
                f"choose one of {', '.join(checklist['statuses'])}."
            )
        amounts: dict[int, float] = {}
        for year, amount in (raw.get("amounts") or {}).items():
            try:
                y, a = int(year), float(amount)
            except (TypeError, ValueError) as exc:
                raise KitError(
                    f"Amounts of {raw.get('name') or kind} must be numbers by year "
                    f"({year}: {amount})."
                ) from exc
            if not math.isfinite(a) or a < 0:
                raise KitError(f"The {y} amount of {raw.get('name') or kind} must be zero or more.")
            amounts[y] = a

        def _date(key: str) -> date | None:
            text = raw.get(key)
            if not text:
                return None
            try:
                return date.fromisoformat(str(text))
            except ValueError as exc:
                raise KitError(
                    f"{key} of {raw.get('name') or kind} must be a date like 2026-07-01."
                ) from exc

        return cls(
            kind=kind,
            name=str(raw.get("name") or kind),
            amounts=amounts,
            status=status,
            start=_date("start"),
            end=_date("end"),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "name": self.name,
            "amounts": {str(y): a for y, a in sorted(self.amounts.items())},
            "status": self.status,
            "start": self.start.isoformat() if self.start else None,
            "end": self.end.isoformat() if self.end else None,
        }


def funding_checklist() -> pd.DataFrame:
    """The kinds of funding to look for, with a note and the source behind each."""
    return pd.DataFrame(load_template("sources.json")["kinds"])


def arpa_enhanced_match_possible(fiscal_year: int, fiscal_year_start_month: int = 7) -> bool:
    """Whether part of a fiscal year falls in the ARPA section 9813 window (from 2022-04-01).

    A fiscal year is named by the calendar year it ends in (fiscal 2026 starting in July runs
    2025-07-01 to 2026-06-30); with a January start it is the calendar year.
    """
    begins = date(
        fiscal_year - (1 if fiscal_year_start_month > 1 else 0), fiscal_year_start_month, 1
    )
    ends = date(fiscal_year + (0 if fiscal_year_start_month > 1 else 1), fiscal_year_start_month, 1)
    return begins <= ARPA_9813_END and ends > ARPA_9813_START


def funding_gap(
    sources: Iterable[FundingSource],
    cost_per_year: float,
    years: Iterable[int],
    *,
    start_up_cost: float = 0.0,
    fiscal_year_start_month: int = 7,
) -> pd.DataFrame:
    """Year by year: the service's cost, money secured and hoped for, and the gap that remains.

    Only committed or received money closes the gap; money applied for or still an idea is
    shown beside it so the gap can be read both ways. The first year carries the start-up cost.
    """
    checklist = load_template("sources.json")
    secured_statuses = set(checklist["secured_statuses"])
    chosen = sorted(set(years))
    listed = list(sources)
    rows = []
    for i, year in enumerate(chosen):
        cost = cost_per_year + (start_up_cost if i == 0 else 0.0)
        secured = sum(s.amounts.get(year, 0.0) for s in listed if s.status in secured_statuses)
        pending = sum(s.amounts.get(year, 0.0) for s in listed if s.status not in secured_statuses)
        rows.append(
            {
                "year": year,
                "cost": cost,
                "secured": secured,
                "pending": pending,
                "gap": max(cost - secured, 0.0),
                "gap_if_pending_arrives": max(cost - secured - pending, 0.0),
                "arpa_enhanced_match_possible": arpa_enhanced_match_possible(
                    year, fiscal_year_start_month
                ),
            }
        )
    return pd.DataFrame(
        rows,
        columns=[
            "year",
            "cost",
            "secured",
            "pending",
            "gap",
            "gap_if_pending_arrives",
            "arpa_enhanced_match_possible",
        ],
    )


# --- Staffing each field responder ------------------------------------------------------------

#: Responders that go out to calls and so need teams on duty; the others are paid per call.
FIELD_RESPONDERS: Final[tuple[str, ...]] = ("crisis_team", "cso", "co_response")


@dataclass(frozen=True)
class ResponderStaffing:
    """The teams one field responder needs, hour by hour, and the shifts that provide them."""

    responder: str
    minutes_per_call: float
    calls_per_year: float
    by_hour: pd.DataFrame
    plan: ShiftPlan
    budget: ServiceBudget


def staff_responder(
    responder: str,
    calls_per_hour: pd.Series | list[float],
    minutes_per_call: float,
    *,
    target: ResponseTarget,
    shift_hours: int,
    costs: Costs,
) -> ResponderStaffing:
    """Teams by hour of week (Erlang C with travel), the shift plan, and what it costs.

    ``calls_per_hour`` is the mean number of calls the responder handles in each of the 168
    hours of the week, each hour's calls over the times that hour occurs in the data.
    """
    rates = [float(v) for v in calls_per_hour]
    by_hour = teams_by_hour(rates, minutes_per_call, target)
    plan = shift_plan(tuple(int(t) for t in by_hour["teams"]), shift_hours)
    by_hour["on_duty"] = plan.on_duty
    return ResponderStaffing(
        responder=responder,
        minutes_per_call=minutes_per_call,
        calls_per_year=sum(rates) * WEEKS_PER_YEAR,
        by_hour=by_hour,
        plan=plan,
        budget=field_responder_budget(costs, responder, plan),
    )


# --- Scenarios: from role assignments to hours freed, teams, costs and net effect ---------------

#: Name of the step 03 decision in the workspace's decision store.
DECISION_NAME: Final = "funding_scenarios"
SCHEMA_VERSION: Final = 1
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


def evaluate(cube: Any, plan: Plan, settings: Settings, *, name: str = "") -> Evaluation:
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
    )


# --- Scenario definitions, the saved decision and the workspace --------------------------------


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
    if not isinstance(document, Mapping):
        raise KitError("The funding scenarios must be a JSON object.")
    version = document.get("schema_version", SCHEMA_VERSION)
    if version != SCHEMA_VERSION:
        raise KitError(
            f"These funding scenarios use schema version {version}; this kit reads version "
            f"{SCHEMA_VERSION}. Save them again from step 03."
        )
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
        _value(officer.get("annual_cost_per_officer"))
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

    saved = workspace.decisions.latest(ROLES)
    roles = check_roles(saved.document) if saved is not None else check_roles(new_document())
    calls = workspace.calls()
    if calls.empty:
        raise KitError("No calls have been imported yet: import them in step 00 first.")
    cube = build_cube(
        calls,
        officers_per_unit=roles["officers_per_unit"],
        families=roles["family_overrides"],
        rules=workspace.rules(),
    )
    budget = workspace.read_table("budget") if workspace.has_table("budget") else None
    return Inputs(
        cube=cube,
        roles=roles,
        budget=budget,
        fiscal_year_start=int(getattr(workspace.profile, "fiscal_year_start", 7) or 7),
        roles_saved=saved is not None,
        unit_minutes=unit_minutes(calls),
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
        costs = replace(costs, officer_annual_cost=_value(officer["annual_cost_per_officer"]))
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


def evaluate_scenario(
    inputs: Inputs, doc: Mapping[str, Any], settings: Settings, name: str | None = None
) -> Evaluation:
    """Evaluate the named scenario of a document (the active one by default)."""
    chosen = name or doc["active"]
    for definition in doc["scenarios"]:
        if definition["name"] == chosen:
            plan = scenario_plan(definition, inputs.cube, inputs.roles)
            return evaluate(inputs.cube, plan, settings, name=chosen)
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


# --- Sensitivity and the reverse scenario ------------------------------------------------------

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


@dataclass
class ReverseScenario:
    """What must move, and with what staffing, to keep service with a smaller police budget.

    ``reached`` says whether the moves free the officer hours the cut removes; the cut is
    only met when, besides, the new service costs no more than the cut saves (``fits_cut``).
    """

    budget_cut: float
    police_budget: float
    positions_cut: float
    hours_needed: float
    moved: pd.DataFrame
    reached: bool
    evaluation: Evaluation

    @property
    def cut_amount(self) -> float:
        """Dollars a year the smaller budget takes away."""
        return self.budget_cut * self.police_budget

    @property
    def net_of_cut(self) -> float:
        """What the cut saves less what the new service costs a year (negative: it costs more)."""
        return self.cut_amount - self.evaluation.effect.service_cost

    @property
    def fits_cut(self) -> bool:
        """Whether the new service costs no more a year than the cut saves."""
        return self.net_of_cut >= 0

    def verdict(self) -> str:
        """The answer in one or two plain sentences."""
        cost = money(self.evaluation.effect.service_cost)
        cut = money(self.cut_amount)
        if not self.reached:
            freed = self.evaluation.hours_freed
            return (
                f"The cut is not reached: even all these moves free only {freed:,.0f} of the "
                f"{self.hours_needed:,.0f} officer hours it removes, so service would suffer; "
                f"the new service would cost {cost} a year against a {cut} cut."
            )
        if not self.fits_cut:
            return (
                f"The cut is not reached: the moves that free the officer hours it removes "
                f"need a new service costing {cost} a year, {money(-self.net_of_cut)} more "
                f"than the {cut} the cut saves."
            )
        return (
            f"These moves free the officer hours the cut removes, and the new service costs "
            f"{cost} a year, within the {cut} cut: {money(self.net_of_cut)} a year to spare."
        )

    def summary(self) -> dict[str, Any]:
        freed = self.evaluation.hours_freed
        return {
            "budget_cut": self.budget_cut,
            "police_budget": self.police_budget,
            "budget_cut_amount": self.cut_amount,
            "positions_cut": self.positions_cut,
            "hours_needed": self.hours_needed,
            "hours_freed": freed,
            "reached": self.reached,
            "fits_cut": self.fits_cut,
            "net_of_cut": self.net_of_cut,
            "verdict": self.verdict(),
            "shortfall_hours": max(self.hours_needed - freed, 0.0),
            "share_of_need_met": min(freed / self.hours_needed, 1.0) if self.hours_needed else 1.0,
            "moved": self.moved.to_dict("records"),
            **{k: v for k, v in self.evaluation.summary().items() if k != "scenario"},
        }


def reverse_scenario(
    cube: Any,
    roles: Mapping[str, Any],
    settings: Settings,
    *,
    budget_cut: float,
    police_budget: float,
    presets: Iterable[str] | None = None,
) -> ReverseScenario:
    """Answer "we must keep service with an X% smaller police budget".

    The cut removes ``budget_cut * police_budget / cost per officer`` positions, whose
    productive hours must be freed for service to hold. Call types from the candidate
    presets move with the preset's split and step 02's assumptions, the ones freeing the
    most officer hours first, until the hours freed cover those positions; the plan that
    results is then staffed and costed like any scenario. ``reached`` is False when every
    candidate together is not enough.
    """
    from kit.roles import flow
    from kit.roles.presets import apply_preset

    if not 0 < budget_cut < 1:
        raise KitError("The budget cut must be a fraction between 0 and 1 (0.05 for 5%).")
    if police_budget <= 0:
        raise KitError(
            "Enter the police budget (or import the budget table) for the reverse scenario."
        )
    chosen_presets = list(presets or load_template("scenarios.json")["reverse"]["presets"])
    candidates: dict[str, dict[str, float]] = {}
    for preset in chosen_presets:
        for call_type, split in apply_preset(preset, cube.types).items():
            candidates.setdefault(call_type, split)
    productive = float(roles["productive_hours_per_officer"])
    positions = budget_cut * police_budget / settings.costs.officer_annual_cost
    needed = positions * productive
    years = cube.years or 1.0
    by_type = flow(
        cube, candidates, roles["assumptions"], coverage=roles["coverage"], by=("call_type",)
    )
    alternatives = ~by_type["responder"].isin(["police", "co_response"])
    freed = (
        by_type[alternatives].groupby("call_type")["without_police_hours"].sum() / years
    ).sort_values(ascending=False, kind="stable")
    freed = freed[freed > 0]
    cumulative = freed.cumsum()
    take = int((cumulative < needed).sum()) + 1
    chosen = freed.iloc[: min(take, len(freed))]
    info = cube.types.set_index("call_type")
    moved = pd.DataFrame(
        {
            "call_type": chosen.index,
            "call_type_desc": [info.at[t, "call_type_desc"] for t in chosen.index],
            "split": [candidates[t] for t in chosen.index],
            "hours_freed": chosen.to_numpy(),
        }
    )
    plan = Plan(
        assignments={t: candidates[t] for t in chosen.index},
        assumptions=roles["assumptions"],
        coverage=roles["coverage"],
        productive_hours=productive,
    )
    result = evaluate(cube, plan, settings, name=f"Police budget {100 * budget_cut:g}% smaller")
    return ReverseScenario(
        budget_cut=budget_cut,
        police_budget=police_budget,
        positions_cut=positions,
        hours_needed=needed,
        moved=moved,
        reached=result.hours_freed >= needed - 1e-6,
        evaluation=result,
    )


# --- Editing costs and reading results by area ---------------------------------------------------

_COST_LABELS: Final[dict[str, str]] = {
    "benefits_rate": "Benefits on wages (fraction)",
    "vehicle_per_team_per_year": "vehicle a year, per team",
    "vehicle_purchase_per_team": "vehicle to buy, per team",
    "staff_per_supervisor": "Field staff per supervisor",
    "supervisor_cost_multiple": "Supervisor cost (times staff)",
    "training_per_person_per_year": "Training a year, per person",
    "dispatch_changes_per_year": "Call-taking and dispatch changes a year",
    "initial_training_per_person": "Start-up: initial training per person",
    "equipment_per_person": "Start-up: equipment per person",
    "dispatch_setup": "Start-up: dispatch set-up",
}


def cost_figures(doc: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Every editable figure of a costs document, with a label, its value and its source.

    ``path`` locates the figure in the document (keys and list positions), for
    :func:`with_cost`. The officer's cost (chosen separately) and the benchmarks are left out.
    """
    figures: list[dict[str, Any]] = []

    def add(path: list[Any], label: str, entry: Any) -> None:
        value = entry["value"] if isinstance(entry, Mapping) else entry
        source = entry.get("source", "") if isinstance(entry, Mapping) else ""
        figures.append({"path": path, "label": label, "value": float(value), "source": source})

    add(["benefits_rate"], _COST_LABELS["benefits_rate"], doc["benefits_rate"])
    for name, spec in doc["responders"].items():
        title = spec.get("label", name)
        for i, member in enumerate(spec["members"]):
            source = member.get("source", "")
            if "salary" in member:
                add(
                    ["responders", name, "members", i, "salary"],
                    f"{title}: {member['role']} salary",
                    {"value": member["salary"], "source": source},
                )
            if "loaded_cost_share_of_officer" in member:
                add(
                    ["responders", name, "members", i, "loaded_cost_share_of_officer"],
                    f"{title}: {member['role']} cost as a share of an officer's",
                    {"value": member["loaded_cost_share_of_officer"], "source": source},
                )
            add(
                ["responders", name, "members", i, "count"],
                f"{title}: number of {member['role']} per team",
                {"value": member["count"], "source": "team make-up"},
            )
        for key in ("vehicle_per_team_per_year", "vehicle_purchase_per_team"):
            add(["responders", name, key], f"{title}: {_COST_LABELS[key]}", spec[key])
    for name, entry in doc["per_call"].items():
        add(["per_call", name], f"Cost per call: {name.replace('_', ' ')}", entry)
    for key in ("staff_per_supervisor", "supervisor_cost_multiple"):
        add(["supervision", key], _COST_LABELS[key], doc["supervision"][key])
    for key in ("training_per_person_per_year", "dispatch_changes_per_year"):
        add([key], _COST_LABELS[key], doc[key])
    for key, entry in doc["start_up"].items():
        add(["start_up", key], _COST_LABELS.get(key, key), entry)
    return figures


def with_cost(doc: Mapping[str, Any], path: list[Any], value: float) -> dict[str, Any]:
    """A copy of a costs document with one figure changed (its source kept, marked as local)."""
    copy = json.loads(json.dumps(doc))
    node: Any = copy
    for key in path[:-1]:
        node = node[key]
    last = path[-1]
    if not math.isfinite(float(value)) or float(value) < 0:
        raise KitError("A cost figure must be zero or a positive number.")
    if isinstance(node[last], dict):
        node[last] = {"value": float(value), "source": "entered locally"}
    else:
        node[last] = float(value)
        if isinstance(node, dict) and "role" in node and last != "count":
            node["source"] = "entered locally"
    Costs.from_document(copy)
    return copy


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
