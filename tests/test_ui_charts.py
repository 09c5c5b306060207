"""First-look aggregations count every call once, and the charts are drawn from them."""

from __future__ import annotations

import pandas as pd

from kit import charts
from kit.profile import Area


def _calls() -> pd.DataFrame:
    received = pd.to_datetime(
        ["2024-01-01 08:15", "2024-01-01 08:45", "2024-02-03 23:10", "2024-02-04 00:05"]
    ).tz_localize("America/Chicago")
    return pd.DataFrame(
        {
            "received_at": received,
            "call_type": ["21", "21", "62A", None],
            "call_type_desc": ["TRAFFIC", None, "ALARM", None],
            "area": ["North", "North", "Elsewhere", None],
        }
    )


def test_counts_by_month_hour_type_and_area() -> None:
    """Each aggregation sums to the number of calls, in the jurisdiction's local time."""
    calls = _calls()
    month = charts.calls_by_month(calls)
    assert month["calls"].tolist() == [2, 2]
    hours = charts.calls_by_hour_and_weekday(calls)
    assert len(hours) == 168 and hours["calls"].sum() == 4
    monday_8 = hours[(hours["weekday"] == "Monday") & (hours["hour"] == 8)]
    assert monday_8["calls"].item() == 2
    types = charts.top_call_types(calls)
    assert dict(zip(types["call_type"], types["calls"], strict=True)) == {
        "TRAFFIC": 1,
        "21": 1,
        "ALARM": 1,
        "(blank)": 1,
    }
    north = Area("North", 2000, 0.5, 0.2, 0.2, 0.05, 0.05)
    areas = charts.calls_by_area(calls, [north])
    assert areas["area"].tolist() == ["North", "Elsewhere", "(blank)"]
    assert areas.loc[0, "per_1000"] == 1.0 and pd.isna(areas.loc[1, "population"])


def test_charts_embed_only_the_aggregated_rows() -> None:
    """A chart's data is the small frame it was given, never call rows."""
    hours = charts.calls_by_hour_and_weekday(_calls())
    spec = charts.hour_weekday_chart(hours).to_dict()
    (values,) = spec["datasets"].values()
    assert len(values) == 168 and spec["mark"]["type"] == "rect"
    svg = charts.to_svg(charts.month_chart(charts.calls_by_month(_calls())))
    assert svg.startswith("<svg") and "Calls by month" in svg
