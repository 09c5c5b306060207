"""How many alternative-responder teams each hour of the week needs, and the shifts that staff them.

A civilian crisis team or community service officer answers calls the way a patrol car does:
calls arrive at random, each keeps a team busy for a while (travel included), and a call that
finds every team busy waits. The question a city asks is not "how many calls" but "how many
teams, hour by hour, so that (say) 90% of calls are reached within 20 minutes". That is the
Erlang C (M/M/c) queue with a fixed travel time added to the wait, solved here stably for any
number of teams, checked against an event-driven simulation of the same queue, and turned into
a shift plan (the fewest staffed hours that cover every hour's need) and a headcount once
leave, training and sickness are counted.

References: the Erlang C model for dispatch is the standard one in Larson and Odoni, *Urban
Operations Research* (1981), ch. 4; the relief figures are cited at :data:`ON_DUTY_HOURS_PER_YEAR`.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd
from scipy.optimize import Bounds, LinearConstraint, linprog, milp

from kit.errors import KitError

HOURS_PER_WEEK = 168
WEEKS_PER_YEAR = 365.25 / 7
SHIFT_LENGTHS: tuple[int, ...] = (8, 10, 12)

# On-duty hours one full-time person actually works in a year once leave, training, sickness and
# court time are taken out: 1,849 in the worked example of the Minnesota Chiefs of Police
# Association, "Police Shift Relief Factor" (1998), which gives 1.57 people per 8-hour post and
# about 4.7 per post staffed around the clock (8,760 / 1,849 = 4.74). Wilson and Weiss, "A
# Performance-Based Approach to Police Staffing and Allocation" (COPS Office, 2012) describe the
# same calculation from an agency's own leave records, which should replace this default.
ON_DUTY_HOURS_PER_YEAR = 1849.0

# How long each shift-plan solve may run; a plan found by then is used and marked as such.
SOLVER_SECONDS = 30.0
# scipy.optimize.milp's status when it stops at its time (or iteration) limit.
_TIME_LIMIT = 1

# The search for the least number of teams stops here: a need that large is not a staffing plan.
MAX_TEAMS = 100_000


@dataclass(frozen=True)
class ResponseTarget:
    """A response-time promise: ``share`` of calls reached within ``minutes``.

    ``travel_minutes`` is the fixed drive to the scene; it counts against the target but the
    kit does not add it to the time a team is committed (that time already includes travel).
    """

    minutes: float = 20.0
    share: float = 0.9
    travel_minutes: float = 0.0

    def check(self) -> None:
        """Raise a :class:`KitError` if no number of teams could meet this target."""
        if not math.isfinite(self.minutes) or self.minutes <= 0:
            raise KitError("The response target must be a positive number of minutes.")
        if not math.isfinite(self.travel_minutes) or self.travel_minutes < 0:
            raise KitError("Travel time must be zero or a positive number of minutes.")
        if not 0 < self.share < 1:
            raise KitError(
                f"The share of calls to reach in time must be a fraction between 0 and 1 "
                f"(for example 0.9); {self.share:g} cannot be reached by any number of teams."
            )
        if self.travel_minutes >= self.minutes:
            raise KitError(
                f"Travel alone takes {self.travel_minutes:g} minutes, so no number of teams can "
                f"reach calls within {self.minutes:g} minutes: lengthen the target or shorten "
                "travel."
            )


def erlang_c(teams: int, erlangs: float) -> float:
    """Probability that a call waits (all ``teams`` busy) under offered load ``erlangs``.

    Computed from the Erlang B recursion, which never forms large factorials or powers and so
    stays accurate for thousands of teams. Returns 1.0 when the queue is unstable (teams <= load).
    """
    if erlangs < 0 or teams < 0:
        raise ValueError("teams and erlangs must not be negative")
    if erlangs == 0:
        return 0.0
    if teams <= erlangs:
        return 1.0
    blocking = 1.0
    for k in range(1, teams + 1):
        blocking = erlangs * blocking / (k + erlangs * blocking)
    return teams * blocking / (teams - erlangs * (1.0 - blocking))


def share_within_target(
    teams: int, calls_per_hour: float, minutes_per_call: float, target: ResponseTarget
) -> float:
    """Share of calls reached within the target by ``teams`` teams (Erlang C with travel).

    With load A = L*S/60 Erlangs and c > A teams, a call waits longer than t minutes with
    probability C(c, A) * exp(-(c - A) * t / S); it is reached in time when its wait is at most
    the target less the travel time.
    """
    if calls_per_hour == 0:
        return 1.0
    erlangs = calls_per_hour * minutes_per_call / 60.0
    if teams <= erlangs:
        return 0.0
    slack = target.minutes - target.travel_minutes
    if slack < 0:
        return 0.0
    wait_prob = erlang_c(teams, erlangs)
    return 1.0 - wait_prob * math.exp(-(teams - erlangs) * slack / minutes_per_call)


def _check_load(calls_per_hour: float, minutes_per_call: float) -> None:
    if not math.isfinite(calls_per_hour) or calls_per_hour < 0:
        raise KitError("Calls per hour must be zero or a positive number.")
    if calls_per_hour > 0 and (not math.isfinite(minutes_per_call) or minutes_per_call <= 0):
        raise KitError("Minutes per call must be a positive number (the whole time committed).")


def least_teams(calls_per_hour: float, minutes_per_call: float, target: ResponseTarget) -> int:
    """The least number of teams that reaches ``target.share`` of calls within the target."""
    target.check()
    _check_load(calls_per_hour, minutes_per_call)
    if calls_per_hour == 0:
        return 0
    erlangs = calls_per_hour * minutes_per_call / 60.0
    slack = target.minutes - target.travel_minutes
    # Carry the Erlang B recursion forward one team at a time instead of restarting it for each
    # candidate, so large loads cost one pass.
    blocking, teams = 1.0, 0
    while True:
        teams += 1
        blocking = erlangs * blocking / (teams + erlangs * blocking)
        if teams <= erlangs:
            continue
        wait_prob = teams * blocking / (teams - erlangs * (1.0 - blocking))
        late = wait_prob * math.exp(-(teams - erlangs) * slack / minutes_per_call)
        if 1.0 - late >= target.share:
            return teams
        if teams >= MAX_TEAMS:
            raise KitError(
                f"More than {MAX_TEAMS:,} teams would be needed for this target: check the "
                f"calls per hour and minutes per call."
            )


@lru_cache(maxsize=65536)
def _teams_and_share(
    calls_per_hour: float, minutes_per_call: float, minutes: float, share: float, travel: float
) -> tuple[int, float]:
    """Least teams and the share they reach, cached: a slider revisits the same loads."""
    target = ResponseTarget(minutes=minutes, share=share, travel_minutes=travel)
    teams = least_teams(calls_per_hour, minutes_per_call, target)
    return teams, share_within_target(teams, calls_per_hour, minutes_per_call, target)


def teams_by_hour(
    calls_per_hour: Sequence[float] | np.ndarray,
    minutes_per_call: float | Sequence[float] | np.ndarray,
    target: ResponseTarget,
) -> pd.DataFrame:
    """The teams each hour of the week needs to meet ``target``.

    ``calls_per_hour`` holds 168 mean arrival rates (Monday 00:00 = hour 0) and
    ``minutes_per_call`` one mean committed time or 168 of them. Returns one row per hour:
    hour_of_week, calls_per_hour, minutes_per_call, erlangs, teams, share_within_target.
    """
    rates = np.asarray(calls_per_hour, dtype=float)
    if rates.shape != (HOURS_PER_WEEK,):
        raise ValueError("calls_per_hour must hold one value for each of the 168 hours of the week")
    minutes = np.broadcast_to(np.asarray(minutes_per_call, dtype=float), rates.shape)
    target.check()
    teams = np.zeros(HOURS_PER_WEEK, dtype=int)
    shares = np.ones(HOURS_PER_WEEK)
    key = (target.minutes, target.share, target.travel_minutes)
    for hour, (rate, mins) in enumerate(zip(rates.tolist(), minutes.tolist(), strict=True)):
        if rate > 0:
            teams[hour], shares[hour] = _teams_and_share(round(rate, 9), round(mins, 9), *key)
    return pd.DataFrame(
        {
            "hour_of_week": np.arange(HOURS_PER_WEEK),
            "calls_per_hour": rates,
            "minutes_per_call": minutes,
            "erlangs": rates * minutes / 60.0,
            "teams": teams,
            "share_within_target": shares,
        }
    )


@dataclass(frozen=True)
class Simulation:
    """What a simulated run of the queue found."""

    calls: int
    share_within_target: float
    mean_wait_minutes: float


def simulate(
    teams: int,
    calls_per_hour: float,
    minutes_per_call: float,
    target: ResponseTarget,
    *,
    calls: int = 400_000,
    warmup: int = 2_000,
    seed: int = 0,
) -> Simulation:
    """Simulate the same queue call by call, to check the Erlang C formula.

    Poisson arrivals, exponential committed times, ``teams`` identical teams served first come
    first served: each call takes the team that frees up first, waits if none is free, and is
    reached after its wait plus the fixed travel time. The first ``warmup`` calls (which find an
    empty system) are not counted. Busy periods make successive waits alike, so a run needs a few
    hundred thousand calls for its share to settle within a fraction of a percentage point; the
    loop is a heap of team free times, about half a second per million calls.
    """
    if teams < 1 or calls_per_hour <= 0 or minutes_per_call <= 0:
        raise ValueError("a simulation needs at least one team and a positive load")
    rng = np.random.default_rng(seed)
    total = calls + warmup
    arrivals = np.cumsum(rng.exponential(60.0 / calls_per_hour, total)).tolist()
    services = rng.exponential(minutes_per_call, total).tolist()
    free_at = [0.0] * teams
    waits = np.empty(total)
    for i in range(total):
        arrival = arrivals[i]
        start = max(arrival, free_at[0])
        heapq.heapreplace(free_at, start + services[i])
        waits[i] = start - arrival
    counted = waits[warmup:]
    slack = target.minutes - target.travel_minutes
    return Simulation(
        calls=calls,
        share_within_target=float(np.mean(counted <= slack)),
        mean_wait_minutes=float(np.mean(counted)),
    )


@dataclass(frozen=True)
class ShiftPlan:
    """Shifts of one length, starting on the hour, that cover every hour's need.

    ``starts[h]`` is how many shifts begin at hour of week h (the week wraps, so a shift that
    starts Sunday 20:00 covers Monday's first hours); ``on_duty[h]`` is how many teams that puts
    on duty in hour h, never fewer than the need. ``stopped_early`` is True when the solver
    reached its time limit, so the plan covers every hour but may not be the best one.
    """

    shift_hours: int
    needs: tuple[int, ...]
    starts: tuple[int, ...]
    on_duty: tuple[int, ...]
    stopped_early: bool = False

    @property
    def teams_at_peak(self) -> int:
        """The most teams on duty in any hour of the week."""
        return max(self.on_duty, default=0)

    @property
    def shifts_per_week(self) -> int:
        """Number of shifts worked in a week."""
        return sum(self.starts)

    @property
    def staffed_hours_per_week(self) -> int:
        """Team-hours on duty in a week (shifts times their length)."""
        return self.shifts_per_week * self.shift_hours

    @property
    def idle_hours_per_week(self) -> int:
        """Team-hours on duty beyond the need, the price of whole shifts."""
        return self.staffed_hours_per_week - sum(self.needs)

    @property
    def note(self) -> str:
        """What a reader must know about how the plan was found ('' when it is optimal)."""
        if not self.stopped_early:
            return ""
        return (
            f"The shift planner stopped at its {SOLVER_SECONDS:g}-second limit: this plan "
            "covers every hour, but a plan with fewer staffed hours or a lower peak may exist."
        )

    def headcount(
        self, people_per_team: float = 1.0, on_duty_hours: float = ON_DUTY_HOURS_PER_YEAR
    ) -> float:
        """Full-time people the plan needs once leave, training and sickness are counted."""
        if on_duty_hours <= 0:
            raise KitError("On-duty hours per person per year must be a positive number.")
        return self.staffed_hours_per_week * WEEKS_PER_YEAR * people_per_team / on_duty_hours


def relief_factor(on_duty_hours: float = ON_DUTY_HOURS_PER_YEAR) -> float:
    """People needed to keep one post staffed around the clock all year (about 4.7 by default)."""
    return 24 * 365 / on_duty_hours


def _coverage_matrix(shift_hours: int) -> np.ndarray:
    hours = np.arange(HOURS_PER_WEEK)
    starts = np.arange(HOURS_PER_WEEK)
    return ((hours[:, None] - starts[None, :]) % HOURS_PER_WEEK < shift_hours).astype(float)


def _whole(values: np.ndarray) -> bool:
    return bool(np.abs(values - np.round(values)).max() < 1e-7)


def _rounded(values: np.ndarray) -> tuple[int, ...]:
    return tuple(int(v) for v in np.round(values))


def _fewest_shifts(cover: np.ndarray, need: np.ndarray) -> tuple[tuple[int, ...], bool]:
    """Starts of the fewest shifts that cover ``need``, and whether the solver stopped early."""
    # The linear relaxation is usually whole already (covering with consecutive hours) and
    # solves in a fraction of the time; a whole optimum of the relaxation is optimal for the
    # integer program too. When it is not whole, fixing the number of shifts at the
    # relaxation's bound rounded up usually gives a whole solution (Bartholdi, Orlin and
    # Ratliff, "Cyclic scheduling via integer programs with circular ones", Operations
    # Research 28(5), 1980), which is then optimal as well. Otherwise the integer program is
    # solved outright.
    ones = np.ones(HOURS_PER_WEEK)
    relaxed = linprog(ones, A_ub=-cover, b_ub=-need, bounds=(0, None))
    if relaxed.status == 0:
        if _whole(relaxed.x):
            return _rounded(relaxed.x), False
        bound = math.ceil(relaxed.fun - 1e-9)
        fixed = linprog(
            ones, A_ub=-cover, b_ub=-need, A_eq=ones[None, :], b_eq=[bound], bounds=(0, None)
        )
        if fixed.status == 0 and _whole(fixed.x):
            return _rounded(fixed.x), False
    result = milp(
        c=ones,
        constraints=LinearConstraint(cover, lb=need, ub=np.inf),
        integrality=ones,
        bounds=Bounds(0, np.inf),
        options={"time_limit": SOLVER_SECONDS},
    )
    if result.x is None:
        raise KitError(
            f"No shift plan could be found ({result.message}); try another shift length."
        )
    return _rounded(result.x), result.status == _TIME_LIMIT


def _lowest_peak(
    cover: np.ndarray, need: np.ndarray, shifts: int
) -> tuple[tuple[int, ...] | None, bool]:
    """Among plans of exactly ``shifts`` shifts covering ``need``, one with the lowest peak.

    A second integer program with the first optimum fixed: variables are the 168 start counts
    and the peak p; minimise p subject to covering every hour, the number of shifts equal to
    ``shifts`` and no hour above p. None when the solver found nothing within its time limit.

    As for the first solve, linear programs come first. No plan can put fewer teams on duty
    than the busiest hour needs, and none fewer than the relaxation's peak rounded up; a whole
    plan of ``shifts`` shifts that covers every hour within such a bound is therefore optimal.
    Only when none is found is the integer program solved, several times slower.
    """
    n = HOURS_PER_WEEK
    ones = np.ones((1, n))

    def whole_plan_within(bound: float) -> tuple[int, ...] | None:
        found = linprog(
            np.zeros(n),
            A_ub=np.vstack([-cover, cover]),
            b_ub=np.concatenate([-need, np.full(n, bound)]),
            A_eq=ones,
            b_eq=[shifts],
            bounds=(0, None),
            method="highs-ds",  # a vertex, which covering with consecutive hours makes whole
        )
        return _rounded(found.x) if found.status == 0 and _whole(found.x) else None

    bound = float(need.max())
    plan = whole_plan_within(bound)
    if plan is not None:
        return plan, False
    relaxed = linprog(
        np.append(np.zeros(n), 1.0),
        A_ub=np.vstack([np.hstack([-cover, np.zeros((n, 1))]), np.hstack([cover, -ones.T])]),
        b_ub=np.concatenate([-need, np.zeros(n)]),
        A_eq=np.hstack([ones, [[0.0]]]),
        b_eq=[shifts],
        bounds=(0, None),
    )
    if relaxed.status == 0 and math.ceil(relaxed.fun - 1e-9) > bound:
        bound = float(math.ceil(relaxed.fun - 1e-9))
        plan = whole_plan_within(bound)
        if plan is not None:
            return plan, False
    constraints = [
        LinearConstraint(np.hstack([cover, np.zeros((n, 1))]), lb=need, ub=np.inf),
        LinearConstraint(np.hstack([ones, [[0.0]]]), lb=shifts, ub=shifts),
        LinearConstraint(np.hstack([cover, -np.ones((n, 1))]), lb=-np.inf, ub=0.0),
    ]
    result = milp(
        c=np.append(np.zeros(n), 1.0),
        constraints=constraints,
        integrality=np.ones(n + 1),
        bounds=Bounds(np.append(np.zeros(n), bound), np.inf),
        options={"time_limit": SOLVER_SECONDS},
    )
    stopped = result.status == _TIME_LIMIT
    if result.x is None:
        return None, stopped
    return _rounded(result.x[:n]), stopped


@lru_cache(maxsize=256)
def _solve_shift_plan(needs: tuple[int, ...], shift_hours: int) -> tuple[tuple[int, ...], bool]:
    """Starts of the plan with the fewest shifts and, among those, the lowest peak on duty."""
    if not any(needs):
        return (0,) * HOURS_PER_WEEK, False
    cover = _coverage_matrix(shift_hours)
    need = np.asarray(needs, dtype=float)
    starts, stopped = _fewest_shifts(cover, need)
    if round(float((cover @ np.asarray(starts, dtype=float)).max())) == max(needs):
        return starts, stopped  # no plan can put fewer on duty than the busiest hour needs
    lower, stopped_again = _lowest_peak(cover, need, sum(starts))
    return (lower or starts), stopped or stopped_again


def shift_plan(needs: Sequence[int], shift_hours: int = 8) -> ShiftPlan:
    """The fewest ``shift_hours``-long shifts that put at least ``needs[h]`` on duty each hour,
    and among plans with that many, one with the fewest teams on duty at the busiest hour.

    Two small integer programs (scipy's HiGHS), one variable per start hour and one covering
    constraint per hour of the week, wrapping around the end of the week: the first finds the
    fewest shifts, the second keeps that number fixed and lowers the peak (the fleet is sized
    from it). Solved once per distinct need.
    """
    if shift_hours not in SHIFT_LENGTHS:
        raise KitError(f"Shifts must be 8, 10 or 12 hours long; {shift_hours} was given.")
    need = tuple(int(n) for n in needs)
    if len(need) != HOURS_PER_WEEK or min(need) < 0:
        raise ValueError("needs must hold 168 non-negative whole numbers")
    starts, stopped = _solve_shift_plan(need, shift_hours)
    on_duty = _coverage_matrix(shift_hours) @ np.asarray(starts, dtype=float)
    return ShiftPlan(
        shift_hours=shift_hours,
        needs=need,
        starts=starts,
        on_duty=tuple(int(v) for v in np.round(on_duty)),
        stopped_early=stopped,
    )
