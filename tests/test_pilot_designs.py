"""Step 04's designs: explained from the shipped file, recommended from the constraints with
inference the areas can support, and comparison areas chosen by how closely they track."""

from __future__ import annotations

import math
from datetime import date

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from kit.errors import KitError
from kit.pilot.designs import (
    DESIGNS,
    MIN_ASSIGNMENTS,
    MIN_CLUSTERS,
    Constraints,
    assess,
    choose_comparisons,
    comparison_areas,
    design_texts,
    recommend,
    rollout_orders,
    weekly_counts,
)
from tests.pilot_samples import calls_frame


def test_every_design_is_explained_with_its_trade_offs() -> None:
    texts = design_texts()
    assert tuple(texts) == DESIGNS
    for text in texts.values():
        assert text.explanation and text.strengths and text.weaknesses
        assert 1 <= text.sms_level <= 5
    assert texts["randomised"].sms_level == 5


@st.composite
def constraints(draw: st.DrawFn) -> Constraints:
    areas = draw(st.integers(1, 60))
    pilot = draw(st.integers(1, areas))
    at_once = draw(st.one_of(st.none(), st.integers(1, pilot)))
    return Constraints(
        areas_available=areas,
        pilot_areas=pilot,
        weeks=draw(st.integers(1, 104)),
        can_randomise=draw(st.booleans()),
        start_at_once=at_once,
        shifts_per_day=draw(st.integers(1, 3)),
    )


@given(constraints())
def test_the_recommendation_never_rests_on_fewer_comparisons_than_its_inference_needs(
    c: Constraints,
) -> None:
    """Randomisation inference only with 40 distinct assignments (of areas, of the rollout's
    order, or of days and shifts), a wild cluster bootstrap only with 5 pilot and 5 comparison
    areas; anything else says plainly it cannot support a confident conclusion."""
    found = recommend(c)
    if found.inference == "randomisation":
        assert found.assignments >= MIN_ASSIGNMENTS
        if found.design in ("did", "synthetic"):
            assert found.assignments == math.comb(c.areas_available, c.pilot_areas)
            assert found.comparison_areas == c.areas_available - c.pilot_areas >= 1
        if found.design == "randomised":
            assert found.assignments == math.comb(c.draws, c.draws // 2)
        if found.design == "stepped":
            assert c.can_randomise and found.comparison_areas >= 1
    elif found.inference == "wild_cluster_bootstrap":
        assert c.pilot_areas >= MIN_CLUSTERS
        assert found.comparison_areas >= MIN_CLUSTERS
    else:
        assert not found.confident
        assert found.warnings
        assert any("confident conclusion" in w for w in found.warnings)
    assert found.confident == (found.inference in ("randomisation", "wild_cluster_bootstrap"))
    assert found.registry == (
        "AEA RCT Registry"
        if found.design == "randomised" or (found.design == "stepped" and c.can_randomise)
        else "OSF preregistration"
    )


@given(constraints())
def test_any_design_the_constraints_allow_is_assessed_by_the_same_rule(c: Constraints) -> None:
    for design in DESIGNS:
        try:
            found = assess(design, c)
        except KitError:
            continue
        if found.inference == "wild_cluster_bootstrap":
            assert c.pilot_areas >= MIN_CLUSTERS and found.comparison_areas >= MIN_CLUSTERS
        if found.inference == "randomisation":
            assert found.assignments >= MIN_ASSIGNMENTS


def test_ten_areas_and_one_pilot_area_cannot_conclude_and_say_what_would() -> None:
    found = recommend(Constraints(areas_available=10, pilot_areas=1, weeks=26))
    assert found.design == "synthetic"
    assert found.inference == "none"
    assert found.assignments == 10
    text = " ".join(found.warnings)
    assert "cannot support a confident conclusion" in text
    assert "Draw the responder's days or shifts at random" in text
    assert "at least 2 of the 10 areas" in text


def test_two_pilot_areas_of_ten_allow_randomisation_inference() -> None:
    found = recommend(Constraints(areas_available=10, pilot_areas=2, weeks=26))
    assert (found.design, found.inference, found.assignments) == ("did", "randomisation", 45)
    assert found.confident


def test_randomisable_shifts_win_and_go_to_the_aea_registry() -> None:
    found = recommend(Constraints(10, 1, 4, can_randomise=True, shifts_per_day=2))
    assert (found.design, found.inference, found.registry) == (
        "randomised",
        "randomisation",
        "AEA RCT Registry",
    )
    assert "56 shifts in 4 weeks" in found.why


def test_areas_that_cannot_start_together_get_a_stepped_rollout() -> None:
    found = recommend(Constraints(8, 6, 26, can_randomise=False, start_at_once=2))
    assert found.design == "stepped"
    assert "3 steps" in found.why
    ordered = assess("stepped", Constraints(8, 6, 26, can_randomise=True, start_at_once=2))
    assert ordered.assignments == rollout_orders(6, 2) == 90


def test_a_pilot_everywhere_falls_back_on_the_time_series() -> None:
    found = recommend(Constraints(4, 4, 26))
    assert (found.design, found.inference, found.confident) == ("its", "time_series", False)


@pytest.mark.parametrize(
    ("design", "c", "message"),
    [
        ("randomised", Constraints(5, 1, 8), "drawn at random"),
        ("stepped", Constraints(5, 1, 8), "at least two pilot areas"),
        ("did", Constraints(3, 3, 8), "covers every area"),
        ("matching", Constraints(3, 1, 8), "'matching' is not a design"),
    ],
)
def test_a_design_the_constraints_rule_out_is_refused(
    design: str, c: Constraints, message: str
) -> None:
    with pytest.raises(KitError, match=message):
        assess(design, c)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"areas_available": 3, "pilot_areas": 4, "weeks": 8}, "cannot run in 4 areas"),
        ({"areas_available": 3, "pilot_areas": 0, "weeks": 8}, "Pilot areas must be"),
        ({"areas_available": 3, "pilot_areas": 2, "weeks": 8, "start_at_once": 3}, "at once"),
        ({"areas_available": 3, "pilot_areas": 2, "weeks": 8, "shifts_per_day": 4}, "1 .* 2 or 3"),
    ],
)
def test_impossible_constraints_are_refused(values: dict, message: str) -> None:
    with pytest.raises(KitError, match=message):
        Constraints(**values)


def test_comparison_areas_are_those_whose_history_tracks_the_pilot_areas() -> None:
    """A twin that rises and falls with the pilot area (at a third of its size) comes first,
    a flat area after; an area with no calls comes last and is never chosen."""
    weeks = pd.date_range("2024-01-01", periods=30, freq="7D", name="week")
    season = 20 + 10 * np.sin(np.arange(30) / 3)
    rng = np.random.default_rng(1)
    weekly = pd.DataFrame(
        {
            "Pilot": season,
            "Twin": season / 3,
            "Flat": 7 + rng.normal(0, 1, 30),
            "Opposite": 40 - season,
            "Empty": np.zeros(30),
        },
        index=weeks,
    )
    found = comparison_areas(weekly, ["Pilot"])
    assert list(found["area"]) == ["Twin", "Flat", "Opposite", "Empty"]
    assert found.loc[0, "correlation"] == pytest.approx(1.0)
    assert found.loc[0, "rmse"] == pytest.approx(0.0, abs=1e-12)
    assert choose_comparisons(found) == ["Twin"]
    assert choose_comparisons(found, needed=3) == ["Twin", "Flat", "Opposite"]
    assert choose_comparisons(found, needed=9) == ["Twin", "Flat", "Opposite"]


def test_weekly_counts_come_from_the_calls_before_the_start() -> None:
    calls = calls_frame()
    weekly = weekly_counts(calls, ["WELCHK"], date(2024, 7, 1))
    before = calls[(calls["call_type"] == "WELCHK") & (calls["received_at"] < "2024-07-01")]
    assert weekly.to_numpy().sum() == len(before)
    assert (weekly.index.day_of_week == 0).all()
    assert weekly.index.max() < pd.Timestamp("2024-07-01")
    morning = weekly_counts(calls, ["WELCHK"], date(2024, 7, 1), hours=range(6))
    assert morning.to_numpy().sum() == (before["received_at"].dt.hour < 6).sum()
    with pytest.raises(KitError, match="no calls of the pilot's types before its start"):
        weekly_counts(calls, ["WELCHK"], date(2023, 1, 1))


def test_areas_are_compared_on_four_week_totals_where_chance_averages_out() -> None:
    """A neighbour sharing the pilot area's season but with its own chance week to week
    tracks it far more clearly over four weeks than week by week; with under twelve weeks
    of history the comparison stays weekly."""
    rng = np.random.default_rng(7)
    weeks = pd.date_range("2023-01-02", periods=104, freq="7D", name="week")
    season = 6 + 4 * np.sin(np.arange(104) * 2 * np.pi / 52)
    weekly = pd.DataFrame({"Pilot": rng.poisson(season), "Twin": rng.poisson(season)}, index=weeks)
    by_week = comparison_areas(weekly, ["Pilot"], weeks_per_period=1)
    by_period = comparison_areas(weekly, ["Pilot"])
    assert by_period.loc[0, "correlation"] > by_week.loc[0, "correlation"] + 0.2
    short = weekly.iloc[:11]
    pd.testing.assert_frame_equal(
        comparison_areas(short, ["Pilot"]), comparison_areas(short, ["Pilot"], weeks_per_period=1)
    )
