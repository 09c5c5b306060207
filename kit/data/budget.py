"""The police budget table: budget lines by fiscal year and the sworn headcount.

Step 03 needs the city's own cost of an officer, not a national average, so the
user copies the department's budget lines into templates/budget_template.csv.
One long table (a row per line) matches how budget books list spending; the sworn
headcount rides along as a line of category ``sworn_headcount`` so that one file
holds everything the cost per officer needs.
"""

from __future__ import annotations

import csv
import io
import os
import re
from pathlib import Path
from typing import Final

import pandas as pd

from kit.errors import KitError

BUDGET_COLUMNS: Final[tuple[str, ...]] = ("fiscal_year", "category", "item", "amount")

BUDGET_CATEGORIES: Final[dict[str, str]] = {
    "salaries": "sworn officers' pay (base salaries)",
    "benefits": "sworn officers' pensions, health and other benefits",
    "overtime": "sworn officers' overtime",
    "civilian": "civilian staff's pay and benefits",
    "equipment": "vehicles, radios, computers, uniforms and other equipment",
    "other": "training, facilities, contracts and everything else",
    "sworn_headcount": "budgeted sworn officers (full-time equivalents), a count, not dollars",
}
MONEY_CATEGORIES: Final[tuple[str, ...]] = tuple(
    c for c in BUDGET_CATEGORIES if c != "sworn_headcount"
)

_MAX_PROBLEMS: Final = 8
_MONEY_JUNK: Final = re.compile(r"[$,\s]")


def decode_file(raw: bytes) -> str:
    """A small CSV's text: Excel on Windows saves CSV in the local code page, so UTF-8 is
    tried first and Windows-1252 after it."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def read_filled_template(path: str | os.PathLike[str], what: str) -> pd.DataFrame:
    """Read a filled-in CSV template as text: notes (lines starting with #) skipped.

    ``what`` names the file in messages ("the budget file").
    """
    source = Path(path)
    try:
        raw = source.read_bytes()
    except OSError as exc:
        raise KitError(f"Cannot read {what} {source}: {exc.strerror or exc}.") from exc
    text = decode_file(raw)
    lines = [line for line in text.splitlines() if not line.lstrip().startswith("#")]
    rows = list(csv.reader(io.StringIO("\n".join(lines))))
    rows = [row for row in rows if any(cell.strip() for cell in row)]
    if not rows:
        raise KitError(
            f"{what.capitalize()} {source.name} is empty: keep the header row and add rows."
        )
    header = [cell.strip().lower() for cell in rows[0]]
    width = len(header)
    body = [(row + [""] * width)[:width] for row in rows[1:]]
    return pd.DataFrame(body, columns=header, dtype=object)


def raise_problems(problems: list[str], what: str) -> None:
    """Raise one KitError listing the first few problems (and how many more there are)."""
    shown = problems[:_MAX_PROBLEMS]
    more = len(problems) - len(shown)
    tail = f"\n- and {more} more" if more > 0 else ""
    raise KitError(f"{what.capitalize()} has problems:\n- " + "\n- ".join(shown) + tail)


def check_budget(frame: pd.DataFrame) -> pd.DataFrame:
    """Validate budget lines and return them typed; KitError lists what to fix, by row.

    Amounts may carry "$" and thousands separators; category names are matched
    without regard to case, with spaces read as underscores. Row numbers count data
    rows from 1.
    """
    missing = [c for c in BUDGET_COLUMNS if c not in frame.columns]
    if missing:
        raise KitError(
            f"The budget file lacks the column(s) {', '.join(missing)}; start from "
            "templates/budget_template.csv and keep its header row."
        )
    text = frame[list(BUDGET_COLUMNS)].astype("string").fillna("").apply(lambda s: s.str.strip())
    category = text["category"].str.lower().str.replace(r"\s+", "_", regex=True)
    year = pd.to_numeric(text["fiscal_year"], errors="coerce")
    amount = pd.to_numeric(text["amount"].str.replace(_MONEY_JUNK, "", regex=True), errors="coerce")
    problems: list[str] = []
    for i in range(len(text)):
        row = i + 1
        if (
            pd.isna(year.iloc[i])
            or year.iloc[i] != int(year.iloc[i])
            or not 1900 < year.iloc[i] < 2200
        ):
            problems.append(
                f"row {row}: fiscal_year {text['fiscal_year'].iloc[i]!r} is not a year."
            )
        if category.iloc[i] not in BUDGET_CATEGORIES:
            problems.append(
                f"row {row}: category {text['category'].iloc[i]!r} is not one of "
                f"{', '.join(BUDGET_CATEGORIES)}."
            )
        if pd.isna(amount.iloc[i]) or amount.iloc[i] < 0:
            problems.append(
                f"row {row}: amount {text['amount'].iloc[i]!r} is not a positive number."
            )
    if problems:
        raise_problems(problems, "the budget file")
    result = pd.DataFrame(
        {
            "fiscal_year": year.astype("int64"),
            "category": category.astype(str),
            "item": text["item"].astype(str),
            "amount": amount.astype("float64"),
        }
    )
    heads = result[result["category"] == "sworn_headcount"].groupby("fiscal_year").size()
    no_head = sorted(set(result["fiscal_year"]) - set(heads.index))
    if no_head:
        years = ", ".join(str(y) for y in no_head)
        raise KitError(
            f"The budget file has no sworn_headcount row for fiscal year(s) {years}: add one "
            "row per year with the number of budgeted sworn officers."
        )
    return result.reset_index(drop=True)


def read_budget(path: str | os.PathLike[str]) -> pd.DataFrame:
    """Read and validate a filled-in templates/budget_template.csv."""
    return check_budget(read_filled_template(path, "the budget file"))


def budget_summary(budget: pd.DataFrame) -> pd.DataFrame:
    """Per fiscal year: each category's total, the sworn headcount and costs per officer.

    ``cost_per_sworn`` is the whole budget over sworn officers (the Bureau of Justice
    Statistics' measure); ``sworn_cost_per_officer`` counts only sworn pay, benefits and
    overtime, the part that reassigning officer hours can release.
    """
    table = budget.pivot_table(
        index="fiscal_year", columns="category", values="amount", aggfunc="sum", fill_value=0.0
    )
    table = table.reindex(columns=list(BUDGET_CATEGORIES), fill_value=0.0)
    table["total"] = table[list(MONEY_CATEGORIES)].sum(axis=1)
    sworn = table["sworn_headcount"].where(table["sworn_headcount"] > 0)
    table["cost_per_sworn"] = table["total"] / sworn
    table["sworn_cost_per_officer"] = (
        table[["salaries", "benefits", "overtime"]].sum(axis=1) / sworn
    )
    table.columns.name = None
    return table
