"""Each estimator recovers a known effect from a synthetic panel and names its inference."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from kit.errors import KitError
from kit.pilot import estimators as est

WEEKS = pd.date_range("2024-01-01", periods=40, freq="W-MON")
START = WEEKS[28]
LONG = pd.date_range("2024-01-01", periods=80, freq="W-MON")


def panel(
    n_areas: int,
    effect: float,
    pilot: dict[int, int],
    *,
    rate: float = 300.0,
    seed: int = 1,
    weeks: pd.DatetimeIndex = WEEKS,
) -> pd.DataFrame:
    """Poisson counts with area levels and a yearly cycle; pilot areas scaled after their start.

    ``pilot`` maps an area's position to the week its pilot starts.
    """
    rng = np.random.default_rng(seed)
    level = rate * rng.uniform(0.5, 2.0, n_areas)
    season = 1 + 0.1 * np.cos(2 * np.pi * weeks.day_of_year.to_numpy() / 365.25)
    mean = level[:, None] * season[None, :]
    for area, start in pilot.items():
        mean[area, start:] *= 1 + effect
    counts = rng.poisson(mean)
    return pd.DataFrame(
        {
            "area": np.repeat([f"A{i:02d}" for i in range(n_areas)], len(weeks)),
            "week": np.tile(weeks, n_areas),
            "calls": counts.ravel(),
        }
    )


def test_did_recovers_the_effect_with_randomisation_inference() -> None:
    """Two pilot areas of ten allow 45 assignments: randomisation inference, effect recovered."""
    result = est.did(panel(10, -0.3, {0: 28, 1: 28}), ["A00", "A01"], START, event_study=True)
    assert result.method == "did"
    assert result.inference == est.RANDOMISATION
    assert result.effect == pytest.approx(-0.3, abs=0.03)
    assert result.low < -0.3 < result.high
    assert result.p_value is not None and result.p_value < 0.05
    assert result.comparison_areas == tuple(f"A{i:02d}" for i in range(2, 10))
    assert (result.weeks_before, result.weeks_after) == (28, 12)
    assert result.confident and result.advice == ""
    before = [p for p in result.periods if p.period < -1]
    after = [p for p in result.periods if p.period >= 0]
    assert all(abs(p.effect) < 0.08 for p in before)
    assert all(abs(p.effect + 0.3) < 0.08 for p in after)


def test_did_with_one_pilot_area_says_it_cannot_conclude() -> None:
    """One pilot area of ten is 10 assignments: model-based only, with what would help."""
    result = est.did(panel(10, -0.3, {0: 28}), ["A00"], START)
    assert result.inference == est.MODEL_ONLY
    assert not result.confident
    assert "randomise the new response by shift" in result.advice


def test_did_with_five_pilot_areas_bootstraps() -> None:
    """Six pilot areas of twelve: the wild cluster bootstrap, interval around the effect."""
    pilot = {i: 28 for i in range(6)}
    names = [f"A{i:02d}" for i in range(6)]
    result = est.did(panel(12, 0.25, pilot, seed=2), names, START)
    assert result.inference == est.BOOTSTRAP
    assert result.effect == pytest.approx(0.25, abs=0.03)
    assert result.low < 0.25 < result.high
    assert result.high - result.low < 0.2


def test_did_without_effect_has_an_interval_around_zero() -> None:
    """No effect: the interval covers zero and the p-value is not small."""
    result = est.did(panel(10, 0.0, {0: 28, 1: 28}, seed=3), ["A00", "A01"], START)
    assert result.low < 0 < result.high


def test_stepped_recovers_the_effect() -> None:
    """Four areas starting in three different weeks; six never start."""
    starts = {0: 24, 1: 28, 2: 28, 3: 32}
    names = {f"A{i:02d}": WEEKS[s] for i, s in starts.items()}
    result = est.stepped(panel(10, -0.2, starts), names)
    assert result.method == "stepped"
    assert result.inference == est.RANDOMISATION
    assert result.effect == pytest.approx(-0.2, abs=0.03)
    assert result.low < -0.2 < result.high
    assert result.weeks_before == 24
    assert len(result.comparison_areas) == 6


def test_synthetic_control_recovers_the_effect() -> None:
    """The pilot areas' synthetic twin from the comparison areas, placebos for the interval."""
    result = est.synthetic(panel(10, -0.3, {0: 28, 1: 28}), ["A00", "A01"], START)
    assert result.method == "synthetic"
    assert result.inference == est.RANDOMISATION
    assert result.effect == pytest.approx(-0.3, abs=0.04)
    assert result.low < -0.3 < result.high


def test_synthetic_weights_are_a_mix() -> None:
    """Weights are non-negative, sum to one and reproduce a target that is a mix."""
    rng = np.random.default_rng(0)
    donors = rng.uniform(0.5, 1.5, size=(4, 30))
    target = 0.7 * donors[1] + 0.3 * donors[3]
    w = est.synthetic_weights(target, donors)
    assert w.min() >= 0 and w.sum() == pytest.approx(1.0)
    assert w == pytest.approx([0, 0.7, 0, 0.3], abs=0.02)


def test_its_recovers_the_effect_through_the_season() -> None:
    """Trend, level and slope change with a yearly cycle and Newey-West errors."""
    data = panel(10, -0.3, {0: 60, 1: 60}, weeks=LONG)
    result = est.its(data, ["A00", "A01"], LONG[60])
    assert result.method == "its"
    assert result.inference.startswith(est.NEWEY_WEST)
    assert result.effect == pytest.approx(-0.3, abs=0.06)
    assert result.low < -0.3 < result.high
    assert result.comparison_areas == ()
    assert "anything else that changed" in result.advice


def test_unknown_area_and_start_outside_the_data_are_refused() -> None:
    """Plain refusals: an area the calls do not have; a start with no weeks after it."""
    data = panel(4, 0.0, {})
    with pytest.raises(KitError, match="No calls in area Nowhere"):
        est.did(data, ["Nowhere"], START)
    with pytest.raises(KitError, match="leaves no weeks before or after"):
        est.did(data, ["A00"], "2030-01-01")
    with pytest.raises(KitError, match="Every area is in the pilot"):
        est.did(data, ["A00", "A01", "A02", "A03"], START)


def test_a_pilot_area_without_calls_is_refused() -> None:
    """The pilot areas have no calls at all: nothing to estimate from, said plainly."""
    data = panel(6, 0.0, {})
    data.loc[data["area"] == "A00", "calls"] = 0
    with pytest.raises(KitError, match="no calls of these types"):
        est.did(data, ["A00"], START)


def test_estimate_as_dict_has_the_evaluate_shape() -> None:
    """The keys `kit evaluate --json` promises."""
    out = est.did(panel(10, -0.3, {0: 28, 1: 28}), ["A00", "A01"], START).as_dict()
    assert {
        "method",
        "inference",
        "effect",
        "low",
        "high",
        "p_value",
        "comparison_areas",
        "weeks_before",
        "weeks_after",
    } <= set(out)
    assert isinstance(out["comparison_areas"], list)


@given(st.integers(2, 40), st.integers(1, 39))
def test_inference_never_rests_on_too_few_areas(n_areas: int, n_pilot: int) -> None:
    """Randomisation needs 40 assignments, the bootstrap five pilot areas; else model only."""
    n_pilot = min(n_pilot, n_areas - 1)
    kind = est.choose_inference(n_areas, n_pilot)
    if kind == est.BOOTSTRAP:
        assert n_pilot >= est.MIN_BOOTSTRAP_AREAS
    elif kind == est.RANDOMISATION:
        assert math.comb(n_areas, n_pilot) >= est.MIN_ASSIGNMENTS
    else:
        assert n_pilot < 5 and math.comb(n_areas, n_pilot) < 40
        assert est.few_areas_advice(n_areas, n_pilot)
