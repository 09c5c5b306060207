"""Which comes first in a numeric date, the day or the month, decided once per column.

``05/06/2023`` is 5 June in most of the world and May 6 in the United States, and a
CAD export does not say which it means. Reading such a column with the wrong order
does not fail: it silently swaps day and month on every date up to the 12th. So the
order is decided from the values (a first field above 12 can only be a day, a second
field above 12 only a day too), and only when every value could be read either way
from a setting: the user's choice for the import, else the workspace's, else the
convention of the workspace's time zone. A column is then read with that one order.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import pyarrow as pa
import pyarrow.compute as pc

from kit.errors import KitError

DAY_FIRST: Final = "day-first"
MONTH_FIRST: Final = "month-first"
DATE_ORDERS: Final[tuple[str, ...]] = (DAY_FIRST, MONTH_FIRST)

# Zones of the 50 states and the District of Columbia (IANA tz database, zone1970.tab, country
# code US, https://data.iana.org/time-zones/tzdb/zone1970.tab), their older aliases
# (tzdb "backward" file), and the zones of US territories, where federal and vendor software
# writes the month first. Every other zone, America/Toronto, America/Mexico_City and
# America/Sao_Paulo included, defaults to the day first: Canada, Mexico and South America
# write the day first (or ISO dates, which need no order).
US_ZONES: Final[frozenset[str]] = frozenset(
    {
        "America/New_York", "America/Detroit", "America/Kentucky/Louisville",
        "America/Kentucky/Monticello", "America/Indiana/Indianapolis",
        "America/Indiana/Vincennes", "America/Indiana/Winamac", "America/Indiana/Marengo",
        "America/Indiana/Petersburg", "America/Indiana/Vevay", "America/Chicago",
        "America/Indiana/Tell_City", "America/Indiana/Knox", "America/Menominee",
        "America/North_Dakota/Center", "America/North_Dakota/New_Salem",
        "America/North_Dakota/Beulah", "America/Denver", "America/Boise", "America/Phoenix",
        "America/Los_Angeles", "America/Anchorage", "America/Juneau", "America/Sitka",
        "America/Metlakatla", "America/Yakutat", "America/Nome", "America/Adak",
        "Pacific/Honolulu",
        # aliases
        "US/Eastern", "US/Central", "US/Mountain", "US/Pacific", "US/Alaska", "US/Hawaii",
        "US/Arizona", "US/East-Indiana", "US/Indiana-Starke", "US/Michigan", "US/Aleutian",
        "America/Fort_Wayne", "America/Indianapolis", "America/Louisville", "America/Knox_IN",
        "America/Atka", "America/Shiprock", "Navajo", "EST5EDT", "CST6CDT", "MST7MDT", "PST8PDT",
        # territories
        "America/Puerto_Rico", "America/St_Thomas", "America/Virgin", "Pacific/Guam",
        "Pacific/Saipan", "Pacific/Pago_Pago", "Pacific/Samoa", "US/Samoa",
    }
)  # fmt: skip

# A numeric date at the start of a value: two fields of one or two digits, then the year.
_NUMERIC_DATE = r"^\s*(?P<first>\d{1,2})[/-](?P<second>\d{1,2})[/-]\d{2,4}(?:\D|$)"


def check_date_order(value: object, where: str = "The date order") -> str:
    """``value`` if it names a date order, else a KitError saying what to write."""
    if value not in DATE_ORDERS:
        raise KitError(
            f"{where} {value!r} is not a date order: write {DAY_FIRST!r} (27/12/2023) "
            f"or {MONTH_FIRST!r} (12/27/2023)."
        )
    return str(value)


def zone_date_order(timezone: str) -> str:
    """The usual order of the zone's country: month first in the United States, else day first."""
    return MONTH_FIRST if timezone in US_ZONES else DAY_FIRST


@dataclass(frozen=True)
class Setting:
    """The order to use when a column's values do not decide it, and where it comes from."""

    order: str
    source: str  # words for the report, e.g. "the import's --dayfirst"
    forced: bool = False  # the user's choice for this import: it wins over the values


@dataclass(frozen=True)
class Evidence:
    """Values in a column that can only be read one way, and an example of each."""

    day_first: int = 0
    month_first: int = 0
    day_example: str | None = None
    month_example: str | None = None

    def __add__(self, other: Evidence) -> Evidence:
        return Evidence(
            self.day_first + other.day_first,
            self.month_first + other.month_first,
            self.day_example or other.day_example,
            self.month_example or other.month_example,
        )


def evidence(values: pa.Array) -> Evidence:
    """Count the numeric dates that only one order can read (a field above 12 is a day)."""
    parts = pc.extract_regex(pc.drop_null(values), _NUMERIC_DATE)
    if len(parts) == 0:
        return Evidence()
    first = pc.cast(pc.struct_field(parts, "first"), pa.int16())
    second = pc.cast(pc.struct_field(parts, "second"), pa.int16())
    day = pc.and_(pc.greater(first, 12), pc.less_equal(second, 12))
    month = pc.and_(pc.greater(second, 12), pc.less_equal(first, 12))
    texts = pc.drop_null(values)

    def example(mask: pa.Array) -> str | None:
        hit = texts.filter(pc.fill_null(mask, False))
        return hit[0].as_py() if len(hit) else None

    n_day = pc.sum(pc.cast(day, pa.int64())).as_py() or 0
    n_month = pc.sum(pc.cast(month, pa.int64())).as_py() or 0
    return Evidence(
        n_day,
        n_month,
        example(day) if n_day else None,
        example(month) if n_month else None,
    )


@dataclass(frozen=True)
class Decision:
    """The order a column is read with, and how that was decided, in words for the report."""

    order: str
    how: str
    from_values: bool = False  # the column's own values decided it

    def to_dict(self) -> dict[str, str]:
        return {"order": self.order, "how": self.how}


def setting_for(timezone: str, workspace: str | None = None, chosen: str | None = None) -> Setting:
    """Order for dates the values leave open: the import's choice, the workspace's, the zone's."""
    if chosen is not None:
        return Setting(check_date_order(chosen), "chosen for this import", forced=True)
    if workspace is not None:
        return Setting(
            check_date_order(workspace), "the workspace's date order, set when it was created"
        )
    return Setting(zone_date_order(timezone), f"the usual order in the time zone {timezone}")


def file_setting(decisions: list[Decision | None], setting: Setting) -> Setting | None:
    """The order a file's other time columns show, for its columns whose values leave it open.

    A dispatch column with a few dates up to the 12th is written like the received
    column beside it; None when the columns decided by their values disagree, or none did.
    """
    shown = {d.order for d in decisions if d is not None and d.from_values}
    if setting.forced or len(shown) != 1:
        return None
    return Setting(shown.pop(), "the order the file's other time columns show")


def decide(found: Evidence, setting: Setting) -> Decision:
    """One order for a column: the user's choice, else the values, else the setting."""
    if setting.forced:
        return Decision(setting.order, setting.source)
    if found.day_first or found.month_first:
        order = DAY_FIRST if found.day_first > found.month_first else MONTH_FIRST
        if found.day_first == found.month_first:
            order = setting.order
        example = found.day_example if order == DAY_FIRST else found.month_example
        field = "first" if order == DAY_FIRST else "second"
        how = f"from the values: a {field} field above 12 can only be a day (e.g. {example!r})"
        other = found.month_first if order == DAY_FIRST else found.day_first
        if other:
            how += f"; {other:,} values written the other way cannot be read"
        return Decision(order, how, from_values=True)
    return Decision(setting.order, f"every date could be read either way: {setting.source}")
