"""What each step keeps in a workspace: its decisions, its tables and its folders.

The workspace stores decisions, tables and folders by name and knows no step. Each step
has one entry here naming what it keeps, so the audit log can say which step wrote a
table, docs/workspace.md is checked against the code (tests/test_steps.py), and a new
step (01, 04, 05) is added by adding its entry, with no change to the workspace.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final, Literal

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
    #: Earlier steps' decisions this step's figures are worked out from (besides the calls).
    uses: tuple[str, ...] = ()

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
        uses=("profile",),
    ),
    Step(
        "03",
        "identify funding",
        decisions={"funding_scenarios": "scenarios, costs, response target, funding sources"},
        uses=("profile", "role_assignments"),
    ),
    Step(
        "04",
        "design and evaluate a pilot",
        decisions={
            "pilot_design": "the pilot, its evaluation design and what limits it",
            "pilot_results": "the pilot's estimated effect, its reading and equity checks",
        },
        uses=("profile", "role_assignments", "safety_definition"),
    ),
    Step(
        "05",
        "plan and brief",
        decisions={"plan_brief": "when the brief was made and the versions of what it shows"},
        folders={"briefs": "the briefs made, as HTML or PDF, with their tables as CSV"},
        uses=("profile", "safety_definition", "role_assignments", "funding_scenarios"),
    ),
)


def step_keeping(kind: Kind, name: str) -> str:
    """The number of the step that keeps the decision, table or folder ``name``; "" if none."""
    return next((step.number for step in STEPS if name in step.keeps(kind)), "")


#: The key under which a saved document records what it was based on (see :func:`basis`).
BASIS_KEY: Final = "basis"


def step_of(decision: str) -> Step | None:
    """The step that keeps the decision ``decision`` (None: no step does)."""
    return next((step for step in STEPS if decision in step.decisions), None)


def _label(decision: str) -> str:
    """How a reason names a decision: the step that keeps it and what it is."""
    number = step_keeping("decision", decision)
    return f"step {number}'s {decision.replace('_', ' ')}" if number else decision


def basis(workspace: Any, decision: str) -> dict[str, Any]:
    """What ``decision`` saved now is based on: the calls' data version and the latest
    version of each earlier decision its step works from.

    Saved with the decision, it lets a page (and ``kit info``) tell later whether the
    figures a decision embeds were worked out on what the workspace holds now.
    """
    step = step_of(decision)
    latest = workspace.decisions.names()
    uses = step.uses if step else ()
    return {
        "data_version": workspace.data_version(),
        "decisions": {name: latest[name] for name in uses if name in latest},
    }


def out_of_date(recorded: Mapping[str, Any] | None, current: Mapping[str, Any]) -> list[str]:
    """Why a decision saved on ``recorded`` no longer matches ``current``, in plain words.

    Empty when it matches, and for decisions saved before bases were recorded (nothing
    says what they were based on, so nothing says they are out of date).
    """
    if not recorded:
        return []
    reasons = []
    if recorded.get("data_version") != current["data_version"]:
        reasons.append("the calls were imported again since it was saved")
    before = recorded.get("decisions") or {}
    for name, version in sorted(current["decisions"].items()):
        if name not in before:
            reasons.append(f"{_label(name)} was saved after it (version {version})")
        elif before[name] != version:
            reasons.append(f"{_label(name)} changed from version {before[name]} to {version}")
    for name in sorted(set(before) - set(current["decisions"])):
        reasons.append(f"{_label(name)}, which it was based on, is no longer saved")
    return reasons


def decision_status(workspace: Any, decision: str) -> dict[str, Any]:
    """One decision's state: whether, when and by whom it was saved, and whether it is out
    of date (with the reasons), in the shape ``kit info --json`` prints."""
    latest = workspace.decisions.latest(decision)
    if latest is None:
        return {"saved": False, "out_of_date": False, "reasons": []}
    reasons = out_of_date(latest.document.get(BASIS_KEY), basis(workspace, decision))
    return {
        "saved": True,
        "version": latest.version,
        "saved_at": latest.saved_at.isoformat(),
        "user": latest.user,
        "out_of_date": bool(reasons),
        "reasons": reasons,
    }


def status(workspace: Any) -> dict[str, dict[str, Any]]:
    """Per step: its title and the state of each decision it keeps (see :func:`decision_status`).

    The launcher shows it beside each step; ``kit info --json`` prints it under ``steps``.
    """
    return {
        step.number: {
            "title": step.title,
            "decisions": {name: decision_status(workspace, name) for name in step.decisions},
        }
        for step in STEPS
    }
