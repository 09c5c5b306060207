"""Step 05's brief as one self-contained HTML page: summary, sections, tables and charts.

Charts are drawn by :mod:`kit.charts` and embedded as SVG images in data URLs, and each
table carries its CSV as a data-URL link, so the file needs nothing from the server or the
network once saved. Charts write their numbers on the bars and cells and use a grey scale,
so the page reads the same printed in black and white. Printed, every page is numbered
(the page's own ``@page`` footer; :mod:`kit.pages.pdf` prints it with Chromium).
"""

from __future__ import annotations

import base64
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pandas as pd
from markupsafe import Markup

from kit import charts
from kit.brief import Brief, Section, Table
from kit.labels import RESPONDER_SHORT_LABELS
from kit.pages import download_link, render
from kit.pages.pdf import print_pdf
from kit.printable import file_name, write_replacing

if TYPE_CHECKING:
    from pathlib import Path

    from kit.workspace import Workspace

#: The workspace folder step 05 keeps its briefs in (kit.steps).
BRIEFS_FOLDER = "briefs"


@dataclass(frozen=True)
class _Part:
    heading: str
    section: Section
    tables: list[Markup] = field(default_factory=list)
    charts: list[dict[str, str]] = field(default_factory=list)


def svg_image(svg: str) -> str:
    """An SVG drawing as a data URL for an ``<img>``: part of the page, no file beside it."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def table_html(table: Table) -> Markup:
    """One table with its title and note, and a link that saves it as CSV."""
    csv = download_link(
        table.csv(), f"{table.name}.csv", f"Download this table as CSV ({table.name}.csv)",
        mime="text/csv",
    )  # fmt: skip
    return render("brief/table.html", table=table, csv=csv)


def _charts(section: Section) -> Iterator[dict[str, str]]:
    """The section's charts as images, each with a sentence for readers who cannot see it."""
    path = [r for r in section.charts.get("path", []) if not isinstance(r["calls"], str)]
    if path:
        chart = charts.labelled_bars(
            pd.DataFrame(path), label="stage", value="calls", title="Calls a year", fmt=",.0f"
        )
        yield {"alt": "Calls a year at each stage of the path of a call", "src": _image(chart)}
    teams = section.charts.get("teams")
    if teams:
        summary = {"responders": {n: {"teams_by_hour": t} for n, t in teams.items()}}
        frame = charts.teams_frame(summary, RESPONDER_SHORT_LABELS)
        alt = "Teams needed on duty for each hour of the week, for each responder"
        yield {"alt": alt, "src": _image(charts.labelled_teams_chart(frame))}
    areas = section.charts.get("areas")
    if areas:
        frame = pd.DataFrame(areas).sort_values("residents_of_colour", ascending=False)
        frame["label"] = [
            f"{a} ({'-' if pd.isna(c) else f'{c:.0%}'} residents of colour)"
            for a, c in zip(frame["area"], frame["residents_of_colour"], strict=True)
        ]
        chart = charts.labelled_bars(
            frame, label="label", value="share", title="Share of calls handled without police",
            fmt=".1%",
        )  # fmt: skip
        alt = "Share of each area's calls handled without police, areas by residents of colour"
        yield {"alt": alt, "src": _image(chart)}


def _image(chart: Any) -> str:
    return svg_image(charts.to_svg(chart))


def brief_html(brief: Brief) -> str:
    """The whole brief as one HTML document (autoescaped: text from the data stays text)."""
    sources = Section("sources", "Sources and assumptions", True, tables=[brief.sources])
    versions = Section("decisions", "Decisions shown", True, tables=[brief.decisions])
    parts = [
        _Part(
            f"Step {s.step} · {s.title}" if s.step.isdigit() else s.title,
            s,
            [table_html(t) for t in s.tables],
            list(_charts(s)),
        )
        for s in [*brief.sections, brief.equity, sources, versions]
    ]
    return str(render("brief/page.html", brief=brief, parts=parts))


def brief_names(brief: Brief) -> dict[str, str]:
    """The brief's file names by kind: ``port-calder-brief-2026-12-01.html``, ``.pdf``, ``.zip``."""
    page = file_name(brief.jurisdiction, "brief", brief.made.isoformat())
    stem = page.removesuffix(".html")
    return {"html": page, "pdf": f"{stem}.pdf", "tables": f"{stem}-tables.zip"}


def save_brief(ws: Workspace, brief: Brief, *, pdf: bool = False) -> list[Path]:
    """Keep the brief in the workspace's ``briefs/`` folder: the page, its tables as CSV
    files in a zip, and the PDF when asked (Chromium needed); a brief of the same day is
    replaced. Returns the files written."""
    names = brief_names(brief)
    folder = ws.safe_path(BRIEFS_FOLDER)
    folder.mkdir(exist_ok=True)
    page = brief_html(brief)
    files = {names["html"]: page.encode("utf-8"), names["tables"]: brief.csv_zip()}
    if pdf:
        files[names["pdf"]] = print_pdf(page)
    written = []
    for name, data in files.items():
        path = ws.safe_path(BRIEFS_FOLDER, name)
        write_replacing(path, data)
        written.append(path)
    return written


def preview_html(page: str) -> Markup:
    """The brief's page shown inside another page, in a frame of its own."""
    return render("brief/preview.html", page=page)
