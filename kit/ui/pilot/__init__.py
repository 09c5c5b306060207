"""Step 04, design and evaluate a pilot: the model, the view and the workbook's one call.

``pilot_app`` is what ``workbooks/04_design_pilot.ipynb`` calls: under papermill it takes the
pilot from its parameters (or what the workspace holds), works out the detectable effect and
saves ``pilot_design``; in Voila it shows the page.
"""

from __future__ import annotations

from kit.ui.base import StepApp, launch
from kit.ui.pilot.model import PilotModel
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
) -> StepApp:
    """Step 04's workbook call: headless it works out the pilot's power and saves the design
    with it, and the kept notebook shows the figures; in Voila, the page. Empty parameters
    keep the saved pilot (else the one proposed from step 02's plan)."""
    return launch(
        PilotModel,
        PilotView,
        workspace,
        report=power_html,
        call_types=list(call_types or []),
        responder=responder,
        areas=list(areas or []),
        start=start,
        weeks=weeks or None,
        design=design or None,
    )
