"""Step 04, design and evaluate a pilot: the model, the view and the workbook's one call.

``pilot_app`` is what ``workbooks/04_design_pilot.ipynb`` calls: under papermill it takes the
pilot from its parameters (or what the workspace holds), works out the detectable effect and
saves ``pilot_design``, then, once the calls reach past the pilot's start, estimates its
effect and saves ``pilot_results``; in Voila it shows the page.
"""

from __future__ import annotations

from kit.ui.base import StepApp, launch
from kit.ui.pilot.model import PilotModel
from kit.ui.pilot.results import evaluate_saved_pilot, results_report
from kit.ui.pilot.view import PilotView, power_html

__all__ = ["PilotModel", "PilotView", "pilot_app"]


def pilot_app(
    *,
    workspace: str = "",
    call_types: list[str] | None = None,
    responder: str = "",
    areas: list[str] | None = None,
    start: str = "",
    weeks: int = 0,
    design: str = "",
    responder_dispositions: str = "",
) -> StepApp:
    """Step 04's workbook call: headless it works out the pilot's power, saves the design with
    it and, when the calls allow, the pilot's results (``responder_dispositions``: those
    marking the new responder's calls, separated by ``|``), and the kept notebook shows the
    figures; in Voila, the page. Empty parameters keep the saved pilot (else the one
    proposed from step 02's plan)."""
    app = launch(
        PilotModel,
        PilotView,
        workspace,
        report=headless_report,
        call_types=list(call_types or []),
        responder=responder,
        areas=list(areas or []),
        start=start,
        weeks=weeks or None,
        design=design or None,
    )
    if app.view is None and app.model is not None:
        marks = [d.strip() for d in responder_dispositions.split("|") if d.strip()]
        evaluate_saved_pilot(app.model.workspace, marks)
    return app


def headless_report(model: PilotModel) -> str:
    """What an unattended run keeps: the power of the saved design, then its results."""
    return str(power_html(model)) + results_report(model)
