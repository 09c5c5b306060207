"""The data dictionary documents every column, header word and problem kind the import uses."""

from __future__ import annotations

from pathlib import Path

import pytest

from kit.data.mapping import ROLES
from kit.data.report import PROBLEM_MESSAGES
from kit.data.role_words import WORDS
from kit.data.schema import CALL_COLUMNS

DOC = (Path(__file__).resolve().parents[1] / "docs" / "data_dictionary.md").read_text("utf-8")


@pytest.mark.parametrize("name", sorted(set(CALL_COLUMNS) | set(ROLES)))
def test_every_column_and_role_is_documented(name: str) -> None:
    assert f"| `{name}` |" in DOC


@pytest.mark.parametrize("role", ROLES)
def test_every_header_word_is_documented(role: str) -> None:
    """The words that count for or against a role are listed in its row, with their weight."""
    row = next(line for line in DOC.splitlines() if line.startswith(f"| `{role}` | `"))
    assert all(f"`{word}` {weight:+d}" in row for word, weight in WORDS.get(role, {}).items())


@pytest.mark.parametrize(("kind", "message"), sorted(PROBLEM_MESSAGES.items()))
def test_every_problem_kind_is_documented(kind: str, message: str) -> None:
    assert f"| `{kind}` |" in DOC and message in DOC
