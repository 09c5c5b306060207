"""Staffing one field responder: teams by hour of week, its shift plan and its cost."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import pandas as pd

from kit.funding.costs import Costs, ServiceBudget, field_responder_budget
from kit.staffing import (
    WEEKS_PER_YEAR,
    ResponseTarget,
    ShiftPlan,
    shift_plan,
    teams_by_hour,
)

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
