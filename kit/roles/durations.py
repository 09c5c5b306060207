"""Officer time for calls exported without durations: minutes per call by family, estimated.

Many public exports carry only the time a call was received, so no call has ``unit_hours``
and every officer-hour figure would be zero. Step 02 then asks for the minutes a responding
unit is committed to a call of each family; the defaults, and the units sent per call when
the export has no unit count, come from ``templates/roles/minutes_per_call.csv``, which cites
its published source per row. Figures built on these minutes are flagged as estimated.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from functools import cache

import numpy as np
import pandas as pd

from kit.errors import KitError
from kit.resources import template
from kit.taxonomy import FAMILIES


@cache
def _defaults() -> dict[str, tuple[float, float]]:
    with template("roles", "minutes_per_call.csv").open(encoding="utf-8", newline="") as handle:
        return {
            row["family"]: (float(row["minutes"]), float(row["units_per_call"]))
            for row in csv.DictReader(handle)
        }


def default_minutes() -> dict[str, float]:
    """Published minutes one unit spends on a call, per family (see the CSV's sources)."""
    return {family: _defaults()[family][0] for family in FAMILIES}


def default_units() -> dict[str, float]:
    """Published units sent per call, per family, for exports with no unit count."""
    return {family: _defaults()[family][1] for family in FAMILIES}


def check_minutes(minutes: Mapping[str, object] | None) -> dict[str, float]:
    """Minutes per family as saved with step 02's plan; families left out keep the default."""
    result = default_minutes()
    if minutes is None:
        return result
    if not isinstance(minutes, Mapping):
        raise KitError("The minutes per call must be given per family, e.g. {'alarm': 15}.")
    for family, value in minutes.items():
        if family not in result:
            raise KitError(f"'{family}' is not a family; use one of: {', '.join(FAMILIES)}.")
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value <= 1440:
            raise KitError(
                f"The minutes per call for {family} must be a number above 0 and at most 1,440 "
                "(one day)."
            )
        result[family] = float(value)
    return result


def has_durations(calls: pd.DataFrame) -> bool:
    """Whether any call carries a usable duration (``unit_hours``)."""
    if "unit_hours" not in calls:
        return False
    hours = pd.to_numeric(calls["unit_hours"], errors="coerce").to_numpy(dtype=np.float64)
    return bool((np.isfinite(hours) & (hours >= 0)).any())


def has_units(calls: pd.DataFrame) -> bool:
    """Whether any call carries a count of responding units."""
    return "units" in calls and bool(pd.to_numeric(calls["units"], errors="coerce").notna().any())


def with_estimated_hours(
    calls: pd.DataFrame, family: pd.Series, minutes: Mapping[str, object] | None
) -> pd.DataFrame:
    """The calls with ``unit_hours`` (and ``units`` when missing) estimated from their family.

    ``family`` gives each call's family (aligned with ``calls``). A call's unit hours are
    minutes / 60 x units sent, so officer hours stay the time summed over units.
    """
    per_family = check_minutes(minutes)
    calls = calls.copy()
    if not has_units(calls):
        calls["units"] = family.map(default_units()).fillna(1.0).to_numpy()
    units = pd.to_numeric(calls["units"], errors="coerce").fillna(1.0).clip(lower=1.0)
    calls["unit_hours"] = family.map(per_family).to_numpy(dtype=np.float64) / 60.0 * units
    return calls
