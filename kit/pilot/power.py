"""How small an effect a planned pilot could detect, diagnosed on the jurisdiction's own history.

The way DeclareDesign diagnoses a design (Blair, Cooper, Coppock and Humphreys, "Declaring and
Diagnosing Research Designs", American Political Science Review 113(3), 2019): place many
placebo pilots in the history, with the planned areas and duration but different start
weeks; inject an effect of known size by thinning the pilot cells' real calls at random
(each call kept with probability 1 - effect: a binomial draw per cell, which is thinning
the calls themselves); run the planned estimator on the counts; and report

- the minimum detectable effect (MDE): the smallest reduction found in 80% of pilots at a
  two-sided 5% level, as a positive fraction (0.2 = 20% fewer);
- the bias at the MDE (mean estimate minus the injected effect, on the exp(b) - 1 scale)
  and the coverage (how often the 95% interval holds the injected effect);
- beside it, the analytic MDE where a formula exists (:func:`analytic_mde`).

The search for the MDE shifts the placebo estimates by each candidate effect (the log-scale
estimate moves by log(1 - effect)), then checks and corrects it with pilots really thinned
at that effect. Response time is not a count: its effect is injected by shortening the
pilot cells' minutes, and it is simulated for the fixed-effects designs only.

Everything works on the small area-by-week panel. :class:`PowerCache` keeps results per
(design, weeks, areas, types), answers at once with a few simulations and refines in the
background, reporting progress.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field, replace
from typing import Final

import numpy as np
import pandas as pd
from scipy import stats
from threadpoolctl import threadpool_limits

from kit.errors import KitError
from kit.pilot import estimators as est
from kit.pilot.panel import METRICS

DESIGNS: Final = ("did", "its", "synthetic", "stepped", "randomised")
PRE_WEEKS: Final = 26  # history before each placebo pilot in the fixed-effects fits
ITS_PRE_WEEKS: Final = 52  # a year, so the series model can tell the season from the pilot
QUICK_SIMS: Final = 12
FULL_SIMS: Final = 200
CURVE_SIMS: Final = 30
CURVE_WEEKS: Final = (4, 8, 12, 26, 52)
Z_ALPHA: Final = float(stats.norm.ppf(0.975))  # two-sided 5%
Z_POWER: Final = float(stats.norm.ppf(0.80))
_GRID: Final = np.linspace(0.005, 0.95, 190)  # candidate reductions
FE_DESIGNS: Final = ("did", "stepped", "randomised")
PRIMARY: Final = "calls"

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Plan:
    """What a diagnosis depends on, and the cache's key."""

    design: str
    weeks: int
    areas: tuple[str, ...]
    types: tuple[str, ...]

    def __post_init__(self) -> None:
        if self.design not in DESIGNS:
            raise KitError(f"Unknown design {self.design!r}: use one of {', '.join(DESIGNS)}.")
        if not 1 <= self.weeks <= 156:
            raise KitError("A pilot lasts from 1 to 156 weeks.")
        if not self.areas:
            raise KitError("Name at least one pilot area.")


@dataclass(frozen=True)
class MetricPower:
    """One metric's diagnosis. None where it could not be worked out (said in ``note``)."""

    mde: float | None
    mde_analytic: float | None
    bias: float | None
    coverage: float | None
    sims: int
    note: str = ""


@dataclass(frozen=True)
class CurvePoint:
    """The detectable effect for one duration, for the chart."""

    weeks: int
    mde: float | None
    mde_analytic: float | None


@dataclass(frozen=True)
class Diagnosis:
    """A plan's power on the history: the primary metric first, every metric in ``metrics``."""

    design: str
    inference: str
    confident: bool
    advice: str
    weeks: int
    sims: int
    metrics: dict[str, MetricPower]
    curve: tuple[CurvePoint, ...] = ()
    refined: bool = True

    def as_dict(self) -> dict[str, object]:
        """The shape `kit pilot --json` prints: the primary metric's figures at the top."""
        primary = self.metrics[PRIMARY]
        return {
            "design": self.design,
            "inference": self.inference,
            "mde": primary.mde,
            "mde_analytic": primary.mde_analytic,
            "bias": primary.bias,
            "coverage": primary.coverage,
            "weeks": self.weeks,
            "sims": self.sims,
            "confident": self.confident,
            "advice": self.advice,
            "metrics": {k: asdict(v) for k, v in self.metrics.items() if k != PRIMARY},
            "curve": [asdict(p) for p in self.curve],
        }


# --- the history as matrices ----------------------------------------------------------------


@dataclass(frozen=True)
class History:
    """The panel's metrics as area-by-week matrices (and area-shift by week for shifts)."""

    areas: tuple[str, ...]
    weeks: pd.DatetimeIndex
    values: dict[str, np.ndarray]  # metric -> matrix
    exposure: dict[str, np.ndarray] = field(default_factory=dict)


def history(panel: pd.DataFrame) -> History:
    """Matrices of every metric from the long panel (:func:`kit.pilot.panel.calls_panel`)."""
    calls = est.grid(panel, "calls")
    values = {
        "calls": calls.counts,
        "repeat_calls": est.grid(panel, "repeat_calls").counts,
        "response_time": est.grid(panel, "response_minutes").counts,
    }
    exposure = {"response_time": est.grid(panel, "responses").counts}
    return History(calls.areas, calls.weeks, values, exposure)


# --- one simulated pilot --------------------------------------------------------------------


@dataclass(frozen=True)
class _Setup:
    """A design applied to the history: the pilot rows, the window and the inference."""

    design: str
    weeks: int
    pilot: np.ndarray
    pre: int
    inference: str
    dates: pd.DatetimeIndex


def inference_for(design: str, n_areas: int, n_pilot: int) -> str:
    """The inference a design gets: never one the number of areas cannot support."""
    if design == "its":
        return est.NEWEY_WEST
    if design == "randomised":
        return est.RANDOMISATION  # thousands of ways to assign shifts
    if design == "synthetic":
        enough = est.assignments(n_areas, n_pilot) >= est.MIN_ASSIGNMENTS
        return est.RANDOMISATION if enough else est.MODEL_ONLY
    return est.choose_inference(n_areas, n_pilot)


def _treatment(setup: _Setup, shape: tuple[int, int], rng: np.random.Generator) -> np.ndarray:
    """The treatment columns of one simulated pilot in a window of ``shape``."""
    if setup.design == "stepped":
        return est.cohort_treatment(shape, _steps(setup))[0]
    d = np.zeros(shape)
    if setup.design == "randomised":
        d[np.ix_(setup.pilot, np.arange(setup.pre, shape[1]))] = (
            rng.random((len(setup.pilot), shape[1] - setup.pre)) < 0.5
        )
    else:
        d[setup.pilot, setup.pre :] = 1.0
    return d.reshape(-1, 1)


def _weights(setup: _Setup, shape: tuple[int, int]) -> np.ndarray:
    if setup.design == "stepped":
        return est.cohort_treatment(shape, _steps(setup))[1]
    return np.ones(1)


def _steps(setup: _Setup) -> dict[int, int]:
    """A stepped wedge's starts: the pilot areas join one after another, evenly spaced."""
    m = len(setup.pilot)
    return {int(a): setup.pre + (i * setup.weeks) // (m + 1) for i, a in enumerate(setup.pilot)}


def _inject(
    window: np.ndarray, treated: np.ndarray, effect: float, metric: str, rng: np.random.Generator
) -> np.ndarray:
    """The window with ``effect`` fewer calls in the treated cells: each call kept at random."""
    if effect == 0:
        return window
    out = window.copy()
    if metric == "response_time":
        out[treated] *= 1 - effect
    else:
        out[treated] = rng.binomial(out[treated].astype(np.int64), 1 - effect)
    return out


def _one(
    setup: _Setup,
    values: np.ndarray,
    exposure: np.ndarray | None,
    start: int,
    effect: float,
    metric: str,
    rng: np.random.Generator,
) -> tuple[float, float]:
    """One simulated pilot starting at week ``start``: the log-scale estimate and its SE.

    The model's SE, which randomisation inference widens by the placebos' scale; NaN for
    synthetic control, whose spread comes from the placebos alone.
    """
    lo = start - setup.pre
    hi = start + setup.weeks
    window = values[:, lo:hi]
    expo = None if exposure is None else exposure[:, lo:hi]
    if setup.design == "its":
        y = window[setup.pilot].sum(axis=0)
        treated = np.zeros_like(y, dtype=bool)
        treated[setup.pre :] = True
        y = _inject(y, treated, effect, metric, rng)
        b, se, _ = est.its_point(y, setup.dates[lo:hi], setup.pre)
        return b, se
    if setup.design == "synthetic":
        treated = np.zeros(window.shape, dtype=bool)
        treated[setup.pilot, setup.pre :] = True
        w = _inject(window, treated, effect, metric, rng)
        return est.synthetic_point(w, setup.pilot, setup.pre), math.nan
    d = _treatment(setup, window.shape, rng)
    treated = d.reshape(*window.shape, -1).any(axis=2)
    w = _inject(window, treated, effect, metric, rng)
    fit = est.fe_fit(w, d, expo)
    weights = _weights(setup, window.shape)
    b, model_se = est.contrast(fit, weights)
    if setup.inference == est.BOOTSTRAP:
        draws = est.score_draws(fit, weights, rng)
        return b, max(float(np.quantile(np.abs(draws), 0.95)) / Z_ALPHA, model_se)
    return b, model_se


def _placements(n_weeks: int, setup: _Setup, sims: int, rng: np.random.Generator) -> np.ndarray:
    """Start weeks of the placebo pilots, spread over the whole history."""
    first, last = setup.pre, n_weeks - setup.weeks
    if last < first:
        raise KitError(
            f"The history holds {n_weeks} full weeks: too little for a {setup.weeks}-week pilot "
            f"after {setup.pre} weeks to compare with. Import a longer history or plan a "
            "shorter pilot."
        )
    starts = np.arange(first, last + 1)
    reps = math.ceil(sims / len(starts))
    return np.concatenate([rng.permutation(starts) for _ in range(reps)])[:sims]


def _placebo_scale(
    setup: _Setup,
    values: np.ndarray,
    exposure: np.ndarray | None,
    starts: np.ndarray,
    metric: str,
    rng: np.random.Generator,
) -> float:
    """What randomisation inference makes of the SE, from placebo pilots in time and space.

    The pilot is placed on other sets of comparison areas (for shifts: on other random draws
    of shifts), as the estimator's own inference does. For the fixed-effects designs this is
    the factor on the model's SE (:func:`kit.pilot.estimators.placebo_scale`); for synthetic
    control, which has no model SE, the spread of the placebo estimates itself.
    """
    comparison = np.array([i for i in range(values.shape[0]) if i not in set(setup.pilot)])
    found = []
    for start in starts:
        if setup.design == "randomised":
            chosen, sub, sub_exposure = setup.pilot, values, exposure
        else:
            chosen = np.sort(rng.choice(len(comparison), len(setup.pilot), replace=False))
            sub = values[comparison]
            sub_exposure = None if exposure is None else exposure[comparison]
        placebo = replace(setup, pilot=chosen)
        try:
            b, se = _one(placebo, sub, sub_exposure, int(start), 0.0, metric, rng)
        except KitError:
            continue
        found.append(b if math.isnan(se) else b / se)
    if len(found) < 2:
        raise KitError("Too few placebo pilots could be fitted: choose more call types.")
    if setup.design == "synthetic":
        return float(np.std(found, ddof=1))
    return est.placebo_scale(np.asarray(found))


def _power(b: np.ndarray, se: np.ndarray, shift: np.ndarray) -> np.ndarray:
    """Power at each candidate log effect ``shift`` from estimates moved by it."""
    moved = b[:, None] + shift[None, :]
    return (np.abs(moved) > Z_ALPHA * se[:, None]).mean(axis=0)


def _smallest(b: np.ndarray, se: np.ndarray) -> float | None:
    """The smallest reduction on the grid detected in 80% of the simulated pilots."""
    power = _power(b, se, np.log1p(-_GRID))
    hit = np.flatnonzero(power >= 0.8)
    return float(_GRID[hit[0]]) if len(hit) else None


def _simulate(
    setup: _Setup,
    values: np.ndarray,
    exposure: np.ndarray | None,
    starts: np.ndarray,
    effect: float,
    metric: str,
    rng: np.random.Generator,
    scale: float,
    tick: Callable[[], None],
) -> tuple[np.ndarray, np.ndarray]:
    out_b, out_se = [], []
    for start in starts:
        try:
            b, se = _one(setup, values, exposure, int(start), effect, metric, rng)
        except KitError:
            b, se = math.nan, math.nan
        out_b.append(b)
        if setup.inference == est.RANDOMISATION:
            se = scale if math.isnan(se) else se * scale
        out_se.append(se)
        tick()
    b_arr, se_arr = np.asarray(out_b), np.asarray(out_se)
    ok = np.isfinite(b_arr) & np.isfinite(se_arr)
    return b_arr[ok], se_arr[ok]


def _metric_power(
    setup: _Setup,
    hist: History,
    metric: str,
    sims: int,
    rng: np.random.Generator,
    tick: Callable[[], None],
) -> MetricPower:
    values = hist.values[metric]
    exposure = hist.exposure.get(metric)
    analytic = analytic_for(setup, values) if metric != "response_time" else None
    if metric == "response_time" and (setup.design not in FE_DESIGNS or not exposure.any()):
        why = "no arrival times" if not exposure.any() else "simulated for fixed-effects designs"
        return MetricPower(None, None, None, None, 0, note=f"Response time: {why}.")
    starts = _placements(values.shape[1], setup, sims, rng)
    scale = math.nan
    if setup.inference == est.RANDOMISATION:
        scale = _placebo_scale(setup, values, exposure, starts, metric, rng)
    b0, se0 = _simulate(setup, values, exposure, starts, 0.0, metric, rng, scale, tick)
    first = _smallest(b0, se0) if len(b0) else None
    if first is None:
        return MetricPower(
            None, analytic, None, None, len(b0), note="No effect up to 95% is found."
        )
    b1, se1 = _simulate(setup, values, exposure, starts, first, metric, rng, scale, tick)
    injected = math.log1p(-first)
    mde = _smallest(b1 - injected, se1)
    return MetricPower(
        mde=mde,
        mde_analytic=analytic,
        bias=float(np.mean(np.expm1(b1)) - (-first)),
        coverage=float(np.mean(np.abs(b1 - injected) <= Z_ALPHA * se1)),
        sims=len(b1),
    )


# --- the analytic figure --------------------------------------------------------------------


def design_effect(values: np.ndarray) -> float:
    """Variance inflation of weekly counts from the history: overdispersion x serial correlation.

    Overdispersion is the Pearson chi-square per degree of freedom around a Poisson fit with
    area and week effects; serial correlation is the residuals' lag-1 autocorrelation r, and a
    mean of many weeks of an AR(1) series has (1 + r) / (1 - r) times the variance of
    independent weeks (Box, Jenkins and Reinsel, Time Series Analysis, section 2.1).
    """
    keep = values.sum(axis=1) > 0
    v = values[keep]
    expected = np.outer(v.sum(axis=1), v.sum(axis=0)) / v.sum()
    with np.errstate(divide="ignore", invalid="ignore"):
        resid = np.where(expected > 0, (v - expected) / np.sqrt(expected), 0.0)
    dof = max((v.shape[0] - 1) * (v.shape[1] - 1), 1)
    dispersion = max(float((resid**2).sum() / dof), 1.0)
    r = float(np.sum(resid[:, 1:] * resid[:, :-1]) / max(np.sum(resid**2), 1e-12))
    r = min(max(r, 0.0), 0.9)
    return dispersion * (1 + r) / (1 - r)


def analytic_mde(
    pilot_weekly: float,
    comparison_weekly: float,
    weeks: int,
    pre_weeks: int,
    design_effect: float = 1.0,
) -> float | None:
    """The smallest reduction a Poisson difference-in-differences detects with 80% power at 5%.

    The log of a ratio of two ratios of Poisson counts has variance 1/a + 1/b + 1/c + 1/d
    (each an expected count); power 80% at a two-sided 5% level needs the log effect to be
    (1.96 + 0.84) standard errors, as in Hayes and Bennett's formula for comparing rates
    ("Simple sample size calculation for cluster-randomized trials", International Journal
    of Epidemiology 28(2), 1999), here with the counts of the weeks before and a design
    effect for overdispersion and serial correlation. Solved by fixed-point iteration since
    the pilot's own count shrinks with the effect.
    """
    if min(pilot_weekly, comparison_weekly) <= 0:
        return None
    effect = 0.0
    for _ in range(50):
        variance = design_effect * (
            1 / (pilot_weekly * weeks * (1 - effect))
            + 1 / (pilot_weekly * pre_weeks)
            + 1 / (comparison_weekly * weeks)
            + 1 / (comparison_weekly * pre_weeks)
        )
        new = 1 - math.exp(-(Z_ALPHA + Z_POWER) * math.sqrt(variance))
        if new >= 0.99:
            return None
        if abs(new - effect) < 1e-9:
            break
        effect = new
    return effect


def analytic_for(setup: _Setup, values: np.ndarray) -> float | None:
    """The analytic MDE where the formula fits the design (difference-in-differences)."""
    if setup.design != "did":
        return None
    weekly = values.mean(axis=1)
    mask = np.zeros(len(weekly), dtype=bool)
    mask[setup.pilot] = True
    return analytic_mde(
        float(weekly[mask].sum()),
        float(weekly[~mask].sum()),
        setup.weeks,
        setup.pre,
        design_effect(values),
    )


# --- the diagnosis --------------------------------------------------------------------------


def _setup(plan: Plan, hist: History, pilot: np.ndarray, n_areas: int) -> _Setup:
    pre = ITS_PRE_WEEKS if plan.design == "its" else PRE_WEEKS
    pre = min(pre, max(len(hist.weeks) - plan.weeks, 0))
    if pre < 4:
        raise KitError(
            f"The history holds {len(hist.weeks)} full weeks: too little for a {plan.weeks}-week "
            "pilot with weeks before it to compare. Import a longer history or plan a shorter "
            "pilot."
        )
    inference = inference_for(plan.design, n_areas, len(plan.areas))
    return _Setup(plan.design, plan.weeks, pilot, pre, inference, hist.weeks)


def _prepare(panel: pd.DataFrame, plan: Plan) -> tuple[History, _Setup, list[str]]:
    """The history's matrices and the design applied to them; plain refusals of bad plans."""
    by_shift = plan.design == "randomised"
    if by_shift and "shift" not in panel:
        raise KitError("Randomisation by shift needs the panel by shift (by_shift=True).")
    frame = panel.assign(area=panel["area"] + " | " + panel["shift"]) if by_shift else panel
    hist = history(frame)
    areas = sorted({a.split(" | ")[0] for a in hist.areas})
    unknown = [a for a in plan.areas if a not in areas]
    if unknown:
        raise KitError(
            f"No area {', '.join(unknown)} in the calls: choose among {', '.join(areas)}."
        )
    if len(plan.areas) >= len(areas) and plan.design != "randomised":
        raise KitError("Every area is in the pilot: leave some areas out to compare with.")
    chosen = set(plan.areas)
    pilot = np.array([i for i, a in enumerate(hist.areas) if a.split(" | ")[0] in chosen])
    return hist, _setup(plan, hist, pilot, len(areas)), areas


def _advice(plan: Plan, setup: _Setup, n_areas: int) -> str:
    if plan.design == "its":
        return (
            "With no comparison areas, anything else that changed at the start would look like "
            "the pilot's effect."
        )
    if setup.inference == est.MODEL_ONLY:
        return est.few_areas_advice(n_areas, len(plan.areas))
    return ""


def diagnose(
    panel: pd.DataFrame,
    plan: Plan,
    *,
    sims: int = FULL_SIMS,
    metrics: Sequence[str] = tuple(METRICS),
    curve: bool = True,
    curve_sims: int = CURVE_SIMS,
    seed: int = 0,
    progress: Progress | None = None,
) -> Diagnosis:
    """The plan's power on the history in ``panel`` (by shift for the randomised design).

    ``sims`` placebo pilots per metric; ``curve_sims`` per duration of the chart.
    """
    hist, setup, areas = _prepare(panel, plan)
    rng = np.random.default_rng(seed)
    steps = 2 * sims * len(metrics) + (curve_sims * (len(CURVE_WEEKS) + 1) if curve else 0)
    done = [0]

    def tick() -> None:
        done[0] += 1
        if progress is not None:
            progress(min(done[0], steps), steps)

    with threadpool_limits(limits=1, user_api="blas"):
        results = {m: _metric_power(setup, hist, m, sims, rng, tick) for m in metrics}
        points = _curve(plan, hist, setup, curve_sims, rng, tick) if curve else ()
    for m in METRICS:
        results.setdefault(m, MetricPower(None, None, None, None, 0, note="Being worked out."))
    return Diagnosis(
        design=plan.design,
        inference=setup.inference,
        confident=setup.inference != est.MODEL_ONLY,
        advice=_advice(plan, setup, len(areas)),
        weeks=plan.weeks,
        sims=sims,
        metrics=results,
        curve=points,
        refined=curve,
    )


@dataclass(frozen=True)
class Recovery:
    """Pilots with a known effect injected: each estimate and its 95% interval (exp(b) - 1)."""

    injected: float
    effect: np.ndarray
    low: np.ndarray
    high: np.ndarray

    @property
    def coverage(self) -> float:
        """The share of intervals that hold the injected effect."""
        return float(np.mean((self.low <= self.injected) & (self.injected <= self.high)))


def recover(
    panel: pd.DataFrame, plan: Plan, reduction: float, *, sims: int, seed: int = 0
) -> Recovery:
    """Inject a known reduction into placebo pilots by thinning, and estimate it each time."""
    hist, setup, _ = _prepare(panel, plan)
    rng = np.random.default_rng(seed)
    values = hist.values[PRIMARY]
    starts = _placements(values.shape[1], setup, sims, rng)
    with threadpool_limits(limits=1, user_api="blas"):
        scale = math.nan
        if setup.inference == est.RANDOMISATION:
            scale = _placebo_scale(setup, values, None, starts[:FULL_SIMS], PRIMARY, rng)
        b, se = _simulate(setup, values, None, starts, reduction, PRIMARY, rng, scale, _nothing)
    return Recovery(-reduction, np.expm1(b), np.expm1(b - Z_ALPHA * se), np.expm1(b + Z_ALPHA * se))


def _nothing() -> None:
    """No progress to report."""


def _curve(
    plan: Plan,
    hist: History,
    setup: _Setup,
    sims: int,
    rng: np.random.Generator,
    tick: Callable[[], None],
) -> tuple[CurvePoint, ...]:
    """Detectable effect against duration for the primary metric (shifted placebo estimates).

    The randomisation scale on the model's SE is worked out once, for the planned duration;
    synthetic control's spread depends on the duration, so it is worked out for each.
    """
    values = hist.values[PRIMARY]
    durations = [w for w in sorted({*CURVE_WEEKS, plan.weeks}) if w + setup.pre <= values.shape[1]]
    scale = math.nan
    points = []
    for weeks in durations:
        step = replace(setup, weeks=weeks)
        starts = _placements(values.shape[1], step, sims, rng)
        if step.inference == est.RANDOMISATION and (
            math.isnan(scale) or plan.design == "synthetic"
        ):
            scale = _placebo_scale(step, values, None, starts[: max(sims // 2, 2)], PRIMARY, rng)
        b, se = _simulate(step, values, None, starts, 0.0, PRIMARY, rng, scale, tick)
        points.append(CurvePoint(weeks, _smallest(b, se), analytic_for(step, values)))
    return tuple(points)


# --- the cache ------------------------------------------------------------------------------


class PowerCache:
    """Diagnoses kept per plan while the process runs: a quick answer now, refined later.

    The first call for a plan runs a few simulations of the primary metric (well under the
    two seconds a page may take on the sample city) and starts the full diagnosis in a
    background thread; later calls return the best answer so far.
    """

    def __init__(self, quick_sims: int = QUICK_SIMS, full_sims: int = FULL_SIMS) -> None:
        self.quick_sims = quick_sims
        self.full_sims = full_sims
        self._results: dict[Plan, Diagnosis] = {}
        self._threads: dict[Plan, threading.Thread] = {}
        self._lock = threading.Lock()

    def get(
        self,
        panel: pd.DataFrame,
        plan: Plan,
        *,
        progress: Progress | None = None,
        refine: bool = True,
    ) -> Diagnosis:
        """The best diagnosis of ``plan`` so far; the first call computes a quick one."""
        with self._lock:
            if plan in self._results:
                return self._results[plan]
        quick = diagnose(panel, plan, sims=self.quick_sims, metrics=(PRIMARY,), curve=False)
        with self._lock:
            self._results.setdefault(plan, quick)
            if refine and plan not in self._threads:
                thread = threading.Thread(
                    target=self._refine, args=(panel, plan, progress), daemon=True
                )
                self._threads[plan] = thread
                thread.start()
        return quick

    def _refine(self, panel: pd.DataFrame, plan: Plan, progress: Progress | None) -> None:
        try:
            full = diagnose(panel, plan, sims=self.full_sims, progress=progress)
        except KitError:
            return
        with self._lock:
            self._results[plan] = full

    def wait(self, plan: Plan, timeout: float | None = None) -> Diagnosis | None:
        """Wait for the refined diagnosis (tests, benchmarks); None if it is not there."""
        thread = self._threads.get(plan)
        if thread is not None:
            thread.join(timeout)
        with self._lock:
            return self._results.get(plan)
