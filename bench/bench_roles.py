"""Benchmark of step 02's interactive path: re-running the flow after a split or assumption changes.

A synthetic three-year city of 500,000 calls (300 call types with real CAD spellings,
12 areas) is aggregated once with ``build_cube``; then the flow is recomputed with a
different responder share or take-up each time, as a slider would. The target is well
under 100 ms per update. The reference operation, timed in the same run, is one pandas
group-by sum of officer hours by call type over the 500,000 rows: what recomputing from
call rows would cost at the very least.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from kit.roles import build_cube, flow, totals

CALLS = 500_000
YEARS = 3
AREAS = 12
REPEATS = 60
SEED = 20210101
TARGET_MS = 100.0
FIXTURE = Path(__file__).resolve().parents[1] / "tests" / "data" / "call_types_labelled.csv"


def synthetic_calls(n: int = CALLS, seed: int = SEED) -> pd.DataFrame:
    """Calls on the canonical schema with real call-type strings and a skewed type mix."""
    rng = np.random.default_rng(seed)
    names = pd.read_csv(FIXTURE, dtype=str)["call_type"].drop_duplicates().head(300).to_numpy()
    weights = 1.0 / np.arange(1, len(names) + 1)
    types = rng.choice(len(names), size=n, p=weights / weights.sum())
    start = pd.Timestamp("2021-01-01", tz="America/Chicago")
    seconds = rng.integers(0, int(YEARS * 365.25 * 86400), size=n)
    hours = rng.gamma(2.0, 0.4, size=n)
    hours[rng.random(n) < 0.03] = np.nan
    return pd.DataFrame(
        {
            "call_id": np.arange(n).astype(str),
            "received_at": start + pd.to_timedelta(seconds, unit="s"),
            "call_type": names[types],
            "call_type_desc": names[types],
            "area": rng.choice([f"District {i + 1}" for i in range(AREAS)], size=n),
            "unit_hours": hours,
            "initiated_by": rng.choice(["911", "officer", "alarm", "other"], size=n),
        }
    )


def _times(run: Callable[[int], object], repeats: int) -> np.ndarray:
    out = np.empty(repeats)
    for i in range(repeats):
        start = time.perf_counter()
        run(i)
        out[i] = (time.perf_counter() - start) * 1000.0
    return out


def main() -> dict[str, Any]:
    """Run the benchmark and return its figures (milliseconds)."""
    calls = synthetic_calls()
    start = time.perf_counter()
    cube = build_cube(calls)
    build_ms = (time.perf_counter() - start) * 1000.0
    types = list(cube.types["call_type"])
    plan = {t: {"crisis_team": 0.5, "cso": 0.2} for t in types[::3]}
    coverage = {"crisis_team": list(range(10, 18))}

    def update(i: int, by: tuple[str, ...] = ()) -> object:
        changed = {**plan, types[i % len(types)]: {"cso": (i % 10) / 10}}
        assumptions = {"crisis_team": {"take_up": 0.3 + (i % 5) / 10}}
        return totals(flow(cube, changed, assumptions, coverage=coverage, by=by), by)

    for by in ((), ("area",), ("hour_of_week",)):
        update(0, by)  # build the matrices a slider then reuses
    overall = _times(update, REPEATS)
    by_area = _times(lambda i: update(i, ("area",)), REPEATS // 2)
    by_hour = _times(lambda i: update(i, ("hour_of_week",)), REPEATS // 2)
    reference = _times(lambda i: calls.groupby("call_type")["unit_hours"].sum(), 10)
    p95 = float(np.percentile(overall, 95))
    ref = float(np.median(reference))
    return {
        "calls": CALLS,
        "cube_cells": len(cube.calls),
        "build_cube_ms": round(build_ms, 1),
        "flow_totals_p50_ms": round(float(np.median(overall)), 2),
        "flow_totals_p95_ms": round(p95, 2),
        "flow_by_area_p95_ms": round(float(np.percentile(by_area, 95)), 2),
        "flow_by_hour_of_week_p95_ms": round(float(np.percentile(by_hour, 95)), 2),
        "reference_groupby_ms": round(ref, 2),
        "p95_to_reference": round(p95 / ref, 3),
        "target_ms": TARGET_MS,
        "meets_target": p95 < TARGET_MS,
    }


if __name__ == "__main__":
    print(json.dumps(main(), indent=1))
