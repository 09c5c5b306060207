"""The pieces a brief is made of: tables, sections, and the brief itself.

They hold figures already worked out and already cleared for publishing (small counts
replaced by words), so the page, the PDF and the CSV bundle show exactly the same cells.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from kit.suppression import is_small
from kit.tables import csv_text

Kind = Literal["text", "count", "number", "money", "pct"]


@dataclass(frozen=True)
class Table:
    """One table: a name for its CSV file, a title, (key, heading, kind) columns and rows.

    A cell is a number, or text; a suppressed count is text ("fewer than 11 in the period").
    """

    name: str
    title: str
    columns: tuple[tuple[str, str, Kind], ...]
    rows: list[dict[str, Any]]
    note: str = ""

    def csv(self) -> str:
        """The table as CSV, with formula-like text neutralised (:mod:`kit.tables`)."""
        return csv_text(self.rows, [(key, heading) for key, heading, _ in self.columns])


@dataclass(frozen=True)
class Section:
    """A step's part of the brief: done or not, what it says, its tables and charts' data.

    ``charts`` holds small aggregated data (records) that the page draws as images.
    """

    step: str
    title: str
    done: bool
    lines: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    charts: Mapping[str, Any] = field(default_factory=dict)
    #: The one-page summary's (heading, sentence) pairs this step answers for.
    summary: list[tuple[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class Brief:
    """Everything a workspace has decided, for a council: summary, sections, sources, versions."""

    jurisdiction: str
    made: date
    small_count: int
    #: The one-page summary: (heading, sentence) pairs, in the order the issue lists them.
    summary: list[tuple[str, str]]
    sections: list[Section]
    equity: Section
    sources: Table
    decisions: Table

    @property
    def tables(self) -> list[Table]:
        """Every table of the brief, in page order (the CSV bundle's files)."""
        parts = [*self.sections, self.equity]
        return [t for part in parts for t in part.tables] + [self.sources, self.decisions]

    def csv_zip(self) -> bytes:
        """Every table as a CSV file (``goals.csv``, ``staffing.csv`` ...) in one zip archive."""
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            for table in self.tables:
                archive.writestr(f"{table.name}.csv", table.csv())
        return out.getvalue()


def suppressed_words(small_count: int) -> str:
    """What a hidden count says in a published table."""
    return f"fewer than {small_count} in the period"


def yearly(per_year: float, years: float, small_count: int, digits: int = 0) -> float | str:
    """A yearly figure, or words when the count it rests on in the data period is small."""
    if is_small(per_year * years, small_count):
        return suppressed_words(small_count)
    return round(float(per_year), digits)
