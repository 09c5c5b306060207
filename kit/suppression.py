"""Which counts a published table must hide so that no small count can be seen or worked out.

The rule is the Centers for Medicare & Medicaid Services' (CMS Cell Size Suppression Policy,
https://resdac.org/articles/cms-cell-size-suppression-policy): no count of 1 to 10 may be
displayed, nor any figure from which one can be worked out. A workspace may raise or lower the
threshold (``kit settings WORKSPACE --small-count N``); :data:`DEFAULT_SMALL_COUNT` is the CMS one.

Hiding the small cells alone is not enough when totals are published: a row total minus the
row's shown cells gives the hidden one back. So :func:`cells_to_hide` also hides
*complementary* cells, and :func:`hidden_ranges` is the protection check: for each hidden cell,
the lowest and highest value it could take given everything shown (linear programming). A
pattern is safe when every hidden cell's range is at least the threshold wide. Percentages of
a published total give the count away as surely as the count, so they are hidden with it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, linprog, milp

from kit.errors import KitError

#: Counts from 1 to this minus 1 are not published (CMS Cell Size Suppression Policy, above).
DEFAULT_SMALL_COUNT: Final = 11
#: Where the rule comes from, as a published document lists it among its sources.
SOURCE: Final = (
    "Centers for Medicare & Medicaid Services, Cell Size Suppression Policy "
    "(https://resdac.org/articles/cms-cell-size-suppression-policy): no count of 1 to 10 "
    "is displayed, nor any figure from which one can be worked out."
)

#: Patterns tried before giving up; each failed one adds cuts, and tables here are small.
_MAX_ROUNDS: Final = 200


def is_small(count: float, threshold: int = DEFAULT_SMALL_COUNT) -> bool:
    """Whether a raw count must not be published (1 to ``threshold - 1``; 0 may be shown)."""
    return 0 < count < threshold


def check_threshold(threshold: object) -> int:
    """The threshold as given, or a :class:`KitError` saying what a usable one is."""
    if isinstance(threshold, bool) or not isinstance(threshold, int) or threshold < 1:
        raise KitError(
            f"The small-count threshold must be a whole number of at least 1 (the CMS rule is "
            f"{DEFAULT_SMALL_COUNT}); {threshold!r} is not."
        )
    return threshold


def table_totals(shape: tuple[int, int]) -> list[list[int]]:
    """The published totals of a rows x columns table (cells numbered row by row).

    Each row's total, each column's total and the grand total, as lists of cell numbers.
    """
    rows, columns = shape
    cells = np.arange(rows * columns).reshape(rows, columns)
    return [
        *(row.tolist() for row in cells),
        *(column.tolist() for column in cells.T),
        cells.ravel().tolist(),
    ]


def hidden_ranges(
    counts: Sequence[int], totals: Sequence[Sequence[int]], hidden: Sequence[bool]
) -> list[tuple[float, float]]:
    """For each hidden cell, the least and greatest value consistent with what is shown.

    Shown: every cell not hidden and every total (a list of cell numbers whose sum is
    published). The unknowns are the hidden cells, each at least 0; each is minimised and
    maximised by linear programming. A cell in no total can be anything: its range is infinite.
    """
    values = np.asarray(counts, dtype=float)
    mask = np.asarray(hidden, dtype=bool)
    unknown = np.flatnonzero(mask)
    rows, rights = [], []
    for group in totals:
        members = np.zeros(values.size, dtype=bool)
        members[list(group)] = True
        row = members[unknown].astype(float)
        if row.any():
            rows.append(row)
            rights.append(values[members].sum() - values[members & ~mask].sum())
    a_eq = np.array(rows) if rows else None
    b_eq = np.array(rights) if rows else None
    ranges = []
    for position in range(unknown.size):
        objective = np.zeros(unknown.size)
        objective[position] = 1.0
        low = linprog(objective, A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")
        high = linprog(-objective, A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")
        top = np.inf if high.status == 3 else -high.fun
        ranges.append((float(low.fun), float(top)))
    return ranges


def is_protected(
    counts: Sequence[int],
    totals: Sequence[Sequence[int]],
    hidden: Sequence[bool],
    threshold: int = DEFAULT_SMALL_COUNT,
) -> bool:
    """Whether every hidden cell's possible range is at least ``threshold`` wide."""
    return all(high - low >= threshold for low, high in hidden_ranges(counts, totals, hidden))


def hidden_beside_total(counts: Sequence[int], threshold: int = DEFAULT_SMALL_COUNT) -> list[bool]:
    """Which of these counts a page hides when their total is shown beside them.

    A small total leaves nothing safe to show: then every count but 0 is hidden (and the
    total, being small, is hidden by whoever prints it).
    """
    if is_small(sum(counts), threshold):
        return [count > 0 for count in counts]
    return cells_to_hide(counts, [list(range(len(counts)))], threshold)


def cells_to_hide(
    counts: Sequence[int],
    totals: Sequence[Sequence[int]],
    threshold: int = DEFAULT_SMALL_COUNT,
) -> list[bool]:
    """Which cells to hide: the small ones, and the fewest others that keep them unrecoverable.

    ``totals`` lists the published sums as cell numbers (:func:`table_totals` for a table
    with its margins). The choice is a small integer program (``scipy.optimize.milp``): hide
    every small cell, and in every total that has a hidden cell hide at least one more, while
    hiding as few other cells as possible (ties go to the smaller counts, which lose the reader
    least). That rule stops subtraction from a single total but not every combination of
    totals, so each pattern found is put through the protection check; each hidden cell
    whose range is too narrow adds a cut (:func:`_protection_cut`) and the program is solved
    again.

    A published total of 1 to ``threshold - 1`` is itself a small count: hide or merge it
    first, so this raises a :class:`KitError` for it.
    """
    check_threshold(threshold)
    values = np.asarray(counts, dtype=float)
    for group in totals:
        if is_small(values[list(group)].sum(), threshold):
            raise KitError(
                f"A total of {values[list(group)].sum():.0f} is below the small-count threshold "
                f"({threshold}): hide it or merge it with another before publishing the table."
            )
    small = np.array([is_small(value, threshold) for value in values])
    if not small.any():
        return [False] * values.size
    # Cost: 1 per extra cell, plus under 1 in all for the counts, so fewer cells always wins.
    cost = 1.0 + values / (values.sum() + 1.0) / values.size
    cost[small] = 0.0
    lower = small.astype(float)
    rows = []
    for group in totals:
        for cell in group:
            # hidden[cell] => at least two hidden in the group: sum(group) - 2 * hidden[cell] >= 0.
            row = np.zeros(values.size)
            row[list(group)] = 1.0
            row[cell] -= 2.0
            rows.append(row)
    cuts: list[np.ndarray] = []
    for _ in range(_MAX_ROUNDS):
        constraints = [LinearConstraint(np.array(rows), lb=0.0)] if rows else []
        if cuts:
            constraints.append(LinearConstraint(np.array(cuts), lb=0.0))
        found = milp(
            cost,
            constraints=constraints,
            integrality=np.ones(values.size),
            bounds=Bounds(lower, np.ones(values.size)),
        )
        if found.status != 0:
            break
        hidden = found.x > 0.5
        new_cuts = [
            cut
            for cell in np.flatnonzero(hidden)
            if (cut := _protection_cut(int(cell), values, totals, hidden, threshold)) is not None
        ]
        if not new_cuts:
            return hidden.tolist()
        cuts.extend(new_cuts)
    raise KitError(
        "No set of hidden cells keeps this table's small counts from being worked out from its "
        "totals: merge small areas or groups, or publish fewer totals."
    )


def _protection_cut(
    cell: int,
    values: np.ndarray,
    totals: Sequence[Sequence[int]],
    hidden: np.ndarray,
    threshold: int,
) -> np.ndarray | None:
    """None when hidden ``cell``'s range is wide enough, else a cut ``row @ x >= 0``.

    The range's width is one linear program: two copies of the changes ``d`` that keep every
    total (``M d = 0``), the first pushing the cell up, the second down, each change between
    ``-value * x`` and ``ceiling * x`` (``x`` = 1 for a hidden cell, so a shown cell cannot
    move). By duality its width is a sum over cells of ``x`` times a coefficient from the
    bounds' prices, and that sum bounds the width from above for *any* choice of ``x``. So
    "coefficients @ x >= threshold * x[cell]" rules out this pattern and every other that
    would leave the cell as exposed: one cut per exposed cell, instead of excluding one
    pattern at a time (Fischetti and Salazar's capacity cuts for cell suppression).
    """
    size = values.size
    matrix = np.zeros((len(totals), size))
    for number, group in enumerate(totals):
        matrix[number, list(group)] = 1.0
    zeros = np.zeros_like(matrix)
    ceiling = values.sum() + threshold
    low = np.where(hidden, -values, 0.0)
    high = np.where(hidden, ceiling, 0.0)
    objective = np.zeros(2 * size)
    objective[cell], objective[size + cell] = -1.0, 1.0
    result = linprog(
        objective,
        A_eq=np.block([[matrix, zeros], [zeros, matrix]]),
        b_eq=np.zeros(2 * len(totals)),
        bounds=list(zip(np.tile(low, 2), np.tile(high, 2), strict=True)),
        method="highs",
    )
    if -result.fun >= threshold - 1e-9:
        return None
    prices = np.tile(values, 2) * result.lower.marginals - ceiling * result.upper.marginals
    row = prices[:size] + prices[size:]
    row[cell] -= threshold
    return row
