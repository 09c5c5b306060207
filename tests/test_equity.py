"""By-area comparisons: shares against the citywide share, flags and correlations."""

from __future__ import annotations

import json
from dataclasses import dataclass

import pandas as pd
import pytest

from kit.equity import area_table, compare_areas
from kit.errors import KitError


@dataclass
class _Area:
    name: str
    share_white_nh: float
    median_household_income: float


AREAS = [
    _Area("A", 0.80, 90_000),
    _Area("B", 0.60, 70_000),
    _Area("C", 0.40, 50_000),
    _Area("D", 0.20, 30_000),
]


def test_hand_computed_shares_and_flags() -> None:
    """Share per area, gap to the citywide share in points, flags over the threshold."""
    result = compare_areas(
        {"A": 40, "B": 30, "C": 20, "D": 10}, {"A": 100, "B": 100, "C": 100, "D": 100}, AREAS
    )
    assert result.citywide == pytest.approx(0.25)
    frame = result.frame.set_index("area")
    assert frame.loc["A", "share"] == pytest.approx(0.40)
    assert frame.loc["A", "difference_pp"] == pytest.approx(15)
    assert frame.loc["B", "difference_pp"] == pytest.approx(5)
    assert set(result.flagged) == {"A", "D"}  # B at +5 and C at -5 are not over 5 points
    assert frame.loc["D", "share_residents_of_color"] == pytest.approx(0.80)
    # Civilian response falls as residents of colour rise and rises with income.
    assert result.correlations["residents_of_color"] == pytest.approx(-1.0)
    assert result.correlations["median_household_income"] == pytest.approx(1.0)
    json.dumps(result.to_dict())


def test_small_areas_are_not_flagged_and_few_areas_give_no_correlation() -> None:
    """An area with few calls is shown but not flagged; two areas are too few to correlate."""
    result = compare_areas({"A": 1, "B": 30}, {"A": 10, "B": 100}, AREAS[:2])
    frame = result.frame.set_index("area")
    assert not frame.loc["A", "enough_data"]
    assert result.flagged == []
    assert result.correlations == {"residents_of_color": None, "median_household_income": None}


def test_areas_missing_from_one_side_and_without_demographics() -> None:
    """Areas on either side are kept; no profile leaves the demographic columns blank."""
    result = compare_areas(pd.Series({"A": 5.0}), pd.Series({"A": 50.0, "Z": 50.0}))
    frame = result.frame.set_index("area")
    assert frame.loc["Z", "numerator"] == 0
    assert pd.isna(frame.loc["Z", "share_residents_of_color"])
    assert result.citywide == pytest.approx(0.05)


def test_area_table_from_a_frame() -> None:
    """A frame with the profile's columns works as well as the profile's areas."""
    table = area_table(
        pd.DataFrame({"name": ["A"], "share_white_nh": [0.3], "median_household_income": [1.0]})
    )
    assert table.loc[0, "share_residents_of_color"] == pytest.approx(0.7)
    assert area_table(None).empty


@pytest.mark.parametrize(
    ("numerator", "denominator", "message"),
    [({"A": 11}, {"A": 10}, "larger than its total"), ({"A": -1}, {"A": 10}, "negative")],
)
def test_impossible_figures_are_refused(numerator, denominator, message) -> None:
    """More handled than total, or negative counts, are refused in plain words."""
    with pytest.raises(KitError, match=message):
        compare_areas(numerator, denominator)
