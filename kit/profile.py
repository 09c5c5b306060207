"""The jurisdiction profile: who lives where, so every figure can be shown by area.

Every step puts its numbers next to each area's population and demographics, so
that a plan which sends civilian responders to some neighbourhoods and police to
others is visible before it is adopted. The profile is saved as the decision named
``profile`` (versioned and audited like any other decision); this module only
defines its shape, its validation and the CSV template it can be imported from.
"""

from __future__ import annotations

import csv
import functools
import math
import zoneinfo
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any, Final

from kit.errors import KitError

PROFILE_SCHEMA_VERSION: Final = 1

# UTC is neutral: a wrong guess of a local zone would silently shift every hour-of-day figure,
# whereas UTC is obviously "not set yet" in the profile and in `kit info`.
DEFAULT_TIMEZONE: Final = "UTC"
# January: the calendar year, until the user enters their own fiscal-year start.
DEFAULT_FISCAL_YEAR_START: Final = 1

MAX_NAME_LENGTH: Final = 80
SHARE_FIELDS: Final[tuple[str, ...]] = (
    "share_white_nh",
    "share_black",
    "share_hispanic",
    "share_asian",
    "share_other",
)
# Census shares are published rounded; a sum within this distance of 1 is accepted.
SHARE_SUM_TOLERANCE: Final = 0.02


@functools.cache
def _known_timezones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def check_timezone(name: object) -> str:
    """Return ``name`` if it is an IANA time zone (e.g. America/Chicago), else raise KitError."""
    if not isinstance(name, str) or name not in _known_timezones():
        raise KitError(
            f"{name!r} is not a known time zone. Use an IANA name such as "
            "'America/Chicago', 'America/New_York' or 'Europe/London'."
        )
    return name


def _check_name(value: object, what: str) -> list[str]:
    if not isinstance(value, str) or not value.strip():
        return [f"{what} is empty: give it a name."]
    if len(value) > MAX_NAME_LENGTH:
        return [
            f"{what} {value[:20]!r}... is longer than {MAX_NAME_LENGTH} characters: shorten it."
        ]
    if any(ord(ch) < 32 for ch in value):
        return [f"{what} {value!r} contains control characters: remove them."]
    return []


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _check_population(value: object, what: str) -> list[str]:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        return [f"{what} population must be a whole number above zero (got {value!r})."]
    return []


@dataclass(frozen=True)
class Area:
    """One district, precinct or neighbourhood with the demographics used for equity views.

    Shares are fractions of the area's residents (0-1); the five race and ethnicity
    shares add up to about 1. Income and poverty rate may be unknown (None).
    """

    name: str
    population: int
    share_white_nh: float
    share_black: float
    share_hispanic: float
    share_asian: float
    share_other: float
    median_household_income: float | None = None
    poverty_rate: float | None = None

    @property
    def share_residents_of_color(self) -> float:
        """Share of residents who are not non-Hispanic white."""
        return 1.0 - self.share_white_nh

    def problems(self) -> list[str]:
        """Plain-language problems with this area (empty when it is valid)."""
        label = f"Area {self.name!r}"
        found = _check_name(self.name, "An area name")
        found += _check_population(self.population, label)
        shares_ok = True
        for name in SHARE_FIELDS:
            value = getattr(self, name)
            if not _is_number(value) or not 0.0 <= value <= 1.0:
                found.append(f"{label}: {name} must be a fraction between 0 and 1 (got {value!r}).")
                shares_ok = False
        if shares_ok:
            total = sum(getattr(self, name) for name in SHARE_FIELDS)
            if abs(total - 1.0) > SHARE_SUM_TOLERANCE:
                found.append(
                    f"{label}: the race and ethnicity shares add up to {total:.3f}, not 1; "
                    "check that they are fractions of the same population (use share_other "
                    "for the rest)."
                )
        income = self.median_household_income
        if income is not None and (not _is_number(income) or income < 0):
            found.append(f"{label}: median_household_income must be a positive amount or blank.")
        rate = self.poverty_rate
        if rate is not None and (not _is_number(rate) or not 0.0 <= rate <= 1.0):
            found.append(f"{label}: poverty_rate must be a fraction between 0 and 1 or blank.")
        return found


@dataclass(frozen=True)
class Profile:
    """A jurisdiction: its name, population, time zone, fiscal year and areas."""

    name: str
    population: int
    timezone: str = DEFAULT_TIMEZONE
    fiscal_year_start: int = DEFAULT_FISCAL_YEAR_START
    areas: list[Area] = field(default_factory=list)

    def problems(self) -> list[str]:
        """Plain-language problems with this profile (empty when it can be saved)."""
        found = _check_name(self.name, "The jurisdiction's name")
        found += _check_population(self.population, "The jurisdiction's")
        try:
            check_timezone(self.timezone)
        except KitError as exc:
            found.append(str(exc))
        month = self.fiscal_year_start
        if isinstance(month, bool) or not isinstance(month, int) or not 1 <= month <= 12:
            found.append(f"The fiscal-year start must be a month number 1-12 (got {month!r}).")
        seen: set[str] = set()
        for area in self.areas:
            found += area.problems()
            key = area.name.strip().casefold() if isinstance(area.name, str) else area.name
            if key in seen:
                found.append(f"Area {area.name!r} appears twice: area names must be unique.")
            seen.add(key)
        return found

    def validate(self) -> Profile:
        """Return the profile unchanged, or raise KitError listing every problem found."""
        found = self.problems()
        if found:
            raise KitError("The profile cannot be saved:\n- " + "\n- ".join(found))
        return self

    @property
    def area_names(self) -> list[str]:
        """The areas' names in the profile's order."""
        return [area.name for area in self.areas]

    def to_document(self) -> dict[str, Any]:
        """The JSON document stored as the ``profile`` decision."""
        return {
            "schema_version": PROFILE_SCHEMA_VERSION,
            "name": self.name,
            "population": self.population,
            "timezone": self.timezone,
            "fiscal_year_start": self.fiscal_year_start,
            "areas": [asdict(area) for area in self.areas],
        }

    @classmethod
    def from_document(cls, document: Mapping[str, Any]) -> Profile:
        """Rebuild a profile from its stored document (unknown keys are ignored)."""
        area_keys = {f.name for f in fields(Area)}
        try:
            areas = [
                Area(**{k: v for k, v in item.items() if k in area_keys})
                for item in document.get("areas", [])
            ]
            return cls(
                name=document["name"],
                population=document["population"],
                timezone=document.get("timezone", DEFAULT_TIMEZONE),
                fiscal_year_start=document.get("fiscal_year_start", DEFAULT_FISCAL_YEAR_START),
                areas=areas,
            )
        except (KeyError, TypeError, AttributeError) as exc:
            raise KitError(
                f"The saved profile is incomplete ({exc}); restore an earlier version "
                "or enter the profile again."
            ) from exc

    @classmethod
    def from_csv(cls, path: str | Path, *, base: Profile | None = None) -> Profile:
        """A profile whose areas come from a filled-in copy of templates/areas_template.csv.

        Name, time zone and fiscal year come from ``base`` (the workspace's current
        profile, typically); the population is the base's when set, else the sum of
        the areas' populations. The result is validated.
        """
        areas = read_areas_csv(path)
        if base is None:
            base = cls(name="", population=0)
        population = base.population if base.population > 0 else sum(a.population for a in areas)
        profile = cls(
            name=base.name,
            population=population,
            timezone=base.timezone,
            fiscal_year_start=base.fiscal_year_start,
            areas=areas,
        )
        return profile.validate()


AREA_COLUMNS: Final[tuple[str, ...]] = tuple(f.name for f in fields(Area))
_REQUIRED_AREA_COLUMNS: Final = AREA_COLUMNS[:7]


def _parse_cell(column: str, raw: str, line: int) -> Any:
    text = raw.strip().replace(",", "") if column != "name" else raw.strip()
    if column == "name":
        return text
    if text == "":
        if column in _REQUIRED_AREA_COLUMNS:
            raise KitError(f"Line {line}: {column} is blank; every area needs it.")
        return None
    text = text.lstrip("$")
    percent = text.endswith("%")
    try:
        number = float(text.rstrip("%"))
    except ValueError:
        raise KitError(f"Line {line}: {column} should be a number, not {raw!r}.") from None
    if percent:
        number /= 100.0
    if column == "population":
        if not number.is_integer():
            raise KitError(f"Line {line}: population should be a whole number, not {raw!r}.")
        return int(number)
    return number


def read_areas_csv(path: str | Path) -> list[Area]:
    """Read areas from the CSV template; lines starting with ``#`` are comments.

    Shares may be written as fractions (0.25) or percentages (25%); thousands
    separators and a leading $ are accepted. Raises KitError naming the line of
    any problem.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise KitError(
            f"The areas file {path.name} is not UTF-8 text; in your spreadsheet use "
            "Save As > 'CSV UTF-8'."
        ) from None
    except OSError as exc:
        raise KitError(f"Cannot read the areas file {path.name}: {exc.strerror or exc}.") from exc
    numbered = [
        (number, line)
        for number, line in enumerate(text.splitlines(), start=1)
        if line.strip() and not line.lstrip().startswith("#")
    ]
    if not numbered:
        raise KitError(f"The areas file {path.name} has no header row; start from the template.")
    reader = csv.reader(line for _, line in numbered)
    header = [h.strip().lower() for h in next(reader)]
    missing = [c for c in _REQUIRED_AREA_COLUMNS if c not in header]
    if missing:
        raise KitError(
            f"The areas file {path.name} lacks the column(s) {', '.join(missing)}; "
            "start from templates/areas_template.csv."
        )
    areas: list[Area] = []
    for (line, _), row in zip(numbered[1:], reader, strict=True):
        if len(row) > len(header):
            raise KitError(f"Line {line} has more cells than the header; quote names with commas.")
        cells = dict(zip(header, row, strict=False))
        values = {c: _parse_cell(c, cells.get(c, ""), line) for c in AREA_COLUMNS}
        area = Area(**values)
        problems = area.problems()
        if problems:
            raise KitError(f"Line {line}: " + " ".join(problems))
        areas.append(area)
    if not areas:
        raise KitError(f"The areas file {path.name} has a header but no areas.")
    return areas
