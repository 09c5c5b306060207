"""Step 01, define safety with the community: the model, the view built from named sections,
and the workbook's one call.

``community_app`` is what ``workbooks/01_define_safety.ipynb`` calls: under papermill it
imports the survey file given, checks the goals given as a parameter, works out their
baselines and saves; in Voila it shows the page.
"""

from __future__ import annotations

from typing import Any

from kit.ui.base import StepApp, launch
from kit.ui.community.model import CommunityModel
from kit.ui.community.view import CommunityView, report_html

__all__ = ["CommunityModel", "CommunityView", "community_app", "report_html"]


def community_app(
    *,
    workspace: str = "",
    survey_file: str = "",
    goals: list[dict[str, Any]] | None = None,
) -> StepApp:
    """Step 01's workbook call: headless it imports ``survey_file`` and saves ``goals``
    (each ``{"text", "metric", "target"}``) with their baselines; in Voila, the page."""
    return launch(
        CommunityModel,
        CommunityView,
        workspace,
        survey_file=survey_file,
        goals=goals or [],
        report=report_html,
    )
