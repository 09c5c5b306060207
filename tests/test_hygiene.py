"""The tests themselves follow the project's rules: an expected error names its message
(a bare ``pytest.raises`` passes on any error of that type, even the wrong one), and no test
takes a fixed port (parallel runs and other programs would clash on it)."""

from __future__ import annotations

import ast
import itertools
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
    )
    assert bare_raises(sample) == [1]
    assert fixed_ports(sample) == [3, 5]


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.relative_to(TESTS).as_posix())
def test_expected_errors_name_their_message(path: Path) -> None:
    """Every ``pytest.raises`` says which message it expects."""
    assert bare_raises(path) == []


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.relative_to(TESTS).as_posix())
def test_no_fixed_ports(path: Path) -> None:
    """Servers in tests listen on a free port chosen at run time."""
    assert fixed_ports(path) == []
