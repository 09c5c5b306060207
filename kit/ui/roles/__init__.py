"""Step 02, delineate police roles: the model, the view built from named sections, and the
workbook's one call.

``roles_app`` is what ``workbooks/02_delineate_roles.ipynb`` calls: under papermill it applies
the preset or assignments file given as a parameter, computes the charter, saves, and shows
the same tables as the page; in Voila it shows the page.
"""

from __future__ import annotations

from kit.ui.base import StepApp, launch
from kit.ui.roles.model import PAGE_SIZE, RolesModel, read_assignments_file
from kit.ui.roles.view import RolesView, report_html

__all__ = [
    "PAGE_SIZE",
    "RolesModel",
    "RolesView",
    "read_assignments_file",
    "report_html",
    "roles_app",
]


def roles_app(
    *,
    workspace: str = "",
    preset: str = "",
    assignments_file: str = "",
    officers_per_unit: float = 0.0,
    productive_hours_per_officer: float = 0.0,
) -> StepApp:
    """Step 02's workbook call: headless it applies ``preset`` or ``assignments_file`` and
    saves, and the kept notebook shows the plan's tables; in Voila, the page."""
    return launch(
        RolesModel,
        RolesView,
        workspace,
        preset=preset,
        assignments_file=assignments_file,
        officers_per_unit=officers_per_unit,
        productive_hours_per_officer=productive_hours_per_officer,
        report=report_html,
    )
