"""Step 05, plan and brief: the model, the view built from named sections, and the
workbook's one call.

``brief_app`` is what ``workbooks/05_plan_brief.ipynb`` calls: under papermill it makes the
brief, keeps it in the workspace's ``briefs/`` folder (HTML, the tables as CSV, and the PDF
when asked) and records it; in Voila it shows the brief with its downloads.
"""

from __future__ import annotations

from kit.ui.base import StepApp, launch
from kit.ui.brief.model import BriefModel
from kit.ui.brief.view import BriefView, report_html

__all__ = ["BriefModel", "BriefView", "brief_app"]


def brief_app(*, workspace: str = "", pdf: bool = False) -> StepApp:
    """Step 05's workbook call: headless it keeps the brief (and the PDF when ``pdf``) in
    briefs/ and saves its record; in Voila, the page."""
    return launch(BriefModel, BriefView, workspace, pdf=pdf, report=report_html)
