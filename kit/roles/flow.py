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
from typing import Final

import numpy as np
import pandas as pd

from kit.errors import KitError
from kit.roles.assignments import (
    ALTERNATIVES,
    RESPONDERS,
    check_assignments,
    check_assumptions,
    check_coverage,
)
from kit.roles.cube import HOURS_OF_WEEK, WEEKDAYS, Cube
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


def coverage_mask(coverage: Mapping[str, Iterable[int] | None] | None) -> np.ndarray:
    """Covered hours (alternative responders x 168) as 0/1; a responder not named is 24/7."""
    mask = np.ones((len(ALTERNATIVES), HOURS_OF_WEEK), dtype=np.float64)
    for responder, hours in check_coverage(coverage).items():
        if responder == "police" or hours is None:
            continue
        row = ALTERNATIVES.index(responder)
        mask[row, :] = 0.0
        mask[row, list(hours)] = 1.0
    return mask


def _grouping(
    cube: Cube, by: tuple[str, ...]
) -> tuple[dict[str, np.ndarray], np.ndarray, np.ndarray]:
    """Base arrays at the finest level ``by`` needs, the groups and each base cell's group.

    Computed once per cube and breakdown, then reused: the sliders of step 02 and step 03
    call :func:`flow` many times with the same breakdown.
    """
    cached = cube.cache.get(("grouping", by))
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
    result = ({"t": t, "how": how, "calls": calls, "hours": hours}, groups, inverse)
    cube.cache[("grouping", by)] = result
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
    shares = share_matrix(cube, plan)
    covered = coverage_mask(coverage)

    base, groups, inverse = _grouping(cube, by)
    n_groups = len(groups)
    t, how, calls, hours = base["t"], base["how"], base["calls"], base["hours"]

    def total(values: np.ndarray) -> np.ndarray:
        return np.bincount(inverse, weights=values, minlength=n_groups)

    all_calls, all_hours = total(calls), total(hours)
    out = np.zeros((n_groups, len(RESPONDERS), len(FLOW_COLUMNS)), dtype=np.float64)
    not_with_police_calls = np.zeros(n_groups)
    not_with_police_hours = np.zeros(n_groups)
    routed_away_calls = np.zeros(n_groups)
    routed_away_hours = np.zeros(n_groups)
    for j, responder in enumerate(ALTERNATIVES):
        share = shares[t, j]
        active = share > 0
        if not active.any():
            continue
        a = assumed[responder]
        kept = 1.0 - a["screening"]
        take_up = a["take_up"]
        stay_away = 0.0 if responder == "co_response" else 1.0 - a["back_up"]
        cover = covered[j, how[active]]
        sel = inverse[active]
        c, h, s = calls[active], hours[active], share[active]

        def add(values: np.ndarray, sel: np.ndarray = sel) -> np.ndarray:
            return np.bincount(sel, weights=values, minlength=n_groups)

        factors = {
            "eligible": np.full(len(s), kept),
            "routed": kept * s,
            "handled": kept * s * take_up * cover,
            "without_police": kept * s * take_up * cover * stay_away,
            "outside_coverage": kept * s * (1.0 - cover),
        }
        row = RESPONDERS.index(responder)
        for stage, factor in factors.items():
            out[:, row, FLOW_COLUMNS.index(stage)] = add(c * factor)
            out[:, row, FLOW_COLUMNS.index(f"{stage}_hours")] = add(h * factor)
        routed_away_calls += out[:, row, FLOW_COLUMNS.index("routed")]
        routed_away_hours += out[:, row, FLOW_COLUMNS.index("routed_hours")]
        column = "handled" if responder == "co_response" else "without_police"
        not_with_police_calls += out[:, row, FLOW_COLUMNS.index(column)]
        not_with_police_hours += out[:, row, FLOW_COLUMNS.index(f"{column}_hours")]

    police = RESPONDERS.index("police")
    out[:, police, FLOW_COLUMNS.index("eligible")] = all_calls
    out[:, police, FLOW_COLUMNS.index("eligible_hours")] = all_hours
    out[:, police, FLOW_COLUMNS.index("routed")] = all_calls - routed_away_calls
    out[:, police, FLOW_COLUMNS.index("routed_hours")] = all_hours - routed_away_hours
    out[:, police, FLOW_COLUMNS.index("handled")] = all_calls - not_with_police_calls
    out[:, police, FLOW_COLUMNS.index("handled_hours")] = all_hours - not_with_police_hours

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


def totals(frame: pd.DataFrame, by: Sequence[str] = ()) -> pd.DataFrame:
    """Per group of a :func:`flow` result: all calls and officer hours, and how they split
    between police alone, co-response and handled without police (the officer hours freed)."""
    by = list(by)
    n = len(RESPONDERS)
    if len(frame) % n or list(frame["responder"].iloc[:n].astype(str)) != list(RESPONDERS):
        raise KitError("totals() needs the frame flow() returned, unchanged.")
    values = {c: frame[c].to_numpy(dtype=np.float64).reshape(-1, n) for c in FLOW_COLUMNS}
    police, co = RESPONDERS.index("police"), RESPONDERS.index("co_response")
    alternatives = [i for i in range(n) if i not in (police, co)]
    result = pd.DataFrame(
        {
            "calls": values["eligible"][:, police],
            "officer_hours": values["eligible_hours"][:, police],
            "police_calls": values["handled"][:, police],
            "police_hours": values["handled_hours"][:, police],
            "co_response_calls": values["handled"][:, co],
            "co_response_hours": values["handled_hours"][:, co],
            "without_police_calls": values["without_police"][:, alternatives].sum(axis=1),
            "freed_hours": values["without_police_hours"][:, alternatives].sum(axis=1),
        }
    )
    hours = result["officer_hours"].to_numpy()
    freed = result["freed_hours"].to_numpy()
    result["freed_share"] = np.divide(freed, hours, out=np.zeros_like(freed), where=hours > 0)
    for position, key in enumerate(by):
        result.insert(position, key, frame[key].iloc[::n].to_numpy())
    return result
