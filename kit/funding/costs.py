"""What the alternative service costs, and what the officer time it frees is worth."""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any, Final

from kit.errors import KitError
from kit.funding.defaults import load_template
from kit.staffing import (
    ON_DUTY_HOURS_PER_YEAR,
    ShiftPlan,
)


def cost_value(entry: Any) -> float:
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
                            count=cost_value(m["count"]),
                            salary=cost_value(m["salary"]) if "salary" in m else None,
                            loaded_cost_share_of_officer=(
                                cost_value(m["loaded_cost_share_of_officer"])
                                if "loaded_cost_share_of_officer" in m
                                else None
                            ),
                        )
                        for m in spec["members"]
                    ),
                    vehicle_per_team_per_year=cost_value(spec["vehicle_per_team_per_year"]),
                    vehicle_purchase_per_team=cost_value(spec["vehicle_purchase_per_team"]),
                )
                for name, spec in doc["responders"].items()
            }
            start = doc["start_up"]
            return cls(
                officer_annual_cost=cost_value(doc["officer"]["annual_cost_per_officer"]),
                benefits_rate=cost_value(doc["benefits_rate"]),
                responders=responders,
                per_call={k: cost_value(v) for k, v in doc["per_call"].items()},
                staff_per_supervisor=cost_value(doc["supervision"]["staff_per_supervisor"]),
                supervisor_cost_multiple=cost_value(doc["supervision"]["supervisor_cost_multiple"]),
                training_per_person_per_year=cost_value(doc["training_per_person_per_year"]),
                dispatch_changes_per_year=cost_value(doc["dispatch_changes_per_year"]),
                initial_training_per_person=cost_value(start["initial_training_per_person"]),
                equipment_per_person=cost_value(start["equipment_per_person"]),
                dispatch_setup=cost_value(start["dispatch_setup"]),
                on_duty_hours_per_year=cost_value(
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
