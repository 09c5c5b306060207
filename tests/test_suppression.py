"""Small counts and the cells hidden with them: the protection check holds on any table."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st

from kit.errors import KitError
from kit.suppression import (
    cells_to_hide,
    check_threshold,
    hidden_ranges,
    is_protected,
    is_small,
    table_totals,
)


def test_small_counts_are_one_to_ten_on_the_cms_rule() -> None:
    assert [is_small(n) for n in (0, 1, 10, 11)] == [False, True, True, False]
    assert is_small(4, threshold=5) and not is_small(5, threshold=5)


@pytest.mark.parametrize("bad", [0, -3, 2.5, "11", True])
def test_a_threshold_must_be_a_whole_number_of_at_least_one(bad: object) -> None:
    with pytest.raises(KitError, match="whole number of at least 1"):
        check_threshold(bad)


def test_ranges_of_a_two_by_two_pattern_are_what_the_margins_allow() -> None:
    # a=5, b=20, c=30, d=40 all hidden, margins shown: a moves by -min(a, d)..+min(b, c).
    counts = [5, 20, 30, 40]
    ranges = hidden_ranges(counts, table_totals((2, 2)), [True] * 4)
    assert ranges[0] == pytest.approx((0.0, 25.0))
    assert ranges[3] == pytest.approx((35.0, 60.0))


def test_a_lone_hidden_cell_in_a_row_is_given_back_by_its_total() -> None:
    counts = [3, 20, 30, 40]
    alone = [True, False, False, False]
    assert hidden_ranges(counts, table_totals((2, 2)), alone) == [(3.0, 3.0)]
    assert not is_protected(counts, table_totals((2, 2)), alone)


def test_a_list_with_its_total_hides_the_small_count_and_the_next_smallest() -> None:
    counts = [4, 50, 12, 30]
    hidden = cells_to_hide(counts, [[0, 1, 2, 3]])
    assert hidden == [True, False, True, False]


def test_a_small_published_total_must_be_hidden_first() -> None:
    with pytest.raises(KitError, match="total of 7 is below the small-count threshold"):
        cells_to_hide([3, 4], [[0, 1]])


def test_a_table_without_small_counts_hides_nothing() -> None:
    assert cells_to_hide([11, 0, 25], [[0, 1, 2]]) == [False] * 3


def test_a_table_that_no_pattern_protects_says_what_to_do() -> None:
    # The second cell is also published on its own, so the total gives the first back.
    with pytest.raises(KitError, match="merge small areas or groups"):
        cells_to_hide([3, 40], [[0, 1], [1]], threshold=11)


@st.composite
def tables(draw: st.DrawFn) -> tuple[np.ndarray, int]:
    rows = draw(st.integers(2, 4))
    columns = draw(st.integers(2, 4))
    threshold = draw(st.integers(2, 11))
    cells = draw(
        st.lists(
            st.one_of(st.integers(0, threshold - 1), st.integers(threshold, 80)),
            min_size=rows * columns,
            max_size=rows * columns,
        )
    )
    return np.array(cells).reshape(rows, columns), threshold


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables())
def test_every_hidden_cell_keeps_a_range_at_least_the_threshold_wide(
    drawn: tuple[np.ndarray, int],
) -> None:
    table, threshold = drawn
    margins = [*table.sum(axis=1), *table.sum(axis=0), table.sum()]
    assume(not any(is_small(total, threshold) for total in margins))
    counts = table.ravel().tolist()
    totals = table_totals(table.shape)
    try:
        hidden = cells_to_hide(counts, totals, threshold)
    except KitError:
        event("no protecting pattern")
        return
    assert all(h for h, c in zip(hidden, counts, strict=True) if is_small(c, threshold))
    ranges = hidden_ranges(counts, totals, hidden)
    assert all(high - low >= threshold for low, high in ranges)
    # Every hidden value lies in its range: the check measures the real table.
    truths = [c for h, c in zip(hidden, counts, strict=True) if h]
    assert all(
        low - 1e-6 <= t <= high + 1e-6 for t, (low, high) in zip(truths, ranges, strict=True)
    )


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.integers(2, 11).flatmap(
        lambda threshold: st.tuples(
            st.lists(
                st.one_of(st.integers(0, threshold - 1), st.integers(threshold, 40)),
                min_size=6,
                max_size=6,
            ),
            st.just(threshold),
        )
    )
)
def test_no_smaller_pattern_protects_the_table(drawn: tuple[list[int], int]) -> None:
    """The cuts that speed the search up never rule out a smaller safe pattern (2 x 3 tables,
    every pattern tried)."""
    counts, threshold = drawn
    table = np.array(counts).reshape(2, 3)
    margins = [*table.sum(axis=1), *table.sum(axis=0), table.sum()]
    assume(not any(is_small(total, threshold) for total in margins))
    totals = table_totals((2, 3))
    small = {cell for cell, count in enumerate(counts) if is_small(count, threshold)}
    others = [cell for cell in range(6) if cell not in small]
    fewest = next(
        (
            len(small) + size
            for size in range(len(others) + 1)
            for extra in itertools.combinations(others, size)
            if is_protected(counts, totals, [c in small or c in extra for c in range(6)], threshold)
        ),
        None,
    )
    try:
        hidden = cells_to_hide(counts, totals, threshold)
    except KitError:
        assert fewest is None
        return
    assert sum(hidden) == (fewest if small else 0)
