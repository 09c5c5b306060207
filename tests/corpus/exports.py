"""Small synthetic CAD exports shaped like real open-data layouts, for the import tests.

The layouts follow the published exports (New Orleans, Cincinnati/Seattle per-unit,
Seattle legacy, Detroit, Baltimore); the values are made up and seeded.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

TYPES = [
    ("21", "RECKLESS DRIVING"),
    ("103", "DISTURBANCE"),
    ("67S", "THEFT BY SHOPLIFTING"),
    ("24", "MEDICAL"),
    ("107", "SUSPICIOUS PERSON"),
    ("18", "TRAFFIC INCIDENT"),
]
START = pd.Timestamp("2024-03-01 00:00:00")


def _times(rng: np.random.Generator, n: int) -> pd.DatetimeIndex:
    return START + pd.to_timedelta(np.sort(rng.integers(0, 86400 * 60, n)), unit="s")


def us_format(ts: pd.Series | pd.DatetimeIndex) -> pd.Series:
    """'MM/DD/YYYY hh:mm:ss AM' as New Orleans writes it."""
    return pd.Series(pd.DatetimeIndex(ts).strftime("%m/%d/%Y %I:%M:%S %p"))


def nola(n: int = 200, seed: int = 1) -> pd.DataFrame:
    """One row per call, New Orleans layout; every call has clean times (1 h of unit time)."""
    rng = np.random.default_rng(seed)
    created = _times(rng, n)
    kinds = rng.integers(0, len(TYPES), n)
    return pd.DataFrame(
        {
            "Item_Number": [f"A{seed}{i:06d}" for i in range(n)],
            "Type": [TYPES[k][0] for k in kinds],
            "TypeText": [TYPES[k][1] for k in kinds],
            "Priority": rng.choice(["1A", "2B", "3C"], n),
            "TimeCreate": us_format(created),
            "TimeDispatch": us_format(created + pd.Timedelta(minutes=5)),
            "TimeArrive": us_format(created + pd.Timedelta(minutes=15)),
            "TimeClosed": us_format(created + pd.Timedelta(minutes=65)),
            "Disposition": "NAT",
            "DispositionText": "Necessary Action Taken",
            "SelfInitiated": rng.choice(["Y", "N"], n),
            "District": rng.choice(["North", "South", "East", "West"], n),
            "BLOCK_ADDRESS": [f"{100 + 37 * i} Main St" for i in range(n)],
            "Location": [f"POINT ({-90.0 - i / 1000:.4f} {29.9 + i / 2000:.4f})" for i in range(n)],
        }
    )


def per_unit(calls: int = 100, seed: int = 2) -> pd.DataFrame:
    """One row per responding unit, Cincinnati/Seattle layout, ISO times.

    Call i has (i % 3) + 1 units, each committed 30 minutes.
    """
    rng = np.random.default_rng(seed)
    created = _times(rng, calls)
    rows = []
    for i in range(calls):
        for u in range(i % 3 + 1):
            dispatch = created[i] + pd.Timedelta(minutes=2 + u)
            rows.append(
                {
                    "EVENT_NUMBER": f"E{seed}{i:06d}",
                    "CREATE_TIME_INCIDENT": created[i].isoformat(),
                    "INCIDENT_TYPE_ID": TYPES[i % len(TYPES)][0],
                    "INCIDENT_TYPE_DESC": TYPES[i % len(TYPES)][1],
                    "PRIORITY": str(1 + i % 4),
                    "DISTRICT": f"District {1 + i % 5}",
                    "ADDRESS_X": f"{200 + i} ELM ST",
                    "UNIT_ID": f"{1 + u}A{i % 7}",
                    "DISPATCH_TIME": dispatch.isoformat(),
                    "ARRIVAL_TIME": (dispatch + pd.Timedelta(minutes=8)).isoformat(),
                    "CLEAR_TIME": (dispatch + pd.Timedelta(minutes=30)).isoformat(),
                    "DISPOSITION_TEXT": "REPORT TAKEN",
                    "CALL_SOURCE": ["911", "ONVIEW", "ALARM CALL"][i % 3],
                    "LATITUDE_X": f"{39.1 + i / 1000:.5f}",
                    "LONGITUDE_X": f"{-84.5 - i / 1000:.5f}",
                }
            )
    return pd.DataFrame(rows)


def seattle_legacy(n: int = 60, seed: int = 3) -> pd.DataFrame:
    """Seattle's legacy layout: 'Call Type' is the source; two time columns in two formats."""
    rng = np.random.default_rng(seed)
    created = _times(rng, n)
    return pd.DataFrame(
        {
            "CAD Event Number": [f"S{i}" for i in range(n)],
            "Event Clearance Description": "CITATION ISSUED",
            "Call Type": rng.choice(["911", "ONVIEW", "TELEPHONE OTHER, NOT 911", "ALARM CALL"], n),
            "Priority": rng.choice(["1", "2", "3"], n),
            "Initial Call Type": "SUSPICIOUS PERSON",
            "Final Call Type": [TYPES[i % len(TYPES)][1] for i in range(n)],
            "Original Time Queued": us_format(created),
            "Arrived Time": pd.Series(
                (created + pd.Timedelta(minutes=9)).strftime("%b %d %Y %I:%M:%S:000%p")
            ),
            "Precinct": rng.choice(["NORTH", "SOUTH"], n),
            "Sector": "B",
            "Beat": "B1",
        }
    )


def detroit(n: int = 60, seed: int = 4) -> pd.DataFrame:
    """Detroit's layout: minutes as durations, officerinitiated Yes/No, a shared stand-in point."""
    rng = np.random.default_rng(seed)
    created = _times(rng, n)
    lat = 42.33 + rng.random(n) / 10
    lon = -83.05 - rng.random(n) / 10
    lat[: n // 2] = 42.3314
    lon[: n // 2] = -83.0458
    return pd.DataFrame(
        {
            "incident_id": np.arange(1000, 1000 + n).astype(str),
            "agency": "DPD",
            "incident_address": [f"{1000 + 13 * i} Woodward Ave" for i in range(n)],
            "priority": "2",
            "callcode": [TYPES[i % len(TYPES)][0] for i in range(n)],
            "calldescription": [TYPES[i % len(TYPES)][1] for i in range(n)],
            "call_timestamp": pd.Series(created.strftime("%Y/%m/%d %H:%M:%S+00")),
            "precinct_sca": rng.choice(["02", "04", "07"], n),
            "respondingunit": "0402",
            "officerinitiated": rng.choice(["Yes", "No"], n),
            "intaketime": "1.5",
            "dispatchtime": "3.0",
            "traveltime": "12",
            "totalresponsetime": "16.5",
            "time_on_scene": "48",
            "totaltime": "64.5",
            "latitude": lat.round(6).astype(str),
            "longitude": lon.round(6).astype(str),
        }
    )


def baltimore(n: int = 40, seed: int = 5) -> pd.DataFrame:
    """Baltimore's ArcGIS download: epoch milliseconds in UTC, a description as the call type."""
    rng = np.random.default_rng(seed)
    created = _times(rng, n).tz_localize("UTC")
    return pd.DataFrame(
        {
            "callNumber": [f"P{i}" for i in range(n)],
            "callDateTime": (created.asi8 // 1000).astype(str),
            "priority": "Medium",
            "district": rng.choice(["CD", "ND", "SD"], n),
            "description": [TYPES[i % len(TYPES)][1] for i in range(n)],
            "incidentLocation": [f"{400 + i} E NORTH AV" for i in range(n)],
        }
    )


def write_csv(frame: pd.DataFrame, path: Path, **kwargs: object) -> Path:
    frame.to_csv(path, index=False, **kwargs)  # type: ignore[arg-type]
    return path
