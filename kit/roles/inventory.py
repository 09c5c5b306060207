"""The call-type inventory: what police are called for, and how much officer time each takes.

One row per call type (and per family): calls and their share, officer hours and their
share, per year, how long a call commits officers (median and 90th percentile), and how
calls start (priority, initiated by) and end (disposition). The same figures can be
broken down by hour of day, weekday or area, so a reassignment can be judged where and
when it would act. This reads call rows (percentiles and mixes need them); the fast
path for interactive changes is :func:`kit.roles.flow` on the cube.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

import numpy as np
import pandas as pd

from kit.data.schema import INITIATED_BY
from kit.errors import KitError
from kit.labels import WEEKDAYS
from kit.roles.cube import UNKNOWN_AREA, estimate_if_missing, officer_hours, period_covered
from kit.taxonomy import DISPOSITIONS, Rules, classify_dispositions, classify_types

INVENTORY_BY: Final[tuple[str, ...]] = ("hour", "weekday", "area")
MIX_COLUMNS: Final[tuple[str, ...]] = ("priority_mix", "initiated_mix", "disposition_mix")


def _mix(keys: list[pd.Series], values: pd.Series, categories: tuple[str, ...] | None) -> pd.Series:
    """Share of each value within each group, as a {value: share} dict per group."""
    frame = pd.DataFrame({f"k{i}": k for i, k in enumerate(keys)})
    frame["value"] = values.astype("string").fillna("unknown")
    counts = frame.groupby([*frame.columns[:-1], "value"], sort=True, observed=True).size()
    shares = counts / counts.groupby(level=list(range(len(keys))), observed=True).transform("sum")
    order = {name: i for i, name in enumerate(categories or ())}
    result: dict[object, dict[str, float]] = {}
    for index, share in shares.items():
        group = index[: len(keys)] if len(keys) > 1 else index[0]
        result.setdefault(group, {})[str(index[-1])] = round(float(share), 4)
    if categories:
        result = {
            g: dict(sorted(m.items(), key=lambda kv: order.get(kv[0], len(order))))
            for g, m in result.items()
        }
    return pd.Series(result, dtype=object)


def _frame(
    calls: pd.DataFrame,
    officers_per_unit: float,
    families: Mapping[str, str] | None,
    rules: Rules | None,
    minutes_per_call: Mapping[str, object] | None,
) -> tuple[pd.DataFrame, pd.DataFrame, float]:
    for column in ("call_type", "received_at"):
        if column not in calls:
            raise KitError(
                f"The calls have no '{column}' column. Import the calls again (step 00) "
                "and map a column to it."
            )
    calls = calls.loc[pd.to_datetime(calls["received_at"]).notna()]
    types = classify_types(calls, overrides=families, rules=rules)
    calls, hours_estimated, _ = estimate_if_missing(calls, types, minutes_per_call)
    hours, imputed = officer_hours(calls, officers_per_unit)
    received = pd.to_datetime(calls["received_at"])
    years, _, _ = period_covered(received)
    area = (
        calls["area"].astype("string").fillna(UNKNOWN_AREA).replace("", UNKNOWN_AREA)
        if "area" in calls
        else pd.Series(UNKNOWN_AREA, index=calls.index, dtype="string")
    )
    rows = pd.DataFrame(
        {
            "call_type": calls["call_type"].astype("string").fillna(""),
            "officer_hours": hours,
            "imputed": imputed.astype(np.int64),
            "hour": received.dt.hour.astype(np.int64),
            "weekday": pd.Categorical(
                received.dt.day_of_week.map(dict(enumerate(WEEKDAYS))), categories=list(WEEKDAYS)
            ),
            "area": area,
            "priority": calls.get("priority", pd.NA),
            "initiated_by": calls.get("initiated_by", pd.NA),
            "disposition": (
                classify_dispositions(
                    calls["disposition"], rules=rules.dispositions if rules else None
                )
                if "disposition" in calls
                else pd.Series("other", index=calls.index)
            ),
        }
    )
    family = dict(zip(types["call_type"].astype(str), types["family"].astype(str), strict=True))
    rows["family"] = rows["call_type"].astype(str).map(family)
    rows["hours_estimated"] = hours_estimated
    return rows, types, years


def _summarise(rows: pd.DataFrame, keys: list[str], years: float) -> pd.DataFrame:
    grouped = rows.groupby(keys, sort=True, observed=True)
    minutes = rows["officer_hours"] * 60.0
    table = pd.DataFrame(
        {
            "calls": grouped.size(),
            "officer_hours": grouped["officer_hours"].sum(),
            "hours_imputed": grouped["imputed"].sum(),
            "median_minutes": minutes.groupby([rows[k] for k in keys], observed=True).median(),
            "p90_minutes": minutes.groupby([rows[k] for k in keys], observed=True).quantile(0.9),
            "hours_estimated": grouped["hours_estimated"].any(),
        }
    )
    total_calls = float(len(rows))
    total_hours = float(rows["officer_hours"].sum())
    table["share_of_calls"] = table["calls"] / total_calls if total_calls else 0.0
    table["share_of_officer_hours"] = table["officer_hours"] / total_hours if total_hours else 0.0
    table["calls_per_year"] = table["calls"] / years
    table["officer_hours_per_year"] = table["officer_hours"] / years
    key_series = [rows[k] for k in keys]
    table["priority_mix"] = _mix(key_series, rows["priority"], None)
    table["initiated_mix"] = _mix(key_series, rows["initiated_by"], INITIATED_BY)
    table["disposition_mix"] = _mix(key_series, rows["disposition"], DISPOSITIONS)
    return table.reset_index()


def _check_by(by: str | None) -> list[str]:
    if by is None:
        return []
    if by not in INVENTORY_BY:
        raise KitError(f"'{by}' is not a breakdown of the inventory: use hour, weekday or area.")
    return [by]


def inventory(
    calls: pd.DataFrame,
    *,
    officers_per_unit: float = 1.0,
    families: Mapping[str, str] | None = None,
    by: str | None = None,
    rules: Rules | None = None,
    minutes_per_call: Mapping[str, object] | None = None,
) -> pd.DataFrame:
    """One row per call type (and per value of ``by``: hour, weekday or area), biggest first.

    Shares are of all calls and all officer hours in the data; ``*_per_year`` figures
    are annualised over the period the data covers. ``hours_estimated`` is true on every
    row when the export had no durations and officer hours come from ``minutes_per_call``.
    """
    extra = _check_by(by)
    rows, types, years = _frame(calls, officers_per_unit, families, rules, minutes_per_call)
    table = _summarise(rows, ["call_type", *extra], years)
    info = types.set_index("call_type")[
        ["call_type_desc", "family", "source", "confidence"]
    ].rename(columns={"source": "family_source", "confidence": "family_confidence"})
    table = table.join(info, on="call_type")
    order = types["call_type"].reset_index().set_index("call_type")["index"]
    table["_order"] = table["call_type"].map(order)
    table = table.sort_values(["_order", *extra], kind="stable").drop(columns="_order")
    first = ["call_type", "call_type_desc", "family", "family_source", "family_confidence"]
    return _ordered(table, [*first, *extra])


def family_inventory(
    calls: pd.DataFrame,
    *,
    officers_per_unit: float = 1.0,
    families: Mapping[str, str] | None = None,
    by: str | None = None,
    rules: Rules | None = None,
    minutes_per_call: Mapping[str, object] | None = None,
) -> pd.DataFrame:
    """The inventory summed by family (and ``by``), families by officer hours, largest first."""
    extra = _check_by(by)
    rows, _, years = _frame(calls, officers_per_unit, families, rules, minutes_per_call)
    table = _summarise(rows, ["family", *extra], years)
    weight = table.groupby("family")["officer_hours"].transform("sum")
    table = table.assign(_w=-weight).sort_values(["_w", "family", *extra], kind="stable")
    return _ordered(table.drop(columns="_w"), ["family", *extra])


def _ordered(table: pd.DataFrame, first: list[str]) -> pd.DataFrame:
    figures = [
        "calls",
        "share_of_calls",
        "calls_per_year",
        "officer_hours",
        "share_of_officer_hours",
        "officer_hours_per_year",
        "hours_imputed",
        "median_minutes",
        "p90_minutes",
        "hours_estimated",
        *MIX_COLUMNS,
    ]
    return table[[*first, *figures]].reset_index(drop=True)


def to_records(table: pd.DataFrame) -> list[dict[str, object]]:
    """JSON-ready records: numbers rounded, missing values as null."""
    records: list[dict[str, object]] = []
    for row in table.to_dict(orient="records"):
        clean: dict[str, object] = {}
        for key, value in row.items():
            if isinstance(value, dict):
                clean[key] = value
            elif isinstance(value, bool | np.bool_):
                clean[key] = bool(value)
            elif isinstance(value, float | np.floating):
                clean[key] = None if not np.isfinite(value) else round(float(value), 4)
            elif isinstance(value, np.integer):
                clean[key] = int(value)
            elif value is pd.NA or value is None:
                clean[key] = None
            else:
                clean[key] = value if isinstance(value, int | str) else str(value)
        records.append(clean)
    return records
