"""Step 03 in HTML: the fragments its page shows, and the whole step as a page to print.

Each function takes figures :mod:`kit.funding_figures` worked out and renders a template
from ``templates/funding/``; nothing here computes a figure. Charts are drawn by
:mod:`kit.charts` and passed in as markup.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any, Final

from markupsafe import Markup

from kit import charts, funding
from kit.funding_figures import FundingFigures
from kit.labels import BUDGET_LINE_LABELS, number, short_label
from kit.pages import money, render
from kit.pages.guide import summary_bar_html

COMPARISON_COLUMNS: Final = [
    ("scenario", "Scenario", "text"),
    ("hours_freed", "Officer hours freed a year", "count"),
    ("fte_freed", "Officers' worth", "number"),
    ("teams_at_peak", "Teams at peak", "count"),
    ("headcount", "Headcount", "number"),
    ("service_cost", "Service cost a year", "money"),
    ("net_if_redeployed", "Net if redeployed", "money"),
    ("net_if_not_refilled", "Net if not refilled", "money"),
]


def _table(rows: list[dict[str, Any]], columns: list[tuple[str, str, str]]) -> Markup:
    return render("table.html", rows=rows, columns=columns, css="kit-table")


def headline_html(summary: Mapping[str, Any]) -> Markup:
    """The scenario's figures in a few plain sentences."""
    return render("funding/headline.html", summary=summary, names=BUDGET_LINE_LABELS)


def team_hours_html(summary: Mapping[str, Any]) -> Markup:
    """Each field responder's team-hours a week and peak, the totals behind the heat map."""
    return render("funding/team_hours.html", summary=summary, names=BUDGET_LINE_LABELS)


def teams_html(summary: Mapping[str, Any]) -> Markup:
    """The heat map of teams needed by hour of the week, or why there is none."""
    frame = charts.teams_frame(summary, BUDGET_LINE_LABELS)
    chart = Markup(charts.to_svg(charts.teams_chart(frame))) if len(frame) else ""
    return render("funding/teams.html", chart=chart)


def plan_note_html(roles_saved: bool) -> Markup:
    """What a first visit needs to know when step 02 has no saved plan (empty when it has)."""
    return render("funding/plan_note.html", roles_saved=roles_saved)


def checklist_html(sources: list[dict[str, Any]]) -> Markup:
    """The checklist of kinds of funding, each with what has been entered for it."""
    items = []
    for item in funding.funding_checklist().to_dict("records"):
        entered = [s for s in sources if s["kind"] == item["kind"]]
        total = sum(float(a) for s in entered for a in s["amounts"].values())
        items.append(
            {
                **item,
                "entered": money(total) if entered else "none yet",
                "status": ", ".join(sorted({s["status"] for s in entered})),
            }
        )
    return render("funding/checklist.html", items=items)


def by_area_html(by_area: list[dict[str, Any]]) -> Markup:
    """Officer hours and hours freed per area, beside the citywide share and demographics."""
    rows = [
        {
            **r,
            "share_pct": "" if r.get("share") is None else f"{100 * r['share']:.1f}%",
            "difference": (
                ""
                if r.get("difference_pp") is None
                else f"{r['difference_pp']:+.1f} points" + (" (flagged)" if r["flagged"] else "")
            ),
            "colour": (
                ""
                if r.get("share_residents_of_color") is None
                else f"{100 * r['share_residents_of_color']:.0f}%"
            ),
        }
        for r in by_area
    ]
    return _table(
        rows,
        [
            ("area", "Area", "text"),
            ("officer_hours", "Officer hours a year", "count"),
            ("hours_freed", "Hours freed a year", "count"),
            ("share_pct", "Share freed", "text"),
            ("difference", "Against citywide", "text"),
            ("colour", "Residents of colour", "text"),
        ],
    )


def comparison_html(
    comparison: list[dict[str, Any]], scenarios: list[dict[str, Any]], roles_saved: bool
) -> Markup:
    """The scenarios side by side, or what to press to work them out."""
    unsaved = set() if roles_saved else {s["name"] for s in scenarios if s.get("use_saved_roles")}
    rows = [
        {**r, "scenario": f"{r['scenario']} (none saved yet)"} if r["scenario"] in unsaved else r
        for r in comparison
    ]
    return render("funding/comparison.html", rows=rows, columns=COMPARISON_COLUMNS, css="kit-table")


def tornado_html(rows: list[dict[str, Any]]) -> Markup:
    """The tornado chart and its ranges, or what to press to work them out."""
    chart = Markup(charts.to_svg(charts.tornado_chart(rows))) if rows else ""
    columns = [
        ("label", "Assumption", "text"),
        ("range", "Range", "text"),
        ("low_net_if_redeployed", "Net at low end", "money"),
        ("high_net_if_redeployed", "Net at high end", "money"),
    ]
    return render("funding/tornado.html", rows=rows, chart=chart, columns=columns, css="kit-table")


def reverse_html(r: Mapping[str, Any]) -> Markup:
    """What must move to keep service with a smaller police budget, or what to press."""
    rows = [
        {
            "call_type": f"{m['call_type']} {m['call_type_desc'] or ''}".strip(),
            "to": ", ".join(f"{short_label(k)} {v:.0%}" for k, v in m["split"].items()),
            "hours_freed": m["hours_freed"],
        }
        for m in r.get("moved", [])
    ]
    columns = [
        ("call_type", "Call type", "text"),
        ("to", "Goes to", "text"),
        ("hours_freed", "Officer hours freed a year", "count"),
    ]
    return render("funding/reverse.html", r=r, rows=rows, columns=columns, css="kit-table")


def sources_html(sources: list[dict[str, Any]]) -> Markup:
    """The funding sources entered, one row each."""
    checklist = funding.funding_checklist()
    labels = dict(zip(checklist["kind"], checklist["label"], strict=True))
    rows = [
        {
            "name": s["name"],
            "kind": labels.get(s["kind"], s["kind"]),
            "status": s["status"],
            "amounts": ", ".join(f"{y}: {money(a)}" for y, a in s["amounts"].items()),
            "dates": " to ".join(d for d in (s.get("start"), s.get("end")) if d) or "",
        }
        for s in sources
    ]
    columns = [
        ("name", "Source", "text"),
        ("kind", "Kind", "text"),
        ("status", "Status", "text"),
        ("amounts", "Amounts", "text"),
        ("dates", "Dates", "text"),
    ]
    return render("funding/sources.html", rows=rows, columns=columns, css="kit-table")


def gap_html(gap: list[dict[str, Any]]) -> Markup:
    """The service's cost against the money secured and hoped for, year by year."""
    rows = [{**row, "arpa": "yes" if row["arpa_enhanced_match_possible"] else "no"} for row in gap]
    return _table(
        rows,
        [
            ("year", "Fiscal year", "text"),
            ("cost", "Cost", "money"),
            ("secured", "Secured", "money"),
            ("pending", "Applied for or hoped", "money"),
            ("gap", "Gap", "money"),
            ("gap_if_pending_arrives", "Gap if all arrives", "money"),
            ("arpa", "ARPA 85% Medicaid match window", "text"),
        ],
    )


def funding_html(figures: FundingFigures) -> Markup:
    """Step 03's figures as one HTML part: what the scenario frees and costs, the staffing it
    needs, how sure the figures are, and who pays. Parts not yet worked out are left out."""
    doc = figures.document
    summary = figures.summary
    parts = {
        "headline": headline_html(summary),
        "team_hours": team_hours_html(summary),
        "teams_chart": teams_html(summary),
        "by_area": by_area_html(figures.by_area),
        "comparison": (
            comparison_html(figures.comparison, doc["scenarios"], figures.roles_saved)
            if figures.comparison
            else ""
        ),
        "tornado": tornado_html(figures.tornado) if figures.tornado else "",
        "reverse": reverse_html(figures.reverse) if figures.reverse else "",
        "sources": sources_html(doc["funding_sources"]),
        "gap": gap_html(figures.gap),
    }
    return render("funding/summary.html", doc=doc, parts=parts)


def funding_page(figures: FundingFigures, *, jurisdiction: str, printed: date) -> str:
    """:func:`funding_html` as a whole page to print, naming the jurisdiction and the day."""
    return str(
        render(
            "funding/page.html",
            body=funding_html(figures),
            jurisdiction=jurisdiction,
            printed=printed.isoformat(),
        )
    )


def summary_bar(summary: Mapping[str, Any]) -> Markup:
    """The scenario's headline figures on the line kept in view at the foot of the window."""
    if not summary:
        return Markup("")
    hours = number(summary["hours_freed"]) + (
        " (estimated)" if summary.get("hours_estimated") else ""
    )
    return summary_bar_html(
        [
            ("officer hours freed a year", hours),
            ("net a year if the hours are redeployed", money(summary["net_if_redeployed"])),
            ("the new service a year", money(summary["service_cost"])),
        ],
        years=summary.get("years"),
    )
