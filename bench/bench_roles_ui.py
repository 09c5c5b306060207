"""Step 02's page: how fast the figures follow a change, and how soon the page shows.

**In the kernel.** The page is built in plain Python with ipywidgets (no browser) on a copy
of the sample city (about 527,000 calls over three years). A widget's value is then set
again and again, as a person would move it: a call type's share for a responder, a
responder's take-up, the productive hours per officer. Each time is measured from the
widget's change event until the last output (the call-type editor, drawn after the totals,
the families, the heat map of moved calls, the areas and the table) has been replaced.
Target: p95 under 100 ms. The reference operation, timed in the same run, is one pandas
group-by sum of officer hours by call type over the calls: what recomputing from call rows
would cost at the very least.

**In Voila.** Time from navigation to the page marked ready (``kit-ready``: figures drawn
from what the workspace holds) against a one-widget notebook on the same server, reusing
the workbook 00 benchmark's server and browser helpers. Target: ratio at most 1.5.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from bench.bench_voila import time_first_widget

REPEATS = 40
TARGET_MS = 100.0
WORKBOOK = "02_delineate_roles.ipynb"


def _timed(changes: list[Callable[[], None]], done: Callable[[], int]) -> np.ndarray:
    """Milliseconds from each change to the last output replaced (``done`` counts redraws)."""
    out = np.empty(len(changes))
    for i, change in enumerate(changes):
        before = done()
        start = time.perf_counter()
        change()
        if done() != before + 1:
            raise RuntimeError("a change did not redraw the page exactly once")
        out[i] = (time.perf_counter() - start) * 1000.0
    return out


def in_kernel(workspace: Path) -> dict[str, Any]:
    """Time widget changes on the page built without a browser."""
    from kit.ui.roles import RolesModel, RolesView
    from kit.workspace import Workspace

    ws = Workspace.open(workspace)
    model = RolesModel(ws)
    start = time.perf_counter()
    view = RolesView(model)
    _ = view.widget
    view.warm()
    view.refresh()
    open_ms = (time.perf_counter() - start) * 1000.0
    model.use_preset("crisis_response")
    redraws = {"n": 0}
    draw = view.draw

    def counted() -> None:
        # The view's one redraw after a change: every output, the editor last.
        draw()
        redraws["n"] += 1

    view.draw = counted  # type: ignore[method-assign]
    table = model.table()
    view.call_type.value = table.loc[~table["call_type"].isin(list(model.assignments))].iloc[0][
        "call_type"
    ]
    share = view.shares["cso"]
    view.assumption_responder.value = "crisis_team"
    take_up = view.sliders["take_up"]
    hours = view.productive

    def set_value(widget: Any, value: float) -> Callable[[], None]:
        return lambda: setattr(widget, "value", value)

    changes = {
        "share": [set_value(share, 5 * (1 + i % 10)) for i in range(REPEATS)],
        "take_up": [set_value(take_up, 0.30 + 0.01 * (1 + i % 30)) for i in range(REPEATS)],
        "productive_hours": [set_value(hours, 1700 + 10 * (1 + i % 20)) for i in range(REPEATS)],
    }
    times = {name: _timed(run, lambda: redraws["n"]) for name, run in changes.items()}
    every = np.concatenate(list(times.values()))
    calls = ws.calls()
    reference = []
    for _ in range(10):
        start = time.perf_counter()
        calls.groupby("call_type")["unit_hours"].sum()
        reference.append((time.perf_counter() - start) * 1000.0)
    ref = float(np.median(reference))
    p95 = float(np.percentile(every, 95))
    return {
        "calls": len(calls),
        "call_types": len(model.table()),
        "years": round(model.cube.years, 2),
        "page_build_ms": round(open_ms, 1),
        "changes": len(every),
        "update_p50_ms": round(float(np.median(every)), 2),
        "update_p95_ms": round(p95, 2),
        "update_p95_ms_by_widget": {
            name: round(float(np.percentile(t, 95)), 2) for name, t in times.items()
        },
        "reference_groupby_ms": round(ref, 2),
        "p95_to_reference": round(p95 / ref, 3),
        "target_ms": TARGET_MS,
        "meets_target": p95 < TARGET_MS,
    }


def main() -> dict[str, Any]:
    from sample_city.build import sample_workspace

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        ws = sample_workspace(root / "ws")
        kernel = in_kernel(ws.path)
        voila = time_first_widget(ws.path, root, WORKBOOK, ".kit-step-02.kit-ready")
    return {"in_kernel": kernel, "voila": voila}


if __name__ == "__main__":
    print(main())
