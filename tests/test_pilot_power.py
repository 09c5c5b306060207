"""Power by simulation on a history: the MDE, its formula, bias, coverage and the cache."""

from __future__ import annotations

import math
import threading

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kit.errors import KitError
from kit.pilot import estimators as est
from kit.pilot import power

WEEKS = pd.date_range("2023-01-02", periods=100, freq="7D")


def history(n_areas: int = 10, *, rate: float = 40.0, seed: int = 0, nb: float = 0.0):
    """A long panel of independent Poisson (or, with ``nb``, overdispersed) weekly counts."""
    rng = np.random.default_rng(seed)
    level = rate * rng.uniform(0.5, 1.5, n_areas)[:, None] * np.ones(len(WEEKS))
    if nb:
        level = rng.gamma(1 / nb, level * nb)
    counts = rng.poisson(level).astype(float)
    n = counts.size
    return pd.DataFrame(
        {
            "area": np.repeat([f"A{i}" for i in range(n_areas)], len(WEEKS)),
            "week": np.tile(WEEKS, n_areas),
            "calls": counts.ravel(),
            "response_minutes": counts.ravel() * 10,
            "responses": counts.ravel(),
            "repeat_calls": np.floor(counts.ravel() / 10),
        }
    ).iloc[:n]


def plan(design: str = "did", weeks: int = 12, areas: tuple[str, ...] = ("A0", "A1")):
    return power.Plan(design, weeks, areas, ("WELCHK",))


@pytest.mark.slow
def test_simulated_mde_agrees_with_the_formula_in_the_simple_case() -> None:
    """Independent Poisson weeks, two pilot areas of ten: simulation and formula within 15%.

    Fifteen per cent is the Monte Carlo error of 200 placebo pilots (power known to about
    three points around 80%, which moves the MDE by about 5%) plus the estimated scale of
    randomisation inference, never below the model's.
    """
    result = power.diagnose(history(), plan(), sims=200, metrics=("calls",), curve=False)
    calls = result.metrics["calls"]
    assert result.inference == est.RANDOMISATION
    assert calls.mde is not None and calls.mde_analytic is not None
    assert calls.mde == pytest.approx(calls.mde_analytic, rel=0.15)
    assert abs(calls.bias) < 0.03
    assert calls.coverage >= 0.9


@given(
    st.floats(5, 500), st.floats(5, 500), st.integers(2, 52), st.integers(4, 52), st.floats(1, 3)
)
@settings(deadline=None)
def test_analytic_mde_shrinks_with_more_weeks_and_calls(
    pilot: float, comparison: float, weeks: int, pre: int, effect: float
) -> None:
    """More weeks or more calls never raise the MDE; a design effect above 1 never lowers it."""
    base = power.analytic_mde(pilot, comparison, weeks, pre, effect)
    if base is None:
        return
    assert 0 < base < 1
    longer = power.analytic_mde(pilot, comparison, weeks + 4, pre, effect)
    busier = power.analytic_mde(pilot * 2, comparison, weeks, pre, effect)
    assert longer is not None and longer <= base + 1e-12
    assert busier is not None and busier <= base + 1e-12
    plain = power.analytic_mde(pilot, comparison, weeks, pre, 1.0)
    assert plain is not None and plain <= base + 1e-12


@given(st.sampled_from(power.DESIGNS), st.integers(2, 60), st.integers(1, 59))
def test_no_design_rests_on_fewer_areas_than_its_inference_needs(
    design: str, n_areas: int, n_pilot: int
) -> None:
    """Bootstrap only with 5 pilot areas; placebo areas only with 40 ways to choose them."""
    n_pilot = min(n_pilot, n_areas - 1)
    kind = power.inference_for(design, n_areas, n_pilot)
    if kind == est.BOOTSTRAP:
        assert n_pilot >= est.MIN_BOOTSTRAP_AREAS
    if kind == est.RANDOMISATION and design != "randomised":  # shifts: thousands of ways
        assert math.comb(n_areas, n_pilot) >= est.MIN_ASSIGNMENTS


def test_design_effect_sees_overdispersion() -> None:
    """About 1 for Poisson weeks; clearly above 1 for gamma-mixed (negative binomial) weeks."""
    poisson = est.grid(history()).counts
    mixed = est.grid(history(nb=0.3)).counts
    assert power.design_effect(poisson) == pytest.approx(1.0, abs=0.15)
    assert power.design_effect(mixed) > 3


def test_bad_plans_are_refused_in_plain_words() -> None:
    """Unknown design, unknown area, every area in the pilot, too short a history."""
    with pytest.raises(KitError, match="Unknown design 'rct'"):
        plan("rct")
    with pytest.raises(KitError, match="No area Nowhere"):
        power.diagnose(history(), plan(areas=("Nowhere",)), sims=10)
    with pytest.raises(KitError, match="Every area is in the pilot"):
        power.diagnose(history(3), plan(areas=("A0", "A1", "A2")), sims=10)
    short = history()
    short = short[short["week"] < WEEKS[20]]
    with pytest.raises(KitError, match="too little for a 18-week pilot"):
        power.diagnose(short, plan(weeks=18), sims=10)


@pytest.mark.parametrize("design", ["did", "its", "synthetic", "stepped"])
def test_every_design_gives_an_mde(design: str) -> None:
    """A quick diagnosis of each design on the primary metric, with its inference named."""
    result = power.diagnose(history(), plan(design), sims=12, metrics=("calls",), curve=False)
    assert result.design == design
    assert result.metrics["calls"].mde is not None
    assert 0 < result.metrics["calls"].mde < 0.6
    assert result.inference
    assert result.metrics["repeat_calls"].note == "Being worked out."


def test_randomisation_by_shift_uses_the_shift_panel() -> None:
    """Randomised by shift needs the panel by shift; with it, many assignments are possible."""
    with pytest.raises(KitError, match="panel by shift"):
        power.diagnose(history(), plan("randomised"), sims=10)
    frame = history(4)
    by_shift = pd.concat([frame.assign(shift=s) for s in ("day", "evening", "night")])
    result = power.diagnose(
        by_shift, plan("randomised", areas=("A0",)), sims=12, metrics=("calls",), curve=False
    )
    assert result.inference == est.RANDOMISATION
    assert result.metrics["calls"].mde is not None


def test_one_pilot_area_says_the_design_cannot_conclude() -> None:
    """Ten areas, one pilot area: model-based only, and the advice says what would help."""
    result = power.diagnose(
        history(), plan(areas=("A0",)), sims=12, metrics=("calls",), curve=False
    )
    assert result.inference == est.MODEL_ONLY
    assert not result.confident
    assert "randomise the new response by shift" in result.advice


@pytest.mark.slow
def test_json_shape_has_the_primary_metric_at_the_top() -> None:
    """design, inference, mde, mde_analytic, bias, coverage, and metrics for the others."""
    result = power.diagnose(history(), plan(), sims=10, curve_sims=10)
    out = result.as_dict()
    assert {"design", "inference", "mde", "mde_analytic", "bias", "coverage", "metrics"} <= set(out)
    assert set(out["metrics"]) == {"response_time", "repeat_calls"}
    weeks = [p["weeks"] for p in out["curve"]]
    assert weeks == sorted(weeks) and 12 in weeks


@pytest.mark.slow
def test_cache_answers_quickly_then_refines_with_progress() -> None:
    """First call: a quick primary-metric answer; then the refined one, progress reported."""
    cache = power.PowerCache(quick_sims=10, full_sims=10)
    seen: list[tuple[int, int]] = []
    lock = threading.Lock()

    def progress(done: int, total: int) -> None:
        with lock:
            seen.append((done, total))

    key = plan()
    quick = cache.get(history(), key, progress=progress)
    assert not quick.refined and quick.sims == 10
    refined = cache.wait(key, timeout=240)
    assert refined is not None and refined.refined and refined.sims == 10
    assert refined.metrics["repeat_calls"].sims > 0
    assert cache.get(history(), key) is refined
    assert seen and seen[-1][0] <= seen[-1][1]
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)
