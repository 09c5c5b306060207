"""Benchmark of step 04's page: how soon a change of design or duration shows its answer.

On a fresh copy of the sample city with step 02's convening plan saved, the page (model and
view, no browser) opens on the pilot proposed from that plan. Each change of duration or
design is timed from setting the input to the page's table redrawn with the new detectable
effect; the first time a plan is seen (the cache's quick answer) and again when a plan is
seen a second time (cached). The refinement in the background is timed first, from the page's
opening to the chart drawn. The reference, timed in the same run, is bench_pilot's: one
Poisson fit with area and week effects over the whole history, so the ratios say how many
such fits each answer costs.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.bench_pilot import TARGET_S, _reference
from kit.pilot.panel import workspace_panel
from kit.ui.pilot import PilotModel
from kit.ui.pilot import model as pilot_model
from kit.ui.pilot.view import PilotView
from kit.ui.roles import RolesModel
from sample_city.build import sample_workspace

#: The changes a person makes: durations, then designs, then back to plans already seen.
CHANGES = (("weeks", 8), ("weeks", 16), ("design", "its"), ("design", "synthetic"))
REFINE_TIMEOUT_S = 900.0


def _change(view: PilotView, trait: str, value: Any) -> float:
    """Seconds from an input's change to the page's answer redrawn."""
    model = view.model
    start = time.perf_counter()
    setattr(model, trait, value)
    elapsed = time.perf_counter() - start
    if model.pending or model.diagnosis.get("weeks") != model.weeks:
        raise RuntimeError(f"the page did not answer a change of {trait}: {model.error}")
    return elapsed


def main() -> dict[str, Any]:
    """Run the benchmark and return its figures (seconds and ratios)."""
    folder = tempfile.TemporaryDirectory()
    workspace = sample_workspace(Path(folder.name) / "ws")
    roles = RolesModel(workspace)
    roles.use_preset("convening")
    roles.save()
    load_before = os.getloadavg()[0]
    start = time.perf_counter()
    model = PilotModel(workspace)
    model.load()
    view = PilotView(model)
    _ = view.widget
    view.refresh()
    opened = time.perf_counter() - start
    plan = model.plan_shown
    refined = pilot_model.REFINER.wait(plan, REFINE_TIMEOUT_S) if plan else None
    while refined is not None and "<svg" not in str(view.chart.value):
        time.sleep(0.05)  # the chart is drawn just after the figures arrive
    refined_s = time.perf_counter() - start
    reference = statistics.median(
        _reference(workspace_panel(workspace, model.call_types)) for _ in range(5)
    )
    first = [_change(view, trait, value) for trait, value in CHANGES]
    model.design, model.weeks = None, 26
    again = [_change(view, trait, value) for trait, value in CHANGES]
    folder.cleanup()
    worst = max(first)
    return {
        "what": "step 04's page on the sample city: a change of duration or design answered",
        "changes": [f"{trait}={value}" for trait, value in CHANGES],
        "load_average_before": round(load_before, 2),
        "reference_fit_seconds": round(reference, 4),
        "open_seconds": round(opened, 3),
        "first_answer_seconds": [round(s, 3) for s in first],
        "first_answer_worst_ratio": round(worst / reference, 1),
        "seen_before_seconds": [round(s, 4) for s in again],
        "refined_through_page_seconds": round(refined_s, 2) if refined else None,
        "refined_ratio": round(refined_s / reference, 1) if refined else None,
        "target_first_answer_seconds": TARGET_S,
        "met": worst <= TARGET_S,
    }
