"""The brief's equity section: every figure by area, beside the area's demographics.

A plan that sends civilian responders to some neighbourhoods and police to the others can
look fine citywide, so the brief shows, area by area, the calls, the share handled without
police (and by each alternative responder), the officer hours freed, and who lives there.
Counts of calls published per area go through the kit-wide small-count rule
(:func:`kit.suppression.cells_to_hide`): the citywide totals are published too, so a hidden
cell is hidden with enough others that subtraction cannot give it back.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from kit.brief.parts import Section, Table, suppressed_words, yearly
from kit.brief.step_sections import not_done
from kit.errors import KitError
from kit.labels import RESPONDER_SHORT_LABELS
from kit.roles.figures import PlanFigures
from kit.suppression import cells_to_hide, is_small

TITLE = "Equity: every figure by area"


def hidden_cells(counts: np.ndarray, small_count: int) -> np.ndarray:
    """Which cells of an areas x columns table of counts to hide, each column's total being
    published (its citywide figure); a column whose total is itself small is hidden whole."""
    counts = np.asarray(counts, dtype=float)
    rows, columns = counts.shape
    hidden = np.zeros_like(counts, dtype=bool)
    for j in range(columns):
        column = np.round(counts[:, j]).astype(int)
        try:
            hidden[:, j] = cells_to_hide(column.tolist(), [list(range(rows))], small_count)
        except KitError:
            hidden[:, j] = column > 0
    return hidden


def equity_section(
    figures: PlanFigures | None,
    hours_by_area: Sequence[Mapping[str, Any]],
    areas: Sequence[Any],
    small_count: int,
) -> Section:
    """The equity section from step 02's figures by area and step 03's hours freed by area."""
    if figures is None and not hours_by_area:
        return not_done("eq", TITLE, "it needs step 02's role assignments or step 03's scenario.")
    hidden_words = suppressed_words(small_count)
    people = {a.name: a for a in areas}
    freed = {r["area"]: r for r in hours_by_area}
    equity = figures.equity if figures is not None else {"areas": [], "responders": {}}
    years = float(equity.get("years") or 1.0)
    rows_in = equity["areas"] or [{"area": name} for name in freed]
    handled = np.array([[r.get("numerator", 0.0)] for r in rows_in], dtype=float)
    hide = hidden_cells(handled, small_count) if len(rows_in) else handled.astype(bool)
    rows = []
    for i, r in enumerate(rows_in):
        area = r["area"]
        person = people.get(area)
        row: dict[str, Any] = {
            "area": area or "no area",
            "residents": person.population if person else None,
            "residents_of_colour": r.get("share_residents_of_color")
            if "share_residents_of_color" in r
            else freed.get(area, {}).get("share_residents_of_color"),
            "median_household_income": person.median_household_income if person else None,
        }
        if figures is not None:
            row["calls"] = yearly(r["denominator"] / years, years, small_count)
            gone = bool(hide[i, 0])
            row["without_police"] = hidden_words if gone else round(float(r["numerator"]) / years)
            row["share"] = (
                hidden_words if gone or r["share"] is None else round(float(r["share"]), 4)
            )
            row["against_citywide"] = (
                hidden_words
                if gone or r["difference_pp"] is None
                else f"{r['difference_pp']:+.1f} points" + (" (flagged)" if r["flagged"] else "")
            )
        if area in freed:
            row["hours_freed"] = round(freed[area]["hours_freed"])
            row["officer_hours"] = round(freed[area]["officer_hours"])
        rows.append(row)
    columns: list[tuple[str, str, Any]] = [("area", "Area", "text")]
    if figures is not None:
        columns += [
            ("calls", "Calls a year", "count"),
            ("without_police", "Handled without police a year", "count"),
            ("share", "Share without police", "pct"),
            ("against_citywide", "Against citywide", "text"),
        ]
    if freed:
        columns += [
            ("officer_hours", "Officer hours a year", "count"),
            ("hours_freed", "Hours freed a year", "count"),
        ]
    columns += [
        ("residents", "Residents", "count"),
        ("residents_of_colour", "Residents of colour", "pct"),
        ("median_household_income", "Median household income", "money"),
    ]
    tables = [Table("equity_by_area", "By area", tuple(columns), rows)]
    lines = []
    if figures is not None:
        lines.append(
            f"Citywide, {equity['citywide']:.1%} of calls would be handled without police; "
            f"areas more than {equity['threshold_pp']:g} points from that are flagged."
        )
        tables.append(_responders_table(figures, rows_in, years, small_count))
    chart = [
        {
            "area": row["area"],
            "share": row.get("share"),
            "residents_of_colour": row["residents_of_colour"],
        }
        for row in rows
        if isinstance(row.get("share"), float)
    ]
    return Section("eq", TITLE, True, lines, tables, {"areas": chart})


def _responders_table(
    figures: PlanFigures, rows_in: Sequence[Mapping[str, Any]], years: float, small_count: int
) -> Table:
    """Each alternative responder's share of each area's calls, small counts hidden."""
    responders = figures.equity["responders"]
    names = list(responders)
    calls = np.array([r["denominator"] for r in rows_in], dtype=float)
    shares = np.array(
        [[responders[n]["by_area"].get(r["area"]) or 0.0 for n in names] for r in rows_in],
        dtype=float,
    ).reshape(len(rows_in), len(names))
    hide = hidden_cells(shares * calls[:, None], small_count)
    rows = [
        {
            "area": r["area"] or "no area",
            **{
                n: suppressed_words(small_count) if hide[i, j] else round(float(shares[i, j]), 4)
                for j, n in enumerate(names)
            },
        }
        for i, r in enumerate(rows_in)
    ]
    totals = (shares * calls[:, None]).sum(axis=0)
    rows.append(
        {
            "area": "Citywide",
            **{
                n: suppressed_words(small_count)
                if is_small(totals[j], small_count)
                else round(float(responders[n]["citywide"]), 4)
                for j, n in enumerate(names)
            },
        }
    )
    return Table(
        "responders_by_area",
        "Share of each area's calls each alternative responder handles",
        (("area", "Area", "text"), *((n, RESPONDER_SHORT_LABELS.get(n, n), "pct") for n in names)),
        rows,
        f"Over {years:.1f} years of calls.",
    )
