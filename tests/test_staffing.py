"""Erlang C with travel, its simulation check, and the shift plan that staffs the need."""

from __future__ import annotations

import math

import numpy as np
import pytest
import simpy
from hypothesis import given, settings
from hypothesis import strategies as st

from kit.errors import KitError
from kit.staffing import (
    HOURS_PER_WEEK,
    ON_DUTY_HOURS_PER_YEAR,
    ResponseTarget,
    erlang_c,
    least_teams,
    relief_factor,
    share_within_target,
    shift_plan,
    simulate,
    teams_by_hour,
)

# The contact-centre textbook case: 10 Erlangs of 3-minute calls (200 an hour), 20-second target.
TEXTBOOK = ResponseTarget(minutes=20 / 60, share=0.8)


def _erlang_c_closed_form(c: int, a: float) -> float:
    """The schoolbook formula with factorials, fine for small c; an independent reference."""
    top = a**c / math.factorial(c) * c / (c - a)
    return top / (sum(a**k / math.factorial(k) for k in range(c)) + top)


def test_textbook_shares() -> None:
    """13 servers reach 79.6% within 20 s and 14 reach 88.8%, as published."""
    assert share_within_target(13, 200, 3, TEXTBOOK) == pytest.approx(0.796, abs=5e-4)
    assert share_within_target(14, 200, 3, TEXTBOOK) == pytest.approx(0.888, abs=5e-4)
    assert least_teams(200, 3, TEXTBOOK) == 14
    assert least_teams(200, 3, ResponseTarget(minutes=20 / 60, share=0.79)) == 13


@pytest.mark.parametrize(("c", "a"), [(1, 0.5), (3, 2.2), (13, 10.0), (30, 27.5)])
def test_recursive_erlang_c_matches_closed_form(c: int, a: float) -> None:
    """The stable recursion gives the same probability of waiting as the factorial formula."""
    assert erlang_c(c, a) == pytest.approx(_erlang_c_closed_form(c, a), rel=1e-12)


def test_erlang_c_large_and_edge_cases() -> None:
    """Thousands of teams do not overflow; no load never waits; an overloaded queue always does."""
    value = erlang_c(5000, 4900.0)
    assert 0 < value < 1
    assert erlang_c(3, 0.0) == 0.0
    assert erlang_c(3, 3.0) == 1.0
    assert least_teams(200_000, 3, ResponseTarget(minutes=1, share=0.9)) > 10_000


def test_travel_counts_against_the_target() -> None:
    """Travel shortens the time left to wait, so the same teams reach fewer calls."""
    without = share_within_target(3, 4, 30, ResponseTarget(20, 0.9, 0))
    with_travel = share_within_target(3, 4, 30, ResponseTarget(20, 0.9, 12))
    assert with_travel < without
    assert least_teams(4, 30, ResponseTarget(20, 0.9, 12)) >= least_teams(
        4, 30, ResponseTarget(20, 0.9, 0)
    )


def test_no_calls_need_no_teams() -> None:
    assert least_teams(0, 45, ResponseTarget()) == 0


@pytest.mark.parametrize(
    "target",
    [ResponseTarget(20, 0.9, 20), ResponseTarget(20, 0.9, 25), ResponseTarget(20, 1.0, 5)],
)
def test_unreachable_targets_are_refused(target: ResponseTarget) -> None:
    with pytest.raises(KitError, match="number of teams"):
        least_teams(2, 45, target)


@pytest.mark.parametrize(
    ("teams", "rate", "minutes", "target"),
    [
        (13, 200.0, 3.0, TEXTBOOK),
        (14, 200.0, 3.0, TEXTBOOK),
        (3, 3.0, 45.0, ResponseTarget(20, 0.9, 10)),
    ],
)
def test_simulation_agrees_with_formula(
    teams: int, rate: float, minutes: float, target: ResponseTarget
) -> None:
    """An event-by-event run of 400,000 calls lands within one percentage point of Erlang C."""
    result = simulate(teams, rate, minutes, target, calls=400_000, seed=7)
    assert result.calls >= 100_000
    expected = share_within_target(teams, rate, minutes, target)
    assert result.share_within_target == pytest.approx(expected, abs=0.01)


def _simpy_share(teams: int, rate: float, minutes: float, target: ResponseTarget, n: int) -> float:
    """The same queue written the textbook way in simpy: an independent check of the fast loop."""
    rng = np.random.default_rng(11)
    env = simpy.Environment()
    crew = simpy.Resource(env, capacity=teams)
    waits: list[float] = []

    def call(service: float):
        arrived = env.now
        with crew.request() as req:
            yield req
            waits.append(env.now - arrived)
            yield env.timeout(service)

    def source():
        for _ in range(n):
            yield env.timeout(rng.exponential(60.0 / rate))
            env.process(call(rng.exponential(minutes)))

    env.process(source())
    env.run()
    return float(np.mean(np.asarray(waits[1000:]) <= target.minutes - target.travel_minutes))


def test_simpy_model_agrees() -> None:
    """A simpy model of the same queue agrees with the fast simulation and the formula."""
    target = ResponseTarget(20, 0.9, 8)
    by_simpy = _simpy_share(4, 5.0, 40.0, target, 40_000)
    fast = simulate(4, 5.0, 40.0, target, calls=40_000, seed=3).share_within_target
    expected = share_within_target(4, 5.0, 40.0, target)
    assert by_simpy == pytest.approx(expected, abs=0.02)
    assert fast == pytest.approx(expected, abs=0.02)


def test_teams_by_hour_meets_target_each_hour() -> None:
    rng = np.random.default_rng(2)
    rates = rng.gamma(2.0, 0.8, HOURS_PER_WEEK)
    rates[:5] = 0
    target = ResponseTarget(20, 0.9, 10)
    frame = teams_by_hour(rates, 50.0, target)
    assert len(frame) == HOURS_PER_WEEK
    assert (frame.loc[:4, "teams"] == 0).all()
    busy = frame[frame["calls_per_hour"] > 0]
    assert (busy["share_within_target"] >= 0.9).all()
    assert (busy["teams"] > busy["erlangs"]).all()


@settings(max_examples=40, deadline=None)
@given(
    needs=st.lists(st.integers(0, 6), min_size=HOURS_PER_WEEK, max_size=HOURS_PER_WEEK),
    length=st.sampled_from([8, 10, 12]),
    wrap=st.integers(0, 6),
)
def test_shift_plan_covers_every_hour(needs: list[int], length: int, wrap: int) -> None:
    """Every hour, including those a shift reaches by wrapping past Sunday night, is covered."""
    needs[-1] = max(needs[-1], wrap)
    needs[0] = max(needs[0], wrap)
    plan = shift_plan(needs, length)
    assert all(on >= need for on, need in zip(plan.on_duty, needs, strict=True))
    assert plan.staffed_hours_per_week >= sum(needs)
    # No plan can use fewer shifts than the busiest hour or total need divided by length allows.
    assert plan.shifts_per_week >= max(max(needs), math.ceil(sum(needs) / length))


def test_shift_plan_hand_case() -> None:
    """One team needed 22:00-06:00 every night: seven 8-hour shifts, one across the week's end."""
    needs = [1 if (h % 24) >= 22 or (h % 24) < 6 else 0 for h in range(HOURS_PER_WEEK)]
    plan = shift_plan(needs, 8)
    assert plan.shifts_per_week == 7
    assert plan.idle_hours_per_week == 0
    assert plan.starts[166] == 1


def test_shift_plan_refuses_odd_lengths() -> None:
    with pytest.raises(KitError, match="Shifts must be 8, 10 or 12 hours long"):
        shift_plan([1] * HOURS_PER_WEEK, 9)


def test_headcount_and_relief() -> None:
    """A post staffed around the clock needs about 4.7 people (Minnesota Chiefs of Police)."""
    assert relief_factor() == pytest.approx(4.74, abs=0.01)
    plan = shift_plan([1] * HOURS_PER_WEEK, 8)
    assert plan.shifts_per_week == 21
    assert plan.headcount() == pytest.approx(168 * 365.25 / 7 / ON_DUTY_HOURS_PER_YEAR)
    assert plan.headcount(people_per_team=2) == pytest.approx(2 * plan.headcount())


@pytest.mark.parametrize("seed", range(4))
def test_shift_plan_is_optimal(seed: int) -> None:
    """The plan uses as few shifts as the integer program solved outright."""
    from scipy.optimize import Bounds, LinearConstraint, milp

    from kit.staffing import _coverage_matrix

    rng = np.random.default_rng(seed)
    length = (8, 10, 12, 8)[seed]
    needs = [int(n) for n in rng.integers(0, 5, HOURS_PER_WEEK)]
    cover = _coverage_matrix(length)
    best = milp(
        np.ones(HOURS_PER_WEEK),
        constraints=LinearConstraint(cover, lb=np.asarray(needs, dtype=float), ub=np.inf),
        integrality=np.ones(HOURS_PER_WEEK),
        bounds=Bounds(0, np.inf),
    )
    assert shift_plan(needs, length).shifts_per_week == round(best.fun)
