"""What the column-mapping form shows of an export's values before anything is imported.

A person choosing which column holds what needs to see a few of each column's values, and
the first rows as the import will read them. Those values are shown on a page, so they obey
the import's personal-data rules first: columns with personal headers show nothing, and any
value shaped like a street address is cut to the hundred block, whichever column it is in.
"""

from __future__ import annotations

import re
from typing import Final

import pandas as pd
import pyarrow as pa

from kit.data.blocks import coarsen_block
from kit.data.headers import personal_reason
from kit.data.split_times import split_name

#: A house number, then a word: "1234 Main St", "12B Elm", "100-110 Oak Ave".
_ADDRESS: Final = re.compile(r"^\s*\d+[A-Za-z]?(?:\s*-\s*\d+)?\s+[A-Za-z]")
#: Longer values are cut, so one narrative cell cannot fill the form.
_LONGEST: Final = 40


def shown(value: object) -> str:
    """One value as the form may show it: empty for missing, addresses cut, long text cut."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    text = " ".join(str(value).split())
    if _ADDRESS.match(text):
        text = str(coarsen_block(pa.array([text]))[0])
    return text if len(text) <= _LONGEST else text[: _LONGEST - 1] + "…"


def column_samples(rows: pd.DataFrame, *, count: int = 3) -> dict[str, list[str]]:
    """A few distinct values of each column (none for a column with a personal header)."""
    samples: dict[str, list[str]] = {}
    for header in rows.columns:
        if personal_reason(str(header)) is not None:
            samples[str(header)] = []
            continue
        values = [shown(v) for v in rows[header].tolist()]
        samples[str(header)] = list(dict.fromkeys(v for v in values if v))[:count]
    return samples


def rows_as_read(
    rows: pd.DataFrame, mapping: dict[str, str | None], *, count: int = 5
) -> list[dict[str, str]]:
    """The first rows by field (role -> value shown), for the fields the mapping fills.

    A date and a time in two columns (``DATE+TIME``) are shown joined, as the import joins
    them; columns with personal headers are never shown, whatever they are mapped to.
    """
    headers = [str(h) for h in rows.columns]
    chosen: dict[str, tuple[str, ...]] = {}
    for role, header in mapping.items():
        parts = (split_name(header, headers) or (header,)) if header else ()
        if parts and all(personal_reason(part) is None for part in parts):
            chosen[role] = parts
    out = []
    for _, row in rows.head(count).iterrows():
        out.append(
            {
                role: " ".join(shown(row.get(part)) for part in parts).strip()
                for role, parts in chosen.items()
            }
        )
    return out
