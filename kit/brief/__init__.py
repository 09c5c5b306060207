"""Step 05, the brief: everything a workspace has decided, gathered for a council or board.

:func:`gather` reads each step's saved decision and works its figures out through the
domain functions the steps use, into one :class:`Brief`: a one-page summary, a section per
step, an equity section, the sources and assumptions, and the version, date and state of
every decision shown. A step with nothing saved is listed as not done. Counts that the
kit-wide small-count rule hides (the workspace's ``small_count``) arrive here already as
words, so the page, the PDF and the CSV files cannot show them. The HTML is in
:mod:`kit.pages.brief`.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from kit import funding
from kit.brief.by_area import equity_section
from kit.brief.parts import Brief, Section, Table
from kit.brief.pilot_section import TITLE as PILOT_TITLE
from kit.brief.pilot_section import pilot_section
from kit.brief.sources import decisions_table, sources_table
from kit.brief.step_sections import (
    MONEY,
    MOVES,
    PILOT,
    SAFETY,
    STAFFING,
    community_section,
    funding_section,
    not_done,
    roles_section,
    setup_section,
)
from kit.errors import KitError

if TYPE_CHECKING:
    from kit.workspace import Workspace

__all__ = ["SUMMARY_HEADINGS", "Brief", "Section", "Table", "gather"]

#: The one-page summary's points, in order.
SUMMARY_HEADINGS = (SAFETY, MOVES, MONEY, STAFFING, PILOT)


def _failed(problem: KitError) -> str:
    """Why a step's saved decision could not be shown, in the words of its own check."""
    return f"its saved decision could not be worked out ({problem}) Open the step to fix it."


def gather(ws: Workspace, *, made: date | None = None) -> Brief:
    """The brief of ``ws`` as it stands now (``made``: the date it carries, today by default)."""
    small_count = ws.small_count
    setup = setup_section(ws)
    inputs = funding.load_inputs(ws) if setup.done else None
    if inputs is None:
        why = "it needs the calls, which step 00 imports."
        roles = not_done("02", "Delineate police roles", why, (MOVES,))
        money = not_done("03", "Identify funding", why, (MONEY, STAFFING))
        figures, by_area = None, []
    else:
        try:
            roles, figures = roles_section(inputs, ws, small_count)
        except KitError as exc:
            roles, figures = not_done("02", "Delineate police roles", _failed(exc), (MOVES,)), None
        try:
            money, by_area = funding_section(inputs, ws, small_count)
        except KitError as exc:
            money, by_area = not_done("03", "Identify funding", _failed(exc), (MONEY, STAFFING)), []
    try:
        pilot = pilot_section(ws)
    except KitError as exc:
        pilot = not_done("04", PILOT_TITLE, _failed(exc), (PILOT,))
    sections = [setup, community_section(ws, small_count), roles, money, pilot]
    points = dict(pair for section in sections for pair in section.summary)
    return Brief(
        jurisdiction=ws.profile.name,
        made=made or date.today(),
        small_count=small_count,
        summary=[(heading, points[heading]) for heading in SUMMARY_HEADINGS],
        sections=sections,
        equity=equity_section(figures, by_area, ws.profile.areas, small_count),
        sources=sources_table(ws, inputs, small_count),
        decisions=decisions_table(ws),
    )
