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
from kit.ui.pilot.view import PilotView

__all__ = ["PilotModel", "PilotView", "pilot_app"]


def pilot_app(
    *, workspace: str = "", weeks: int = 0, design: str = "", responder_dispositions: str = ""
) -> StepApp:
    """Step 04's workbook call: headless it saves the pilot design and, when the calls allow,
    its results (``responder_dispositions``: those marking the new responder's calls,
    separated by ``|``); in Voila, the page."""
    app = launch(
        PilotModel,
        PilotView,
        workspace,
        report=results_report,
        weeks=weeks or None,
        design=design or None,
    )
    if app.view is None and app.model is not None:
        marks = [d.strip() for d in responder_dispositions.split("|") if d.strip()]
        evaluate_saved_pilot(app.model.workspace, marks)
    return app
