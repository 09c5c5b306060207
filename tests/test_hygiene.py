"""The tests themselves follow the project's rules: an expected error names its message
(a bare ``pytest.raises`` passes on any error of that type, even the wrong one), no test
takes a fixed port (parallel runs and other programs would clash on it), and a property
that something is conserved is tried on at least 100 examples."""

from __future__ import annotations

import ast
import itertools
import re
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
SOURCES = sorted(TESTS.rglob("*.py"))


def _calls(path: Path) -> list[ast.Call]:
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    return [node for node in ast.walk(tree) if isinstance(node, ast.Call)]


def bare_raises(path: Path) -> list[int]:
    """Lines of ``pytest.raises(...)`` calls with no ``match=``."""
    return [
        call.lineno
        for call in _calls(path)
        if ast.unparse(call.func) == "pytest.raises"
        and not any(k.arg == "match" for k in call.keywords)
    ]


def fixed_ports(path: Path) -> list[int]:
    """Lines passing a literal number as ``port=`` or after a ``"--port"`` argument."""
    found = []
    for call in _calls(path):
        literal = [
            k for k in call.keywords if k.arg == "port" and isinstance(k.value, ast.Constant)
        ]
        sequences = [n.elts for n in call.args if isinstance(n, ast.List | ast.Tuple)]
        after_flag = [
            value
            for items in sequences
            for flag, value in itertools.pairwise(items)
            if isinstance(flag, ast.Constant) and flag.value == "--port"
        ]
        if literal or any(isinstance(value, ast.Constant) for value in after_flag):
            found.append(call.lineno)
    return found


CONSERVATION = re.compile(r"conserv|add(s)?_up|_or_counted")
MIN_EXAMPLES = 100


def thin_conservation_properties(path: Path) -> list[str]:
    """Conservation properties (by name) whose ``@settings`` ask for fewer than 100 examples."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    thin = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.FunctionDef) or not CONSERVATION.search(node.name):
            continue
        for decorator in node.decorator_list:
            if isinstance(decorator, ast.Call) and ast.unparse(decorator.func) == "settings":
                examples = [k.value for k in decorator.keywords if k.arg == "max_examples"]
                if examples and ast.literal_eval(examples[0]) < MIN_EXAMPLES:
                    thin.append(node.name)
    return thin


def test_the_checks_find_what_they_look_for(tmp_path: Path) -> None:
    """Each check catches its case and lets the right form through."""
    sample = tmp_path / "t.py"
    sample.write_text(
        "pytest.raises(KitError)\n"
        "pytest.raises(KitError, match='x')\n"
        "serve(port=8899)\n"
        "serve(port=free_port())\n"
        "run(['kit', 'serve', '--port', '8917'])\n"
        "run(['kit', 'serve', '--port', str(port)])\n"
        "@settings(max_examples=20)\ndef test_calls_are_conserved(): ...\n"
        "@settings(max_examples=100)\ndef test_parts_add_up(): ...\n"
    )
    assert bare_raises(sample) == [1]
    assert fixed_ports(sample) == [3, 5]
    assert thin_conservation_properties(sample) == ["test_calls_are_conserved"]


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.relative_to(TESTS).as_posix())
def test_expected_errors_name_their_message(path: Path) -> None:
    """Every ``pytest.raises`` says which message it expects."""
    assert bare_raises(path) == []


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.relative_to(TESTS).as_posix())
def test_no_fixed_ports(path: Path) -> None:
    """Servers in tests listen on a free port chosen at run time."""
    assert fixed_ports(path) == []


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.relative_to(TESTS).as_posix())
def test_conservation_properties_try_enough_examples(path: Path) -> None:
    """Every property that totals are conserved runs at least 100 examples."""
    assert thin_conservation_properties(path) == []
