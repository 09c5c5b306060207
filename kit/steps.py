"""What each step keeps in a workspace: its decisions, its tables and its folders.

The workspace stores decisions, tables and folders by name and knows no step. Each step
has one entry here naming what it keeps, so the audit log can say which step wrote a
table, docs/workspace.md is checked against the code (tests/test_steps.py), and a new
step (01, 04, 05) is added by adding its entry, with no change to the workspace.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Final, Literal

Kind = Literal["decision", "table", "folder"]


@dataclass(frozen=True)
class Step:
    """One step: its number as the workbooks name it, its title, and what it keeps
    (each name with a line on what it holds)."""

    number: str
    title: str
    decisions: Mapping[str, str] = field(default_factory=dict)
    tables: Mapping[str, str] = field(default_factory=dict)
    folders: Mapping[str, str] = field(default_factory=dict)

    def keeps(self, kind: Kind) -> Mapping[str, str]:
        """The decisions, tables or folders this step keeps."""
        return {"decision": self.decisions, "table": self.tables, "folder": self.folders}[kind]


STEPS: Final = (
    Step(
        "00",
        "set up",
        decisions={"profile": "the jurisdiction's profile and its areas"},
        tables={
            "calls": "calls on the canonical schema",
            "import_report": "what the last import found",
            "budget": "the police budget lines",
            "survey": "the community survey answers",
        },
        folders={"uploads": "files uploaded in the app"},
    ),
    Step(
        "01",
        "define safety with the community",
        decisions={"safety_definition": "goals, each with a metric, its baseline and a target"},
    ),
    Step(
        "02",
        "delineate police roles",
        decisions={"role_assignments": "a responder for every kind of call, with assumptions"},
        folders={"rules": "the jurisdiction's own call-type and disposition rules"},
    ),
    Step(
        "03",
        "identify funding",
        decisions={"funding_scenarios": "scenarios, costs, response target, funding sources"},
    ),
)


def step_keeping(kind: Kind, name: str) -> str:
    """The number of the step that keeps the decision, table or folder ``name``; "" if none."""
    return next((step.number for step in STEPS if name in step.keeps(kind)), "")
