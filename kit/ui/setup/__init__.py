"""Step 00, set up: the jurisdiction's profile, its calls for service, and a first look.

``set_up_app`` is what ``workbooks/00_set_up.ipynb`` calls: under papermill it saves the
profile given as parameters and imports the calls file; in Voila the person fills the form.
"""

from __future__ import annotations

from kit.ui.base import StepApp, launch
from kit.ui.setup.model import SetUpModel
from kit.ui.setup.view import SetUpView

__all__ = ["SetUpModel", "SetUpView", "set_up_app"]


def set_up_app(
    *,
    workspace: str = "",
    name: str = "",
    population: int = 0,
    timezone: str = "",
    fiscal_year_start: int = 0,
    areas_file: str = "",
    calls_file: str = "",
    append: bool = False,
    mapping: dict[str, str] | None = None,
    date_order: str = "",
    crs: str = "",
) -> StepApp:
    """Workbook 00's one call (see :func:`kit.ui.base.launch` for the two ways it runs)."""
    return launch(
        SetUpModel,
        SetUpView,
        workspace,
        name=name,
        population=population,
        timezone=timezone,
        fiscal_year_start=fiscal_year_start,
        areas_file=areas_file,
        calls_file=calls_file,
        append=append,
        mapping=mapping or {},
        date_order=date_order,
        crs=crs,
    )
