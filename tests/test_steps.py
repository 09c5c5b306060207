"""The workspace knows no step: each step names what it keeps in kit.steps, and the audit log,
the rules folder and docs/workspace.md follow that catalogue."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pandas as pd

from kit import funding, roles
from kit.community.definition import DECISION_NAME as SAFETY_DECISION
from kit.roles.rules import RULES_DIR, copy_rules, own_copy, workspace_rules
from kit.steps import STEPS, step_keeping
from kit.taxonomy import CALL_TYPE_RULES
from kit.workspace import PROFILE_DECISION, UPLOADS_DIR, Profile, Workspace

ROOT = Path(__file__).resolve().parents[1]
STEP_MODULES = ("kit.roles", "kit.funding", "kit.taxonomy", "kit.staffing", "kit.equity", "kit.ui")


def test_the_workspace_module_names_no_step() -> None:
    """kit/workspace.py holds no step number and imports no step's module at its top."""
    tree = ast.parse((ROOT / "kit" / "workspace.py").read_text(encoding="utf-8"))
    numbers = [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
        if re.fullmatch(r"\d\d", node.value)
    ]
    assert numbers == []
    top = [n.module for n in tree.body if isinstance(n, ast.ImportFrom)]
    top += [a.name for n in tree.body if isinstance(n, ast.Import) for a in n.names]
    assert not [m for m in top if m and m.startswith(STEP_MODULES)]


def test_each_decision_is_kept_by_the_step_that_saves_it() -> None:
    """The catalogue's decision names are the names the steps' code saves under."""
    assert step_keeping("decision", PROFILE_DECISION) == "00"
    assert step_keeping("decision", SAFETY_DECISION) == "01"
    assert step_keeping("decision", roles.DECISION_NAME) == "02"
    assert step_keeping("decision", funding.DECISION_NAME) == "03"
    assert step_keeping("folder", RULES_DIR) == "02"
    assert step_keeping("folder", UPLOADS_DIR) == "00"
    assert step_keeping("table", "nothing_like_this") == ""
    names = [
        name
        for step in STEPS
        for kind in ("decision", "table", "folder")
        for name in step.keeps(kind)
    ]
    assert len(names) == len(set(names)), "two steps claim the same name"


def test_the_audit_log_names_the_step_that_keeps_what_was_written(tmp_path: Path) -> None:
    """A profile save and a table write with no step given are logged under the step that
    keeps them; an explicit step wins; a table no step keeps is logged with no step."""
    ws = Workspace.create(tmp_path / "ws")
    ws.save_profile(Profile("Town", 10, "UTC"))
    ws.write_data({"calls": pd.DataFrame({"n": [1]})})
    ws.write_data({"scratch": pd.DataFrame({"n": [1]})})
    ws.write_data({}, {"import_report": {"rows": 1}}, step="cli")
    steps = [(entry.name, entry.step) for entry in reversed(ws.decisions.audit(limit=10))]
    assert steps == [("profile", "00"), ("data", "00"), ("data", ""), ("data", "cli")]


def test_rules_folder_belongs_to_step_02(tmp_path: Path) -> None:
    """Copied rules are read in place of the kit's; copies already there are kept."""
    ws = Workspace.create(tmp_path / "ws")
    assert workspace_rules(ws).types == workspace_rules(ws).types
    copied = copy_rules(ws)
    assert own_copy(ws, CALL_TYPE_RULES) in copied
    mine = own_copy(ws, CALL_TYPE_RULES)
    mine.write_text("priority,family,pattern\n1,traffic,.\n", encoding="utf-8")
    assert copy_rules(ws) == []
    assert {rule.label for rule in workspace_rules(ws).types} == {"traffic"}


DOC = (ROOT / "docs" / "workspace.md").read_text(encoding="utf-8")


def _kept_table() -> list[tuple[str, str, str]]:
    """The rows of the table under *What each step keeps* in docs/workspace.md."""
    section = DOC.split("## What each step keeps", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(
        r"^\| (\d\d) [^|]*\| (decision|table|folder) \| `([a-z_]+)` \|", section, re.M
    )
    return [(step, kind, name) for step, kind, name in rows]


def test_docs_list_exactly_what_each_step_keeps() -> None:
    """docs/workspace.md's table is the catalogue, row for row."""
    expected = [
        (step.number, kind, name)
        for step in STEPS
        for kind in ("decision", "table", "folder")
        for name in step.keeps(kind)
    ]
    assert _kept_table() == expected


def _quoted(pattern: str) -> set[str]:
    return {
        name
        for block in re.findall(pattern, DOC, re.S)
        for name in re.findall(r'"([a-z_.-]+)"', block)
    }


def test_docs_name_only_real_problem_kinds() -> None:
    """The problem kinds docs/workspace.md gives as examples are kinds the import reports."""
    from kit.data.report import PROBLEM_MESSAGES

    row = next(line for line in DOC.splitlines() if line.startswith("| `calls.problems` |"))
    examples = set(re.findall(r"`([a-z]+(?:_[a-z]+)+)`", row)) | _quoted(r'"problems": \{(.*?)\}')
    assert examples and examples <= set(PROBLEM_MESSAGES)


def test_docs_name_only_real_decisions() -> None:
    """The decisions docs/workspace.md uses in its examples are decisions a step saves."""
    decisions = {name for step in STEPS for name in step.decisions}
    named = _quoted(r'"decisions": \{(.*?)\}')
    named |= set(re.findall(r'(?:latest|versions|restore)\("([a-z_.-]+)"', DOC))
    named |= set(re.findall(r'\.save\(\s*"([a-z_.-]+)"', DOC))
    assert named and named <= decisions


def test_every_step_page_saves_what_its_step_keeps() -> None:
    """Each step's page saves the decision the catalogue gives its step, and every step in
    the catalogue has a workbook."""
    import importlib

    from kit.runner import steps as workbooks
    from kit.ui.base import StepModel

    for name in ("setup", "community", "roles", "funding", "pilot", "brief"):
        importlib.import_module(f"kit.ui.{name}")
    pages = {
        model.step: model.decision
        for model in StepModel.__subclasses__()
        if model.__module__.startswith("kit.ui.")  # not the tests' own stand-ins
    }
    assert {step: step_keeping("decision", decision) for step, decision in pages.items()} == {
        step: step for step in pages
    }
    assert [step.number for step in STEPS] == list(workbooks())
