"""The brief's sources and assumptions, and the versions of the decisions it shows.

Every default the steps used carries its public source in the kit (step 02's take-up and
back-up figures, step 03's costs, the small-count rule); the brief lists the ones behind the
figures it shows, with the value used, so a council can see what rests on what.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kit import funding, suppression
from kit.brief.parts import Table
from kit.brief.step_sections import PILOT_DECISIONS
from kit.errors import KitError
from kit.labels import RESPONDER_SHORT_LABELS
from kit.roles.assignments import ASSUMPTION_SOURCES, PRODUCTIVE_HOURS_SOURCE
from kit.steps import decision_status, status

if TYPE_CHECKING:
    from kit.workspace import Workspace

_ASSUMPTION_WORDS = {"screening": "screened out", "take_up": "take-up", "back_up": "back-up"}


def sources_table(ws: Workspace, inputs: funding.Inputs | None, small_count: int) -> Table:
    """Each assumption behind the figures shown, with its value and its source."""
    rows: list[dict[str, Any]] = [
        {
            "step": "all",
            "assumption": "Small counts not published",
            "value": f"below {small_count}",
            "source": suppression.SOURCE,
        }
    ]
    if inputs is not None and inputs.roles_saved:
        roles = inputs.roles
        rows.append(
            {
                "step": "02",
                "assumption": "Productive hours per officer a year",
                "value": f"{roles['productive_hours_per_officer']:,.0f}",
                "source": PRODUCTIVE_HOURS_SOURCE,
            }
        )
        used = {r for split in roles["assignments"].values() for r in split} - {"police"}
        for responder in sorted(used):
            name = RESPONDER_SHORT_LABELS.get(responder, responder)
            for key, words in _ASSUMPTION_WORDS.items():
                rows.append(
                    {
                        "step": "02",
                        "assumption": f"{name}: {words}",
                        "value": f"{roles['assumptions'][responder][key]:.0%}",
                        "source": ASSUMPTION_SOURCES.get(responder, {}).get(key, ""),
                    }
                )
    saved = ws.decisions.latest(funding.DECISION_NAME)
    try:
        doc = funding.check_document(saved.document) if saved is not None else None
    except KitError:  # step 03's section says why; its figures and their sources are not shown
        doc = None
    if doc is not None:
        rows += [
            {
                "step": "03",
                "assumption": figure["label"],
                "value": f"{figure['value']:,.2f}".rstrip("0").rstrip("."),
                "source": figure["source"],
            }
            for figure in funding.cost_figures(doc["costs"])
        ]
        rows.append(
            {
                "step": "03",
                "assumption": "Vehicles",
                "value": "",
                "source": funding.FLEET_ASSUMPTION,
            }
        )
    return Table(
        "sources",
        "Sources and assumptions",
        (
            ("step", "Step", "text"),
            ("assumption", "Assumption", "text"),
            ("value", "Value used", "text"),
            ("source", "Source", "text"),
        ),
        rows,
    )


def decisions_table(ws: Workspace) -> Table:
    """Every decision the brief reads: its version, when and by whom it was saved, and
    whether it is out of date (its basis changed since), with the reasons."""
    found = [
        (number, name, state)
        for number, step in status(ws).items()
        for name, state in step["decisions"].items()
    ]
    listed = {name for _, name, _ in found}
    found += [("04", n, decision_status(ws, n)) for n in PILOT_DECISIONS if n not in listed]
    rows = []
    for number, name, state in found:
        if not state["saved"]:
            shown = "not saved"
        elif state["out_of_date"]:
            shown = "out of date: " + "; ".join(state["reasons"])
        else:
            shown = "up to date"
        rows.append(
            {
                "step": number,
                "decision": name.replace("_", " "),
                "version": state.get("version", ""),
                "saved": state.get("saved_at", "")[:16].replace("T", " "),
                "by": state.get("user", ""),
                "state": shown,
            }
        )
    return Table(
        "decisions",
        "The decisions shown, their versions and dates",
        (
            ("step", "Step", "text"),
            ("decision", "Decision", "text"),
            ("version", "Version", "text"),
            ("saved", "Saved (UTC)", "text"),
            ("by", "By", "text"),
            ("state", "State", "text"),
        ),
        rows,
    )
