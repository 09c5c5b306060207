"""The call cube: calls and officer hours aggregated once by call type, hour of week and area.

Everything step 02 and step 03 recompute while a person moves a slider (responder splits,
take-up, coverage hours) is linear in calls and officer hours, so it can be computed on
this aggregate instead of on hundreds of thousands of call rows. Building the cube is the
only pass over the rows; :func:`kit.roles.flow` then takes milliseconds.

Officer hours are the calls' ``unit_hours`` (time summed over responding units) times
``officers_per_unit``. A call whose duration was blanked as impossible (or is missing) gets
the median of its call type's valid durations, so that a type's workload is not understated
by bad timestamps; how many were imputed is kept per type and shown.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Final

import numpy as np
import pandas as pd

from kit.errors import KitError
from kit.roles.durations import has_durations, has_units, with_estimated_hours
from kit.taxonomy import FAMILIES, Rules, classify_types

HOURS_OF_WEEK: Final = 168
UNKNOWN_AREA: Final = "Unknown area"
_SECONDS_PER_YEAR: Final = 365.25 * 24 * 3600


@dataclass(frozen=True, eq=False)
class Cube:
    """Calls and officer hours per (call type, hour of week, area) cell.

    ``types`` has one row per call type, in type-code order (row ``i`` is code ``i``):
    call_type, call_type_desc, family, family_source, family_confidence (the text model's, for a
    type no rule recognised), calls, officer_hours, hours_imputed, officer_share, unit_minutes.
    The cell arrays have one entry per non-empty cell.
    """

    types: pd.DataFrame
    type_code: np.ndarray
    hour_of_week: np.ndarray
    area_code: np.ndarray
    calls: np.ndarray
    officer_hours: np.ndarray
    areas: tuple[str, ...]
    years: float
    officers_per_unit: float
    start: pd.Timestamp | None = None
    end: pd.Timestamp | None = None
    dropped: int = 0
    #: True when the export had no durations and officer hours come from minutes per family.
    hours_estimated: bool = False
    #: True when the export had no unit count and units per call come from published defaults.
    units_estimated: bool = False
    by_year: pd.DataFrame = field(default_factory=pd.DataFrame)
    cache: dict[object, object] = field(default_factory=dict, repr=False)

    @property
    def total_calls(self) -> float:
        """All calls in the cube."""
        return float(self.calls.sum())

    @property
    def total_hours(self) -> float:
        """All officer hours in the cube."""
        return float(self.officer_hours.sum())

    @cached_property
    def unit_minutes(self) -> dict[str, float]:
        """Mean minutes one responding unit is committed to a call, by call type."""
        return {
            str(t): float(m)
            for t, m in zip(self.types["call_type"], self.types["unit_minutes"], strict=True)
            if np.isfinite(m)
        }

    @cached_property
    def hours_of_week_seen(self) -> np.ndarray:
        """How many times each hour of the week occurs in the period the calls cover (168)."""
        return hour_of_week_occurrences(self.start, self.end)

    @cached_property
    def family_code(self) -> np.ndarray:
        """Family index (position in FAMILIES) of each type code."""
        lookup = {family: i for i, family in enumerate(FAMILIES)}
        return np.array([lookup[f] for f in self.types["family"]], dtype=np.int16)

    @cached_property
    def type_index(self) -> dict[str, int]:
        """Type code of each call type."""
        return {str(name): i for i, name in enumerate(self.types["call_type"])}

    @cached_property
    def by_type_and_hour(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """The cells summed over areas: (type code, hour of week, calls, officer hours)."""
        key = self.type_code.astype(np.int64) * HOURS_OF_WEEK + self.hour_of_week
        unique, inverse = np.unique(key, return_inverse=True)
        calls = np.bincount(inverse, weights=self.calls, minlength=len(unique))
        hours = np.bincount(inverse, weights=self.officer_hours, minlength=len(unique))
        return (
            (unique // HOURS_OF_WEEK).astype(np.int32),
            (unique % HOURS_OF_WEEK).astype(np.int16),
            calls,
            hours,
        )

    def cells(self) -> pd.DataFrame:
        """The cells as a frame with readable call type, family and area names."""
        return pd.DataFrame(
            {
                "call_type": self.types["call_type"].to_numpy()[self.type_code],
                "family": self.types["family"].to_numpy()[self.type_code],
                "hour_of_week": self.hour_of_week,
                "area": np.asarray(self.areas, dtype=object)[self.area_code],
                "calls": self.calls,
                "officer_hours": self.officer_hours,
            }
        )


def officer_hours(
    calls: pd.DataFrame, officers_per_unit: float = 1.0
) -> tuple[pd.Series, pd.Series]:
    """Officer hours of each call and whether its duration was imputed.

    A missing or blanked ``unit_hours`` takes the median of the valid durations of the same
    call type (or of all calls when the type has none), so bad timestamps do not make a
    type look lighter than it is.
    """
    if not officers_per_unit > 0:
        raise KitError(
            "Officers per unit must be a positive number (1 when each unit is one officer)."
        )
    if "unit_hours" in calls:
        hours = pd.to_numeric(calls["unit_hours"], errors="coerce").astype("float64")
    else:
        hours = pd.Series(np.nan, index=calls.index, dtype="float64")
    hours = hours.where(np.isfinite(hours) & (hours >= 0))
    missing = hours.isna()
    if missing.any():
        types = calls["call_type"].astype("string").fillna("")
        medians = hours.groupby(types, sort=False).transform("median")
        overall = hours.median()
        fill = medians.fillna(0.0 if pd.isna(overall) else overall)
        hours = hours.fillna(fill)
    return hours * float(officers_per_unit), missing


def estimate_if_missing(
    calls: pd.DataFrame, types: pd.DataFrame, minutes_per_call: Mapping[str, object] | None
) -> tuple[pd.DataFrame, bool, bool]:
    """The calls, with durations estimated per family when none has one; and two flags:
    whether hours and whether units were estimated (``types`` as from ``classify_types``)."""
    if has_durations(calls):
        return calls, False, False
    family = dict(zip(types["call_type"].astype(str), types["family"].astype(str), strict=True))
    call_family = calls["call_type"].astype("string").fillna("").astype(str).map(family)
    estimated = with_estimated_hours(calls, call_family, minutes_per_call)
    return estimated, True, not has_units(calls)


def unit_minutes_by_type(calls: pd.DataFrame, unit_hours: pd.Series) -> pd.Series:
    """Mean minutes one responding unit is committed to a call, by call type.

    ``unit_hours`` is each call's time summed over its responding units (imputed where
    missing, as :func:`officer_hours` does with one officer per unit). A team sent instead
    answers the call alone, so its time per call is one unit's share, not the sum.
    """
    units = (
        pd.to_numeric(calls["units"], errors="coerce").fillna(1).clip(lower=1)
        if "units" in calls
        else 1
    )
    types = calls["call_type"].astype("string").fillna("").astype(str)
    return (unit_hours / units * 60.0).groupby(types).mean()


def period_covered(
    received: pd.Series,
) -> tuple[float, pd.Timestamp | None, pd.Timestamp | None]:
    """Years the calls cover (for annualising), with the first and last call's time."""
    if received.empty:
        return 1.0, None, None
    start, end = received.min(), received.max()
    seconds = (end - start).total_seconds()
    # A period shorter than a day is annualised as one day, never divided by zero.
    return max(seconds, 86400.0) / _SECONDS_PER_YEAR, start, end


def hour_of_week_occurrences(start: pd.Timestamp | None, end: pd.Timestamp | None) -> np.ndarray:
    """How many times each hour of the week (Monday 00:00 = 0) occurs from ``start``'s hour to
    ``end``'s hour, on the local clock of their time zone.

    A rate per hour of the week divides the calls in that hour by this count, not by the
    weeks the period spans: in ten days of data three weekdays occur twice and four once. At
    the clock changes a day has 23 or 25 hours, so the skipped hour occurs once less that
    week and the repeated hour once more, just as the calls recorded in them do.
    """
    counts = np.zeros(HOURS_OF_WEEK, dtype=np.float64)
    if start is None or end is None or end < start:
        return counts
    # Step whole hours of elapsed time from the start of start's local hour: offsets change
    # only on the hour, so every step lands on the start of a local hour.
    first = start - pd.Timedelta(
        minutes=start.minute,
        seconds=start.second,
        microseconds=start.microsecond,
        nanoseconds=start.nanosecond,
    )
    hours = pd.date_range(first, end, freq="h")
    labels = (hours.day_of_week * 24 + hours.hour).to_numpy(dtype=np.int64)
    return np.bincount(labels, minlength=HOURS_OF_WEEK).astype(np.float64)


def build_cube(
    calls: pd.DataFrame,
    *,
    officers_per_unit: float = 1.0,
    families: Mapping[str, str] | None = None,
    rules: Rules | None = None,
    minutes_per_call: Mapping[str, object] | None = None,
) -> Cube:
    """Aggregate calls once into a :class:`Cube` (the one pass over call rows).

    ``families`` maps call types to families chosen by a person (the saved overrides); the
    other types get their family from the taxonomy rules (``rules``: the workspace's, see
    :func:`kit.roles.rules.workspace_rules`; the kit's own when None). When no call has a
    duration, officer hours are estimated from ``minutes_per_call`` per family (the published
    defaults when None), see :mod:`kit.roles.durations`.
    """
    for column in ("call_type", "received_at"):
        if column not in calls:
            raise KitError(
                f"The calls have no '{column}' column. Import the calls again (step 00) "
                "and map a column to it."
            )
    received = pd.to_datetime(calls["received_at"])
    keep = received.notna().to_numpy()
    dropped = int((~keep).sum())
    if dropped:
        calls = calls.loc[keep]
        received = received.loc[keep]
    types = classify_types(calls, overrides=families, rules=rules)
    calls, hours_estimated, units_estimated = estimate_if_missing(calls, types, minutes_per_call)
    hours, imputed = officer_hours(calls, officers_per_unit)

    type_codes = pd.Index(types["call_type"].astype(str)).get_indexer(
        calls["call_type"].astype("string").fillna("").astype(str)
    )
    area_text = (
        calls["area"].astype("string").fillna(UNKNOWN_AREA).replace("", UNKNOWN_AREA)
        if "area" in calls
        else pd.Series(UNKNOWN_AREA, index=calls.index, dtype="string")
    )
    area_codes, area_names = pd.factorize(area_text, sort=True)
    how = (received.dt.day_of_week * 24 + received.dt.hour).to_numpy(dtype=np.int64)
    n_areas = max(len(area_names), 1)

    key = (type_codes.astype(np.int64) * HOURS_OF_WEEK + how) * n_areas + area_codes
    unique, inverse = np.unique(key, return_inverse=True)
    hours_values = hours.to_numpy(dtype=np.float64)
    cell_calls = np.bincount(inverse, minlength=len(unique)).astype(np.float64)
    cell_hours = np.bincount(inverse, weights=hours_values, minlength=len(unique))

    per_type_hours = np.bincount(type_codes, weights=hours_values, minlength=len(types))
    per_type_imputed = np.bincount(
        type_codes, weights=imputed.to_numpy(dtype=np.float64), minlength=len(types)
    )
    types = types.rename(columns={"source": "family_source", "confidence": "family_confidence"})
    per_unit = unit_minutes_by_type(calls, hours / float(officers_per_unit))
    types["unit_minutes"] = types["call_type"].astype(str).map(per_unit).astype("float64")
    types["officer_hours"] = per_type_hours
    types["hours_imputed"] = per_type_imputed.astype(np.int64)
    types = types[
        [
            "call_type",
            "call_type_desc",
            "family",
            "family_source",
            "family_confidence",
            "calls",
            "officer_hours",
            "hours_imputed",
            "officer_share",
            "unit_minutes",
        ]
    ]

    years, start, end = period_covered(received)
    by_year = (
        pd.DataFrame(
            {
                "call_type": calls["call_type"].astype("string").fillna("").to_numpy(),
                "year": received.dt.year.to_numpy(),
                "officer_hours": hours_values,
            }
        )
        .groupby(["call_type", "year"], sort=True)
        .agg(calls=("officer_hours", "size"), officer_hours=("officer_hours", "sum"))
        .reset_index()
    )
    return Cube(
        types=types.reset_index(drop=True),
        type_code=(unique // HOURS_OF_WEEK // n_areas).astype(np.int32),
        hour_of_week=((unique // n_areas) % HOURS_OF_WEEK).astype(np.int16),
        area_code=(unique % n_areas).astype(np.int32),
        calls=cell_calls,
        officer_hours=cell_hours,
        areas=tuple(str(a) for a in area_names),
        years=years,
        officers_per_unit=float(officers_per_unit),
        start=start,
        end=end,
        dropped=dropped,
        hours_estimated=hours_estimated,
        units_estimated=units_estimated,
        by_year=by_year,
    )
