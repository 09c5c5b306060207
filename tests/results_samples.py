"""A small jurisdiction whose pilot effect is known: eight areas, weekly calls of two types,
and in the pilot areas after their start a share of welfare checks answered by a crisis team
(thinned from the calls police handled)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from kit.data.schema import arrow_schema
from kit.profile import Area, Profile
from kit.workspace import Workspace

TZ = "America/Chicago"
AREAS = tuple(f"Area {c}" for c in "ABCDEFGH")
WEEKS = pd.date_range("2024-01-01", periods=40, freq="7D")
RESPONDER = "CRISIS TEAM RESPONSE"
#: The appended export's columns named where its few distinct values leave the match unsure.
MAPPING = {
    "call_type": "Call Type",
    "call_type_desc": "Call Type Description",
    "initiated_by": "Source",
}


def _profile() -> Profile:
    """Areas whose share of residents of colour and income differ, so equity has something."""
    areas = []
    for i, name in enumerate(AREAS):
        white = 0.2 + 0.08 * i
        areas.append(
            Area(
                name=name,
                population=20_000 + 1_000 * i,
                share_white_nh=white,
                share_black=0.5 * (1 - white),
                share_hispanic=0.3 * (1 - white),
                share_asian=0.1 * (1 - white),
                share_other=0.1 * (1 - white),
                median_household_income=35_000 + 6_000 * i,
            )
        )
    return Profile(
        name="Pilotville", population=sum(a.population for a in areas), timezone=TZ, areas=areas
    )


def calls_table(
    starts: Mapping[str, pd.Timestamp], *, share: float = 0.3, seed: int = 3
) -> pd.DataFrame:
    """Canonical calls whose welfare checks in each area of ``starts`` are answered by the
    crisis team with probability ``share`` from that area's start."""
    rng = np.random.default_rng(seed)
    rows = []
    for i, area in enumerate(AREAS):
        level = 12 + 2 * i
        for w, week in enumerate(WEEKS):
            for code, desc, rate in (("WELCHK", "CHECK WELFARE", level), ("THEFT", "THEFT", 5)):
                n = rng.poisson(rate * (1 + 0.1 * np.cos(w / 6)))
                seconds = np.sort(rng.integers(0, 7 * 86_400, n))
                for s in seconds:
                    rows.append((area, week + pd.Timedelta(seconds=int(s)), code, desc))
    calls = pd.DataFrame(rows, columns=["area", "received_at", "call_type", "call_type_desc"])
    start = calls["area"].map(starts)
    pilot = calls["call_type"].eq("WELCHK") & start.notna() & (calls["received_at"] >= start)
    crisis = pilot & (rng.random(len(calls)) < share)
    received = calls["received_at"].dt.tz_localize(TZ, ambiguous=False, nonexistent="shift_forward")
    n = len(calls)
    table = pd.DataFrame(
        {
            "call_id": [f"C{i:07d}" for i in range(n)],
            "received_at": received,
            "call_type": calls["call_type"],
            "call_type_desc": calls["call_type_desc"],
            "priority": "2",
            "area": calls["area"],
            "block": [f"{100 * (i % 40)} BLOCK MAIN ST" for i in range(n)],
            "dispatched_at": received + pd.Timedelta(minutes=4),
            "arrived_at": received + pd.Timedelta(minutes=12),
            "cleared_at": received + pd.Timedelta(minutes=40),
            "units": 1,
            "unit_hours": 0.6,
            "disposition": np.where(crisis, RESPONDER, "NECESSARY ACTION TAKEN"),
            "initiated_by": "911",
            "lat": np.nan,
            "lon": np.nan,
        }
    )
    return table


def _workspace(path: Path, table: pd.DataFrame) -> Workspace:
    ws = Workspace.create(path, name="Pilotville", timezone=TZ)
    ws.save_profile(_profile(), user="tester")
    ws.write_data({"calls": pa.Table.from_pandas(table, schema=arrow_schema(TZ))})
    return ws


def pilot_workspace(
    path: Path, starts: Mapping[str, pd.Timestamp], *, share: float = 0.3, seed: int = 3
) -> Workspace:
    """A workspace whose welfare checks in each area of ``starts`` are answered by the crisis
    team with probability ``share`` from that area's start (police-handled: 1 - share)."""
    return _workspace(path, calls_table(starts, share=share, seed=seed))


def appended_workspace(path: Path, areas: Sequence[str], start: pd.Timestamp) -> Workspace:
    """The history up to ``start`` held, a 12-week pilot design in ``areas`` saved, then the
    pilot's weeks added as a CAD export appended (as a city would after the pilot)."""
    from kit.data.calls import import_calls
    from kit.pilot.definition import Pilot as Design

    table = calls_table(dict.fromkeys(areas, start))
    local = table["received_at"].dt.tz_localize(None)
    ws = _workspace(path, table[local < start].reset_index(drop=True))
    design = Design(("CHECK WELFARE",), "crisis_team", tuple(areas), start=start.date(), weeks=12)
    ws.decisions.save("pilot_design", design.to_document(), base_version=None, step="04")
    later = table[local >= start].copy()
    for column in ("received_at", "dispatched_at", "arrived_at", "cleared_at"):
        later[column] = later[column].dt.strftime("%Y-%m-%d %H:%M:%S")
    export = path.parent / f"{path.name}-pilot-weeks.csv"
    headers = {
        "call_id": "Incident Number",
        "received_at": "Call Received",
        "call_type": "Call Type",
        "call_type_desc": "Call Type Description",
        "priority": "Priority",
        "area": "District",
        "block": "Block Address",
        "dispatched_at": "Dispatched",
        "arrived_at": "Arrived",
        "cleared_at": "Cleared",
        "units": "Units",
        "disposition": "Disposition",
        "initiated_by": "Source",
    }
    later[list(headers)].rename(columns=headers).to_csv(export, index=False)
    import_calls(ws, [export], append=True, mapping=MAPPING)
    return ws
