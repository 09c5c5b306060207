"""The event study as a chart: the pilot's effect period by period around its start.

Before the start the points should sit near zero (the pilot and comparison areas moved
together, the assumption difference-in-differences rests on); after it they show when the
effect came and whether it held. The chart is drawn from the estimate's few periods, never
from calls, and Altair is imported only when a chart is drawn.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import pandas as pd

from kit.pilot.estimators import PERIOD_WEEKS

if TYPE_CHECKING:
    import altair as alt

COLUMNS = ("weeks", "effect", "low", "high", "when")


def event_study_frame(periods: Sequence[Mapping[str, Any]]) -> pd.DataFrame:
    """One row per period: its first week from the start, the effect, its 95% interval, and
    whether it is before or after the start; the reference period (just before) is zero."""
    if not periods:
        return pd.DataFrame(columns=list(COLUMNS))
    rows = [
        {
            "weeks": int(p["period"]) * PERIOD_WEEKS,
            "effect": float(p["effect"]),
            "low": float(p["low"]),
            "high": float(p["high"]),
            "when": "after the start" if int(p["period"]) >= 0 else "before the start",
        }
        for p in periods
    ]
    rows.append(
        {"weeks": -PERIOD_WEEKS, "effect": 0.0, "low": 0.0, "high": 0.0, "when": "reference"}
    )
    return pd.DataFrame(rows, columns=list(COLUMNS)).sort_values("weeks", ignore_index=True)


def event_study_chart(frame: pd.DataFrame, outcome: str) -> alt.LayerChart:
    """Each period's effect with its interval, a line at no change and one at the start;
    ``outcome`` (which calls) is the subtitle."""
    import altair as alt

    colour = alt.Color(
        "when:N",
        title=None,
        scale=alt.Scale(
            domain=["before the start", "reference", "after the start"],
            range=["#888888", "#444444", "#1f6fb2"],
        ),
    )
    base = alt.Chart(frame).encode(
        x=alt.X("weeks:Q", title=f"Weeks from the start ({PERIOD_WEEKS}-week periods)")
    )
    intervals = base.mark_rule(strokeWidth=2).encode(y="low:Q", y2="high:Q", color=colour)
    points = base.mark_point(filled=True, size=50).encode(
        y=alt.Y("effect:Q", title="Change in police-handled calls", axis=alt.Axis(format="%")),
        color=colour,
        tooltip=[
            alt.Tooltip("weeks:Q", title="weeks from the start"),
            alt.Tooltip("effect:Q", format=".0%"),
            alt.Tooltip("low:Q", format=".0%", title="95% interval from"),
            alt.Tooltip("high:Q", format=".0%", title="to"),
        ],
    )
    no_change = alt.Chart(pd.DataFrame({"y": [0.0]})).mark_rule(strokeDash=[4, 4]).encode(y="y:Q")
    start = alt.Chart(pd.DataFrame({"x": [0]})).mark_rule(color="#1f6fb2").encode(x="x:Q")
    title = alt.TitleParams("The pilot's effect, period by period", subtitle=outcome)
    return (no_change + start + intervals + points).properties(width=480, height=240, title=title)
