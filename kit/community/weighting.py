"""Weighting survey respondents to who lives in the jurisdiction, and means with honest intervals.

A voluntary survey hears more from some areas and groups than others. Raking (iterative
proportional fitting, done by the ipfn library) gives each respondent a weight so that the
weighted respondents match the profile's residents by area and, separately, by group.
Weights are scaled to mean 1, trimmed at five times the mean so no handful of people
speaks for a whole group, then raked again; when raking puts the weight back on the same
few people round after round, the cap wins and a note says whose share falls short.

A mean's 95% interval comes from Taylor linearisation with the weights (a with-replacement,
single-stage design): the variance of a weighted mean is that of the weighted residuals.
The residuals are taken after the area and group margins are fitted (as for a generalised
regression estimator), because raking already pins those margins: leaving that out makes
intervals too wide whenever answers differ by area or group.
"""

from __future__ import annotations

import contextlib
import io
from dataclasses import dataclass, field
from typing import Final

import numpy as np
import pandas as pd
from ipfn import ipfn

from kit.community.survey import GROUP_COLUMN, GROUP_NAMES, GROUP_SHARES, NOT_SAID
from kit.errors import KitError
from kit.profile import Profile

TRIM_AT: Final = 5.0  # largest weight, in multiples of the mean weight
Z_95: Final = 1.959963984540054  # two-sided 95% normal quantile
_CONVERGENCE: Final = 1e-10  # largest relative gap left between a weighted margin and its target
_MAX_ITERATIONS: Final = 1_000
_UNMET: Final = (
    "The respondents' areas and groups cannot all be matched to the residents at once (too "
    "few people in some areas and groups): the weights come as close as raking can."
)
_TRIM_ROUNDS: Final = 20  # trim-then-rake rounds before the cap wins over the margins


@dataclass(frozen=True)
class Targets:
    """Residents by area and by group: what the weighted respondents should look like."""

    areas: pd.Series  # area name -> residents
    groups: pd.Series  # group key (GROUP_SHARES) -> residents

    @classmethod
    def from_profile(cls, profile: Profile) -> Targets:
        """Area populations, and group counts summed over areas from their shares."""
        if not profile.areas:
            raise KitError(
                "The profile has no areas: import them (kit import areas WORKSPACE FILE) so "
                "the survey can be weighted to who lives where."
            )
        areas = pd.Series({a.name: float(a.population) for a in profile.areas})
        groups = pd.Series(
            {
                key: sum(a.population * getattr(a, share) for a in profile.areas)
                for key, share in GROUP_SHARES.items()
            }
        )
        return cls(areas=areas, groups=groups)


@dataclass(frozen=True)
class Weighting:
    """Each respondent's weight (mean 1) and what the weighting had to leave out."""

    weights: np.ndarray
    design: np.ndarray  # the area and group indicators the weights were raked to
    trimmed: int  # respondents whose weight was cut at TRIM_AT
    notes: list[str] = field(default_factory=list)

    @property
    def design_effect(self) -> float:
        """Kish's design effect of unequal weights: n sum(w^2) / sum(w)^2."""
        w = self.weights
        return float(len(w) * np.sum(w**2) / np.sum(w) ** 2) if len(w) else float("nan")

    @property
    def effective_n(self) -> float:
        """The number of equally weighted respondents worth as much as these (Kish)."""
        w = self.weights
        return float(np.sum(w) ** 2 / np.sum(w**2)) if len(w) else 0.0


def rake_table(table: np.ndarray, rows: np.ndarray, columns: np.ndarray) -> tuple[np.ndarray, bool]:
    """A two-way table of (weighted) counts fitted to row and column totals by IPF, and
    whether it met them (it cannot when the table's empty cells leave no way to).

    The margins must have the same total and no zero where the table has a non-zero
    line. ipfn prints when it stops early; that note is kept out of the output.
    """
    fit = ipfn.ipfn(
        np.asarray(table, dtype=float).copy(),
        [np.asarray(rows, dtype=float), np.asarray(columns, dtype=float)],
        [[0], [1]],
        convergence_rate=_CONVERGENCE,
        max_iteration=_MAX_ITERATIONS,
        rate_tolerance=0.0,
    )
    with contextlib.redirect_stdout(io.StringIO()):
        fitted = np.asarray(fit.iteration())
    # ipfn also stops when its progress stalls, so whether the margins are met is checked here.
    met = np.allclose(fitted.sum(axis=1), rows, rtol=1e-6) and np.allclose(
        fitted.sum(axis=0), columns, rtol=1e-6
    )
    return fitted, bool(met)


def _rake(
    base: np.ndarray,
    area: np.ndarray,
    group: np.ndarray,
    rows: np.ndarray,
    columns: np.ndarray,
    notes: list[str],
) -> np.ndarray:
    """Respondents' base weights raked: each cell's weights scale by the cell's IPF factor,
    scaled to mean 1. Margins that cannot all be met leave a note."""
    table = np.zeros((len(rows), len(columns)))
    np.add.at(table, (area, group), base)
    fitted, converged = rake_table(table, rows, columns)
    if not converged and _UNMET not in notes:
        notes.append(_UNMET)
    factor = np.divide(fitted, table, out=np.ones_like(fitted), where=table > 0)
    weights = base * factor[area, group]
    return weights * len(weights) / weights.sum()


def _codes(values: np.ndarray, names: list[str]) -> np.ndarray:
    """Each value's position in ``names`` (every value is one of them)."""
    position = {name: i for i, name in enumerate(names)}
    return np.fromiter((position[v] for v in values), dtype=np.intp, count=len(values))


def _capped(weights: np.ndarray) -> np.ndarray:
    """Weights of mean 1 cut at TRIM_AT; rescaling after a cut can lift others over, so repeat."""
    w = weights * len(weights) / weights.sum()
    for _ in range(_MAX_ITERATIONS):
        if w.max() <= TRIM_AT * (1 + 1e-9):
            break
        w = np.minimum(w, TRIM_AT)
        w *= len(w) / w.sum()
    return w


def _group_margin(
    group: np.ndarray, by_group: dict[str, float], notes: list[str]
) -> tuple[list[str], np.ndarray, np.ndarray]:
    """The group margin's categories, each respondent's category and the target totals.

    Those who did not say, and those of a group the targets give no residents, form one
    category held at its own share of respondents (so they are weighted on area alone);
    the groups share the rest in the residents' proportions.
    """
    seen = set(group)
    keys = [g for g in GROUP_SHARES if g in seen and by_group.get(g, 0) > 0]
    unplaced = [GROUP_NAMES[g] for g in GROUP_SHARES if g in seen and g not in keys]
    if unplaced:
        notes.append(
            f"The profile's areas have no {', '.join(unplaced)} residents, so respondents who "
            "said they were are weighted on their area alone; check the areas' shares."
        )
    said = np.isin(group, keys)
    absent = [GROUP_NAMES[g] for g in GROUP_SHARES if g not in seen and by_group.get(g)]
    if absent and said.any():
        notes.append(
            f"No respondent said they were {', '.join(absent)}: the weights cannot stand in "
            "for them."
        )
    if not said.any():
        notes.append("No respondent said their group: the weights match the areas only.")
    n, n_said = len(group), int(said.sum())
    columns = keys + ([NOT_SAID] if n_said < n else [])
    shares = np.array([by_group[g] for g in keys], dtype=float)
    totals = shares / shares.sum() * n_said if n_said else shares
    if n_said < n:
        totals = np.append(totals, n - n_said)
    return columns, _codes(np.where(said, group, NOT_SAID), columns), totals


def weigh(respondents: pd.DataFrame, targets: Targets) -> Weighting:
    """Rake respondents (columns ``area`` and ``group``) to the targets, trim, rake again.

    Respondents who did not say their group are weighted on their area alone: their
    group margin is held at their own share of respondents, and the five groups share
    the rest in the residents' proportions. Areas or groups with no respondent cannot
    be weighted up from nobody; they are left out of the targets and named in ``notes``.
    """
    n = len(respondents)
    notes: list[str] = []
    if n == 0:
        return Weighting(np.zeros(0), np.zeros((0, 0)), 0, notes)
    area = respondents["area"].to_numpy(dtype=object)
    group = respondents[GROUP_COLUMN].to_numpy(dtype=object)
    seen_areas = set(area)
    residents = targets.areas.to_dict()
    stray = sorted(seen_areas - set(residents))
    if stray:
        raise KitError(
            f"Survey areas {', '.join(map(repr, stray))} are not in the profile; import the "
            "survey again after fixing its areas or the profile's."
        )
    area_names = [a for a in residents if a in seen_areas]
    missing = [a for a in residents if a not in seen_areas]
    if missing:
        notes.append(
            f"No respondent lives in {', '.join(missing)}: the weighted figures speak for the "
            "other areas only."
        )
    columns, group_code, group_totals = _group_margin(group, targets.groups.to_dict(), notes)
    area_code = _codes(area, area_names)
    rows = np.array([residents[a] for a in area_names], dtype=float)
    rows = rows / rows.sum() * n
    weights = _rake(np.ones(n), area_code, group_code, rows, group_totals, notes)
    trimmed = int(np.sum(weights > TRIM_AT))
    for _ in range(_TRIM_ROUNDS):
        if weights.max() <= TRIM_AT * (1 + 1e-6):
            break
        weights = _rake(_capped(weights), area_code, group_code, rows, group_totals, notes)
    else:
        # Raking keeps putting the weight back on a few people: keep the cap, lose some fit.
        weights = _capped(weights)
        short = [
            GROUP_NAMES.get(key, key)
            for j, key in enumerate(columns)
            if weights[group_code == j].sum() < group_totals[j] * 0.99
        ]
        notes.append(
            f"Too few respondents are {', '.join(short) or 'in some areas'} to stand for all "
            f"of them without weights over {TRIM_AT:g} times the mean: their weights were "
            "capped, so the weighted figures still under-represent them."
        )
    design = np.hstack(
        [np.eye(len(area_names))[area_code], np.eye(len(columns))[group_code][:, 1:]]
    )
    return Weighting(weights, design, trimmed, notes)


@dataclass(frozen=True)
class Estimate:
    """A weighted mean with its 95% interval, beside the plain mean of the same answers."""

    mean: float
    low: float
    high: float
    mean_unweighted: float
    respondents: int  # people who answered

    def to_document(self) -> dict[str, float | int | None]:
        """JSON-ready numbers (NaN, where nobody answered, as null)."""

        def clean(x: float) -> float | None:
            return None if np.isnan(x) else round(float(x), 4)

        return {
            "mean": clean(self.mean),
            "low": clean(self.low),
            "high": clean(self.high),
            "mean_unweighted": clean(self.mean_unweighted),
            "respondents": self.respondents,
        }


def weighted_mean(
    values: np.ndarray,
    weights: np.ndarray,
    design: np.ndarray | None = None,
    within: np.ndarray | None = None,
) -> Estimate:
    """The weighted mean of ``values`` (NaN = skipped) and its linearised 95% interval.

    ``within`` restricts the mean to a domain (an area, a group) while the variance is
    still taken over all respondents, as a domain estimate must be. ``design`` holds the
    indicators the weights were raked to; their fitted part is taken out of the residuals.
    """
    values = np.asarray(values, dtype=float)
    answered = ~np.isnan(values)
    if within is not None:
        answered &= np.asarray(within, dtype=bool)
    count = int(answered.sum())
    nan = float("nan")
    if count == 0:
        return Estimate(nan, nan, nan, nan, 0)
    y = np.where(answered, values, 0.0)
    w = np.asarray(weights, dtype=float)
    total = np.sum(w * answered)
    mean = float(np.sum(w * y) / total)
    plain = float(values[answered].mean())
    if count < 2:
        return Estimate(mean, nan, nan, plain, count)
    residual = answered * (y - mean) / total
    if design is not None and design.size:
        root = np.sqrt(w)
        fitted, *_ = np.linalg.lstsq(design * root[:, None], root * residual, rcond=None)
        residual = residual - design @ fitted
    n = len(w)
    variance = n / (n - 1) * np.sum((w * residual) ** 2)
    half = Z_95 * float(np.sqrt(variance))
    return Estimate(mean, mean - half, mean + half, plain, count)


def estimate(column: pd.Series, weighting: Weighting, within: np.ndarray | None = None) -> Estimate:
    """:func:`weighted_mean` of one answer column of the weighted respondents."""
    values = pd.to_numeric(column, errors="coerce").astype("float64").to_numpy()
    return weighted_mean(values, weighting.weights, weighting.design, within)
