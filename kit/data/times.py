"""Reading timestamp columns whatever format each one uses, into the jurisdiction's time zone.

CAD exports mix formats even within one file (Seattle's legacy export has two time
columns in different formats), so the format is detected per column from a sample
and the whole column is then parsed in one vectorised pass. Values that do not fit
the detected format get a second chance with the other formats that matched part
of the sample. Times without a zone are local time; times with a zone or offset
and epoch milliseconds (ArcGIS downloads) are UTC instants converted to local time.

Some text is never read as a time: a numeric date that makes sense only with day and
month the other way round from the order decided for its column (kit.data.date_order),
a day that does not exist (31/02), and the placeholder dates CAD systems write for
"no time" (1900-01-01 and the like), which are blanks rather than unreadable.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Final

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from kit.data.date_order import (
    DATE_ORDERS,
    DAY_FIRST,
    MONTH_FIRST,
    Decision,
    Setting,
    decide,
    evidence,
)

_ISO_NAIVE = r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?)?$"
_ISO_ZONED = r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}(:?\d{2})?)$"
_EPOCH_MS = r"^-?\d{11,13}$"
_EPOCH_S = r"^\d{9,10}$"

# strptime patterns of numeric dates whose day and month order is decided per column: {a} and
# {b} stand for the first and second field (month and day, or day and month).
_ORDERED_FORMATS: Final[tuple[str, ...]] = (
    "{a}/{b}/%Y %I:%M:%S %p",
    "{a}/{b}/%Y %I:%M %p",
    "{a}/{b}/%Y %H:%M:%S",
    "{a}/{b}/%Y %H:%M",
    "{a}/{b}/%y %I:%M:%S %p",
    "{a}/{b}/%y %H:%M",
)
# Formats whose order never varies: year first, the dotted day-first form, month names.
_FIXED_FORMATS: Final[tuple[str, ...]] = (
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %I:%M:%S %p",
    "%d.%m.%Y %H:%M:%S",
    "%d.%m.%Y %H:%M",
    "%b %d %Y %I:%M:%S:000%p",
)
_MACHINE_FORMATS: Final[tuple[str, ...]] = (
    "iso",
    "iso with zone",
    "epoch milliseconds",
    "epoch seconds",
)


def format_names(order: str | None) -> tuple[str, ...]:
    """The formats tried on a column read in ``order``; None: both, to ask "are these times?"."""
    orders = DATE_ORDERS if order is None else (order,)
    ordered = tuple(
        template.format(**({"a": "%d", "b": "%m"} if o == DAY_FIRST else {"a": "%m", "b": "%d"}))
        for o in orders
        for template in _ORDERED_FORMATS
    )
    return (*_MACHINE_FORMATS, *ordered, *_FIXED_FORMATS)


def _ordered(name: str) -> bool:
    return name.startswith(("%d/%m", "%m/%d"))


# Days that do not exist: 30 and 31 February, the 31st of 30-day months, 29 February
# outside leap years (years not divisible by 4; 1900 and 2100 are not told apart).
_NO_SUCH_DAY = (
    r"^\d{4}-(02-3[01]|0[469]-31|11-31)"
    r"|^\d{2}([02468][1235679]|[13579][01345789])-02-29"
)
_FRACTION = r"(\d{1,2}:\d{2}:\d{2})\.\d+"


# Dates that CAD systems write for "no time": the zero days of spreadsheets and OLE automation
# (1899-12-30, 1899-12-31, 1900-01-01) and of the Macintosh 1904 date system (1904-01-01), Unix
# epoch zero (1970-01-01, shown as 1969-12-31 west of Greenwich), and the minimum and maximum
# dates of databases (SQL Server's 1753-01-01, .NET's 0001-01-01, 9999-12-31). Any date before
# 1900-01-02 or in the year 9999 counts as one too: no call for service is that old.
_PLACEHOLDER_DAYS: Final[tuple[date, ...]] = (
    date(1904, 1, 1),
    date(1969, 12, 31),
    date(1970, 1, 1),
)
_EARLIEST_REAL: Final = date(1900, 1, 2)
_LATEST_REAL: Final = date(9998, 12, 31)
# Microseconds since 1970 between which no placeholder can fall, whatever the zone's offset.
_SAFE_SPAN: Final = (2 * 86_400_000_000, 253_370_764_800_000_000 - 86_400_000_000)
# Days of the year (leap or not) on which a day rolled over from a short month lands.
_ROLLED_DAYS: Final = pa.array([60, 61, 62, 63, 121, 122, 182, 183, 274, 275, 335, 336])


@dataclass(frozen=True)
class ParsedTimes:
    """A parsed time column, how it was read, and which values were not times."""

    values: pa.Array  # timestamp[us, tz=timezone]; placeholders and unreadable values are null
    formats: tuple[str, ...]
    unreadable: pa.Array  # boolean: a value was present but is not a time
    placeholder: pa.Array  # boolean: a "no time" placeholder date, read as blank
    order: Decision | None = None  # how day and month were told apart, for numeric dates


def _parse_as(values: pa.Array, name: str, timezone: str, *, fractions: bool = True) -> pa.Array:
    """Parse with one named format; values that do not fit become null (tz-aware result)."""
    target = pa.timestamp("us", tz=timezone)
    if name in ("iso", "iso with zone"):
        values = pc.replace_substring_regex(values, r"^(\d{4})/(\d{2})/(\d{2})", r"\1-\2-\3")
        pattern = _ISO_NAIVE if name == "iso" else _ISO_ZONED
        ok = pc.and_(
            pc.fill_null(pc.match_substring_regex(values, pattern), False),
            pc.invert(pc.fill_null(pc.match_substring_regex(values, _NO_SUCH_DAY), False)),
        )
        cleaned = pc.if_else(ok, values, pa.scalar(None, pa.string()))
        zone = None if name == "iso" else "UTC"
        try:
            stamps = pc.cast(cleaned, pa.timestamp("us", tz=zone))
        except pa.ArrowInvalid:  # an hour or minute out of range: read value by value
            stamps = _iso_one_by_one(cleaned, zone)
        if name == "iso":
            return pc.assume_timezone(stamps, timezone, ambiguous="earliest", nonexistent="latest")
        return pc.cast(stamps, target)
    if name.startswith("epoch"):
        pattern = _EPOCH_MS if name == "epoch milliseconds" else _EPOCH_S
        ok = pc.fill_null(pc.match_substring_regex(values, pattern), False)
        numbers = pc.cast(pc.if_else(ok, values, pa.scalar(None, pa.string())), pa.int64())
        unit = "ms" if name == "epoch milliseconds" else "s"
        stamps = pc.cast(numbers, pa.timestamp(unit, tz="UTC"))
        return pc.cast(pc.cast(stamps, pa.timestamp("us", tz="UTC")), target)
    text = values
    if fractions and ":" in name:
        text = pc.replace_substring_regex(values, _FRACTION, r"\1")
    naive = _written_day(text, pc.strptime(text, format=name, unit="us", error_is_null=True), name)
    return pc.assume_timezone(naive, timezone, ambiguous="earliest", nonexistent="latest")


def _iso_one_by_one(values: pa.Array, zone: str | None) -> pa.Array:
    """ISO times cast one distinct value at a time, those out of range becoming null."""
    target = pa.timestamp("us", tz=zone)
    distinct = pc.unique(values)
    read = []
    for text in distinct.to_pylist():
        try:
            read.append(pc.cast(pa.scalar(text, pa.string()), target).as_py())
        except pa.ArrowInvalid:
            read.append(None)
    return pc.take(pa.array(read, target), pc.index_in(values, distinct))


def _written_day(text: pa.Array, naive: pa.Array, name: str) -> pa.Array:
    """Null where strptime rolled a day that does not exist over (31/02 read as 3 March).

    A rolled-over date lands on 1-3 March or on the 1st after a 30-day month, so only
    those few days are checked against the day as written.
    """
    fields = re.findall(r"%[dmYy]", name)
    if "%d" not in fields:
        return naive
    early = pc.fill_null(pc.is_in(pc.day_of_year(naive), value_set=_ROLLED_DAYS), False)
    if not pc.any(early).as_py():
        return naive
    rows = pc.indices_nonzero(early)
    parts = pc.extract_regex(pc.take(text, rows), r"^\D*(?P<f0>\d+)\D+(?P<f1>\d+)\D+(?P<f2>\d+)")
    written = pc.cast(pc.struct_field(parts, f"f{fields.index('%d')}"), pa.int64())
    rolled = pc.fill_null(pc.not_equal(written, pc.day(pc.take(naive, rows))), True)
    if not pc.any(rolled).as_py():
        return naive
    wrong = np.zeros(len(naive), dtype=bool)
    wrong[rows.to_numpy()[rolled.to_numpy(zero_copy_only=False)]] = True
    return pc.if_else(pa.array(wrong), pa.scalar(None, naive.type), naive)


def detect_formats(sample: pa.Array, timezone: str, order: str | None = None) -> list[str]:
    """Formats that read some of the sample, the best first (``order``: see ``format_names``)."""
    sample = pc.drop_null(sample)
    if len(sample) == 0:
        return []
    scores = []
    for i, name in enumerate(format_names(order)):
        hits = len(sample) - _parse_as(sample, name, timezone).null_count
        if hits:
            scores.append((-hits, i, name))
    return [name for _, _, name in sorted(scores)]


def _placeholders(stamps: pa.Array) -> pa.Array:
    """Which times fall on a date that stands for "no time" (in the column's own clock)."""
    span = pc.min_max(pc.cast(stamps, pa.int64())).as_py()
    if span["min"] is None or _SAFE_SPAN[0] <= span["min"] <= span["max"] <= _SAFE_SPAN[1]:
        return pa.array(np.zeros(len(stamps), dtype=bool))  # the usual case, at a glance
    days = pc.cast(pc.local_timestamp(stamps), pa.date32())
    odd = pc.or_(
        pc.less(days, pa.scalar(_EARLIEST_REAL)), pc.greater(days, pa.scalar(_LATEST_REAL))
    )
    odd = pc.or_(odd, pc.is_in(days, value_set=pa.array(_PLACEHOLDER_DAYS)))
    return pc.fill_null(odd, False)


def _sample(texts: pa.Array, size: int) -> pa.Array:
    """The first values and others spread over the column (exports sorted by time start alike)."""
    if len(texts) <= size:
        return texts
    spread = np.linspace(size // 2, len(texts) - 1, size - size // 2).astype(np.int64)
    parts = [texts.slice(0, size // 2), texts.take(pa.array(spread))]
    return pa.concat_arrays(
        [p.combine_chunks() if isinstance(p, pa.ChunkedArray) else p for p in parts]
    )


def parse_times(
    values: pa.Array, timezone: str, *, setting: Setting | None = None, sample_size: int = 2000
) -> ParsedTimes:
    """Parse a text column of times into timestamps in ``timezone``.

    The format is chosen on a sample of the non-blank values; other formats that
    also matched part of the sample fill the values the first left unread. Numeric
    dates are read in one day and month order for the whole column, decided from the
    values or else by ``setting`` (see kit.data.date_order).
    """
    setting = setting or Setting(MONTH_FIRST, "the default order")
    present = pc.is_valid(values)
    texts = pc.drop_null(values)
    sample = _sample(texts, sample_size)
    candidates = detect_formats(sample, timezone)
    decision = None
    if any(_ordered(name) for name in candidates):
        found = evidence(sample)
        if not (found.day_first or found.month_first or setting.forced):
            found = evidence(texts)  # the sample may hold only days up to the 12th
        decision = decide(found, setting)
        chosen = set(format_names(decision.order))
        candidates = [name for name in candidates if name in chosen]
    if not candidates:  # no times, or only times in the order the user ruled out
        nothing = pa.nulls(len(values), pa.timestamp("us", tz=timezone))
        no_placeholder = pa.array(np.zeros(len(values), dtype=bool))
        return ParsedTimes(nothing, (), present, no_placeholder, decision)
    fractions = pc.any(pc.match_substring_regex(sample, _FRACTION)).as_py() or False
    result = _parse_as(values, candidates[0], timezone, fractions=fractions)
    used = [candidates[0]]
    for name in candidates[1:]:
        missing = pc.and_(present, pc.is_null(result))
        if not pc.any(missing).as_py():
            break
        result = pc.coalesce(result, _parse_as(values, name, timezone, fractions=fractions))
        used.append(name)
    placeholder = _placeholders(result)
    if pc.any(placeholder).as_py():
        result = pc.if_else(placeholder, pa.scalar(None, result.type), result)
    unreadable = pc.and_(pc.and_(present, pc.is_null(result)), pc.invert(placeholder))
    if decision is not None and not any(_ordered(name) for name in used):
        decision = None  # the dates that needed an order were not the column's format after all
    return ParsedTimes(result, tuple(used), unreadable, placeholder, decision)
