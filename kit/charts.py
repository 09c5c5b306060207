"""Charts for the app and the briefs, always drawn from small aggregated frames.

The aggregation functions turn calls (hundreds of thousands of rows) into frames of
a few hundred rows; the chart functions draw those frames with Altair and never see
call rows (Altair refuses more than 5,000 rows, and the page would be slow anyway).
Charts are rendered to SVG in the kernel (:func:`to_svg`), so they show offline, in
Voila, in papermill output and in printed briefs alike.

Altair is imported inside the chart functions: it takes more than a second to import,
and pages that do not chart should not pay for it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import pandas as pd

from kit.labels import WEEKDAYS

if TYPE_CHECKING:
    import altair as alt

    from kit.profile import Area

_WIDTH = 520


def calls_by_month(calls: pd.DataFrame) -> pd.DataFrame:
    """Calls received per calendar month: columns ``month`` (first day) and ``calls``."""
    received = calls["received_at"].dropna()
    if received.empty:
        return pd.DataFrame({"month": pd.Series(dtype="datetime64[ns]"), "calls": []})
    naive = received.dt.tz_localize(None) if received.dt.tz is not None else received
    months = naive.dt.to_period("M").dt.to_timestamp()
    counts = months.value_counts().sort_index()
    return pd.DataFrame({"month": counts.index, "calls": counts.to_numpy()})


def calls_by_hour_and_weekday(calls: pd.DataFrame) -> pd.DataFrame:
    """Calls by local hour of day and weekday (168 rows): ``weekday``, ``hour``, ``calls``."""
    received = calls["received_at"].dropna()
    grid = pd.MultiIndex.from_product([range(7), range(24)], names=["day", "hour"])
    counts = (
        pd.DataFrame({"day": received.dt.day_of_week, "hour": received.dt.hour})
        .value_counts()
        .reindex(grid, fill_value=0)
        .reset_index(name="calls")
    )
    counts["weekday"] = [WEEKDAYS[d] for d in counts["day"]]
    return counts[["weekday", "hour", "calls"]]


def top_call_types(calls: pd.DataFrame, n: int = 15) -> pd.DataFrame:
    """The ``n`` most frequent call types (by description when there is one)."""
    label = calls["call_type_desc"].where(calls["call_type_desc"].notna(), calls["call_type"])
    counts = label.fillna("(blank)").value_counts().head(n)
    return pd.DataFrame({"call_type": counts.index.astype(str), "calls": counts.to_numpy()})


def calls_by_area(calls: pd.DataFrame, areas: Sequence[Area]) -> pd.DataFrame:
    """Calls per area beside the area's population and calls per 1,000 residents.

    Areas in the data but not in the profile keep a blank population, so a mismatch
    between the export's district names and the profile is visible rather than hidden.
    """
    counts = calls["area"].fillna("(blank)").value_counts()
    population = {a.name: a.population for a in areas}
    names = [a.name for a in areas] + [n for n in counts.index if n not in population]
    frame = pd.DataFrame(
        {
            "area": names,
            "calls": [int(counts.get(n, 0)) for n in names],
            "population": [population.get(n) for n in names],
        }
    )
    frame["population"] = frame["population"].astype("Float64")
    frame["per_1000"] = (frame["calls"] / frame["population"] * 1000).round(1)
    return frame


def month_chart(frame: pd.DataFrame) -> alt.Chart:
    """A line of calls per month."""
    import altair as alt

    return (
        alt.Chart(frame, title="Calls by month")
        .mark_line(point=True)
        .encode(
            x=alt.X("yearmonth(month):T", title="Month"),
            y=alt.Y("calls:Q", title="Calls"),
            tooltip=["yearmonth(month):T", "calls:Q"],
        )
        .properties(width=_WIDTH, height=180)
    )


def hour_weekday_chart(frame: pd.DataFrame) -> alt.Chart:
    """A heat map of calls by hour of day and weekday."""
    import altair as alt

    return (
        alt.Chart(frame, title="Calls by hour and weekday")
        .mark_rect()
        .encode(
            x=alt.X("hour:O", title="Hour of day"),
            y=alt.Y("weekday:O", sort=list(WEEKDAYS), title=None),
            color=alt.Color("calls:Q", title="Calls", scale=alt.Scale(scheme="blues")),
            tooltip=["weekday:O", "hour:O", "calls:Q"],
        )
        .properties(width=_WIDTH, height=170)
    )


def call_types_chart(frame: pd.DataFrame) -> alt.Chart:
    """Horizontal bars of the most frequent call types."""
    import altair as alt

    return (
        alt.Chart(frame, title="Most frequent call types")
        .mark_bar()
        .encode(
            x=alt.X("calls:Q", title="Calls"),
            y=alt.Y("call_type:N", sort="-x", title=None),
            tooltip=["call_type:N", "calls:Q"],
        )
        .properties(width=_WIDTH - 120, height=alt.Step(16))
    )


def area_chart(frame: pd.DataFrame) -> alt.Chart:
    """Calls per area next to calls per 1,000 residents, so busy areas are read against size."""
    import altair as alt

    base = alt.Chart(frame).encode(y=alt.Y("area:N", title=None, sort=None))
    counts = base.mark_bar().encode(
        x=alt.X("calls:Q", title="Calls"), tooltip=["area:N", "calls:Q", "population:Q"]
    )
    rate = base.mark_bar(color="#d95f02").encode(
        x=alt.X("per_1000:Q", title="Calls per 1,000 residents"),
        tooltip=["area:N", "per_1000:Q"],
    )
    return alt.hconcat(
        counts.properties(width=_WIDTH // 2 - 40, height=alt.Step(16)),
        rate.properties(width=_WIDTH // 2 - 40, height=alt.Step(16)),
        title="Calls by area beside area population",
    )


def teams_frame(summary: Mapping[str, Any], names: Mapping[str, str]) -> pd.DataFrame:
    """Teams needed by weekday and hour for each field responder of a step 03 summary
    (168 rows each); ``names`` says what to call each responder."""
    rows = [
        {
            "responder": names.get(name, name),
            "weekday": WEEKDAYS[h // 24],
            "hour": h % 24,
            "teams": int(t),
        }
        for name, r in summary.get("responders", {}).items()
        for h, t in enumerate(r["teams_by_hour"])
    ]
    return pd.DataFrame(rows, columns=["responder", "weekday", "hour", "teams"])


def teams_chart(frame: pd.DataFrame) -> alt.FacetChart:
    """A heat map of teams needed by hour and weekday, one row per responder."""
    import altair as alt

    most = frame["teams"].max() if len(frame) else 0

    return (
        alt.Chart(frame)
        .mark_rect()
        .encode(
            x=alt.X("hour:O", title="Hour of day"),
            y=alt.Y("weekday:O", sort=list(WEEKDAYS), title=None),
            # Every count from 0 to the most at once, whichever responder needs it, so the
            # legend agrees with the text's "up to N teams".
            color=alt.Color(
                "teams:O",
                title="Teams on duty",
                scale=alt.Scale(scheme="greens", domain=list(range(int(most) + 1))),
            ),
            tooltip=["responder:N", "weekday:O", "hour:O", "teams:Q"],
        )
        .properties(width=480, height=150)
        .facet(row=alt.Row("responder:N", title=None, sort=list(frame["responder"].unique())))
        .properties(title="Teams needed on duty, by hour of the week")
    )


def tornado_chart(rows: Sequence[Mapping[str, Any]]) -> alt.LayerChart:
    """Tornado: the net effect if hours are redeployed, at each end of each assumption."""
    import altair as alt

    frame = pd.DataFrame(
        [
            {"assumption": r["label"], "end": end, "net": r[f"{end}_net_if_redeployed"]}
            for r in rows
            for end in ("low", "high")
        ]
    )
    order = [r["label"] for r in rows]
    base = rows[0]["base_net_if_redeployed"] if rows else 0.0
    bars = (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            y=alt.Y("assumption:N", sort=order, title=None),
            x=alt.X(
                "net:Q",
                title="Net effect a year if hours are redeployed",
                axis=alt.Axis(format="$,.0f"),
            ),
            x2=alt.datum(base),
            color=alt.Color("end:N", title="End of range"),
            tooltip=["assumption:N", "end:N", alt.Tooltip("net:Q", format="$,.0f")],
        )
    )
    rule = alt.Chart(pd.DataFrame({"net": [base]})).mark_rule().encode(x="net:Q")
    return (bars + rule).properties(width=480, height=alt.Step(24), title="Sensitivity")


def to_svg(chart: alt.TopLevelMixin) -> str:
    """Render a chart to SVG in the kernel: no JavaScript or network needed to show it."""
    import vl_convert

    spec: dict[str, Any] = chart.to_dict()
    return vl_convert.vegalite_to_svg(spec)


def labelled_bars(
    frame: pd.DataFrame, *, label: str, value: str, title: str, fmt: str
) -> alt.LayerChart:
    """Grey horizontal bars with each value printed at the bar's end, in the given order.

    For pages that may be printed in black and white: the numbers are written on the chart,
    so nothing depends on telling colours apart.
    """
    import altair as alt

    base = alt.Chart(frame).encode(
        y=alt.Y(f"{label}:N", sort=None, title=None),
        x=alt.X(f"{value}:Q", title=title, axis=alt.Axis(format=fmt)),
    )
    bars = base.mark_bar(color="#8c8c8c", stroke="#000", strokeWidth=0.5)
    text = base.mark_text(align="left", dx=4, color="#000").encode(
        text=alt.Text(f"{value}:Q", format=fmt)
    )
    return (bars + text).properties(width=_WIDTH - 180, height=alt.Step(20))


def labelled_teams_chart(frame: pd.DataFrame) -> alt.FacetChart:
    """:func:`teams_chart` with the number of teams written in every cell and a grey scale,
    so it reads the same printed in black and white."""
    import altair as alt

    base = alt.Chart(frame).encode(
        x=alt.X("hour:O", title="Hour of day"),
        y=alt.Y("weekday:O", sort=list(WEEKDAYS), title=None),
    )
    cells = base.mark_rect(stroke="#fff").encode(
        color=alt.Color("teams:O", title="Teams on duty", scale=alt.Scale(scheme="greys"))
    )
    text = base.mark_text(fontSize=8).encode(
        text="teams:Q",
        # White on the darker half of the scale, black on the lighter.
        color=alt.condition(
            alt.datum.teams > float(frame["teams"].max()) / 2, alt.value("#fff"), alt.value("#000")
        ),
    )
    return (
        alt.layer(cells, text, data=frame)
        .properties(width=480, height=150)
        .facet(row=alt.Row("responder:N", title=None, sort=list(frame["responder"].unique())))
        .properties(title="Teams needed on duty, by hour of the week")
    )


def detectable_chart(curve: Sequence[Mapping[str, Any]]) -> alt.LayerChart:
    """The smallest detectable reduction against the pilot's duration: simulated, and the
    formula's figure where the design has one (the diagnosis' few durations, never calls)."""
    import altair as alt

    frame = pd.DataFrame(
        [
            {"weeks": p["weeks"], "figure": name, "mde": p[key]}
            for p in curve
            for key, name in (("mde", "simulated"), ("mde_analytic", "formula"))
            if p.get(key) is not None
        ],
        columns=["weeks", "figure", "mde"],
    )
    base = alt.Chart(frame).encode(
        x=alt.X("weeks:Q", title="Pilot length (weeks)"),
        y=alt.Y("mde:Q", title="Smallest detectable reduction", axis=alt.Axis(format=".0%")),
        color=alt.Color("figure:N", title=None),
        strokeDash=alt.StrokeDash("figure:N", title=None),
        tooltip=["weeks:Q", "figure:N", alt.Tooltip("mde:Q", format=".0%")],
    )
    return (base.mark_line() + base.mark_point(filled=True)).properties(
        width=420, height=220, title="Longer pilots detect smaller effects"
    )
