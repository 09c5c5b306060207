"""The reverse scenario: keep service with an X% smaller police budget."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from kit.errors import KitError
from kit.funding.defaults import load_template
from kit.funding.evaluation import Evaluation, Plan, Settings, evaluate
from kit.labels import money


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
