"""Weekday names, responder labels and money: each defined once, in kit.labels."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kit.labels import RESPONDER_SHORT_LABELS, WEEKDAY_ABBREVIATIONS, WEEKDAYS, money
from kit.roles import RESPONDER_LABELS, RESPONDERS

KIT = Path(__file__).resolve().parents[1] / "kit"
# What a second definition would look like: a weekday name, a responder label entry (a key
# then a capitalised label), or a dollar formatter.
SECOND_DEFINITIONS = re.compile(
    r'"Wednesday"'
    r'|^\s*"(?:police|co_response|crisis_team|cso|online|other_agency|no_dispatch)": "[A-Z]'
    r"|def _?money\(",
    re.MULTILINE,
)


def test_defined_only_in_kit_labels() -> None:
    """No module other than kit/labels.py spells out weekdays, responder labels or money."""
    found = [
        f"{path.relative_to(KIT)}: {match.group(0)}"
        for path in sorted(KIT.rglob("*.py"))
        if path.name != "labels.py"
        for match in SECOND_DEFINITIONS.finditer(path.read_text(encoding="utf-8"))
    ]
    assert found == []


def test_every_responder_has_both_labels() -> None:
    assert set(RESPONDER_LABELS) == set(RESPONDER_SHORT_LABELS) == set(RESPONDERS)
    assert WEEKDAYS[0] == "Monday"
    assert WEEKDAY_ABBREVIATIONS == ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


@pytest.mark.parametrize(
    ("amount", "text"),
    [(0, "$0"), (1234.4, "$1,234"), (-1234.6, "-$1,235"), (2_300_000, "$2,300,000")],
)
def test_money(amount: float, text: str) -> None:
    assert money(amount) == text


@given(st.integers(-(10**12), 10**12))
def test_money_reads_back(amount: int) -> None:
    """Whole dollars read back to the amount, sign first."""
    text = money(amount)
    assert int(text.replace("$", "").replace(",", "")) == amount
