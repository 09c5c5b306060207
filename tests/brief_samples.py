"""The tiny jurisdiction with every step saved, for the brief's tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ui_samples import make_workspace, write_calls_csv

from kit import funding
from kit.community.definition import save_definition
from kit.data.calls import import_calls
from kit.roles import DECISION_NAME, check_document, new_document
from kit.roles.presets import apply_preset
from kit.steps import BASIS_KEY, basis
from kit.workspace import Workspace

GOAL = "=Fewer officer hours on calls with no crime"


def save(ws: Workspace, name: str, document: dict[str, Any], step: str) -> int:
    """Save ``document`` as the newest version of ``name``, with its basis as a page would."""
    latest = ws.decisions.latest(name)
    return ws.decisions.save(
        name,
        {**document, BASIS_KEY: basis(ws, name)},
        base_version=latest.version if latest else None,
        step=step,
        user="tester",
    )


def decided_workspace(path: Path) -> Workspace:
    """Testville with calls, goals, a role plan (both shipped presets) and a funding scenario."""
    ws = make_workspace(path)
    import_calls(ws, [write_calls_csv(path.parent / f"{path.name}-calls.csv")])
    save_definition(ws, [{"text": GOAL, "metric": "no_crime_hours", "target": 100}], user="t")
    inputs = funding.load_inputs(ws)
    plan = new_document()
    plan["assignments"] = apply_preset("convening", inputs.cube.types)
    save(ws, DECISION_NAME, check_document(plan), "02")
    inputs = funding.load_inputs(ws)
    save(ws, funding.DECISION_NAME, funding.document_for(ws, inputs), "03")
    return ws
