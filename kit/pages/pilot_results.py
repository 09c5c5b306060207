"""A pilot's results in HTML: the fragment the app shows and the page to print.

The figures come from :mod:`kit.pilot.results` as its JSON-ready document (what
``kit evaluate`` saves as ``pilot_results``), so a saved evaluation prints the same as a
fresh one; nothing here computes a figure. Counts of calls below the workspace's small-count
threshold are not printed (docs/publishing.md).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from markupsafe import Markup

from kit import charts
from kit.pages import render
from kit.pilot.event_study import event_study_chart, event_study_frame
from kit.pilot.reading import change_words, interval_words
from kit.suppression import DEFAULT_SMALL_COUNT, is_small


def _change(effect: float | None, low: float | None, high: float | None) -> dict[str, str]:
    """An effect and its interval as words for a table ("30% fewer", "24% to 36% fewer")."""
    if effect is None:
        return {"change": "not estimated", "interval": ""}
    if low is None or high is None:
        return {"change": change_words(effect), "interval": "no interval"}
    words = interval_words(low, high).removeprefix("95% interval ")
    return {"change": change_words(effect), "interval": words}


def _share(value: float | None, calls: float, small_count: int) -> str:
    if is_small(calls, small_count):
        return f"fewer than {small_count} calls"
    return "" if value is None else f"{100 * value:.0f}%"


def _areas(doc: Mapping[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for row in doc["by_area"]:
        income = row.get("median_household_income")
        colour = row.get("share_residents_of_color")
        rows.append(
            {
                "area": row["area"],
                **_change(row["effect"], row["low"], row["high"]),
                "residents": "" if row.get("population") is None else f"{row['population']:,.0f}",
                "of_colour": "" if colour is None else f"{100 * colour:.0f}%",
                "income": "" if income is None else f"${income:,.0f}",
                "reading": row["reading"],
            }
        )
    return rows


def _responder(doc: Mapping[str, Any], small_count: int) -> dict[str, Any] | None:
    found = doc.get("responder")
    if not found:
        return None
    rows = [
        {
            "area": r["area"],
            "share": _share(r.get("share"), r["denominator"], small_count),
            "gap": "" if r.get("difference_pp") is None else f"{r['difference_pp']:+.1f}",
            "flagged": "yes" if r.get("flagged") else "",
        }
        for r in found["areas"]
    ]
    return {"rows": rows, "citywide": found.get("citywide"), "correlations": found["correlations"]}


def results_html(
    doc: Mapping[str, Any], *, small_count: int = DEFAULT_SMALL_COUNT, app: bool = False
) -> Markup:
    """The results as an HTML fragment: the reading, how it was made, the event study and
    the equity checks; text from the data is escaped. ``app``: shown in step 04's page,
    whose hints name the page's controls rather than the command line's options."""
    frame = event_study_frame(doc.get("periods") or [])
    chart = Markup(charts.to_svg(event_study_chart(frame, doc["outcome"]))) if len(frame) else ""
    return render(
        "pilot/results.html",
        doc=doc,
        overall=_change(doc["effect"], doc["low"], doc["high"]),
        chart=chart,
        areas=_areas(doc),
        responder=_responder(doc, small_count),
        app=app,
    )


def results_page(
    doc: Mapping[str, Any],
    *,
    jurisdiction: str,
    printed: date,
    small_count: int = DEFAULT_SMALL_COUNT,
) -> str:
    """:func:`results_html` as a whole page to print, naming the jurisdiction and the day."""
    return str(
        render(
            "pilot/results_page.html",
            body=results_html(doc, small_count=small_count),
            jurisdiction=jurisdiction,
            printed=printed.isoformat(),
        )
    )
