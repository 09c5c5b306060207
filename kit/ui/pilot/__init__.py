"""Step 04, design and evaluate a pilot: the model, the view and the workbook's one call.

``pilot_app`` is what ``workbooks/04_design_pilot.ipynb`` calls: under papermill it takes the
pilot from its parameters (or what the workspace holds), works out the detectable effect and
saves ``pilot_design``; in Voila it shows the page.
"""

from __future__ import annotations

from kit.ui.base import StepApp, launch
from kit.ui.pilot.model import PilotModel
from kit.ui.pilot.view import PilotView

__all__ = ["PilotModel", "PilotView", "pilot_app"]


def pilot_app(*, workspace: str = "", weeks: int = 0, design: str = "") -> StepApp:
    """Step 04's workbook call: headless it saves the pilot design; in Voila, the page."""
    return launch(PilotModel, PilotView, workspace, weeks=weeks or None, design=design or None)
