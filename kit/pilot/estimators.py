"""The pilot's effect on weekly counts, one function per design, one result type.

Every estimator works on the small area-by-week panel (:func:`kit.pilot.panel.calls_panel`),
never on call rows, and models counts as Poisson, which copes with weeks that have no
calls. Effects are on the scale exp(b) - 1: -0.3 means 30% fewer.

With few areas the usual cluster-robust intervals are far too narrow, so the inference is
chosen from the areas (:func:`choose_inference`) and named in the result:

- a wild cluster (score) bootstrap when at least five areas are in the pilot
  (Kline and Santos 2012, "A Score Based Approach to Wild Bootstrap Inference", Journal of
  Econometric Methods 1(1); Webb's six-point weights for few clusters, Webb 2023, Canadian
  Journal of Economics 56(3)). The wild-bootstrap libraries bootstrap linear models only, so
  the score version for the Poisson fit is a few lines here;
- randomisation inference when the areas allow at least 40 distinct choices of pilot areas:
  the same estimator run with the pilot placed on other sets of comparison areas gives the
  spread of estimates when nothing happened (Conley and Taber 2011, Review of Economics and
  Statistics 93(1)); with 10 areas and 1 pilot area the smallest p-value would be 0.1;
- otherwise the model's own interval is shown, marked as not enough for a confident
  conclusion, with what would make one possible.
"""

from __future__ import annotations

import functools
import itertools
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Final, ParamSpec, TypeVar

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import optimize, stats
from threadpoolctl import threadpool_limits

from kit.errors import KitError

MIN_ASSIGNMENTS: Final = 40  # distinct choices of pilot areas for randomisation inference
MIN_BOOTSTRAP_AREAS: Final = 5  # pilot areas for a wild cluster bootstrap
MAX_PLACEBOS: Final = 100  # placebo assignments drawn when there are more
BOOTSTRAP_DRAWS: Final = 999
PERIOD_WEEKS: Final = 4  # the event study's periods
Z95: Final = float(stats.norm.ppf(0.975))

RANDOMISATION: Final = "randomisation inference"
BOOTSTRAP: Final = "wild cluster bootstrap"
MODEL_ONLY: Final = "model-based only (too few areas for a confident conclusion)"
NEWEY_WEST: Final = "Newey-West (HAC) intervals"

P = ParamSpec("P")
R = TypeVar("R")

# Webb's six-point weights: mean 0, variance 1, many distinct draws with few clusters.
_WEBB: Final = np.concatenate([-np.sqrt([1.5, 1.0, 0.5]), np.sqrt([0.5, 1.0, 1.5])])


def single_threaded(func: Callable[P, R]) -> Callable[P, R]:
    """Run with one BLAS thread: on matrices this small, threads only fight over the cores."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with threadpool_limits(limits=1, user_api="blas"):
            return func(*args, **kwargs)

    return wrapper


@dataclass(frozen=True)
class PeriodEffect:
    """The effect in one period relative to the pilot's start (-1 is the reference)."""

    period: int
    effect: float
    low: float
    high: float


@dataclass(frozen=True)
class Estimate:
    """One design's estimate of the pilot's effect, with how its interval was made."""

    method: str
    inference: str
    effect: float
    low: float
    high: float
    p_value: float | None
    comparison_areas: tuple[str, ...]
    weeks_before: int
    weeks_after: int
    confident: bool
    advice: str
    periods: tuple[PeriodEffect, ...] = ()

    def as_dict(self) -> dict[str, object]:
        """JSON-ready: the shape `kit evaluate --json` prints."""
        out = asdict(self)
        out["comparison_areas"] = list(self.comparison_areas)
        out["periods"] = [asdict(p) for p in self.periods]
        return out


@dataclass(frozen=True)
class Grid:
    """Counts as a matrix: one row per area, one column per week (the panel, pivoted once)."""

    areas: tuple[str, ...]
    weeks: pd.DatetimeIndex
    counts: np.ndarray

    def rows(self, names: Sequence[str]) -> np.ndarray:
        """Row positions of areas, refusing names the panel does not have."""
        index = {a: i for i, a in enumerate(self.areas)}
        unknown = [n for n in names if n not in index]
        if unknown:
            raise KitError(
                f"No calls in area {', '.join(map(str, unknown))}: choose among "
                f"{', '.join(self.areas)}."
            )
        return np.array([index[n] for n in names], dtype=int)

    def column(self, start: object) -> int:
        """The first week on or after ``start``, which must leave weeks on both sides."""
        when = pd.Timestamp(start)  # type: ignore[arg-type]
        if self.weeks.tz is not None and when.tz is None:
            when = when.tz_localize(self.weeks.tz)
        col = int(self.weeks.searchsorted(when))
        if col <= 0 or col >= len(self.weeks):
            raise KitError(
                f"The start {when.date()} leaves no weeks before or after it: the calls run "
                f"from {self.weeks[0].date()} to {self.weeks[-1].date()}."
            )
        return col


def grid(panel: pd.DataFrame, value: str = "calls") -> Grid:
    """Pivot a long panel (area, week, value) to a :class:`Grid`; missing cells are 0."""
    missing = {"area", "week", value} - set(panel.columns)
    if missing:
        raise KitError(f"The panel lacks the column(s) {', '.join(sorted(missing))}.")
    if panel.empty:
        raise KitError("There are no calls of the chosen types to estimate from.")
    wide = panel.pivot_table(
        index="area", columns="week", values=value, aggfunc="sum", fill_value=0, observed=True
    )
    weeks = pd.DatetimeIndex(wide.columns)
    return Grid(tuple(map(str, wide.index)), weeks, wide.to_numpy(dtype=float))


# --- the fit --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Fit:
    """A Poisson fit's pieces that every kind of inference needs."""

    params: np.ndarray
    exog: np.ndarray
    resid: np.ndarray  # y - mu
    mu: np.ndarray
    cov: np.ndarray  # quasi-Poisson: scaled by the Pearson dispersion
    groups: np.ndarray  # the area of each row


def _dummies(codes: np.ndarray) -> np.ndarray:
    """One column per level but the first."""
    levels, inverse = np.unique(codes, return_inverse=True)
    return np.eye(len(levels))[inverse][:, 1:]


def _poisson(
    y: np.ndarray, exog: np.ndarray, groups: np.ndarray, offset: np.ndarray | None = None
) -> Fit:
    """statsmodels' GLM Poisson fit (IRLS), scale from the Pearson chi-square."""
    model = sm.GLM(y, exog, family=sm.families.Poisson(), offset=offset)
    result = model.fit(scale="X2", maxiter=30)
    mu = np.asarray(result.mu)
    return Fit(np.asarray(result.params), exog, y - mu, mu, np.asarray(result.cov_params()), groups)


def fe_fit(counts: np.ndarray, treatment: np.ndarray, exposure: np.ndarray | None = None) -> Fit:
    """Poisson with area and week fixed effects and treatment columns (area-major rows).

    ``exposure`` (optional, same shape as ``counts``) makes it a model of a mean per unit
    (minutes per call: the minutes summed, the calls as exposure). Cells with no exposure,
    and areas or weeks with no calls at all, carry no information on the effect and would
    send their fixed effect to minus infinity, so they are left out, as fixest does.
    """
    n_areas, n_weeks = counts.shape
    y = counts.ravel()
    area = np.repeat(np.arange(n_areas), n_weeks)
    week = np.tile(np.arange(n_weeks), n_areas)
    keep = np.ones(y.size, dtype=bool) if exposure is None else exposure.ravel() > 0
    kept = np.where(keep, y, 0.0)
    keep &= (np.bincount(area, kept, n_areas) > 0)[area]
    keep &= (np.bincount(week, kept, n_weeks) > 0)[week]
    t = treatment.reshape(y.size, -1)[keep]
    if not t.any(axis=0).all() or t.all(axis=0).any():
        raise KitError(
            "The pilot areas have no calls of these types in the weeks compared: choose more "
            "weeks, more areas or more call types."
        )
    exog = np.column_stack([np.ones(keep.sum()), _dummies(area[keep]), _dummies(week[keep]), t])
    offset = None if exposure is None else np.log(exposure.ravel()[keep])
    return _poisson(y[keep], exog, np.unique(area[keep], return_inverse=True)[1], offset)


def contrast(fit: Fit, weights: np.ndarray) -> tuple[float, float]:
    """A weighted sum of the treatment coefficients (the last columns) and its model SE."""
    c = np.zeros(len(fit.params))
    c[-len(weights) :] = weights
    return float(c @ fit.params), float(math.sqrt(c @ fit.cov @ c))


def score_draws(fit: Fit, weights: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Draws of the contrast's error from each area's score reweighted at random.

    One Newton step from the fit with each area's score multiplied by a Webb weight: the
    Kline-Santos score bootstrap, which needs no refit.
    """
    c = np.zeros(len(fit.params))
    c[-len(weights) :] = weights
    info = fit.exog.T @ (fit.exog * fit.mu[:, None])
    a = np.linalg.lstsq(info, c, rcond=None)[0]
    per_row = (fit.exog @ a) * fit.resid
    n_groups = int(fit.groups.max()) + 1
    scores = np.bincount(fit.groups, per_row, minlength=n_groups)
    scores *= math.sqrt(n_groups / (n_groups - 1))
    return rng.choice(_WEBB, size=(BOOTSTRAP_DRAWS, n_groups)) @ scores


# --- inference ------------------------------------------------------------------------------


def assignments(n_areas: int, n_pilot: int) -> int:
    """How many distinct sets of pilot areas the areas allow."""
    return math.comb(n_areas, n_pilot)


def choose_inference(n_areas: int, n_pilot: int) -> str:
    """The inference the areas support: bootstrap, randomisation, or model-based only."""
    if n_pilot >= MIN_BOOTSTRAP_AREAS and n_areas - n_pilot >= 1:
        return BOOTSTRAP
    if assignments(n_areas, n_pilot) >= MIN_ASSIGNMENTS:
        return RANDOMISATION
    return MODEL_ONLY


def few_areas_advice(n_areas: int, n_pilot: int) -> str:
    """Plain words on what would support a confident conclusion, or "" when the areas do."""
    if choose_inference(n_areas, n_pilot) != MODEL_ONLY:
        return ""
    return (
        f"With {n_pilot} pilot area(s) among {n_areas}, there are only "
        f"{assignments(n_areas, n_pilot)} ways to choose the pilot areas, fewer than the "
        f"{MIN_ASSIGNMENTS} a test needs, and fewer than {MIN_BOOTSTRAP_AREAS} pilot areas for a "
        "bootstrap: the result cannot support a confident conclusion. Use more areas (smaller "
        "ones, such as beats), more pilot areas, or randomise the new response by shift or day."
    )


def placebo_sets(
    comparison: Sequence[int], n_pilot: int, rng: np.random.Generator
) -> list[tuple[int, ...]]:
    """Every set of ``n_pilot`` comparison areas, or a seeded draw of MAX_PLACEBOS of them."""
    total = math.comb(len(comparison), n_pilot)
    if total <= MAX_PLACEBOS:
        return list(itertools.combinations(comparison, n_pilot))
    return [
        tuple(sorted(rng.choice(comparison, n_pilot, replace=False).tolist()))
        for _ in range(MAX_PLACEBOS)
    ]


def _interval(
    b: float, spread: float, p_value: float | None, inference: str
) -> tuple[float, float, float, float | None]:
    """Effect and interval on the exp(b) - 1 scale from a log-scale estimate and half-width."""
    if p_value is None:
        p_value = float(2 * stats.norm.sf(abs(b) / spread)) if spread > 0 else None
    return math.expm1(b), math.expm1(b - spread), math.expm1(b + spread), p_value


def _placebo_spread(
    estimate: Callable[[np.ndarray, Sequence[int], np.ndarray | None], float],
    counts: np.ndarray,
    pilot: Sequence[int],
    rng: np.random.Generator,
    exposure: np.ndarray | None = None,
) -> np.ndarray:
    """The estimator's results with the pilot placed on other sets of comparison areas only."""
    comparison = [i for i in range(counts.shape[0]) if i not in set(pilot)]
    sub = counts[comparison]
    sub_exposure = None if exposure is None else exposure[comparison]
    out = []
    for chosen in placebo_sets(range(len(comparison)), len(pilot), rng):
        try:
            out.append(estimate(sub, chosen, sub_exposure))
        except KitError:  # a placebo area with no calls in the weeks compared
            continue
    return np.asarray(out)


def placebo_scale(t_stats: np.ndarray) -> float:
    """How much wider than the model's the interval must be: the placebo t-statistics' spread.

    Never below 1: a few dozen placebos cannot show that the model's interval is too wide.
    """
    return max(1.0, float(np.std(t_stats, ddof=1)))


def summarise(
    b: float,
    *,
    inference: str,
    model_se: float,
    placebos: np.ndarray | None = None,
    draws: np.ndarray | None = None,
) -> tuple[float, float, float, float | None]:
    """Effect, low, high and p-value from a log-scale estimate under the chosen inference."""
    if inference == RANDOMISATION and placebos is not None and len(placebos) > 1:
        # ``placebos`` are t-statistics: studentised, so that placebo areas larger or smaller
        # than the pilot's do not widen or narrow its interval (Chung and Romano 2013,
        # "Exact and asymptotically robust permutation tests", Annals of Statistics 41(2)).
        se = model_se * placebo_scale(placebos)
        p = float((1 + np.sum(np.abs(placebos) >= abs(b / model_se))) / (1 + len(placebos)))
        return _interval(b, Z95 * se, p, inference)
    if inference == BOOTSTRAP and draws is not None:
        # Never narrower than the model's own interval: with ten or so areas the bootstrap's
        # scores, taken at the fit, understate the spread (it covered 87% in our checks).
        half = max(float(np.quantile(np.abs(draws), 0.95)), Z95 * model_se)
        p = float((1 + np.sum(np.abs(draws) >= abs(b))) / (1 + len(draws)))
        return _interval(b, half, p, inference)
    return _interval(b, Z95 * model_se, None, inference)


# --- designs --------------------------------------------------------------------------------


def did_treatment(shape: tuple[int, int], pilot: Sequence[int], col: int) -> np.ndarray:
    d = np.zeros(shape)
    d[np.asarray(pilot, dtype=int), col:] = 1.0
    return d.reshape(-1, 1)


def did_t(
    counts: np.ndarray, pilot: Sequence[int], col: int, exposure: np.ndarray | None = None
) -> float:
    """The difference-in-differences estimate's t-statistic alone (placebos)."""
    b, se = contrast(fe_fit(counts, did_treatment(counts.shape, pilot, col), exposure), np.ones(1))
    return b / se


def _event_periods(counts: np.ndarray, pilot: np.ndarray, col: int) -> tuple[PeriodEffect, ...]:
    """Effects per period of PERIOD_WEEKS weeks around the start, the period before as base."""
    rel = (np.arange(counts.shape[1]) - col) // PERIOD_WEEKS
    periods = [int(p) for p in np.unique(rel) if p != -1]
    cols = np.zeros((*counts.shape, len(periods)))
    for j, p in enumerate(periods):
        cols[np.ix_(pilot, rel == p, [j])] = 1.0
    try:
        fit = fe_fit(counts, cols.reshape(counts.size, -1))
    except KitError:
        return ()
    se = np.sqrt(np.diag(fit.cov))[-len(periods) :]
    b = fit.params[-len(periods) :]
    return tuple(
        PeriodEffect(p, math.expm1(v), math.expm1(v - Z95 * s), math.expm1(v + Z95 * s))
        for p, v, s in zip(periods, b, se, strict=True)
    )


@single_threaded
def did(
    panel: pd.DataFrame | Grid,
    pilot_areas: Sequence[str],
    start: object,
    *,
    value: str = "calls",
    exposure: str | None = None,
    event_study: bool = False,
    seed: int = 0,
) -> Estimate:
    """Difference-in-differences: Poisson with area and week fixed effects.

    Every area not in the pilot is a comparison area; the weeks are those of the panel.
    ``value`` is the panel's column to model; with ``exposure`` (a column of the long panel)
    the model is of ``value`` per unit of exposure: ``value="response_minutes",
    exposure="responses"`` estimates the change in mean response time.
    """
    g = panel if isinstance(panel, Grid) else grid(panel, value)
    weights = None
    if exposure is not None and not isinstance(panel, Grid):
        weights = grid(panel, exposure).counts
    pilot = g.rows(pilot_areas)
    col = g.column(start)
    if len(pilot) >= len(g.areas):
        raise KitError("Every area is in the pilot: leave some areas out to compare with.")
    rng = np.random.default_rng(seed)
    fit = fe_fit(g.counts, did_treatment(g.counts.shape, pilot, col), weights)
    b, model_se = contrast(fit, np.ones(1))
    inference = choose_inference(len(g.areas), len(pilot))
    placebos = draws = None
    if inference == RANDOMISATION:
        placebos = _placebo_spread(
            lambda c, p, e: did_t(c, p, col, e), g.counts, pilot, rng, weights
        )
    elif inference == BOOTSTRAP:
        draws = score_draws(fit, np.ones(1), rng)
    numbers = summarise(b, inference=inference, model_se=model_se, placebos=placebos, draws=draws)
    periods = _event_periods(g.counts, pilot, col) if event_study else ()
    return _estimate("did", g, pilot, col, inference, numbers, periods=periods)


def _estimate(
    method: str,
    g: Grid,
    pilot: Sequence[int],
    first: int,
    inference: str,
    numbers: tuple[float, float, float, float | None],
    *,
    periods: tuple[PeriodEffect, ...] = (),
) -> Estimate:
    """The result of an estimator comparing the pilot areas with all the others."""
    effect, low, high, p = numbers
    return Estimate(
        method=method,
        inference=inference,
        effect=effect,
        low=low,
        high=high,
        p_value=p,
        comparison_areas=tuple(a for i, a in enumerate(g.areas) if i not in set(pilot)),
        weeks_before=first,
        weeks_after=len(g.weeks) - first,
        confident=inference != MODEL_ONLY,
        advice=few_areas_advice(len(g.areas), len(pilot)),
        periods=periods,
    )


def cohort_treatment(
    shape: tuple[int, int], starts: Mapping[int, int]
) -> tuple[np.ndarray, np.ndarray]:
    """One post-start column per cohort (areas starting the same week) and their weights.

    Cohort-specific effects keep a staggered Poisson fit free of the bias that one pooled
    effect has when effects differ by cohort (Wooldridge 2023, "Simple approaches to
    nonlinear difference-in-differences with panel data", Econometrics Journal 26(3)).
    The overall effect weights cohorts by their treated area-weeks.
    """
    cohorts = sorted(set(starts.values()))
    cols = np.zeros((*shape, len(cohorts)))
    for area, start in starts.items():
        cols[area, start:, cohorts.index(start)] = 1.0
    weight = cols.sum(axis=(0, 1))
    return cols.reshape(shape[0] * shape[1], -1), weight / weight.sum()


def _stepped_point(counts: np.ndarray, starts: Mapping[int, int]) -> tuple[Fit, np.ndarray]:
    cols, weights = cohort_treatment(counts.shape, starts)
    return fe_fit(counts, cols), weights


@single_threaded
def stepped(
    panel: pd.DataFrame | Grid,
    starts: Mapping[str, object],
    *,
    seed: int = 0,
) -> Estimate:
    """Staggered adoption (stepped wedge): each area starts in its own week.

    Areas not in ``starts`` never start and are comparison areas; randomisation inference
    shuffles which area starts when (Fisher's test of no effect, its spread as the interval).
    """
    g = panel if isinstance(panel, Grid) else grid(panel)
    rows = g.rows(list(starts))
    cols = {int(r): g.column(s) for r, s in zip(rows, starts.values(), strict=True)}
    if len(set(cols.values())) == 1 and len(cols) == len(g.areas):
        raise KitError("Every area starts the same week: stagger the starts or keep areas out.")
    rng = np.random.default_rng(seed)
    fit, weights = _stepped_point(g.counts, cols)
    b, model_se = contrast(fit, weights)
    n_pilot = len(cols)
    inference = choose_inference(len(g.areas), n_pilot)
    placebos = draws = None
    if inference == RANDOMISATION:
        order = np.full(len(g.areas), -1)
        order[list(cols)] = list(cols.values())
        shuffled = []
        for _ in range(MAX_PLACEBOS):
            perm = rng.permutation(order)
            new = {int(i): int(s) for i, s in enumerate(perm) if s >= 0}
            try:
                f, w = _stepped_point(g.counts, new)
            except KitError:
                continue
            pb, pse = contrast(f, w)
            shuffled.append(pb / pse)
        placebos = np.asarray(shuffled)
    elif inference == BOOTSTRAP:
        draws = score_draws(fit, weights, rng)
    numbers = summarise(b, inference=inference, model_se=model_se, placebos=placebos, draws=draws)
    return _estimate("stepped", g, list(cols), min(cols.values()), inference, numbers)


def synthetic_weights(target: np.ndarray, donors: np.ndarray) -> np.ndarray:
    """Donor weights (non-negative, summing to one) whose mix tracks the target before the start.

    Series are compared as shares of their own pre-start mean, so a large pilot area can be
    matched by smaller comparison areas. A constrained least-squares fit (scipy's SLSQP), the
    fit synthetic control makes once its predictors are the pre-start weeks themselves.
    """
    n = donors.shape[0]
    if n == 1:
        return np.ones(1)

    def loss(w: np.ndarray) -> float:
        return float(((target - w @ donors) ** 2).sum())

    result = optimize.minimize(
        loss,
        np.full(n, 1 / n),
        method="SLSQP",
        bounds=[(0.0, 1.0)] * n,
        constraints=({"type": "eq", "fun": lambda w: w.sum() - 1.0},),
    )
    w = np.clip(result.x, 0.0, None)
    return w / w.sum()


def synthetic_point(counts: np.ndarray, pilot: Sequence[int], col: int) -> float:
    """Log of the pilot areas' post-start calls over their synthetic twin's."""
    mask = np.zeros(counts.shape[0], dtype=bool)
    mask[list(pilot)] = True
    target = counts[mask].sum(axis=0)
    donors = counts[~mask]
    pre_t = target[:col].mean()
    pre_d = donors[:, :col].mean(axis=1)
    if pre_t <= 0 or (pre_d <= 0).any():
        raise KitError(
            "An area has no calls of these types before the start: synthetic control needs "
            "every area's history; choose more call types or another design."
        )
    w = synthetic_weights(target[:col] / pre_t, donors[:, :col] / pre_d[:, None])
    twin = (w @ (donors[:, col:] / pre_d[:, None])).sum() * pre_t
    actual = target[col:].sum()
    if twin <= 0 or actual <= 0:
        raise KitError("The pilot areas have no calls after the start to compare.")
    return float(math.log(actual / twin))


@single_threaded
def synthetic(
    panel: pd.DataFrame | Grid, pilot_areas: Sequence[str], start: object, *, seed: int = 0
) -> Estimate:
    """Synthetic control: the pilot areas against a weighted mix of comparison areas.

    The interval comes from the same fit with the pilot placed on other sets of comparison
    areas (placebos in space); below 40 such sets there is no confident conclusion.
    """
    g = panel if isinstance(panel, Grid) else grid(panel)
    pilot = g.rows(pilot_areas)
    col = g.column(start)
    if len(pilot) >= len(g.areas) - 1:
        raise KitError("Synthetic control needs at least two areas outside the pilot.")
    b = synthetic_point(g.counts, pilot, col)
    placebos = _placebo_spread(
        lambda c, p, _: synthetic_point(c, p, col), g.counts, pilot, np.random.default_rng(seed)
    )
    enough = assignments(len(g.areas), len(pilot)) >= MIN_ASSIGNMENTS
    inference = RANDOMISATION if enough else MODEL_ONLY
    se = float(np.std(placebos, ddof=1)) if len(placebos) > 1 else float("inf")
    p = float((1 + np.sum(np.abs(placebos) >= abs(b))) / (1 + len(placebos)))
    numbers = _interval(b, Z95 * se, p, inference)
    return _estimate("synthetic", g, pilot, col, inference, numbers)


def newey_west_lags(n_weeks: int) -> int:
    """Newey and West's (1994) rule of thumb for the lags: floor(4 (T/100)^(2/9))."""
    return max(1, int(4 * (n_weeks / 100) ** (2 / 9)))


def its_point(y: np.ndarray, weeks: pd.DatetimeIndex, col: int) -> tuple[float, float, int]:
    """Log-scale average effect after ``col``, its Newey-West SE, and the lags used.

    A Poisson model with a trend, a change of level and of slope at the start, and a yearly
    cycle when there is a year of history before the start.
    """
    t = np.arange(len(y), dtype=float)
    post = (t >= col).astype(float)
    columns = [np.ones_like(t), t / len(t), post, post * (t - col) / len(t)]
    if col >= 52:
        angle = 2 * np.pi * (weeks.day_of_year.to_numpy() / 365.25)
        columns += [np.sin(angle), np.cos(angle)]
    exog = np.column_stack(columns)
    lags = newey_west_lags(len(y))
    result = sm.GLM(y, exog, family=sm.families.Poisson()).fit(
        cov_type="HAC", cov_kwds={"maxlags": lags}
    )
    c = np.zeros(exog.shape[1])
    c[2] = 1.0
    c[3] = (len(y) - 1 - col) / 2 / len(t)  # the middle of the weeks after
    return float(c @ result.params), float(math.sqrt(c @ result.cov_params() @ c)), lags


@single_threaded
def its(panel: pd.DataFrame | Grid, pilot_areas: Sequence[str], start: object) -> Estimate:
    """Interrupted time series: the pilot areas' weekly calls, before against after.

    Newey-West errors allow for serial correlation. The effect is the average over the
    weeks after the start. With no comparison areas, anything else that changed at the
    start would look like an effect.
    """
    g = panel if isinstance(panel, Grid) else grid(panel)
    pilot = g.rows(pilot_areas)
    col = g.column(start)
    y = g.counts[pilot].sum(axis=0)
    b, se, lags = its_point(y, g.weeks, col)
    effect, low, high, p = _interval(b, Z95 * se, None, NEWEY_WEST)
    year = col >= 52
    return Estimate(
        method="its",
        inference=f"{NEWEY_WEST}, {lags} weeks' lags",
        effect=effect,
        low=low,
        high=high,
        p_value=p,
        comparison_areas=(),
        weeks_before=col,
        weeks_after=len(y) - col,
        confident=year,
        advice=(
            "With no comparison areas, anything else that changed when the pilot started "
            "would look like its effect."
            + (
                ""
                if year
                else " A year of history before the start would separate the pilot from the season."
            )
        ),
    )
