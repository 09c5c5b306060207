"""Reading timestamp columns whatever format each one uses, into the jurisdiction's time zone.

CAD exports mix formats even within one file (Seattle's legacy export has two time
columns in different formats), so the format is detected per column from a sample
and the whole column is then parsed in one vectorised pass. Values that do not fit
the detected format get a second chance with the other formats that matched part
of the sample. Times without a zone are local time; times with a zone or offset
and epoch milliseconds (ArcGIS downloads) are UTC instants converted to local time.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import pyarrow as pa
import pyarrow.compute as pc

_ISO_NAIVE = r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?)?$"
_ISO_ZONED = r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}(:?\d{2})?)$"
_EPOCH_MS = r"^-?\d{11,13}$"
_EPOCH_S = r"^\d{9,10}$"

# strptime patterns for the US-style and other local formats seen in exports.
STRPTIME_FORMATS: Final[tuple[str, ...]] = (
    "%m/%d/%Y %I:%M:%S %p",
    "%m/%d/%Y %I:%M %p",
    "%m/%d/%Y %H:%M:%S",
    "%m/%d/%Y %H:%M",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %I:%M:%S %p",
    "%m/%d/%y %I:%M:%S %p",
    "%m/%d/%y %H:%M",
    "%d.%m.%Y %H:%M:%S",
    "%d.%m.%Y %H:%M",
    "%b %d %Y %I:%M:%S:000%p",
)
FORMAT_NAMES: Final[tuple[str, ...]] = (
    "iso",
    "iso with zone",
    "epoch milliseconds",
    "epoch seconds",
    *STRPTIME_FORMATS,
)

_FRACTION = r"(\d{1,2}:\d{2}:\d{2})\.\d+"


@dataclass(frozen=True)
class ParsedTimes:
    """A parsed time column, the format(s) found, and which non-blank values could not be read."""

    values: pa.Array  # timestamp[us, tz=timezone]
    formats: tuple[str, ...]
    unreadable: pa.Array  # boolean: a value was present but is not a time


def _parse_as(values: pa.Array, name: str, timezone: str, *, fractions: bool = True) -> pa.Array:
    """Parse with one named format; values that do not fit become null (tz-aware result)."""
    target = pa.timestamp("us", tz=timezone)
    if name in ("iso", "iso with zone"):
        values = pc.replace_substring_regex(values, r"^(\d{4})/(\d{2})/(\d{2})", r"\1-\2-\3")
        pattern = _ISO_NAIVE if name == "iso" else _ISO_ZONED
        ok = pc.fill_null(pc.match_substring_regex(values, pattern), False)
        cleaned = pc.if_else(ok, values, pa.scalar(None, pa.string()))
        if name == "iso":
            naive = pc.cast(cleaned, pa.timestamp("us"))
            return pc.assume_timezone(naive, timezone, ambiguous="earliest", nonexistent="latest")
        return pc.cast(pc.cast(cleaned, pa.timestamp("us", tz="UTC")), target)
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
    naive = pc.strptime(text, format=name, unit="us", error_is_null=True)
    return pc.assume_timezone(naive, timezone, ambiguous="earliest", nonexistent="latest")


def detect_formats(sample: pa.Array, timezone: str) -> list[str]:
    """Formats that read some of the sample, the best first."""
    sample = pc.drop_null(sample)
    if len(sample) == 0:
        return []
    scores = []
    for i, name in enumerate(FORMAT_NAMES):
        hits = len(sample) - _parse_as(sample, name, timezone).null_count
        if hits:
            scores.append((-hits, i, name))
    return [name for _, _, name in sorted(scores)]


def parse_times(values: pa.Array, timezone: str, *, sample_size: int = 2000) -> ParsedTimes:
    """Parse a text column of times into timestamps in ``timezone``.

    The format is chosen on the first ``sample_size`` non-blank values; other
    formats that also matched part of the sample fill the values the first left unread.
    """
    present = pc.is_valid(values)
    candidates = detect_formats(pc.drop_null(values)[:sample_size], timezone)
    target = pa.timestamp("us", tz=timezone)
    if not candidates:
        empty = pa.nulls(len(values), target)
        return ParsedTimes(empty, (), present)
    sample = pc.drop_null(values)[:sample_size]
    fractions = pc.any(pc.match_substring_regex(sample, _FRACTION)).as_py() or False
    result = _parse_as(values, candidates[0], timezone, fractions=fractions)
    used = [candidates[0]]
    for name in candidates[1:]:
        missing = pc.and_(present, pc.is_null(result))
        if not pc.any(missing).as_py():
            break
        result = pc.coalesce(result, _parse_as(values, name, timezone))
        used.append(name)
    unreadable = pc.and_(present, pc.is_null(result))
    return ParsedTimes(result, tuple(used), unreadable)
