"""The pilot's panel: calls of the pilot's types per area and week, aggregated once.

Every estimate and every simulation of step 04 works on this panel (areas x weeks, a
few thousand cells), never on call rows. Three metrics, each kept as sums so that cells
add up and a simulated effect can be injected into them:

- ``calls``: police-handled calls of the pilot's call types;
- ``response_minutes`` and ``responses``: minutes from the call to the first arrival,
  summed over the public's calls that have both times, and how many there are (their
  ratio is the mean response time; the export may have no arrival times at all);
- ``repeat_calls``: calls of these types to a block that had one in the 28 days before.

A call counts as police-handled when the export shows a unit sent to it (``units`` of 1
or more, or a dispatch time); where the export says neither, every call does. Calls
answered by a new responder are told apart in the CAD data by a unit count of 0 or a
call type of their own (docs/pilot.md).
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from typing import Final

import numpy as np
import pandas as pd

from kit.errors import KitError
from kit.roles import DECISION_NAME as ROLES_DECISION
from kit.roles.assignments import check_document
from kit.workspace import Workspace

METRICS: Final[dict[str, str]] = {
    "calls": "police-handled calls of the pilot's call types",
    "response_time": "mean minutes from the call to the first arrival",
    "repeat_calls": "calls to a block that had one of these calls in the 28 days before",
}
REPEAT_DAYS: Final = 28
# Shifts for randomisation by shift: a common three-watch pattern.
SHIFTS: Final = ("day (07-15)", "evening (15-23)", "night (23-07)")
OFF_POLICE: Final = ("crisis_team", "cso", "online", "other_agency", "no_dispatch")
PANEL_COLUMNS: Final = ("calls", "response_minutes", "responses", "repeat_calls")


def _key(text: object) -> str:
    return " ".join(str(text).upper().split())


def resolve_types(calls: pd.DataFrame, names: Sequence[str]) -> list[str]:
    """The call-type codes meant by ``names``, each a code or a description.

    Real types contain commas, so each name is one whole type; case and spacing are ignored.
    """
    codes = calls["call_type"].astype("string")
    descs = (
        calls["call_type_desc"].astype("string")
        if "call_type_desc" in calls
        else pd.Series(pd.NA, index=calls.index, dtype="string")
    )
    pairs = pd.DataFrame({"code": codes, "desc": descs}).dropna(subset=["code"]).drop_duplicates()
    by_name: dict[str, set[str]] = {}
    for code, desc in pairs.itertuples(index=False):
        by_name.setdefault(_key(code), set()).add(str(code))
        if not pd.isna(desc):
            by_name.setdefault(_key(desc), set()).add(str(code))
    found: list[str] = []
    for name in names:
        match = by_name.get(_key(name))
        if match is None:
            near = difflib.get_close_matches(_key(name), list(by_name), n=3)
            hint = f" Did you mean {' or '.join(near)}?" if near else ""
            raise KitError(f"No call type {name!r} in the calls (by code or description).{hint}")
        found += sorted(match - set(found))
    if not found:
        raise KitError("Name at least one call type for the pilot.")
    return found


def default_types(workspace: Workspace) -> list[str]:
    """The call types step 02's saved plan moves off police (some share to a non-police team)."""
    decision = workspace.decisions.latest(ROLES_DECISION)
    if decision is None:
        return []
    plan = check_document(decision.document)["assignments"]
    return sorted(t for t, split in plan.items() if any(split.get(r, 0) > 0 for r in OFF_POLICE))


def police_handled(calls: pd.DataFrame) -> pd.Series:
    """True for a call a police unit was sent to, as far as the export tells."""
    sent = pd.Series(False, index=calls.index)
    told = False
    if "units" in calls and calls["units"].notna().any():
        sent |= calls["units"].fillna(0).to_numpy() > 0
        told = True
    if "dispatched_at" in calls and calls["dispatched_at"].notna().any():
        sent |= calls["dispatched_at"].notna()
        told = True
    return sent if told else pd.Series(True, index=calls.index)


def _weeks(received: pd.Series) -> pd.Series:
    """The Monday starting each call's local week (no time zone: a calendar week)."""
    local = received.dt.tz_localize(None) if received.dt.tz is not None else received
    return local.dt.normalize() - pd.to_timedelta(local.dt.day_of_week, unit="D")


def shift_names(received: pd.Series) -> np.ndarray:
    """Each call's shift of the day (:data:`SHIFTS`) from the hour it was received."""
    hour = received.dt.hour.to_numpy()
    day, evening, night = SHIFTS
    return np.select([(hour >= 7) & (hour < 15), (hour >= 15) & (hour < 23)], [day, evening], night)


def _repeats(rows: pd.DataFrame) -> np.ndarray:
    """True for a call whose block had a call of these types in the REPEAT_DAYS before."""
    if "block" not in rows or rows["block"].isna().all():
        return np.zeros(len(rows), dtype=bool)
    ordered = rows[["block", "received_at"]].dropna().sort_values(["block", "received_at"])
    gap = ordered.groupby("block", observed=True)["received_at"].diff()
    repeat = pd.Series(False, index=rows.index)
    repeat.loc[ordered.index] = (gap <= pd.Timedelta(days=REPEAT_DAYS)).to_numpy()
    return repeat.to_numpy()


def _response_minutes(rows: pd.DataFrame) -> pd.Series:
    """Minutes to first arrival for the public's calls with both times; NaN otherwise."""
    if "arrived_at" not in rows:
        return pd.Series(np.nan, index=rows.index)
    minutes = (rows["arrived_at"] - rows["received_at"]).dt.total_seconds() / 60
    public = rows["initiated_by"] != "officer" if "initiated_by" in rows else True
    return minutes.where(public & (minutes >= 0))


def full_weeks(received: pd.Series) -> pd.DatetimeIndex:
    """The weeks the calls cover from Monday to Sunday (a partial first or last week is out)."""
    days = _weeks(pd.Series([received.min(), received.max()]))
    first = received.min()
    local_first = first.tz_localize(None) if first.tzinfo is not None else first
    start = days.iloc[0] + pd.Timedelta(days=0 if local_first.day_of_week == 0 else 7)
    last = received.max()
    local_last = last.tz_localize(None) if last.tzinfo is not None else last
    end = days.iloc[1] - pd.Timedelta(days=0 if local_last.day_of_week == 6 else 7)
    return pd.date_range(start, end, freq="7D")


def calls_panel(
    calls: pd.DataFrame, call_types: Sequence[str], *, by_shift: bool = False
) -> pd.DataFrame:
    """Area x week (x shift) sums of every metric for the chosen call types; zeros included.

    ``call_types`` are codes or descriptions (:func:`resolve_types`). Areas are every area
    in the calls, so areas where these types are rare still serve as comparisons.
    """
    if calls.empty:
        raise KitError(
            "This workspace holds no calls yet. Import a calls-for-service export first "
            "(step 00, or `kit import calls`)."
        )
    codes = resolve_types(calls, call_types)
    weeks = full_weeks(calls["received_at"])
    if len(weeks) < 2:
        raise KitError("The calls cover less than two full weeks: import a longer history.")
    areas = sorted(calls["area"].dropna().astype(str).unique())
    if not areas:
        raise KitError("The calls have no areas: map the export's district or beat column.")
    chosen = calls[calls["call_type"].astype("string").isin(codes) & calls["area"].notna()]
    rows = chosen[police_handled(chosen).to_numpy()]
    minutes = _response_minutes(rows)
    frame = pd.DataFrame(
        {
            "area": rows["area"].astype(str).to_numpy(),
            "week": _weeks(rows["received_at"]).to_numpy(),
            "calls": 1.0,
            "response_minutes": minutes.fillna(0.0).to_numpy(),
            "responses": minutes.notna().to_numpy(dtype=float),
            "repeat_calls": _repeats(rows).astype(float),
        }
    )
    keys = ["area", "week"]
    levels = [areas, weeks]
    if by_shift:
        frame["shift"] = shift_names(rows["received_at"])
        keys.append("shift")
        levels.append(list(SHIFTS))
    index = pd.MultiIndex.from_product(levels, names=keys)
    summed = frame.groupby(keys, observed=True)[list(PANEL_COLUMNS)].sum()
    return summed.reindex(index, fill_value=0.0).reset_index()


def workspace_panel(
    workspace: Workspace, call_types: Sequence[str] | None = None, *, by_shift: bool = False
) -> pd.DataFrame:
    """The panel of a workspace's calls; the types default to those step 02 moves off police."""
    types = list(call_types or default_types(workspace))
    if not types:
        raise KitError(
            "Name the pilot's call types, or save a plan in step 02 that moves some off police."
        )
    columns = [
        c
        for c in (
            "call_type",
            "call_type_desc",
            "area",
            "block",
            "received_at",
            "dispatched_at",
            "arrived_at",
            "units",
            "initiated_by",
        )
        if c in workspace.columns("calls")
    ]
    return calls_panel(workspace.read_table("calls", columns), types, by_shift=by_shift)
