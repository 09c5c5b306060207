"""The path of a call: the one function that turns a plan into calls and officer hours moved.

For each call type and alternative responder, in this order:

    eligible                = calls x (1 - screening)   # weapon or violence in progress: police
    routed                  = eligible x the responder's share of the type
    handled                 = routed x take-up, inside the responder's coverage hours
    handled without police  = handled x (1 - back-up)   # back-up calls go to police

Calls routed outside the responder's coverage hours, not taken up, or handed back stay
police calls. Co-response calls are attended by police and a clinician together: they are
shown apart and free no officer hours. Officer hours follow the calls (the hours those
calls carried in the data), so ``without_police_hours`` is the officer time freed.

Step 02 and step 03 both call :func:`flow`; it works on a :class:`~kit.roles.cube.Cube`
with NumPy only, so a change of a split or an assumption updates in milliseconds.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np
import pandas as pd
from scipy import sparse

from kit.errors import KitError
from kit.labels import WEEKDAYS
from kit.roles.assignments import (
    ALTERNATIVES,
    RESPONDERS,
    check_assignments,
    check_assumptions,
    check_coverage,
)
from kit.roles.cube import HOURS_OF_WEEK, Cube
from kit.taxonomy import FAMILIES

BY_KEYS: Final[tuple[str, ...]] = (
    "call_type",
    "family",
    "area",
    "hour_of_week",
    "hour",
    "weekday",
)
STAGES: Final[tuple[str, ...]] = ("eligible", "routed", "handled", "without_police")
FLOW_COLUMNS: Final[tuple[str, ...]] = (
    *STAGES,
    "outside_coverage",
    *(f"{stage}_hours" for stage in STAGES),
    "outside_coverage_hours",
)


def share_matrix(cube: Cube, assignments: Mapping[str, Mapping[str, float]]) -> np.ndarray:
    """Shares (types x alternative responders) from validated assignments; police get the rest.

    Call types the plan names but the data does not hold are ignored, so a plan can be
    reused after the calls are refreshed.
    """
    shares = np.zeros((len(cube.types), len(ALTERNATIVES)), dtype=np.float64)
    index = cube.type_index
    for call_type, split in assignments.items():
        row = index.get(call_type)
        if row is None:
            continue
        for j, responder in enumerate(ALTERNATIVES):
            shares[row, j] = split.get(responder, 0.0)
    return shares


@dataclass(frozen=True)
class _Matrices:
    """Calls and hours per (group, call type) as sparse matrices, and totals per group."""

    groups: np.ndarray
    calls: sparse.csr_array
    hours: sparse.csr_array
    totals: dict[str, np.ndarray]


def _base(cube: Cube, by: tuple[str, ...]) -> tuple[np.ndarray, ...]:
    """Cells at the finest level ``by`` needs, the groups, and each cell's group."""
    cached = cube.cache.get(("base", by))
    if cached is not None:
        return cached  # type: ignore[return-value]
    if "area" in by:
        t, how, calls, hours = cube.type_code, cube.hour_of_week, cube.calls, cube.officer_hours
        area = cube.area_code
    else:
        t, how, calls, hours = cube.by_type_and_hour
        area = np.zeros(len(t), dtype=np.int32)
    keys = {
        "call_type": (t, len(cube.types)),
        "family": (cube.family_code[t], len(FAMILIES)),
        "area": (area, max(len(cube.areas), 1)),
        "hour_of_week": (how, HOURS_OF_WEEK),
        "hour": (how % 24, 24),
        "weekday": (how // 24, 7),
    }
    group = np.zeros(len(t), dtype=np.int64)
    for key in by:
        values, size = keys[key]
        group = group * size + values
    if by:
        groups, inverse = np.unique(group, return_inverse=True)
    else:
        groups, inverse = np.zeros(1, dtype=np.int64), np.zeros(len(group), dtype=np.int64)
    result = (t, how, calls, hours, groups, inverse)
    cube.cache[("base", by)] = result
    return result


def _matrices(cube: Cube, by: tuple[str, ...]) -> _Matrices:
    """The (group x call type) matrices of a breakdown, built once per cube and breakdown.

    Every stage of the flow is then a product of these with the share matrix, so a slider
    move costs a few sparse products instead of a pass over the cells.
    """
    cached = cube.cache.get(("matrices", by))
    if cached is not None:
        return cached  # type: ignore[return-value]
    t, _, calls, hours, groups, inverse = _base(cube, by)
    shape = (len(groups), len(cube.types))
    result = _Matrices(
        groups=groups,
        calls=sparse.csr_array((calls, (inverse, t)), shape=shape),
        hours=sparse.csr_array((hours, (inverse, t)), shape=shape),
        totals={
            "calls": np.bincount(inverse, weights=calls, minlength=len(groups)),
            "hours": np.bincount(inverse, weights=hours, minlength=len(groups)),
        },
    )
    cube.cache[("matrices", by)] = result
    return result


def _covered(
    cube: Cube, by: tuple[str, ...], hours: tuple[int, ...]
) -> dict[str, sparse.csr_array]:
    """Calls and hours per (group, call type) inside the given hours of the week."""
    key = ("covered", by, hours)
    cached = cube.cache.get(key)
    if cached is not None:
        return cached  # type: ignore[return-value]
    t, how, calls, officer_hours, groups, inverse = _base(cube, by)
    mask = np.zeros(HOURS_OF_WEEK)
    mask[list(hours)] = 1.0
    inside = mask[how]
    shape = (len(groups), len(cube.types))
    result = {
        "calls": sparse.csr_array((calls * inside, (inverse, t)), shape=shape),
        "hours": sparse.csr_array((officer_hours * inside, (inverse, t)), shape=shape),
    }
    if len(cube.cache) > 64:  # coverage edits in a long session: keep the cache bounded
        for stale in [k for k in cube.cache if isinstance(k, tuple) and k[0] == "covered"]:
            del cube.cache[stale]
    cube.cache[key] = result
    return result


def _labels(cube: Cube, by: Sequence[str], groups: np.ndarray) -> dict[str, object]:
    """Readable columns for the groups: categoricals for names, integers for hours."""
    sizes = {
        "call_type": len(cube.types),
        "family": len(FAMILIES),
        "area": max(len(cube.areas), 1),
        "hour_of_week": HOURS_OF_WEEK,
        "hour": 24,
        "weekday": 7,
    }
    names = {
        "call_type": list(cube.types["call_type"].astype(str)),
        "family": list(FAMILIES),
        "area": list(cube.areas or ("",)),
        "weekday": list(WEEKDAYS),
    }
    labels: dict[str, object] = {}
    rest = groups.copy()
    for key in reversed(by):
        code = rest % sizes[key]
        rest //= sizes[key]
        labels[key] = (
            pd.Categorical.from_codes(code, categories=names[key])
            if key in names
            else code.astype(np.int64)
        )
    return {key: labels[key] for key in by}


def flow_values(
    cube: Cube,
    assignments: Mapping[str, Mapping[str, float]] | None,
    assumptions: Mapping[str, Mapping[str, float]] | None,
    *,
    coverage: Mapping[str, Iterable[int] | None] | None = None,
    by: Sequence[str] = (),
) -> tuple[np.ndarray, np.ndarray]:
    """What :func:`flow` computes, as arrays: the group codes and the values
    (groups x RESPONDERS x FLOW_COLUMNS).

    For a single ``by`` key a group's code is the key's own code: the call type's row in
    ``cube.types``, the area's position in ``cube.areas``, the hour of the week, the
    family's position in FAMILIES. A page that redraws on every slider move uses this to
    skip building a frame.
    """
    by = tuple(by)
    for key in by:
        if key not in BY_KEYS:
            raise KitError(
                f"'{key}' is not a way to break down the flow: use {', '.join(BY_KEYS)}."
            )
    if len(set(by)) != len(by):
        raise KitError("Each breakdown key may be given once.")
    plan = check_assignments(assignments)
    assumed = check_assumptions(assumptions)
    covered = check_coverage(coverage)
    shares = share_matrix(cube, plan)
    present = (shares > 0).astype(np.float64)

    matrices = _matrices(cube, by)
    n_groups = matrices.calls.shape[0]
    sums = {
        "calls": (matrices.calls @ shares, matrices.calls @ present),
        "hours": (matrices.hours @ shares, matrices.hours @ present),
    }
    out = np.zeros((n_groups, len(RESPONDERS), len(FLOW_COLUMNS)), dtype=np.float64)
    police = RESPONDERS.index("police")
    col = {name: i for i, name in enumerate(FLOW_COLUMNS)}
    for unit, suffix in (("calls", ""), ("hours", "_hours")):
        total = matrices.totals[unit]
        shared, eligible_base = sums[unit]
        routed_away = np.zeros(n_groups)
        not_with_police = np.zeros(n_groups)
        for j, responder in enumerate(ALTERNATIVES):
            if not present[:, j].any():
                continue
            a = assumed[responder]
            kept = 1.0 - a["screening"]
            hours_covered = covered.get(responder)
            if hours_covered is None:
                inside = shared[:, j]
            else:
                inside = _covered(cube, by, tuple(hours_covered))[unit] @ shares[:, j]
            row = RESPONDERS.index(responder)
            routed = kept * shared[:, j]
            handled = kept * a["take_up"] * inside
            away = 0.0 if responder == "co_response" else 1.0 - a["back_up"]
            out[:, row, col["eligible" + suffix]] = kept * eligible_base[:, j]
            out[:, row, col["routed" + suffix]] = routed
            out[:, row, col["handled" + suffix]] = handled
            out[:, row, col["without_police" + suffix]] = handled * away
            out[:, row, col["outside_coverage" + suffix]] = np.maximum(routed - kept * inside, 0.0)
            routed_away += routed
            not_with_police += handled if responder == "co_response" else handled * away
        out[:, police, col["eligible" + suffix]] = total
        out[:, police, col["routed" + suffix]] = total - routed_away
        out[:, police, col["handled" + suffix]] = total - not_with_police

    return matrices.groups, out


def flow(
    cube: Cube,
    assignments: Mapping[str, Mapping[str, float]] | None,
    assumptions: Mapping[str, Mapping[str, float]] | None,
    *,
    coverage: Mapping[str, Iterable[int] | None] | None = None,
    by: Sequence[str] = (),
) -> pd.DataFrame:
    """Calls and officer hours at each stage of the path, per responder (and per ``by`` group).

    Returns one row per group and responder (all of RESPONDERS) with the columns in
    FLOW_COLUMNS. For an alternative responder: eligible >= routed >= handled >=
    without_police (and the same in hours); ``outside_coverage`` are routed calls that fell
    outside its coverage hours. For ``police``: ``eligible`` is every call, ``routed`` the
    calls the plan leaves with police, ``handled`` the calls police attend alone (including
    those screened, not taken up, outside coverage or handed back). For every group,
    police ``handled`` + co_response ``handled`` + the sum of ``without_police`` equals all
    calls, and the same holds for officer hours.

    ``by`` is any of BY_KEYS: call_type, family, area, hour_of_week (0-167, Monday 00:00 = 0),
    hour (0-23), weekday (Monday...).
    """
    groups, out = flow_values(cube, assignments, assumptions, coverage=coverage, by=by)
    by = tuple(by)
    n_groups = len(groups)
    frame = pd.DataFrame(
        out.reshape(n_groups * len(RESPONDERS), len(FLOW_COLUMNS)), columns=list(FLOW_COLUMNS)
    )
    responder_codes = np.tile(np.arange(len(RESPONDERS)), n_groups)
    frame.insert(0, "responder", pd.Categorical.from_codes(responder_codes, categories=RESPONDERS))
    if by:
        repeat = np.repeat(np.arange(n_groups), len(RESPONDERS))
        for position, (key, values) in enumerate(_labels(cube, by, groups).items()):
            column = values.take(repeat) if isinstance(values, pd.Categorical) else values[repeat]
            frame.insert(position, key, column)
    return frame


def totals_values(values: np.ndarray) -> dict[str, np.ndarray]:
    """:func:`totals` over the arrays :func:`flow_values` returns (groups x RESPONDERS x
    FLOW_COLUMNS), for callers that keep to arrays: one array per column, one value a group."""
    stage = {column: values[:, :, i] for i, column in enumerate(FLOW_COLUMNS)}
    police, co = RESPONDERS.index("police"), RESPONDERS.index("co_response")
    alternatives = [i for i in range(len(RESPONDERS)) if i not in (police, co)]
    return {
        "calls": stage["eligible"][:, police],
        "officer_hours": stage["eligible_hours"][:, police],
        "police_calls": stage["handled"][:, police],
        "police_hours": stage["handled_hours"][:, police],
        "co_response_calls": stage["handled"][:, co],
        "co_response_hours": stage["handled_hours"][:, co],
        "without_police_calls": stage["without_police"][:, alternatives].sum(axis=1),
        "freed_hours": stage["without_police_hours"][:, alternatives].sum(axis=1),
    }


def totals(frame: pd.DataFrame, by: Sequence[str] = ()) -> pd.DataFrame:
    """Per group of a :func:`flow` result: all calls and officer hours, and how they split
    between police alone, co-response and handled without police (the officer hours freed)."""
    by = list(by)
    n = len(RESPONDERS)
    if len(frame) % n or list(frame["responder"].iloc[:n].astype(str)) != list(RESPONDERS):
        raise KitError("totals() needs the frame flow() returned, unchanged.")
    values = frame[list(FLOW_COLUMNS)].to_numpy(dtype=np.float64).reshape(-1, n, len(FLOW_COLUMNS))
    result = pd.DataFrame(totals_values(values))
    hours = result["officer_hours"].to_numpy()
    freed = result["freed_hours"].to_numpy()
    result["freed_share"] = np.divide(freed, hours, out=np.zeros_like(freed), where=hours > 0)
    for position, key in enumerate(by):
        result.insert(position, key, frame[key].iloc[::n].to_numpy())
    return result
