"""The layers hold (docs/architecture.md): data -> domain -> pages -> ui -> cli/serve, each
importing only from its own layer and those before it; and nothing outside kit/ui imports the
app's code (kit.ui) or ipywidgets, so the domain, the printable pages and the command line
work without widgets.

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
KNOWN: dict[str, str] = {}


# Each module's layer, by the longest prefix of its name; a module imports only from layers at
# or below its own. "shared" is usable everywhere: errors, the shipped files, the step catalogue.
LAYERS = {
    "kit.errors": 0,
    "kit.resources": 0,
    "kit.steps": 0,
    "kit.browser": 0,
    "kit.labels": 0,
    "kit.suppression": 0,
    "kit.data": 1,
    "kit.workspace": 1,
    "kit.workspaces": 1,
    "kit.decisions": 1,
    "kit.profile": 1,
    "kit.taxonomy": 2,
    "kit.call_type_model": 2,
    "kit.community": 2,
    "kit.roles": 2,
    "kit.funding": 2,
    "kit.pilot": 2,
    "kit.staffing": 2,
    "kit.equity": 2,
    "kit.charts": 2,
    "kit.printable": 2,
    "kit.tables": 2,
    "kit.funding_figures": 2,
    "kit.brief": 2,
    "kit.key_figures": 2,
    "kit.pages": 3,
    "kit.ui": 4,
    "kit.cli": 5,
    "kit.serve": 5,
    "kit.launcher": 5,
    "kit.logins": 5,
    "kit.runner": 5,
    "kit.batch": 5,
    "sample_city": 5,
}
LAYER_NAMES = ("shared", "data", "domain", "pages", "ui", "cli/serve")
KNOWN_LAYER_BREAKS: dict[str, str] = {}


def layer(module: str) -> int | None:
    """The layer of a kit module (None for the bare package ``kit``)."""
    owners = [p for p in LAYERS if module == p or module.startswith(p + ".")]
    return LAYERS[max(owners, key=len)] if owners else None


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


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


def _modules(known: dict[str, str], *, skip: tuple[str, ...] = ()) -> list[pytest.param]:
    params = []
    for path in sorted(p for package in PACKAGES for p in (ROOT / package).rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        if rel.startswith(skip):
            continue
        marks = [pytest.mark.xfail(strict=True, reason=known[rel])] if rel in known else []
        params.append(pytest.param(rel, marks=marks, id=rel))
    return params


def test_the_walk_sees_imports_inside_functions(tmp_path: Path) -> None:
    """A lazy import inside a function and a `from kit import ui` are both caught."""
    source = tmp_path / "m.py"
    source.write_text("def f():\n    from kit import ui\n    import ipywidgets.widgets\n")
    assert {n for n in imported(source) if forbidden(n)} == {"kit.ui", "ipywidgets.widgets"}


@pytest.mark.parametrize("module", _modules(KNOWN, skip=("kit/ui/",)))
def test_no_ui_import_outside_the_ui(module: str) -> None:
    """The module imports neither kit.ui nor ipywidgets (the server: only the UI's base)."""
    found = {n for n in imported(ROOT / module) if forbidden(n)}
    allowed = ALLOWED.get(module, set())
    assert {n for n in found if not any(n == a or n.startswith(a + ".") for a in allowed)} == set()


def test_every_module_has_a_layer() -> None:
    """A new module or package is given its place in the layers (add it to LAYERS)."""
    paths = (p for package in PACKAGES for p in (ROOT / package).rglob("*.py"))
    assert [m for m in map(module_name, paths) if m != "kit" and layer(m) is None] == []


@pytest.mark.parametrize("module", _modules(KNOWN_LAYER_BREAKS, skip=("kit/__init__.py",)))
def test_imports_go_down_the_layers(module: str) -> None:
    """The module imports only from its own layer and the layers before it."""
    own = layer(module_name(ROOT / module))
    upward = sorted(
        f"{name} ({LAYER_NAMES[found]})"
        for name in imported(ROOT / module)
        if (found := layer(name)) is not None and found > own
    )
    assert upward == [], f"{module} is in the {LAYER_NAMES[own]} layer"
