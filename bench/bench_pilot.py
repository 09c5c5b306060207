"""Benchmark of step 04's power figures: time to the first answer and to the refined one.

On a fresh copy of the sample city, the pilot's panel (welfare checks and mental-health
crises, per area and week) is built once, as the page does when it opens. Then, for a
difference-in-differences pilot of 12 weeks in two areas, the cache's first answer (a few
placebo pilots of the primary metric) and the refined answer (every metric, 200 placebo
pilots each, and the chart's durations) are timed, each on a new cache so nothing is reused.
A change of duration is timed the same way. The page must answer within 2 s; the reference
operation, timed in the same run, is one Poisson fit with area and week fixed effects on the
whole history (statsmodels), so the ratios say how many such fits each answer costs.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

from kit.pilot import estimators as est
from kit.pilot.panel import workspace_panel
from kit.pilot.power import Plan, PowerCache
from sample_city.build import sample_workspace

TYPES = ("WELCHK", "MNTL")
AREAS = ("Eastgate", "Old Harbor")
TARGET_S = 2.0


def _reference(panel: Any) -> float:
    """Seconds for one Poisson fit with area and week effects over the whole history."""
    g = est.grid(panel)
    treatment = est.did_treatment(g.counts.shape, [0, 1], len(g.weeks) // 2)
    start = time.perf_counter()
    with est.threadpool_limits(limits=1, user_api="blas"):
        est.fe_fit(g.counts, treatment)
    return time.perf_counter() - start


def _answers(panel: Any, plan: Plan) -> tuple[float, float]:
    cache = PowerCache()
    start = time.perf_counter()
    cache.get(panel, plan)
    first = time.perf_counter() - start
    cache.wait(plan)
    return first, time.perf_counter() - start


def main() -> dict[str, Any]:
    """Run the benchmark and return its figures (seconds and ratios)."""
    folder = tempfile.TemporaryDirectory()
    workspace = sample_workspace(Path(folder.name) / "ws")
    start = time.perf_counter()
    panel = workspace_panel(workspace, list(TYPES))
    panel_s = time.perf_counter() - start
    reference = float(np.median([_reference(panel) for _ in range(5)]))
    first, refined = _answers(panel, Plan("did", 12, AREAS, TYPES))
    changed_first, changed_refined = _answers(panel, Plan("did", 16, AREAS, TYPES))
    folder.cleanup()
    return {
        "what": "step 04 power: first and refined answers for a 12-week DiD pilot in two areas",
        "panel_seconds": round(panel_s, 3),
        "reference_fit_seconds": round(reference, 4),
        "first_answer_seconds": round(first, 3),
        "first_answer_ratio": round(first / reference, 1),
        "refined_answer_seconds": round(refined, 3),
        "refined_answer_ratio": round(refined / reference, 1),
        "duration_change_first_seconds": round(changed_first, 3),
        "duration_change_refined_seconds": round(changed_refined, 3),
        "target_first_answer_seconds": TARGET_S,
        "met": max(first, changed_first) <= TARGET_S,
    }
