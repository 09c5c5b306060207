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
from dataclasses import dataclass, field, replace
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any, Final

import pandas as pd

from kit.errors import KitError
from kit.staffing import ON_DUTY_HOURS_PER_YEAR, ShiftPlan

TEMPLATES: Final[Path] = Path(__file__).resolve().parents[1] / "templates" / "funding"

# American Rescue Plan Act of 2021, section 9813: an 85% federal match for qualifying
# community-based mobile crisis services, for up to 12 fiscal quarters within the five years
# that begin on 2022-04-01.
ARPA_9813_START: Final[date] = date(2022, 4, 1)
ARPA_9813_END: Final[date] = date(2027, 3, 31)
ARPA_9813_FEDERAL_SHARE: Final[float] = 0.85
ARPA_9813_QUARTERS: Final[int] = 12


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
    fleet is the most teams ever on duty at once.
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
    peak = max(plan.on_duty)
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


def funding_by_kind(sources: Iterable[FundingSource]) -> pd.DataFrame:
    """Amounts entered, summed by kind of source and year (for a stacked chart)."""
    rows = [
        {"kind": s.kind, "year": y, "status": s.status, "amount": a}
        for s in sources
        for y, a in s.amounts.items()
    ]
    frame = pd.DataFrame(rows, columns=["kind", "year", "status", "amount"])
    return frame.groupby(["kind", "year", "status"], as_index=False)["amount"].sum()
