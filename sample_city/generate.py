"""The seeded script that makes Port Calder, the kit's fictional sample jurisdiction.

A workshop, a test and a benchmark all need a city whose data look like a real
city's: CAD exports with their own headers, codes and dirt, areas that differ,
a budget and a community survey. Everything here is a pure function of the seed
(same seed and pinned environment, same bytes), built with vectorised numpy and
pandas so that three years take a few seconds.

Published figures the mix is calibrated to (their sources are cited again where
each is used, and in ``call_types.csv``):

- New York Times Upshot, Asher and Horwitz, "How Do the Police Actually Spend
  Their Time?" (2020-06-19): about 4% of officer time on violent crime and
  about 15% on traffic.
- NICJR, "Seattle Calls for Service Analysis" (2021): about 80% of calls
  non-criminal, about 2% serious violent felonies.
- CAP and LEAP, "The Community Responder Model" (2020): 23-39% of calls are low
  priority or non-urgent.
- New Orleans "Calls for Service" open data (data.nola.gov): self-initiated
  records are the majority; the export layout of the per-call years, DUPLICATE,
  VOID and TEST INCIDENT dispositions, "POINT (0 0)" for a missing location,
  and disposition text whose case changes between years.
- CPSM police operations reports: records under 30 seconds or over 8 hours are
  treated as errors; about 12% of other-initiated calls have no arrival time.
- Cincinnati "PDI Police Calls for Service (CAD)" and Seattle "Call Data" (2024+,
  one row per responding unit): the layout of the per-unit year.
- Bureau of Justice Statistics, "Local Police Departments: Personnel, 2020":
  about $109,000 of local police budget per sworn officer in departments serving
  under 10,000 residents, more in larger ones.
"""

from __future__ import annotations

import hashlib
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Final, Literal

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

CITY_NAME: Final = "Port Calder"
TIMEZONE: Final = "America/Chicago"
FISCAL_YEAR_START: Final = 7  # July
SEED: Final = 20_230_101
YEARS: Final[tuple[int, ...]] = (2023, 2024, 2025)
UNIT_YEAR: Final = 2025  # the year exported with one row per responding unit
# Calls a year: about 0.7 per resident, rising a little each year.
CALLS_PER_YEAR: Final[dict[int, int]] = {2023: 171_500, 2024: 176_000, 2025: 181_200}
SURVEY_RESPONSES: Final = 1_500

Layout = Literal["call", "unit"]

CALL_LAYOUT_COLUMNS: Final[tuple[str, ...]] = (
    "Item_Number",
    "Type",
    "TypeText",
    "Priority",
    "TimeCreate",
    "TimeDispatch",
    "TimeArrive",
    "TimeClosed",
    "Disposition",
    "DispositionText",
    "SelfInitiated",
    "District",
    "BLOCK_ADDRESS",
    "Location",
)
UNIT_LAYOUT_COLUMNS: Final[tuple[str, ...]] = (
    "EVENT_NUMBER",
    "CREATE_TIME_INCIDENT",
    "INCIDENT_TYPE_ID",
    "INCIDENT_TYPE_DESC",
    "PRIORITY",
    "DISTRICT",
    "ADDRESS_X",
    "UNIT_ID",
    "DISPATCH_TIME",
    "ARRIVAL_TIME",
    "CLEAR_TIME",
    "DISPOSITION_TEXT",
    "CALL_SOURCE",
    "LATITUDE_X",
    "LONGITUDE_X",
)

_HERE: Final = Path(__file__).resolve().parent
_CALL_TYPES_CSV: Final = files("sample_city") / "call_types.csv"

# name, population, white non-Hispanic, Black, Hispanic, Asian, other, median household income,
# poverty rate, commercial activity (1 = average), centre (lat, lon), streets.
_AREAS: Final = (
    ("Union Square", 14_000, .52, .22, .12, .09, .05, 61_000, .19, 3.0, (41.580, -92.050),
     ("Market", "Front", "Commerce", "Court", "Bridge")),
    ("Old Harbor", 22_000, .18, .58, .17, .02, .05, 31_500, .34, 1.4, (41.565, -92.035),
     ("Wharf", "Anchor", "Tide", "Ferry", "Canal")),
    ("Tanner Flats", 27_000, .12, .38, .44, .02, .04, 34_800, .31, 1.1, (41.560, -92.070),
     ("Tanner", "Foundry", "Rail", "Depot", "Kiln")),
    ("Millbrook", 29_000, .35, .21, .34, .05, .05, 48_200, .21, 1.0, (41.595, -92.080),
     ("Mill", "Brook", "Sawyer", "Grain", "Weir")),
    ("Eastgate", 31_000, .28, .47, .16, .04, .05, 41_900, .25, 1.2, (41.585, -92.010),
     ("Gate", "Sunrise", "Orchard", "Cooper", "Hale")),
    ("Fairmount", 26_000, .55, .15, .18, .07, .05, 63_400, .13, 0.9, (41.610, -92.040),
     ("Fair", "Mount", "Linden", "Chapel", "Garnet")),
    ("Cedar Heights", 24_000, .71, .06, .09, .10, .04, 97_800, .05, 0.7, (41.625, -92.065),
     ("Cedar", "Summit", "Ridgecrest", "Aspen", "Laurel")),
    ("Westfield", 28_000, .62, .11, .14, .08, .05, 78_300, .08, 1.0, (41.590, -92.110),
     ("Field", "Prairie", "Meadow", "Harvest", "Wren")),
    ("Lakeview", 23_000, .66, .07, .11, .12, .04, 104_500, .04, 0.6, (41.640, -92.020),
     ("Shore", "Lake", "Heron", "Marina", "Cove")),
    ("North Ridge", 26_000, .44, .20, .24, .07, .05, 56_700, .15, 0.8, (41.650, -92.085),
     ("Ridge", "Pine", "Quarry", "Ash", "Juniper")),
)  # fmt: skip
_SUFFIXES: Final = np.array(["St", "Ave", "Rd", "Dr", "Blvd", "Ln", "Ct", "Pl"])

# Hour-of-day patterns (relative weights, hour 0..23).
_HOURS: Final[dict[str, tuple[float, ...]]] = {
    "flat": (8, 7, 6, 5, 5, 5, 6, 7, 8, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9),
    "day": (3, 2, 2, 1, 1, 2, 4, 7, 10, 12, 13, 13, 13, 13, 13, 13, 12, 11, 9, 8, 7, 6, 5, 4),
    "evening": (7, 5, 4, 3, 2, 2, 3, 4, 5, 6, 7, 8, 8, 9, 10, 11, 12, 13, 14, 14, 13, 12, 10, 9),
    "night": (12, 12, 11, 9, 6, 3, 2, 2, 2, 3, 3, 4, 4, 4, 4, 5, 5, 6, 7, 8, 9, 11, 12, 12),
    "commute": (2, 1, 1, 1, 1, 3, 6, 11, 10, 7, 7, 8, 9, 9, 10, 12, 14, 13, 9, 6, 5, 4, 3, 2),
}
# Weekday weights (Monday first): night calls peak on Friday and Saturday nights.
_WEEKDAYS: Final[dict[bool, tuple[float, ...]]] = {
    False: (1.00, 0.98, 0.99, 1.01, 1.06, 1.00, 0.90),
    True: (0.85, 0.82, 0.86, 0.92, 1.10, 1.35, 1.25),
}

_DISPOSITIONS: Final[dict[str, str]] = {
    "NAT": "NECESSARY ACTION TAKEN",
    "RTF": "REPORT TO FOLLOW",
    "GOA": "GONE ON ARRIVAL",
    "UNF": "UNFOUNDED",
    "AR": "ARREST MADE",
    "CIT": "CITATION ISSUED",
    "WRN": "WARNING ISSUED",
    "FAR": "FALSE ALARM",
    "REF": "REFERRED TO OTHER AGENCY",
    "CAN": "CANCELLED BY COMPLAINANT",
    "TST": "TEST INCIDENT",
    "VOD": "VOID",
    "DUP": "DUPLICATE",
}
_OUTCOMES: Final[dict[str, dict[str, float]]] = {
    "stop": {"CIT": 0.44, "WRN": 0.46, "AR": 0.04, "NAT": 0.06},
    "report": {"RTF": 0.68, "NAT": 0.15, "UNF": 0.06, "GOA": 0.06, "AR": 0.05},
    "alarm": {"FAR": 0.86, "NAT": 0.07, "RTF": 0.02, "CAN": 0.05},
    "service": {"NAT": 0.80, "REF": 0.10, "GOA": 0.05, "UNF": 0.05},
    "disorder": {"NAT": 0.50, "GOA": 0.26, "UNF": 0.14, "AR": 0.05, "REF": 0.05},
    "arrest": {"AR": 0.45, "RTF": 0.35, "NAT": 0.10, "GOA": 0.05, "UNF": 0.05},
}

# Dirt, in documented small amounts, so an import's quality report has something to say.
DIRT: Final[dict[str, float]] = {
    "exact_duplicate_rows": 0.0015,  # share of rows exported twice
    "test_void_duplicate": 0.004,  # calls closed as TEST INCIDENT, VOID or DUPLICATE
    "missing_location": 0.01,  # POINT (0 0) / blank coordinates
    "cleared_before_received": 0.0003,
    "over_eight_hours": 0.0005,
    # CPSM reports find about 12% of other-initiated calls without an arrival time.
    "missing_arrival_public": 0.12,
}


@cache
def _read_call_types() -> pd.DataFrame:
    types = pd.read_csv(_CALL_TYPES_CSV, comment="#", dtype={"code": str})
    types["p"] = types["share"] / types["share"].sum()
    return types


def call_types() -> pd.DataFrame:
    """The city's CAD call types with the parameters that drive the simulation (a copy)."""
    return _read_call_types().copy()


def areas() -> pd.DataFrame:
    """The ten areas as a profile CSV: names equal the District values of the exports."""
    rows = [
        {
            "name": a[0],
            "population": a[1],
            "share_white_nh": a[2],
            "share_black": a[3],
            "share_hispanic": a[4],
            "share_asian": a[5],
            "share_other": a[6],
            "median_household_income": a[7],
            "poverty_rate": a[8],
        }
        for a in _AREAS
    ]
    return pd.DataFrame(rows)


def source_digest(seed: int = SEED) -> str:
    """A short hash of this script, its data files and the seed: a change means a rebuild."""
    h = hashlib.sha256(str(seed).encode())
    for path in [*sorted(_HERE.glob("*.py")), _CALL_TYPES_CSV]:
        h.update(path.name.encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:16]


def _rng(seed: int, *key: int) -> np.random.Generator:
    """An independent stream per year and purpose, so one year's data never shifts another's."""
    return np.random.default_rng([seed, *key])


def _pick(rng: np.random.Generator, probs: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """For each entry of ``rows``, draw one column index from the row ``probs[rows]``."""
    cum = np.cumsum(probs, axis=1)
    cum[:, -1] = 1.0
    u = rng.random(len(rows))
    return (cum[rows] < u[:, None]).sum(axis=1)


def _lognormal(rng: np.random.Generator, mean: np.ndarray, sigma: float) -> np.ndarray:
    """Lognormal draws with the given means: durations are skewed, with a long right tail."""
    return rng.lognormal(np.log(mean) - sigma**2 / 2, sigma)


def _area_weights(types: pd.DataFrame) -> np.ndarray:
    """Per call type, the probability of each area: population x poverty and commerce tilts."""
    pop = np.array([a[1] for a in _AREAS], dtype=float)
    poverty = np.array([a[8] for a in _AREAS])
    commerce = np.array([a[9] for a in _AREAS])
    rel_pov = poverty / np.average(poverty, weights=pop)
    w = (
        pop[None, :]
        * rel_pov[None, :] ** types["poverty_exp"].to_numpy()[:, None]
        * commerce[None, :] ** types["commerce_exp"].to_numpy()[:, None]
    )
    return w / w.sum(axis=1, keepdims=True)


def _received_times(
    rng: np.random.Generator, year: int, hours: np.ndarray, night: np.ndarray
) -> np.ndarray:
    """Seconds since the year's first local midnight, with hour, weekday and season patterns."""
    days = pd.date_range(f"{year}-01-01", f"{year}-12-31", freq="D")
    doy = np.arange(len(days))
    # Summer peak about 10% above the year's mean, winter trough about 10% below.
    season = 1 + 0.10 * np.cos(2 * np.pi * (doy - 196) / len(days))
    out = np.empty(len(hours), dtype=np.int64)
    for profile, weights in _HOURS.items():
        for is_night in (False, True):
            idx = np.flatnonzero((hours == profile) & (night == is_night))
            if not len(idx):
                continue
            pday = season * np.asarray(_WEEKDAYS[is_night])[days.day_of_week]
            day = rng.choice(len(days), size=len(idx), p=pday / pday.sum())
            ph = np.asarray(weights, dtype=float)
            hour = rng.choice(24, size=len(idx), p=ph / ph.sum())
            out[idx] = day * 86_400 + hour * 3_600 + rng.integers(0, 3_600, len(idx))
    return out


def simulate(year: int, *, calls: int | None = None, seed: int = SEED) -> pd.DataFrame:
    """One year of the city's calls, one row per responding unit, with tz-aware times.

    The truth behind the exports: ``calls_export`` formats it into a city's layout
    and adds the dirt. ``calls`` overrides the year's number of calls (benchmarks).
    """
    rng = _rng(seed, year)
    types = call_types()
    n = CALLS_PER_YEAR.get(year, CALLS_PER_YEAR[UNIT_YEAR]) if calls is None else int(calls)
    t = rng.choice(len(types), size=n, p=types["p"].to_numpy())
    tcol = {c: types[c].to_numpy() for c in types.columns}
    officer = rng.random(n) < tcol["officer_initiated"][t]
    hours = tcol["hours"][t]
    received = _received_times(rng, year, hours, hours == "night")
    order = np.argsort(received, kind="stable")
    t, officer, received = t[order], officer[order], received[order]

    area = _pick(rng, _area_weights(types), t)
    base = tcol["priority"][t]
    shift = rng.choice([-1, 0, 0, 0, 0, 0, 0, 0, 0, 1], size=n)
    priority = np.clip(base + shift, 1, 4)

    # Public calls wait for a unit by priority; officer-initiated ones start on view.
    wait_min = np.array([0.0, 1.2, 3.5, 11.0, 24.0])[priority]
    travel_min = np.array([0.0, 5.0, 7.0, 9.0, 10.0])[priority]
    dispatch_s = np.where(officer, 0.0, _lognormal(rng, wait_min, 0.9) * 60)
    travel_s = np.where(officer, 0.0, _lognormal(rng, travel_min, 0.5) * 60)
    scene_s = np.maximum(_lognormal(rng, tcol["minutes"][t].astype(float), 0.75) * 60, 45)
    extra = np.minimum(rng.poisson(tcol["extra_units"][t]), 7)
    units = 1 + extra
    no_arrival = ~officer & (rng.random(n) < DIRT["missing_arrival_public"])

    outcome = tcol["outcome"][t]
    dispo = np.empty(n, dtype=object)
    for name, mix in _OUTCOMES.items():
        idx = np.flatnonzero(outcome == name)
        dispo[idx] = rng.choice(list(mix), size=len(idx), p=list(mix.values()))
    cancelled = no_arrival & (rng.random(n) < 0.6)
    dispo[cancelled] = "CAN"
    # A cancelled call frees its units within minutes of dispatch.
    scene_s = np.where(cancelled, rng.uniform(60, 600, n), scene_s)

    # Expand to one row per unit.
    call_idx = np.repeat(np.arange(n), units)
    k = np.arange(len(call_idx)) - np.repeat(np.cumsum(units) - units, units)
    later = k > 0
    m = len(call_idx)
    u_dispatch = dispatch_s[call_idx] + np.where(later, rng.exponential(120, m), 0.0)
    u_travel = np.where(officer[call_idx] & ~later, 0.0, _lognormal(rng, np.full(m, 420.0), 0.5))
    u_travel = np.where(later, u_travel, travel_s[call_idx])
    u_arrive = u_dispatch + u_travel
    u_scene = scene_s[call_idx] * np.where(later, rng.uniform(0.3, 1.0, m), 1.0)
    u_clear = u_arrive + u_scene

    local = pd.Timestamp(f"{year}-01-01") + pd.to_timedelta(received, unit="s")
    created = local.tz_localize(TIMEZONE, ambiguous=np.zeros(n, bool), nonexistent="shift_forward")
    created_u = created[call_idx]
    frame = pd.DataFrame(
        {
            "call": call_idx,
            "unit_seq": k,
            "type": types["code"].to_numpy()[t][call_idx],
            "priority": priority[call_idx],
            "officer": officer[call_idx],
            "source": tcol["source"][t][call_idx],
            "area": area[call_idx],
            "created": created_u,
            "dispatched": created_u + pd.to_timedelta(np.round(u_dispatch), unit="s"),
            "arrived": created_u + pd.to_timedelta(np.round(u_arrive), unit="s"),
            "cleared": created_u + pd.to_timedelta(np.round(u_clear), unit="s"),
            "no_arrival": no_arrival[call_idx],
            "disposition": dispo[call_idx],
            "units": units[call_idx],
        }
    )
    frame.loc[frame["no_arrival"], "arrived"] = pd.NaT
    return frame


@cache
def _clock_lut(layout: Layout) -> np.ndarray:
    """Every second of a day as the layout writes it ("hh:mm:ss AM" or "HH:MM:SS")."""
    sod = np.arange(86_400)
    h, mi, s = sod // 3600, sod // 60 % 60, sod % 60
    if layout == "call":
        h12 = np.where(h % 12 == 0, 12, h % 12)
        return _two(h12) + ":" + _two(mi) + ":" + _two(s) + np.where(h < 12, " AM", " PM")
    return _two(h) + ":" + _two(mi) + ":" + _two(s)


@cache
def _date_lut(start: pd.Timestamp, layout: Layout) -> np.ndarray:
    """The dates from ``start`` on, 400 days, as the layout writes them, ready to prefix a clock."""
    days = pd.date_range(start, periods=400, freq="D")
    fmt = "%m/%d/%Y " if layout == "call" else "%Y-%m-%dT"
    return np.asarray(days.strftime(fmt), dtype=object)


def _local_text(times: pd.Series, year: int, layout: Layout) -> np.ndarray:
    """Format tz-aware times as naive local text quickly (lookup tables, not strftime)."""
    wall = times.dt.tz_localize(None)
    missing = wall.isna().to_numpy()
    start = pd.Timestamp(f"{year - 1}-12-01")
    secs = (wall - start).dt.total_seconds().fillna(0).to_numpy().astype(np.int64)
    out = _date_lut(start, layout)[secs // 86_400] + _clock_lut(layout)[secs % 86_400]
    out[missing] = ""
    return out


_DIGITS: Final = np.array([str(i) for i in range(11)], dtype=object)
_TWO_DIGITS: Final = np.array([f"{i:02d}" for i in range(100)], dtype=object)


def _numbered(prefix: str, count: int) -> np.ndarray:
    """Record numbers ``prefix0000001`` onwards, as CAD systems number a year's events."""
    return np.array([f"{prefix}{i:07d}" for i in range(1, count + 1)], dtype=object)


def _two(values: np.ndarray) -> np.ndarray:
    """Zero-padded two-digit text of small whole numbers."""
    return np.char.zfill(values.astype(str), 2).astype(object)


@cache
def _address_lut(layout: Layout) -> np.ndarray:
    """Every hundred-block address, flat-indexed by (area, street, suffix, block - 1)."""
    text = [
        f"{block:03d}XX {street} {suffix}" if layout == "call" else f"{block}XX {street} {suffix}"
        for area in _AREAS
        for street in area[11]
        for suffix in _SUFFIXES
        for block in range(1, 60)
    ]
    lut = np.array(text, dtype=object)
    return lut if layout == "call" else np.char.upper(lut.astype(str)).astype(object)


def _addresses(rng: np.random.Generator, area: np.ndarray, layout: Layout) -> np.ndarray:
    """Hundred-block addresses from each area's own streets, masked the way exports mask them."""
    street = rng.integers(0, 5, len(area))
    suffix = rng.integers(0, len(_SUFFIXES), len(area))
    block = rng.integers(1, 60, len(area))
    flat = ((area * 5 + street) * len(_SUFFIXES) + suffix) * 59 + block - 1
    return _address_lut(layout)[flat]


def _coordinates(rng: np.random.Generator, area: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Points scattered around each area's centre, to six decimals as exports write them."""
    centre = np.array([a[10] for a in _AREAS])
    lat = np.round(centre[area, 0] + rng.normal(0, 0.006, len(area)), 6)
    lon = np.round(centre[area, 1] + rng.normal(0, 0.008, len(area)), 6)
    return lat, lon


def _dirty_times(rng: np.random.Generator, calls: pd.DataFrame) -> pd.DataFrame:
    """A few calls cleared before they were received, and a few open for over eight hours."""
    n = len(calls)
    before = rng.random(n) < DIRT["cleared_before_received"]
    long = ~before & (rng.random(n) < DIRT["over_eight_hours"])
    calls.loc[before, "cleared"] = calls.loc[before, "created"] - pd.to_timedelta(
        rng.integers(60, 3_600, before.sum()), unit="s"
    )
    calls.loc[long, "cleared"] = calls.loc[long, "created"] + pd.to_timedelta(
        rng.integers(9 * 3_600, 30 * 3_600, long.sum()), unit="s"
    )
    return calls


def _junk_dispositions(rng: np.random.Generator, dispo: np.ndarray) -> np.ndarray:
    """Close a few calls as VOID, DUPLICATE or TEST INCIDENT, as real CAD exports hold them."""
    junk = rng.random(len(dispo)) < DIRT["test_void_duplicate"]
    dispo = dispo.copy()
    dispo[junk] = rng.choice(["VOD", "DUP", "DUP", "TST"], size=junk.sum())
    return dispo


def _with_duplicates(rng: np.random.Generator, frame: pd.DataFrame) -> pd.DataFrame:
    """Repeat a few rows exactly, right after themselves, as double-exported records do."""
    dup = rng.random(len(frame)) < DIRT["exact_duplicate_rows"]
    repeat = np.where(dup, 2, 1)
    return frame.loc[frame.index.repeat(repeat)].reset_index(drop=True)


def calls_export(
    year: int, *, layout: Layout | None = None, rows: int | None = None, seed: int = SEED
) -> pd.DataFrame:
    """One year's raw CAD export as the city's systems write it, as text columns.

    ``layout`` is "call" (one row per call, New-Orleans-shaped, "MM/DD/YYYY hh:mm:ss AM")
    or "unit" (one row per responding unit, Cincinnati/Seattle-shaped, ISO times); by
    default the city's own layout for that year. ``rows`` sets the number of calls
    (a benchmark's million rows); the dirt described in ``DIRT`` comes on top.
    """
    layout = layout or ("unit" if year == UNIT_YEAR else "call")
    if layout not in ("call", "unit"):
        raise ValueError(f"layout must be 'call' or 'unit', not {layout!r}")
    if rows is not None and rows < 1:
        raise ValueError(f"rows must be a positive number of calls, not {rows!r}")
    units = simulate(year, calls=rows, seed=seed)
    rng = _rng(seed, year, 1)
    types = call_types().set_index("code")
    names = np.array([a[0] for a in _AREAS], dtype=object)
    if layout == "call":
        calls = units.groupby("call", sort=True).agg(
            type=("type", "first"),
            priority=("priority", "first"),
            officer=("officer", "first"),
            area=("area", "first"),
            created=("created", "first"),
            dispatched=("dispatched", "min"),
            arrived=("arrived", "min"),
            cleared=("cleared", "max"),
            disposition=("disposition", "first"),
        )
        calls = _dirty_times(rng, calls)
        n = len(calls)
        area = calls["area"].to_numpy()
        lat, lon = _coordinates(rng, area)
        location = "POINT (" + lon.astype(str).astype(object) + " " + lat.astype(str) + ")"
        location[rng.random(n) < DIRT["missing_location"]] = "POINT (0 0)"
        dispo = _junk_dispositions(rng, calls["disposition"].to_numpy())
        # Even years' system wrote disposition text in title case.
        words = {k: v.title() if year % 2 == 0 else v for k, v in _DISPOSITIONS.items()}
        frame = pd.DataFrame(
            {
                "Item_Number": _numbered(f"PC{str(year)[2:]}", n),
                "Type": calls["type"].to_numpy(),
                "TypeText": types.loc[calls["type"], "description"].to_numpy(),
                "Priority": _DIGITS[calls["priority"].to_numpy()],
                "TimeCreate": _local_text(calls["created"], year, layout),
                "TimeDispatch": _local_text(calls["dispatched"], year, layout),
                "TimeArrive": _local_text(calls["arrived"], year, layout),
                "TimeClosed": _local_text(calls["cleared"], year, layout),
                "Disposition": dispo,
                "DispositionText": np.array([words[d] for d in dispo], dtype=object),
                "SelfInitiated": np.where(calls["officer"], "Y", "N"),
                "District": names[area],
                "BLOCK_ADDRESS": _addresses(rng, area, layout),
                "Location": location,
            }
        )
        return _with_duplicates(rng, frame)

    calls = units.groupby("call", sort=True)[["area", "disposition"]].first()
    n = len(calls)
    area = calls["area"].to_numpy()
    address = _addresses(rng, area, layout)
    lat, lon = _coordinates(rng, area)
    no_loc = rng.random(n) < DIRT["missing_location"]
    lat_t = np.where(no_loc, "", lat.astype(str)).astype(object)
    lon_t = np.where(no_loc, "", lon.astype(str)).astype(object)
    dispo = _junk_dispositions(rng, calls["disposition"].to_numpy())
    dirty = _dirty_times(rng, units[["created", "cleared"]].copy())
    ci = units["call"].to_numpy()
    beat = rng.integers(1, 4, len(units))
    shift = np.array(["A", "B", "C"])[((units["created"].dt.hour.to_numpy() + 1) // 8) % 3]
    unit_id = (
        _DIGITS[units["area"].to_numpy() + 1]
        + shift
        + _TWO_DIGITS[beat * 10 + units["unit_seq"].to_numpy() % 10]
    )
    source = np.where(
        units["officer"],
        "ONVIEW",
        np.where(
            units["source"] == "alarm",
            "ALARM CALL",
            np.where(rng.random(n)[ci] < 0.25, "TELEPHONE OTHER NOT 911", "911"),
        ),
    )
    frame = pd.DataFrame(
        {
            "EVENT_NUMBER": _numbered(f"PCD{str(year)[2:]}", n)[ci],
            "CREATE_TIME_INCIDENT": _local_text(units["created"], year, layout),
            "INCIDENT_TYPE_ID": units["type"].to_numpy(),
            "INCIDENT_TYPE_DESC": types.loc[units["type"], "description"].to_numpy(),
            "PRIORITY": _DIGITS[units["priority"].to_numpy()],
            "DISTRICT": names[units["area"].to_numpy()],
            "ADDRESS_X": address[ci],
            "UNIT_ID": unit_id,
            "DISPATCH_TIME": _local_text(units["dispatched"], year, layout),
            "ARRIVAL_TIME": _local_text(units["arrived"], year, layout),
            "CLEAR_TIME": _local_text(dirty["cleared"], year, layout),
            "DISPOSITION_TEXT": np.array([_DISPOSITIONS[d] for d in dispo], dtype=object)[ci],
            "CALL_SOURCE": source,
            "LATITUDE_X": lat_t[ci],
            "LONGITUDE_X": lon_t[ci],
        }
    )
    return _with_duplicates(rng, frame)


# Sworn and civilian headcount by fiscal year (ending June of that year).
_HEADCOUNT: Final[dict[int, tuple[int, int]]] = {
    2023: (468, 118),
    2024: (474, 121),
    2025: (481, 124),
}


def budget() -> pd.DataFrame:
    """Police budget lines by fiscal year, and sworn headcount (category ``sworn_headcount``).

    Sized so that the budget per sworn officer is about $160,000: above the Bureau of
    Justice Statistics' $109,000 for departments serving under 10,000 residents (BJS,
    "Local Police Departments: Personnel, 2020"), as larger departments cost more.
    """
    rows: list[tuple[int, str, str, float]] = []
    for i, (fy, (sworn, civilian)) in enumerate(_HEADCOUNT.items()):
        raise_ = 1.03**i
        sworn_pay = round(sworn * 76_500 * raise_, -3)
        civilian_pay = round(civilian * 52_000 * raise_, -3)
        rows += [
            (fy, "salaries", "Sworn salaries", sworn_pay),
            (fy, "civilian", "Civilian salaries and benefits", round(1.38 * civilian_pay, -3)),
            (fy, "benefits", "Pension and retirement", round(0.27 * sworn_pay, -3)),
            (
                fy,
                "benefits",
                "Health and other benefits",
                round(0.19 * sworn_pay, -3),
            ),
            (fy, "overtime", "Overtime - patrol", round(3_900_000 * raise_ * (1 + 0.04 * i), -3)),
            (fy, "overtime", "Overtime - court and special events", round(1_300_000 * raise_, -3)),
            (fy, "equipment", "Vehicles and fuel", round(2_550_000 * raise_, -3)),
            (fy, "equipment", "Radios, computers and body cameras", round(2_050_000 * raise_, -3)),
            (fy, "equipment", "Uniforms and equipment", round(1_150_000 * raise_, -3)),
            (fy, "other", "Training", round(820_000 * raise_, -3)),
            (fy, "other", "Facilities and utilities", round(1_880_000 * raise_, -3)),
            (fy, "other", "Contracts and services", round(1_420_000 * raise_, -3)),
            (fy, "sworn_headcount", "Sworn officers (budgeted FTE)", float(sworn)),
        ]
    return pd.DataFrame(rows, columns=["fiscal_year", "category", "item", "amount"])


SURVEY_PRIORITIES: Final[tuple[str, ...]] = (
    "violent_crime",
    "property_crime",
    "traffic_safety",
    "mental_health_response",
    "homelessness_services",
    "youth_programs",
    "response_times",
    "police_community_trust",
)
SURVEY_SCORES: Final[tuple[str, ...]] = ("feel_safe", "police_respect", "police_listen")
# A neighbourhood association's mailing: this many of the responses come from one rich area,
# nearly all from its White residents, with one voice (enforcement first, little else).
LOUD_AREA: Final = "Lakeview"
LOUD_RESPONSES: Final = 220
_LOUD_RATINGS: Final = np.array([3.6, 5.0, 4.0, 1.4, 1.2, 2.0, 5.0, 2.6])
# 0-10 scores: mean, change per point of poverty rate above the city's, change for Black
# and for Hispanic respondents (trust surveys find lower trust among both).
_SCORE_MODEL: Final = np.array(
    [[6.4, -9.0, -0.3, -0.2], [6.7, -6.0, -1.6, -0.6], [6.1, -6.0, -1.8, -0.7]]
)
# Mean rating of each priority, and how much more (or less) it matters in poorer areas.
_PRIORITY_MEAN: Final = np.array([4.1, 3.4, 3.5, 3.9, 3.3, 3.6, 3.7, 3.6])
_PRIORITY_POVERTY: Final = np.array([2.8, -0.5, -2.0, 1.0, 1.5, 2.0, 0.8, 3.0])
_COMMENTS: Final[dict[str, tuple[str, ...]]] = {
    "violent_crime": (
        "Shootings near {street} keep people inside after dark.",
        "I want to feel safe walking to the bus stop at night.",
        "Focus officers on violence, not on small stuff.",
    ),
    "property_crime": (
        "Cars get broken into on {street} every week and nobody comes.",
        "Reporting a stolen bike took three hours of waiting for an officer.",
        "Package theft is constant. An online report would be enough.",
    ),
    "traffic_safety": (
        "Speeding on {street} is the biggest danger to our kids.",
        "We need traffic calming, not more tickets.",
        "Fender benders block the road for an hour waiting for police.",
    ),
    "mental_health_response": (
        "Send trained counselors when someone is in crisis, not armed officers.",
        "My brother needed help, not handcuffs.",
        "A mental health team that answers at night too.",
    ),
    "homelessness_services": (
        "People sleeping near {street} need housing and outreach, not tickets.",
        "Outreach workers would do more than police for the camp by the river.",
    ),
    "youth_programs": (
        "Keep the rec center open late so teenagers have somewhere to go.",
        "Summer jobs for young people would prevent a lot of this.",
    ),
    "response_times": (
        "When I called about a break-in it took 40 minutes for anyone to come.",
        "Faster response for real emergencies, please.",
    ),
    "police_community_trust": (
        "Officers should know the neighborhood and the people in it.",
        "I don't call the police anymore because it makes things worse.",
        "More community meetings where we can actually be heard.",
    ),
}


def _survey_scores(
    rng: np.random.Generator, poverty_gap: np.ndarray, group: np.ndarray
) -> np.ndarray:
    """0-10 feeling of safety and trust in police, lower in poorer areas and, for trust,
    among Black and Hispanic respondents."""
    black = (group == "Black").astype(float)
    hispanic = (group == "Hispanic or Latino").astype(float)
    model = _SCORE_MODEL
    latent = (
        model[:, 0][None, :]
        + poverty_gap[:, None] * model[:, 1][None, :]
        + black[:, None] * model[:, 2][None, :]
        + hispanic[:, None] * model[:, 3][None, :]
        + rng.normal(0, 1.9, (len(group), 3))
    )
    return np.clip(np.rint(latent), 0, 10)


def survey(seed: int = SEED) -> pd.DataFrame:
    """About 1,500 community-survey responses: 1-5 ratings of safety priorities and 0-10
    safety and trust scores, by area.

    Responses lean towards the higher-income areas, as voluntary surveys often do, and
    the last LOUD_RESPONSES come from one organised campaign in LOUD_AREA, so step 01
    has a reason to weight by area and group and to show who took part.
    """
    rng = _rng(seed, 1)
    n = SURVEY_RESPONSES
    pop = np.array([a[1] for a in _AREAS], dtype=float)
    income = np.array([a[7] for a in _AREAS], dtype=float)
    poverty = np.array([a[8] for a in _AREAS])
    w = pop * (income / income.mean()) ** 0.6
    area = rng.choice(len(_AREAS), size=n, p=w / w.sum())
    shares = np.array([a[2:7] for a in _AREAS])
    groups = np.array(
        ["White", "Black", "Hispanic or Latino", "Asian", "Other or multiple"], dtype=object
    )
    group = groups[_pick(rng, shares / shares.sum(axis=1, keepdims=True), area)]
    group[rng.random(n) < 0.04] = "Prefer not to say"
    loud_rng = _rng(seed, 2)
    loud = np.arange(n) >= n - LOUD_RESPONSES
    area[loud] = [a[0] for a in _AREAS].index(LOUD_AREA)
    group[loud] = np.where(loud_rng.random(LOUD_RESPONSES) < 0.9, "White", "Asian")
    ages = np.array(["18-24", "25-34", "35-49", "50-64", "65+"], dtype=object)
    age = ages[rng.choice(5, size=n, p=[0.09, 0.17, 0.26, 0.26, 0.22])]
    dev = (poverty[area] - np.average(poverty, weights=pop))[:, None]
    latent = _PRIORITY_MEAN[None, :] + dev * _PRIORITY_POVERTY[None, :] + rng.normal(0, 0.9, (n, 8))
    ratings = np.clip(np.rint(latent), 1, 5)
    ratings[loud] = np.clip(
        np.rint(_LOUD_RATINGS + loud_rng.normal(0, 0.4, (LOUD_RESPONSES, 8))), 1, 5
    )
    ratings[rng.random((n, 8)) < 0.02] = np.nan
    scores = _survey_scores(loud_rng, dev[:, 0], group)
    scores[loud] = np.clip(
        np.rint(loud_rng.normal([4.0, 9.4, 9.2], 0.8, (LOUD_RESPONSES, 3))), 0, 10
    )
    scores[loud_rng.random(scores.shape) < 0.03] = np.nan
    start = pd.Timestamp("2025-03-03")
    submitted = start + pd.to_timedelta(rng.integers(0, 42, n), unit="D")
    frame = pd.DataFrame(
        {
            "response_id": np.char.add("R", np.char.zfill(np.arange(1, n + 1).astype(str), 4)),
            "submitted_on": submitted.strftime("%Y-%m-%d"),
            "area": np.array([a[0] for a in _AREAS], dtype=object)[area],
            "demographic_group": group,
            "age_group": age,
        }
    )
    for j, name in enumerate(SURVEY_PRIORITIES):
        frame[f"rating_{name}"] = pd.array(ratings[:, j], dtype="Int64")
    for j, name in enumerate(SURVEY_SCORES):
        frame[f"score_{name}"] = pd.array(scores[:, j], dtype="Int64")
    top = np.nanargmax(np.where(np.isnan(ratings), 0, ratings + rng.random((n, 8)) * 0.5), axis=1)
    comment = np.full(n, "", dtype=object)
    streets = np.array([a[11][0] for a in _AREAS], dtype=object)
    for j, name in enumerate(SURVEY_PRIORITIES):
        idx = np.flatnonzero(top == j)
        choices = np.array(_COMMENTS[name], dtype=object)[
            rng.integers(0, len(_COMMENTS[name]), len(idx))
        ]
        comment[idx] = [
            c.format(street=f"{s} St") for c, s in zip(choices, streets[area[idx]], strict=True)
        ]
    comment[rng.random(n) < 0.45] = ""
    frame["comment"] = comment
    return frame


def write_export(frame: pd.DataFrame, path: Path) -> None:
    """Write an export as CSV, byte for byte what ``frame.to_csv(path, index=False)`` writes.

    Arrow's writer is some twenty times faster than pandas' on these text columns; none
    of the generated values needs quoting (Arrow refuses to write one that would).
    """
    table = pa.Table.from_pandas(frame, preserve_index=False)
    options = pacsv.WriteOptions(include_header=False, quoting_style="none")
    with open(path, "wb") as handle:
        handle.write((",".join(frame.columns) + "\n").encode())
        pacsv.write_csv(table, handle, options)


def write_raw(dest: Path, *, seed: int = SEED) -> dict[str, Path]:
    """Write every raw file of the city into ``dest``; returns name -> path.

    calls_YEAR.csv for each year (in the year's own export layout), areas.csv (the
    profile), budget.csv and survey.csv.
    """
    dest.mkdir(parents=True, exist_ok=True)
    paths: dict[str, Path] = {}
    for year in YEARS:
        path = dest / f"calls_{year}.csv"
        write_export(calls_export(year, seed=seed), path)
        paths[f"calls_{year}"] = path
    for name, frame in (("areas", areas()), ("budget", budget()), ("survey", survey(seed))):
        path = dest / f"{name}.csv"
        frame.to_csv(path, index=False)
        paths[name] = path
    return paths
