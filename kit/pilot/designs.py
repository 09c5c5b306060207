"""The five evaluation designs, which one fits a city's constraints, and why.

A pilot's result is only as good as the comparison behind it and the way its interval is
made. Each design is explained in plain words with its trade-offs in
``templates/pilot/designs.csv`` (text a city can read and edit). :func:`recommend` picks one
from what limits the city (how many areas, how many in the pilot, how long, whether the
responder's shifts can be drawn at random, how many areas can start at once) and
:func:`assess` says for any design how its interval can be made:

- *randomisation inference* (re-drawing the assignment) only where at least 40 distinct
  assignments exist, so that a 5% two-sided test can reject at all (with 10 areas and one
  pilot area there are 10, and the smallest p-value is 0.1);
- a *wild cluster bootstrap* only with at least 5 pilot areas and 5 comparison areas,
  because with fewer treated clusters it misstates its own error rate (MacKinnon and Webb,
  "The wild bootstrap for few (treated) clusters", The Econometrics Journal 21(2), 2018);
- otherwise the design cannot support a confident conclusion, and the recommendation says so
  plainly and names what would (randomising shifts, more pilot areas, finer areas).

Comparison areas for difference-in-differences are chosen from the calls: the areas whose
weekly counts before the pilot rose and fell with the pilot areas' (:func:`comparison_areas`).
"""

from __future__ import annotations

import csv
import math
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from datetime import date
from functools import cache
from typing import Any, Final, Literal

import numpy as np
import pandas as pd

from kit.errors import KitError
from kit.resources import template

Design = Literal["randomised", "stepped", "did", "synthetic", "its"]
DESIGNS: Final[tuple[Design, ...]] = ("randomised", "stepped", "did", "synthetic", "its")
AREA_DESIGNS: Final = ("stepped", "did", "synthetic")
Inference = Literal["randomisation", "wild_cluster_bootstrap", "time_series", "none"]

#: Fewest distinct assignments for randomisation inference to reach p < 0.05 two-sided
#: (1/40 = 0.025 per side).
MIN_ASSIGNMENTS: Final = 40
#: Fewest pilot (and comparison) areas for a wild cluster bootstrap (MacKinnon and Webb 2018).
MIN_CLUSTERS: Final = 5
#: A comparison area tracks the pilot areas when its counts before the pilot correlate
#: at least this much (a strong correlation by the usual convention).
MIN_CORRELATION: Final = 0.5
MAX_SHIFTS_PER_DAY: Final = 3
#: Areas are compared on four-week totals, in which trend and season show through chance.
PERIOD_WEEKS: Final = 4
MIN_PERIODS: Final = 3

INFERENCE_LABELS: Final[dict[str, str]] = {
    "randomisation": "randomisation inference (the assignment re-drawn many times)",
    "wild_cluster_bootstrap": "wild cluster bootstrap over areas",
    "time_series": "time-series intervals allowing for serial correlation (Newey-West)",
    "none": "none that supports a confident conclusion",
}


@dataclass(frozen=True)
class DesignText:
    """One design as ``templates/pilot/designs.csv`` explains it."""

    design: Design
    name: str
    unit_of_assignment: str
    sms_level: int
    explanation: str
    strengths: str
    weaknesses: str


@cache
def design_texts() -> dict[str, DesignText]:
    """The five designs' plain-language explanations, read once from the shipped file."""
    with template("pilot", "designs.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    found = {
        row["design"]: DesignText(**{**row, "sms_level": int(row["sms_level"])}) for row in rows
    }
    if tuple(found) != DESIGNS:
        raise KitError("templates/pilot/designs.csv must explain exactly the five designs.")
    return found


@dataclass(frozen=True)
class Constraints:
    """What limits the design: the jurisdiction's areas, the pilot's, its weeks, whether the
    responder's days or shifts may be drawn at random, and how many areas can start at once
    (None: every pilot area on the first day)."""

    areas_available: int
    pilot_areas: int
    weeks: int
    can_randomise: bool = False
    start_at_once: int | None = None
    shifts_per_day: int = 1

    def __post_init__(self) -> None:
        for name in ("areas_available", "pilot_areas", "weeks", "shifts_per_day"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise KitError(
                    f"{name.replace('_', ' ').capitalize()} must be a whole number of 1 or more."
                )
        if self.pilot_areas > self.areas_available:
            raise KitError(
                f"The pilot cannot run in {self.pilot_areas} areas when the jurisdiction has "
                f"{self.areas_available}."
            )
        if self.shifts_per_day > MAX_SHIFTS_PER_DAY:
            raise KitError("Shifts per day must be 1 (randomise whole days), 2 or 3.")
        start = self.start_at_once
        if start is not None and (
            isinstance(start, bool)
            or not isinstance(start, int)
            or not 1 <= start <= self.pilot_areas
        ):
            raise KitError(
                "Areas that can start at once must be from 1 to the "
                f"{self.pilot_areas} pilot areas."
            )

    @property
    def comparison(self) -> int:
        """Areas outside the pilot."""
        return self.areas_available - self.pilot_areas

    @property
    def waves(self) -> int:
        """Steps a rollout needs when only ``start_at_once`` areas can start together."""
        return math.ceil(self.pilot_areas / (self.start_at_once or self.pilot_areas))

    @property
    def draws(self) -> int:
        """Shifts (or days) in the pilot: the units randomisation by shift assigns."""
        return self.weeks * 7 * self.shifts_per_day

    @classmethod
    def from_document(cls, document: Mapping[str, Any], **known: int) -> Constraints:
        """Constraints saved with a pilot, the workspace's counts (``known``) filled in."""
        fields = ("can_randomise", "start_at_once", "shifts_per_day")
        return cls(**known, **{k: document[k] for k in fields if document.get(k) is not None})


@dataclass(frozen=True)
class Recommendation:
    """A design for these constraints: why, how its interval is made, and what to beware."""

    design: Design
    why: str
    inference: Inference
    warnings: tuple[str, ...]
    confident: bool
    assignments: int
    comparison_areas: int
    registry: str

    def to_document(self) -> dict[str, Any]:
        """JSON-ready, with the design's name and the inference in words."""
        return asdict(self) | {
            "name": design_texts()[self.design].name,
            "inference_label": INFERENCE_LABELS[self.inference],
            "warnings": list(self.warnings),
        }


def area_assignments(areas: int, pilot: int) -> int:
    """Distinct ways of choosing ``pilot`` of ``areas`` areas."""
    return math.comb(areas, pilot)


def rollout_orders(pilot: int, at_once: int) -> int:
    """Distinct orders of a rollout starting ``at_once`` areas per step (the last step may be
    smaller): the multinomial coefficient."""
    count, left = 1, pilot
    while left > 0:
        step = min(at_once, left)
        count *= math.comb(left, step)
        left -= step
    return count


def _fewest_pilot_areas(areas: int) -> int | None:
    """The fewest pilot areas giving at least 40 assignments among ``areas`` (None: none do,
    while leaving one area to compare with)."""
    return next((k for k in range(1, areas) if area_assignments(areas, k) >= MIN_ASSIGNMENTS), None)


def _fewest_areas(pilot: int) -> int:
    """The fewest areas in which ``pilot`` pilot areas have at least 40 assignments."""
    areas = pilot + 1
    while area_assignments(areas, pilot) < MIN_ASSIGNMENTS:
        areas += 1
    return areas


def what_would(c: Constraints) -> list[str]:
    """What would let these constraints support a confident conclusion, in plain words."""
    found = []
    if not c.can_randomise:
        found.append(
            "Draw the responder's days or shifts at random: even a few weeks give far more than "
            f"{MIN_ASSIGNMENTS} possible draws, and no comparison areas are needed."
        )
    fewest = _fewest_pilot_areas(c.areas_available)
    if fewest is not None and fewest > c.pilot_areas:
        found.append(
            f"Run the pilot in at least {fewest} of the {c.areas_available} areas, which gives "
            f"{area_assignments(c.areas_available, fewest)} possible choices of pilot areas."
        )
    found.append(
        f"Use finer areas (beats or neighbourhoods instead of districts): {c.pilot_areas} pilot "
        f"area(s) among at least {_fewest_areas(c.pilot_areas)} areas give {MIN_ASSIGNMENTS} or "
        f"more choices; or at least {MIN_CLUSTERS} pilot areas and {MIN_CLUSTERS} comparison "
        "areas allow a wild cluster bootstrap."
    )
    return found


def _area_inference(c: Constraints, *, bootstrap: bool) -> tuple[Inference, int]:
    """Randomisation inference over the choice of pilot areas where the areas allow it, else
    a wild cluster bootstrap where there are clusters enough (when the design allows one)."""
    draws = area_assignments(c.areas_available, c.pilot_areas)
    if draws >= MIN_ASSIGNMENTS:
        return "randomisation", draws
    if bootstrap and c.pilot_areas >= MIN_CLUSTERS and c.comparison >= MIN_CLUSTERS:
        return "wild_cluster_bootstrap", draws
    return "none", draws


def _check_possible(design: Design, c: Constraints) -> None:
    if design == "randomised" and not c.can_randomise:
        raise KitError(
            "Randomisation by shift needs the responder's days or shifts to be drawn at random: "
            "say that randomisation is possible, or choose another design."
        )
    if design == "stepped" and c.waves < 2:
        raise KitError(
            "A stepped-wedge rollout starts areas in steps: it needs at least two pilot areas "
            "and fewer areas starting at once than there are pilot areas."
        )
    if design in ("did", "synthetic") and c.comparison < 1:
        raise KitError(
            "This design compares the pilot areas with areas outside the pilot, and the pilot "
            "covers every area: choose fewer pilot areas, randomisation by shift or an "
            "interrupted time series."
        )


def assess(design: Design, c: Constraints) -> Recommendation:
    """How ``design`` would be evaluated under ``c``: its inference, and plain warnings.

    Refuses a design the constraints rule out (randomisation not possible, no comparison
    area, a rollout with one step).
    """
    if design not in DESIGNS:
        raise KitError(f"'{design}' is not a design. Choose one of: {', '.join(DESIGNS)}.")
    _check_possible(design, c)
    warnings: list[str] = []
    comparison = c.comparison
    if design == "randomised":
        draws = area_assignments(c.draws, c.draws // 2)
        inference: Inference = "randomisation" if draws >= MIN_ASSIGNMENTS else "none"
        comparison = 0
        warnings.append(
            "Keep the draw sealed from the people answering calls and record each shift's "
            "assignment: a call answered on the wrong kind of shift still counts as drawn."
        )
    elif design == "stepped":
        at_once = c.start_at_once or c.pilot_areas
        comparison = c.comparison + c.pilot_areas - at_once
        draws = rollout_orders(c.pilot_areas, at_once) if c.can_randomise else 1
        if draws >= MIN_ASSIGNMENTS:
            inference = "randomisation"
        elif c.pilot_areas >= MIN_CLUSTERS and comparison >= MIN_CLUSTERS:
            inference = "wild_cluster_bootstrap"
        else:
            inference = "none"
        if not c.can_randomise:
            warnings.append(
                "The order in which areas start is not drawn at random, so areas chosen to go "
                "first may differ from those that wait."
            )
    elif design in ("did", "synthetic"):
        inference, draws = _area_inference(c, bootstrap=design == "did")
        warnings.append(
            "The pilot areas are compared with areas outside it on the assumption that they "
            "would have kept moving together; the weeks before the pilot are the check."
        )
    else:
        inference, draws, comparison = "time_series", 0, 0
        warnings.append(
            "An interrupted time series has no comparison: anything else that changed the "
            "same week would look like the pilot's effect. It cannot support a confident "
            "conclusion on its own."
        )
    confident = inference in ("randomisation", "wild_cluster_bootstrap")
    if not confident:
        if inference == "none":
            warnings.insert(0, "This design cannot support a confident conclusion: " + _short(c))
        warnings += what_would(c)
    return Recommendation(
        design=design,
        why=_why(design, c),
        inference=inference,
        warnings=tuple(warnings),
        confident=confident,
        assignments=draws,
        comparison_areas=comparison,
        registry=registry_for(design, c),
    )


def _short(c: Constraints) -> str:
    """Why neither randomisation inference nor a wild cluster bootstrap is open to ``c``."""
    return (
        f"with {c.pilot_areas} pilot area(s) among {c.areas_available} there are "
        f"{area_assignments(c.areas_available, c.pilot_areas)} possible choices of pilot areas "
        f"(a 5% test needs {MIN_ASSIGNMENTS}), and a wild cluster bootstrap needs "
        f"{MIN_CLUSTERS} pilot and {MIN_CLUSTERS} comparison areas."
    )


def registry_for(design: Design, c: Constraints) -> str:
    """Where to pre-register: the AEA RCT Registry for a randomised design, else OSF."""
    randomised = design == "randomised" or (design == "stepped" and c.can_randomise)
    return "AEA RCT Registry" if randomised else "OSF preregistration"


def _why(design: Design, c: Constraints) -> str:
    reasons = {
        "randomised": (
            f"The responder's days or shifts can be drawn at random: {c.draws} "
            f"{'shifts' if c.shifts_per_day > 1 else 'days'} in {c.weeks} weeks give a fair "
            "comparison with nothing but chance between them, the strongest design there is."
        ),
        "stepped": (
            f"Only {c.start_at_once} of the {c.pilot_areas} pilot areas can start at once, so the "
            f"rollout takes {c.waves} steps and the areas still waiting compare with those started."
        ),
        "did": (
            f"The pilot runs in {c.pilot_areas} of {c.areas_available} areas and starts everywhere "
            f"at once; of the {c.comparison} other areas, those whose history tracks the pilot "
            "areas' show what would have happened without it."
        ),
        "synthetic": (
            f"One pilot area among {c.areas_available}: a blend of the {c.comparison} others, "
            "weighted to match its weeks before the pilot, compares more closely than any one."
        ),
        "its": (
            "The pilot covers every area, so there is no area to compare with: the weeks before "
            "the pilot, extended past its start, are the only comparison."
        ),
    }
    return reasons[design]


def recommend(c: Constraints) -> Recommendation:
    """The design that fits ``c`` best, most credible first: randomisation by shift when
    shifts can be drawn; a stepped rollout when the pilot areas cannot all start at once;
    synthetic control for one pilot area with several others to blend; difference-in-
    differences when other areas remain; an interrupted time series when none does."""
    if c.can_randomise:
        return assess("randomised", c)
    if c.waves >= 2:
        return assess("stepped", c)
    if c.pilot_areas == 1 and c.comparison >= MIN_CLUSTERS:
        return assess("synthetic", c)
    if c.comparison >= 1:
        return assess("did", c)
    return assess("its", c)


def weekly_counts(
    calls: pd.DataFrame,
    call_types: Iterable[str],
    before: date,
    hours: Iterable[int] | None = None,
) -> pd.DataFrame:
    """Calls of ``call_types`` per week (rows, Mondays) and area (columns) before ``before``;
    weeks with no calls count 0. Only ``hours`` of the day, when given, as the pilot's."""
    received = calls["received_at"]
    cutoff = pd.Timestamp(before, tz=received.dt.tz)
    keep = calls["call_type"].astype("string").isin(list(call_types)) & (received < cutoff)
    if hours is not None:
        keep &= received.dt.hour.isin(list(hours))
    chosen = calls.loc[keep, ["received_at", "area"]]
    if chosen.empty:
        raise KitError(
            "There are no calls of the pilot's types before its start, so no history to compare "
            "areas on: choose a later start or other call types."
        )
    local = chosen["received_at"].dt.tz_localize(None)
    week = (local - pd.to_timedelta(local.dt.day_of_week, unit="D")).dt.normalize()
    table = (
        pd.DataFrame({"week": week, "area": chosen["area"].astype("string").fillna("")})
        .value_counts()
        .unstack("area", fill_value=0)
    )
    weeks = pd.date_range(table.index.min(), table.index.max(), freq="7D", name="week")
    return table.reindex(weeks, fill_value=0).sort_index(axis=1)


def comparison_areas(
    weekly: pd.DataFrame, pilot_areas: Iterable[str], weeks_per_period: int = PERIOD_WEEKS
) -> pd.DataFrame:
    """How closely each other area's calls tracked the pilot areas' before the pilot.

    Weekly counts of a few calls are mostly chance, so the series compared are totals over
    ``weeks_per_period`` weeks (the most recent whole periods; weekly when that leaves fewer
    than three). ``correlation`` is Pearson's of those totals; ``rmse`` the root mean square
    gap of the two series each divided by its own mean (so a small area can track a big
    one), in units of an average period. Closest first; an area with no calls cannot track
    anything and comes last.
    """
    periods = len(weekly) // weeks_per_period
    if periods >= MIN_PERIODS:
        recent = weekly.iloc[len(weekly) - periods * weeks_per_period :]
        weekly = recent.groupby(np.arange(len(recent)) // weeks_per_period).sum()
    pilot = list(pilot_areas)
    target = weekly.reindex(columns=pilot, fill_value=0).sum(axis=1).astype(float)
    rows = []
    for area in weekly.columns.difference(pilot, sort=False):
        series = weekly[area].astype(float)
        both = target.std() > 0 and series.std() > 0
        correlation = float(np.corrcoef(target, series)[0, 1]) if both else math.nan
        scaled = series / series.mean() if series.mean() > 0 else series * math.nan
        rmse = float(np.sqrt(((scaled - target / target.mean()) ** 2).mean()))
        rows.append({"area": area, "correlation": correlation, "rmse": rmse})
    found = pd.DataFrame(rows, columns=["area", "correlation", "rmse"])
    return found.sort_values(["rmse", "area"], na_position="last", ignore_index=True)


def choose_comparisons(matches: pd.DataFrame, needed: int = 1) -> list[str]:
    """The areas that track the pilot areas (correlation of at least 0.5), closest first, and
    never fewer than ``needed`` (the closest others make up the number)."""
    tracking = matches[matches["correlation"] >= MIN_CORRELATION]
    chosen = list(tracking["area"])
    rest = [a for a in matches.dropna(subset=["rmse"])["area"] if a not in chosen]
    return chosen + rest[: max(0, needed - len(chosen))]
