"""A small workspace for step 04's tests: three areas, a year of weekly calls, a saved plan."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from kit.roles import DECISION_NAME as ROLES_DECISION
from kit.roles import new_document
from kit.workspace import Workspace
from tests.ui_samples import AREAS, make_workspace

ZONE = "America/Chicago"
TYPES = (
    ("WELCHK", "CHECK WELFARE"),
    ("NOISE", "NOISE COMPL, MUSIC/PARTY"),
    ("ALMRES", "ALM/BURG-RES"),
    ("ASSLT", "ASSAULT"),
)


def calls_frame(weeks: int = 52, seed: int = 3) -> pd.DataFrame:
    """Calls on the canonical schema: each area and type a few a week, North the busiest."""
    rng = np.random.default_rng(seed)
    start = pd.Timestamp("2024-01-01", tz=ZONE)
    rows = []
    for area_index, area in enumerate(AREAS):
        for code, desc in TYPES:
            count = rng.poisson(weeks * (6 - 2 * area_index))
            offsets = rng.uniform(0, weeks * 7 * 24 * 3600, count)
            for offset in offsets:
                rows.append(
                    {
                        "received_at": start + pd.Timedelta(seconds=float(offset)),
                        "call_type": code,
                        "call_type_desc": desc,
                        "area": area,
                    }
                )
    frame = pd.DataFrame(rows).sort_values("received_at", ignore_index=True)
    frame["call_id"] = [f"C{i}" for i in range(len(frame))]
    return frame


def plan() -> dict:
    """Step 02's plan: welfare checks and noise to the crisis team 10:00-18:00 on weekdays,
    residential alarms verified without a dispatch."""
    document = new_document()
    document["assignments"] = {
        "WELCHK": {"crisis_team": 1.0},
        "NOISE": {"crisis_team": 0.5},
        "ALMRES": {"no_dispatch": 1.0},
    }
    document["coverage"] = {"crisis_team": [d * 24 + h for d in range(5) for h in range(10, 18)]}
    return document


def pilot_workspace(path: Path, *, with_plan: bool = True) -> Workspace:
    """The tiny profile, a year of calls and (unless told otherwise) step 02's saved plan."""
    ws = make_workspace(path)
    ws.write_data({"calls": calls_frame()})
    if with_plan:
        ws.decisions.save(ROLES_DECISION, plan(), base_version=None, step="02")
    return ws
