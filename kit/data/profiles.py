"""What a sample of a column's values looks like: times, codes, ids, phone numbers, prose.

Column matching weighs these facts beside a header's words, so that a column named
``time`` is taken as a time only if its values are times, and an id, a phone number
or a narrative is never offered as a call type however it is named.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

import pandas as pd
import pyarrow as pa

from kit.data.times import parse_times

# How many values of a column are looked at (the rest of the sample is not needed).
PROFILE_ROWS: Final[int] = 400

_TIME_OF_DAY = re.compile(r"^\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?(\s?[AaPp]\.?[Mm]\.?)?$")
_COMPACT_TIME = re.compile(r"^([01]\d|2[0-3])[0-5]\d([0-5]\d)?$")
_PHONE = re.compile(r"^\(?\d{3}[)\s.-]+\d{3}[\s.-]\d{4}$")  # ten bare digits are ids
_DIGIT = re.compile(r".*\d")
_LONG_NUMBER = re.compile(r"^-?\d{9,13}$")
_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")
_EPOCH_FROM, _EPOCH_TO = 946_684_800, 2_208_988_800  # 2000-01-01 and 2040-01-01 in seconds
_POINT = re.compile(r"^\s*(POINT\s*\(|\(\s*-?\d)", re.IGNORECASE)
_DATE_ONLY = re.compile(
    r"^(\d{4}[-/]\d{1,2}[-/]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4})"
    r"([ T]0{1,2}:00(:00(\.0+)?)?( ?AM)?|[ T]12:00(:00)? ?AM)?(Z|[+-]00(:?00)?)?$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Profile:
    """Facts about a column's sampled values, for telling roles apart."""

    present: int  # non-blank values looked at
    distinct: int
    mean_length: float
    time_share: float  # share that read as a date and time
    times: pd.Series | None  # the parsed times (UTC, naive), when most values are times
    date_only: bool  # dates, or dates at midnight: half of a date + time pair
    time_of_day: bool  # times of day such as 07:12 or 0712: the other half
    numeric_share: float
    phone_share: float
    point_share: float
    spaced_share: float  # values with a space in them (words rather than codes)
    low: float | None  # the smallest, middle and largest number, for coordinates and counts
    median: float | None
    high: float | None

    @property
    def unique_share(self) -> float:
        """Distinct values per value: near 1 for ids and narratives, low for categories."""
        return self.distinct / self.present if self.present else 0.0

    @property
    def is_time(self) -> bool:
        """Values are moments: times that read, and not all at midnight (dates only)."""
        if self.times is None or self.date_only:
            return False
        read = self.times.dropna()
        return not (len(read) >= 5 and bool(read.dt.normalize().eq(read).mean() >= 0.95))

    @property
    def is_constant(self) -> bool:
        """One value throughout (an agency name, a load date), once enough rows are seen."""
        return self.present >= 20 and self.distinct <= 1

    @property
    def repeats(self) -> bool:
        """Values repeat as categories do (few distinct values for the rows seen)."""
        if self.present < 20:
            return self.present > 0  # too few rows to tell a category from an id
        return self.unique_share <= 0.5

    @property
    def is_phone(self) -> bool:
        return self.phone_share >= 0.5

    @property
    def is_narrative(self) -> bool:
        return self.mean_length > 60 and self.unique_share > 0.5

    @property
    def is_point(self) -> bool:
        return self.point_share >= 0.5


def _share(values: list[str], pattern: re.Pattern[str]) -> float:
    """Share of values the pattern matches (plain Python: a few hundred short strings)."""
    return sum(1 for v in values if pattern.match(v)) / len(values) if values else 0.0


def profile(values: pd.Series) -> Profile:
    """Profile a column's sample (text values; blanks are ignored)."""
    text = values.dropna().astype(str).str.strip()
    text = text[text != ""].head(PROFILE_ROWS)
    present = len(text)
    plain = text.tolist()
    time_share, times = 0.0, None
    numeric_share = _share(plain, _NUMBER)
    digits = _share(plain, _DIGIT)
    if (digits >= 0.5 and numeric_share < 0.9) or _looks_like_epoch(text, plain):
        parsed = parse_times(pa.array(plain, pa.string()), "UTC").values.to_pandas()
        time_share = float(parsed.notna().mean()) if present else 0.0
        if time_share >= 0.5:
            times = parsed.dt.tz_localize(None).set_axis(text.index)
    date_only = _share(plain, _DATE_ONLY) >= 0.95
    numbers = pd.to_numeric(text, errors="coerce")
    time_of_day = present > 0 and (
        _share(plain, _TIME_OF_DAY) >= 0.9 or _share(plain, _COMPACT_TIME) >= 0.95
    )
    return Profile(
        present=present,
        distinct=int(text.nunique()),
        mean_length=sum(map(len, plain)) / present if present else 0.0,
        time_share=time_share,
        times=times,
        date_only=date_only,
        time_of_day=bool(time_of_day) and times is None,
        numeric_share=numeric_share,
        phone_share=_share(plain, _PHONE),
        point_share=_share(plain, _POINT),
        spaced_share=sum(" " in v for v in plain) / present if present else 0.0,
        low=float(numbers.min()) if numbers.notna().any() else None,
        median=float(numbers.median()) if numbers.notna().any() else None,
        high=float(numbers.max()) if numbers.notna().any() else None,
    )


def _looks_like_epoch(text: pd.Series, plain: list[str]) -> bool:
    """Epoch seconds or milliseconds (ArcGIS downloads) that fall in 2000-2040.

    The range keeps long numeric ids (LA's 161031000621) from being read as times.
    """
    if not plain or _share(plain, _LONG_NUMBER) < 0.9:
        return False
    numbers = pd.to_numeric(text, errors="coerce")
    seconds = numbers.between(_EPOCH_FROM, _EPOCH_TO)
    millis = numbers.between(_EPOCH_FROM * 1000, _EPOCH_TO * 1000)
    return bool(seconds.mean() >= 0.9 or millis.mean() >= 0.9)
