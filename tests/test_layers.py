"""The layers hold: nothing outside kit/ui imports the app's code (kit.ui) or ipywidgets, so
the domain, the printable pages and the command line work without widgets.

Imports are read from the source with ast, inside functions too (a lazy import is still an
import). The server hosts the app and may import the UI's base (kit/serve.py).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("kit", "sample_city")
ALLOWED = {"kit/serve.py": {"kit.ui.base"}}
KNOWN = {
    "kit/cli/funding_cmds.py": "`kit funding --page` builds its page through kit.ui.funding; "
    "it moves to the pages layer (issue 10, point 6)"
}


def imported(path: Path) -> set[str]:
    """Every module ``path`` imports anywhere in its source, including ``from X import Y``
    as both X and X.Y (Y may be a module)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def forbidden(name: str) -> bool:
    """Whether importing ``name`` reaches the app's code or the widget library."""
    return name == "kit.ui" or name.startswith("kit.ui.") or name.split(".")[0] == "ipywidgets"


def _outside_ui() -> list[pytest.param]:
    params = []
    for path in sorted(p for package in PACKAGES for p in (ROOT / package).rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        if rel.startswith("kit/ui/"):
            continue
        marks = [pytest.mark.xfail(strict=True, reason=KNOWN[rel])] if rel in KNOWN else []
        params.append(pytest.param(rel, marks=marks, id=rel))
    return params


def test_the_walk_sees_imports_inside_functions(tmp_path: Path) -> None:
    """A lazy import inside a function and a `from kit import ui` are both caught."""
    source = tmp_path / "m.py"
    source.write_text("def f():\n    from kit import ui\n    import ipywidgets.widgets\n")
    assert {n for n in imported(source) if forbidden(n)} == {"kit.ui", "ipywidgets.widgets"}


@pytest.mark.parametrize("module", _outside_ui())
def test_no_ui_import_outside_the_ui(module: str) -> None:
    """The module imports neither kit.ui nor ipywidgets (the server: only the UI's base)."""
    found = {n for n in imported(ROOT / module) if forbidden(n)}
    allowed = ALLOWED.get(module, set())
    assert {n for n in found if not any(n == a or n.startswith(a + ".") for a in allowed)} == set()
