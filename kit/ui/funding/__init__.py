"""Step 03, identify funding: the model, the view built from named sections, and the
workbook's one call.

``funding_app`` is what ``workbooks/03_identify_funding.ipynb`` calls: under papermill it
applies the parameters, computes everything and saves the decision, and the kept notebook
shows the figures as the page to print does; in Voila it shows the page.
"""

from __future__ import annotations

from kit.pages.funding import funding_html
from kit.ui.base import StepApp, launch
from kit.ui.funding.model import ASSUMPTIONS, FIELD_RESPONDERS, FundingModel
from kit.ui.funding.view import FundingView

__all__ = ["ASSUMPTIONS", "FIELD_RESPONDERS", "FundingModel", "FundingView", "funding_app"]


def funding_app(
    *,
    workspace: str = "",
    scenario: str = "",
    target_minutes: float = 0.0,
    target_share: float = 0.0,
    travel_minutes: float = 0.0,
    shift_hours: int = 0,
    budget_cut: float = 0.0,
) -> StepApp:
    """Step 03's one call from its workbook (see :func:`kit.ui.base.launch`); run headless,
    the kept notebook shows the figures as the page to print does."""
    return launch(
        FundingModel,
        FundingView,
        workspace,
        scenario=scenario,
        target_minutes=target_minutes,
        target_share=target_share,
        travel_minutes=travel_minutes,
        shift_hours=shift_hours,
        budget_cut=budget_cut,
        report=lambda model: funding_html(model.figures()),
    )
