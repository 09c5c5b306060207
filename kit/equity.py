"""By-area comparisons used by every step: is a plan's effect spread fairly across areas?

A plan that sends civilian responders to some neighbourhoods and police to others can
look fine citywide. For any per-area rate (calls handled without police over all calls,
say), :func:`compare_areas` shows each area's share beside the citywide share, the gap in
percentage points, a flag when the gap exceeds a threshold, and how the shares move with
the area's share of residents of colour and its median household income.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

import numpy as np
import pandas as pd
from scipy import stats

from kit.errors import KitError

# Gap from the citywide share, in percentage points, past which an area is flagged. A planning
# choice, not a published standard: every step starts from this one figure and saves the one
# its users settle on with its decision.
DEFAULT_THRESHOLD_PP: Final = 10.0
# Below this many calls (the denominator) an area's share is too noisy to flag.
DEFAULT_MIN_DENOMINATOR: Final = 30
# Correlations across fewer areas than this are not shown.
MIN_AREAS_FOR_CORRELATION: Final = 4


@dataclass(frozen=True)
class AreaComparison:
    """Per-area shares against the citywide share, with flags and correlations."""

    frame: pd.DataFrame
    citywide: float
    threshold_pp: float
    correlations: dict[str, float | None] = field(default_factory=dict)

    @property
    def flagged(self) -> list[str]:
        """Areas whose share differs from the citywide share by more than the threshold."""
        return [str(a) for a in self.frame.loc[self.frame["flagged"], "area"]]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        rows = []
        for row in self.frame.to_dict(orient="records"):
            rows.append(
                {
                    k: (None if isinstance(v, float) and not math.isfinite(v) else v)
                    for k, v in row.items()
                }
            )
        return {
            "citywide": self.citywide,
            "threshold_pp": self.threshold_pp,
            "areas": rows,
            "correlations": self.correlations,
        }


def check_threshold(value: Any) -> float:
    """A flag threshold as a number of percentage points from 0 to 100, or a plain error."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 100:
        raise KitError("The equity threshold must be between 0 and 100 percentage points.")
    return float(value)


def area_table(areas: Iterable[Any] | pd.DataFrame | None) -> pd.DataFrame:
    """Area name, share of residents of colour and median household income, one row per area.

    Takes the profile's areas (objects with ``name``, ``share_white_nh`` and
    ``median_household_income``) or a frame with those columns.
    """
    columns = ["area", "share_residents_of_color", "median_household_income"]
    if areas is None:
        return pd.DataFrame(columns=columns)
    if isinstance(areas, pd.DataFrame):
        frame = areas.rename(columns={"name": "area"}).copy()
        if "share_residents_of_color" not in frame and "share_white_nh" in frame:
            frame["share_residents_of_color"] = 1.0 - frame["share_white_nh"]
        for column in columns:
            if column not in frame:
                frame[column] = np.nan
        return frame[columns].reset_index(drop=True)
    rows = []
    for area in areas:
        white = getattr(area, "share_white_nh", None)
        rows.append(
            {
                "area": str(area.name),
                "share_residents_of_color": np.nan if white is None else 1.0 - float(white),
                "median_household_income": getattr(area, "median_household_income", np.nan),
            }
        )
    return pd.DataFrame(rows, columns=columns)


def _as_series(values: Mapping[str, float] | pd.Series, what: str) -> pd.Series:
    series = pd.Series(values, dtype="float64") if isinstance(values, Mapping) else values
    series = pd.to_numeric(series, errors="coerce").astype("float64")
    if (series < 0).any():
        raise KitError(f"The {what} per area must not be negative.")
    series.index = series.index.astype(str)
    return series


def _correlation(x: pd.Series, y: pd.Series) -> float | None:
    """Spearman's rank correlation (Pearson's on average ranks), or None when too few areas."""
    ok = (x.notna() & y.notna()).to_numpy()
    xs, ys = x.to_numpy(dtype=np.float64)[ok], y.to_numpy(dtype=np.float64)[ok]
    if ok.sum() < MIN_AREAS_FOR_CORRELATION or len(np.unique(xs)) < 2 or len(np.unique(ys)) < 2:
        return None
    value = float(np.corrcoef(stats.rankdata(xs), stats.rankdata(ys))[0, 1])
    return round(value, 3) if math.isfinite(value) else None


def compare_areas(
    numerator: Mapping[str, float] | pd.Series,
    denominator: Mapping[str, float] | pd.Series,
    areas: Iterable[Any] | pd.DataFrame | None = None,
    *,
    threshold_pp: float = DEFAULT_THRESHOLD_PP,
    min_denominator: float = DEFAULT_MIN_DENOMINATOR,
) -> AreaComparison:
    """Compare a per-area share (numerator / denominator) with the citywide share.

    ``difference_pp`` is the area's share minus the citywide share in percentage points;
    ``flagged`` marks gaps larger than ``threshold_pp`` in areas with at least
    ``min_denominator`` in the denominator. Correlations (Spearman, across areas) of the
    share with the share of residents of colour and with median household income are
    given when at least four areas have both figures.
    """
    if not threshold_pp >= 0:
        raise KitError("The threshold must be zero or more percentage points.")
    num = _as_series(numerator, "numerator")
    den = _as_series(denominator, "denominator")
    index = den.index.union(num.index)
    num = num.reindex(index, fill_value=0.0)
    den = den.reindex(index, fill_value=0.0)
    if (num > den + 1e-9).any():
        raise KitError("A per-area count is larger than its total: check which figures were given.")
    total_den = float(den.sum())
    citywide = float(num.sum()) / total_den if total_den > 0 else float("nan")
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(den > 0, num / den, np.nan)
    frame = pd.DataFrame(
        {"area": index, "numerator": num.to_numpy(), "denominator": den.to_numpy(), "share": share}
    )
    frame["citywide"] = citywide
    frame["difference_pp"] = (frame["share"] - citywide) * 100.0
    frame["enough_data"] = frame["denominator"] >= min_denominator
    frame["flagged"] = frame["enough_data"] & (frame["difference_pp"].abs() > threshold_pp)
    demo = area_table(areas).drop_duplicates("area").set_index("area")
    for column in ("share_residents_of_color", "median_household_income"):
        frame[column] = demo[column].reindex(frame["area"]).to_numpy(dtype=np.float64)
    correlations = {
        "residents_of_color": _correlation(frame["share"], frame["share_residents_of_color"]),
        "median_household_income": _correlation(frame["share"], frame["median_household_income"]),
    }
    return AreaComparison(
        frame=frame, citywide=citywide, threshold_pp=float(threshold_pp), correlations=correlations
    )


def _demographics(areas: Iterable[Any] | pd.DataFrame | None) -> dict[str, tuple[float, float]]:
    table = area_table(areas).drop_duplicates("area")
    return {
        str(a): (float(c), float(i))
        for a, c, i in zip(
            table["area"],
            pd.to_numeric(table["share_residents_of_color"], errors="coerce"),
            pd.to_numeric(table["median_household_income"], errors="coerce"),
            strict=True,
        )
    }


def compare_shares(
    names: Sequence[str],
    numerator: np.ndarray,
    denominator: np.ndarray,
    areas: Iterable[Any] | pd.DataFrame | None = None,
    *,
    threshold_pp: float = DEFAULT_THRESHOLD_PP,
    min_denominator: float = DEFAULT_MIN_DENOMINATOR,
) -> dict[str, Any]:
    """``compare_areas(...).to_dict()`` computed with NumPy alone, for pages that redraw on
    every slider move (tens of microseconds instead of milliseconds of pandas work).

    ``names`` are distinct area names with their ``numerator`` and ``denominator``; areas
    are given back in that order.
    """
    if not threshold_pp >= 0:
        raise KitError("The threshold must be zero or more percentage points.")
    num = np.asarray(numerator, dtype=np.float64)
    den = np.asarray(denominator, dtype=np.float64)
    if (num < 0).any() or (den < 0).any():
        raise KitError("The counts per area must not be negative.")
    if (num > den + 1e-9).any():
        raise KitError("A per-area count is larger than its total: check which figures were given.")
    total = float(den.sum())
    citywide = float(num.sum()) / total if total > 0 else float("nan")
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(den > 0, num / den, np.nan)
    gap = (share - citywide) * 100.0
    demo = _demographics(areas)
    nan = (float("nan"), float("nan"))
    ordered = [str(n) for n in names]
    color = pd.Series([demo.get(a, nan)[0] for a in ordered], dtype="float64")
    income = pd.Series([demo.get(a, nan)[1] for a in ordered], dtype="float64")
    shares = pd.Series(share, dtype="float64")

    def clean(value: float) -> float | None:
        return float(value) if math.isfinite(value) else None

    rows = []
    for i, area in enumerate(ordered):
        enough = bool(den[i] >= min_denominator)
        rows.append(
            {
                "area": area,
                "numerator": float(num[i]),
                "denominator": float(den[i]),
                "share": clean(share[i]),
                "citywide": clean(citywide),
                "difference_pp": clean(gap[i]),
                "enough_data": enough,
                "flagged": bool(enough and abs(gap[i]) > threshold_pp),
                "share_residents_of_color": clean(color.iat[i]),
                "median_household_income": clean(income.iat[i]),
            }
        )
    return {
        "citywide": citywide,
        "threshold_pp": float(threshold_pp),
        "areas": rows,
        "correlations": {
            "residents_of_color": _correlation(shares, color),
            "median_household_income": _correlation(shares, income),
        },
    }
