"""Step 04's evaluation plan as a page to print, from the plan ``kit.pilot.plan`` assembled."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kit.pages import render


def plan_page(plan: Mapping[str, Any]) -> str:
    """The plan as a standalone page to print; text from the data is escaped."""
    return str(render("pilot/plan_page.html", plan=plan))
