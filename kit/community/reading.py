"""Reading the exports of deliberation tools and the kit's own templates as text tables.

Pol.is writes comma-separated files, Decidim semicolon-separated ones, and a file
saved again from Excel on Windows arrives in its code page: the delimiter is found
from the header line and Windows-1252 is tried after UTF-8. Every cell is kept as
text, cut to a length no quote needs, so a hostile file cannot blow up memory or
smuggle control characters into a page.
"""

from __future__ import annotations

import csv
import io
import os
import re
from pathlib import Path
from typing import Final

import pandas as pd

from kit.data.budget import decode_file, raise_problems
from kit.errors import KitError

MAX_TEXT: Final = 2_000  # characters kept of one statement or comment
MAX_BYTES: Final = 200 * 1024 * 1024  # a larger file is not an export of these tools
_CONTROL: Final = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def read_table(path: str | os.PathLike[str], what: str) -> pd.DataFrame:
    """Read a delimited file as text cells with lower-case, trimmed headers.

    ``what`` names the file in messages ("the pol.is comments file"). Lines that start
    with ``#`` before the header are notes (the kit's templates carry them).
    """
    source = Path(path)
    try:
        if source.stat().st_size > MAX_BYTES:
            raise KitError(f"{what.capitalize()} {source.name} is larger than 200 MB.")
        raw = source.read_bytes()
    except OSError as exc:
        raise KitError(f"Cannot read {what} {source}: {exc.strerror or exc}.") from exc
    text = _CONTROL.sub("", decode_file(raw))
    lines = text.splitlines(keepends=True)
    while lines and (not lines[0].strip() or lines[0].lstrip().startswith("#")):
        lines.pop(0)
    if not lines:
        raise KitError(f"{what.capitalize()} {source.name} is empty: it has no header row.")
    header_line = lines[0]
    delimiter = max(",;\t", key=header_line.count)
    try:
        rows = list(csv.reader(io.StringIO("".join(lines)), delimiter=delimiter))
    except csv.Error as exc:
        raise KitError(f"{what.capitalize()} {source.name} is not a readable CSV: {exc}.") from exc
    header = [cell.strip().lower() for cell in rows[0]]
    body = [row for row in rows[1:] if any(cell.strip() for cell in row)]
    width = len(header)
    cells = [[c.strip()[:MAX_TEXT] for c in (row + [""] * width)[:width]] for row in body]
    return pd.DataFrame(cells, columns=header, dtype=object)


def require_columns(frame: pd.DataFrame, needed: tuple[str, ...], what: str, hint: str) -> None:
    """Refuse a table without the columns its tool always writes."""
    missing = [c for c in needed if c not in frame.columns]
    if missing:
        raise KitError(f"{what.capitalize()} lacks the column(s) {', '.join(missing)}; {hint}")
    if frame.empty:
        raise KitError(f"{what.capitalize()} has a header row but no rows.")


def whole_numbers(
    frame: pd.DataFrame,
    column: str,
    what: str,
    *,
    allowed: set[int] | None = None,
    problems: list[str] | None = None,
) -> pd.Series:
    """A column of whole numbers; blanks stay missing, anything else is refused by row.

    With ``problems`` the refusals are added to it, for the caller to raise once for
    every column, instead of raised at once.
    """
    text = frame[column].astype(str)
    numbers = pd.to_numeric(text.where(text != ""), errors="coerce")
    bad = numbers.notna() & (numbers != numbers.round())
    bad |= (text != "") & numbers.isna()
    if allowed is not None:
        bad |= numbers.notna() & ~numbers.isin(allowed)
    if bad.any():
        rule = f"one of {sorted(allowed)} or blank" if allowed else "a whole number"
        found = [f"row {i + 1}: {column} {text[i]!r} is not {rule}." for i in frame.index[bad]]
        if problems is None:
            raise_problems(found, what)
        problems += found
        numbers = numbers.where(~bad)
    return numbers.astype("Int64")
