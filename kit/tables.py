"""Tables as CSV files people open in a spreadsheet, with formula injection neutralised.

A spreadsheet runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` (and, in some, a tab
or a carriage return) as a formula, so a call type or an area name typed into a CAD system
could run when a council's analyst opens the download. Following OWASP's advice on CSV
injection (https://owasp.org/www-community/attacks/CSV_Injection), such text cells get a
leading single quote, which the spreadsheet shows as text. Numbers are written as numbers:
``-0.3`` is a value, not a formula, and stays one, whether it came as a number or as text.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Final

#: The characters a spreadsheet may read as the start of a formula (OWASP, above).
FORMULA_STARTS: Final = ("=", "+", "-", "@", "\t", "\r")


def _is_number(text: str) -> bool:
    try:
        return math.isfinite(float(text))
    except ValueError:
        return False


def safe_cell(value: Any) -> Any:
    """One cell as written to a CSV: text that could run as a formula gets a leading quote.

    Numbers (and text that reads as a finite number, such as ``-0.3``) are left as they are;
    ``None`` and NaN become an empty cell.
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return value
    text = str(value)
    if text.startswith(FORMULA_STARTS) and not _is_number(text):
        return "'" + text
    return text


def flat(row: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """A row whose nested parts become columns of their own: ``{"baseline": {"value": 3}}``
    gives ``{"baseline.value": 3}``; a list of plain values becomes one cell, joined by "; "."""
    found: dict[str, Any] = {}
    for key, value in row.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            found.update(flat(value, f"{name}."))
        elif isinstance(value, list | tuple) and not any(isinstance(v, Mapping) for v in value):
            found[name] = "; ".join(str(v) for v in value)
        else:
            found[name] = value
    return found


def csv_text(
    rows: Iterable[Mapping[str, Any]], columns: Sequence[tuple[str, str]] | None = None
) -> str:
    """Rows as CSV text with a header, every cell through :func:`safe_cell`.

    ``columns`` are (key, heading) pairs in order; without them, every key the rows have
    (nested parts flattened by :func:`flat`) is used as both, in the order first met.
    Headings are neutralised too: they come from the kit, but a column can be named after an
    area or a responder.
    """
    rows = [flat(row) for row in rows]
    if columns is None:
        columns = [(key, key) for key in dict.fromkeys(k for row in rows for k in row)]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([safe_cell(heading) for _, heading in columns])
    for row in rows:
        writer.writerow([safe_cell(row.get(key)) for key, _ in columns])
    return out.getvalue()
