"""Dates and times kept in two columns, joined into one time.

Many CAD exports write each moment as a date column and a time-of-day column
(``Received_Date`` + ``Received_Time``, ``Date`` / ``Time``), or as a date at
midnight beside the time as text (``12/27/2023 00:00:00`` beside ``07:12``). The
pair is joined as text, ``12/27/2023 07:12``, so the joined column goes through the
same time parsing as any other (kit.data.times). A pair is named ``DATE+TIME``, the
form a user writes with ``--map received_at=Received_Date+Received_Time``.
"""

from __future__ import annotations

from typing import Final

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from kit.data.headers import header_words
from kit.data.profiles import Profile

JOIN: Final[str] = "+"
_DATE_WORDS: Final[frozenset[str]] = frozenset({"date", "dt", "day"})
_TIME_WORDS: Final[frozenset[str]] = frozenset({"time", "tm", "hour"})
# A trailing midnight on a date ("00:00:00", "T00:00", "12:00:00 AM") is dropped before joining.
_MIDNIGHT = r"(?i)([ T]0{1,2}:00(:00(\.0+)?)?( ?AM)?|[ T]12:00(:00)? ?AM)?(Z|[+-]00(:?00)?)?$"
_COMPACT = r"^(\d{2})(\d{2})(\d{2})?$"


def pair_name(date_header: str, time_header: str) -> str:
    """The name a joined pair goes by in a mapping."""
    return f"{date_header}{JOIN}{time_header}"


def split_name(name: str, headers: list[str]) -> tuple[str, str] | None:
    """The two headers a ``DATE+TIME`` name joins, or None when it names no pair of them."""
    if name in headers or JOIN not in name:
        return None
    for i in range(len(name)):
        if name[i] == JOIN and name[:i] in headers and name[i + 1 :] in headers:
            return name[:i], name[i + 1 :]
    return None


def _stem(header: str, remove: frozenset[str]) -> tuple[str, ...]:
    return tuple(w for w in header_words(header) if w not in remove)


def find_pairs(headers: list[str], profiles: dict[str, Profile]) -> dict[str, tuple[str, str]]:
    """Date columns and the time-of-day columns that go with them, by joined name.

    A date pairs with the time whose header is the same once the words for date and
    time are taken out (``Received_Date`` with ``Received_Time``); a single date left
    over pairs with a single time left over (``Date`` with ``Time``).
    """
    dates, clocks = [], []
    for header in headers:
        seen = profiles[header]
        words = set(header_words(header))
        if seen.present and seen.date_only:
            dates.append(header)
        elif seen.present and seen.time_of_day and words & _TIME_WORDS:
            clocks.append(header)
    pairs: dict[str, tuple[str, str]] = {}
    for day in list(dates):
        stem = _stem(day, _DATE_WORDS | _TIME_WORDS)
        same = [c for c in clocks if _stem(c, _DATE_WORDS | _TIME_WORDS) == stem]
        if len(same) == 1:
            pairs[pair_name(day, same[0])] = (day, same[0])
            dates.remove(day)
            clocks.remove(same[0])
    if len(dates) == 1 and len(clocks) == 1:
        pairs[pair_name(dates[0], clocks[0])] = (dates[0], clocks[0])
    return pairs


def join_times(dates: pa.Array, clocks: pa.Array) -> pa.Array:
    """Join a date column and a time-of-day column into one text column of times.

    Blank when either half is blank; ``0712`` is read as ``07:12``.
    """
    day = pc.utf8_trim_whitespace(dates.cast(pa.string()))
    day = pc.replace_substring_regex(day, _MIDNIGHT, "")
    clock = pc.utf8_trim_whitespace(clocks.cast(pa.string()))
    clock = pc.replace_substring_regex(clock, _COMPACT, r"\1:\2:\3")
    clock = pc.replace_substring_regex(clock, r":$", "")
    day = pc.if_else(pc.equal(day, ""), pa.scalar(None, pa.string()), day)
    clock = pc.if_else(pc.equal(clock, ""), pa.scalar(None, pa.string()), clock)
    return pc.binary_join_element_wise(day, clock, " ")


def join_sample(pairs: dict[str, tuple[str, str]], sample: pd.DataFrame) -> dict[str, pd.Series]:
    """The joined text of each pair over a sample, for matching."""
    joined = {}
    for name, (day, clock) in pairs.items():
        values = join_times(
            pa.array(sample[day].astype(object).where(sample[day].notna(), None), pa.string()),
            pa.array(sample[clock].astype(object).where(sample[clock].notna(), None), pa.string()),
        )
        joined[name] = pd.Series(values.to_pylist(), index=sample.index, dtype=object)
    return joined


def with_joined(table: pa.Table, names: list[str]) -> pa.Table:
    """``table`` with a joined column added for each ``DATE+TIME`` name it does not hold."""
    for name in names:
        parts = split_name(name, table.column_names)
        if parts is not None:
            day, clock = parts
            values = join_times(
                table.column(day).combine_chunks(), table.column(clock).combine_chunks()
            )
            table = table.append_column(name, values)
    return table
