"""Step 02 in HTML: the fragments its page shows and the report a headless run keeps.

Each function renders a template from ``templates/roles/`` with figures the step's model
took from :mod:`kit.roles`; nothing here computes a figure.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

import numpy as np
from markupsafe import Markup

from kit.labels import RESPONDER_SHORT_LABELS, WEEKDAYS, number
from kit.pages import render
from kit.pages.guide import summary_bar_html
from kit.taxonomy import FAMILY_LABELS

#: The stages of the path of a call as the summary's table names them.
STAGES: Final = (
    ("Eligible: in call types the plan moves, not screened", "eligible_per_year"),
    ("Routed to another responder", "routed_per_year"),
    ("Handled by that responder", "handled_per_year"),
    ("Handled without police", "without_police_per_year"),
)
_CORRELATIONS: Final = (
    ("residents_of_color", "the share of residents of colour"),
    ("median_household_income", "median household income"),
)


def summary_html(summary: Mapping[str, Any]) -> Markup:
    """The plan's live totals: calls at each stage of the path, hours and officers freed."""
    return render("roles/summary.html", s=summary, stages=STAGES, names=RESPONDER_SHORT_LABELS)


def families_html(rows: list[dict[str, Any]]) -> Markup:
    """What police keep, family by family."""
    return render("roles/families.html", rows=rows)


def split_text(split: Mapping[str, float]) -> str:
    """``Police 40%, Crisis team 60%`` (plain text)."""
    return ", ".join(
        f"{RESPONDER_SHORT_LABELS[r]} {100 * s:.0f}%" for r, s in split.items() if s > 0
    )


def types_html(columns: Mapping[str, Any], splits: Mapping[str, Mapping[str, float]]) -> Markup:
    """One page of the call-type table, from the model's columns for those rows."""
    keys = list(columns)
    rows = [dict(zip(keys, values, strict=True)) for values in zip(*columns.values(), strict=True)]
    for row in rows:
        row["split"] = split_text(splits[row["call_type"]])
    return render("roles/types.html", rows=rows)


def hours_html(moved_by_hour: np.ndarray) -> Markup:
    """When the moved calls happen: a heat map of calls handled without police a year, by
    hour of day and weekday (an HTML grid, drawn in microseconds and readable offline)."""
    grid = np.asarray(moved_by_hour, dtype=np.float64).reshape(len(WEEKDAYS), 24)
    peak_day, peak_hour = divmod(int(grid.argmax()), 24)
    return render(
        "roles/hours.html",
        grid=[
            (day, [float(v) for v in values]) for day, values in zip(WEEKDAYS, grid, strict=True)
        ],
        top=float(grid.max()),
        peak_day=WEEKDAYS[peak_day],
        peak_hour=peak_hour,
    )


def equity_html(equity: Mapping[str, Any]) -> Markup:
    """Each area's share of calls handled without police (and by each responder) beside the
    city's, in percentage points, flagged past the threshold, beside the area's demographics."""
    if not equity:
        return render("roles/equity.html", equity=equity)
    correlations = [
        (words, equity["correlations"][key])
        for key, words in _CORRELATIONS
        if equity["correlations"].get(key) is not None
    ]
    return render(
        "roles/equity.html",
        equity=equity,
        responders=list(equity.get("responders", {})),
        names=RESPONDER_SHORT_LABELS,
        years=equity.get("years") or 1.0,
        flagged=[a for a in equity["areas"] if a.get("flagged")],
        correlations=correlations,
    )


def unclassified_html(rows: list[dict[str, Any]], limit: int = 15, *, own_rules: bool) -> Markup:
    """The call types no rule recognised, biggest first, each with the family the text model
    suggested or none, counted as needing review, and whose rules apply."""
    return render(
        "roles/unclassified.html",
        rows=rows,
        limit=limit,
        own_rules=own_rules,
        other=FAMILY_LABELS["other"],
    )


def report_html(**parts: Markup) -> Markup:
    """The step's figures as one part of a document: what a headless run keeps."""
    return render("roles/report.html", **parts)


def summary_bar(summary: Mapping[str, Any]) -> Markup:
    """The plan's headline figures on the line kept in view at the foot of the window."""
    if not summary:
        return Markup("")
    hours = number(summary["freed_hours_per_year"]) + (
        " (estimated)" if summary.get("hours_estimated") else ""
    )
    return summary_bar_html(
        [
            ("calls a year handled without police", number(summary["without_police_per_year"])),
            ("officer hours freed a year", hours),
            ("full-time officers' time", number(summary["officers_freed"], 1)),
        ],
        years=summary.get("years"),
    )
