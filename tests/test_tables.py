"""CSV downloads: text a spreadsheet would run as a formula is neutralised, numbers stay numbers."""

from __future__ import annotations

import csv
import io
import math

from hypothesis import given
from hypothesis import strategies as st

from kit.tables import FORMULA_STARTS, csv_text, safe_cell

CELLS = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\tx", "\r=x", "-0.3", "+7", "=A1"]),
    st.integers(min_value=-(10**9), max_value=10**9),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
)


def _read(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def _is_number(text: str) -> bool:
    try:
        return math.isfinite(float(text))
    except ValueError:
        return False


@given(st.lists(st.lists(CELLS, min_size=2, max_size=2), max_size=6))
def test_no_cell_read_back_can_run_as_a_formula(rows: list[list[object]]) -> None:
    """Read back as a spreadsheet would, no text cell starts a formula; numbers are unchanged
    and text keeps its words behind at most one added quote."""
    text = csv_text([{"a": a, "b": b} for a, b in rows], [("a", "=A"), ("b", "B")])
    header, *body = _read(text)
    assert header == ["'=A", "B"]
    assert len(body) == len(rows)
    for written, given_row in zip(body, rows, strict=True):
        for cell, value in zip(written, given_row, strict=True):
            assert not cell.startswith(FORMULA_STARTS) or _is_number(cell)
            if isinstance(value, int | float):
                assert float(cell) == float(value)
            else:
                assert cell in (value, "'" + value)


def test_known_attacks_are_quoted_and_negative_numbers_kept() -> None:
    """The OWASP examples get a quote; -0.3 as a number or as text stays a number."""
    assert safe_cell('=HYPERLINK("http://x")') == '\'=HYPERLINK("http://x")'
    assert safe_cell("@SUM(1)") == "'@SUM(1)"
    assert safe_cell("-1+cmd") == "'-1+cmd"
    assert safe_cell("\t=1") == "'\t=1"
    assert safe_cell(-0.3) == -0.3
    assert safe_cell("-0.3") == "-0.3"
    assert safe_cell("North") == "North"
    assert (safe_cell(None), safe_cell(float("nan")), safe_cell(True)) == ("", "", "yes")


def test_columns_default_to_every_key_with_nested_parts_flattened() -> None:
    """Without columns every key heads the file, nested ones dotted, lists joined; an empty
    table is an empty header."""
    rows = [{"area": "North", "calls": 12}, {"area": "South", "base": {"value": 3}, "to": ["a", 1]}]
    assert _read(csv_text(rows)) == [
        ["area", "calls", "base.value", "to"],
        ["North", "12", "", ""],
        ["South", "", "3", "a; 1"],
    ]
    assert csv_text([]) == "\r\n"
