"""The pilot's panel: the chosen types, police-handled, per area and full week, every metric."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from kit.errors import KitError
from kit.pilot.panel import SHIFTS, calls_panel, default_types, resolve_types
from kit.roles import DECISION_NAME as ROLES_DECISION
from kit.workspace import Workspace

TZ = "America/Chicago"


def calls() -> pd.DataFrame:
    """Calls from Wednesday 2024-01-03 to Wednesday 2024-01-24: two full weeks in between."""
    rows = [
        # (received, type, desc, area, block, units, minutes to arrival, initiated_by)
        ("2024-01-03 10:00", "WELCHK", "CHECK WELFARE", "North", "1XX MAIN", 1, 5, "911"),
        ("2024-01-08 08:00", "WELCHK", "CHECK WELFARE", "North", "1XX MAIN", 1, 10, "911"),
        ("2024-01-09 16:00", "WELCHK", "CHECK WELFARE", "North", "1XX MAIN", 1, 20, "911"),
        ("2024-01-10 02:00", "MNTL", "MENTAL SUBJ - CRISIS", "South", "2XX OAK", 1, None, "911"),
        ("2024-01-11 12:00", "MNTL", "MENTAL SUBJ - CRISIS", "South", "2XX OAK", 0, None, "911"),
        ("2024-01-16 12:00", "TSTOP", "TRAFFIC STOP", "South", "3XX ELM", 1, 0, "officer"),
        ("2024-01-17 12:00", "WELCHK", "CHECK WELFARE", "South", "9XX PINE", 2, 8, "officer"),
        ("2024-01-24 12:00", "WELCHK", "CHECK WELFARE", "North", "1XX MAIN", 1, 5, "911"),
    ]
    frame = pd.DataFrame(
        rows,
        columns=["t", "call_type", "call_type_desc", "area", "block", "units", "m", "initiated_by"],
    )
    received = pd.to_datetime(frame.pop("t")).dt.tz_localize(TZ)
    frame["received_at"] = received
    frame["arrived_at"] = received + pd.to_timedelta(frame.pop("m"), unit="min")
    return frame


def test_types_are_named_by_code_or_description() -> None:
    """Codes and descriptions, any case and spacing, give the codes."""
    assert resolve_types(calls(), ["welchk", "Mental  subj - crisis"]) == ["WELCHK", "MNTL"]


def test_an_unknown_type_is_refused_with_a_suggestion() -> None:
    """A near miss is named in the refusal."""
    with pytest.raises(KitError, match=r"No call type 'WELCHEK'.*Did you mean WELCHK"):
        resolve_types(calls(), ["WELCHEK"])


def test_panel_counts_police_handled_calls_per_area_and_full_week() -> None:
    """Partial weeks are left out; a call no unit went to is not police-handled; zeros kept."""
    panel = calls_panel(calls(), ["WELCHK", "MNTL"])
    weeks = [pd.Timestamp("2024-01-08"), pd.Timestamp("2024-01-15")]
    assert sorted(panel["week"].unique()) == weeks
    assert len(panel) == 4  # two areas (every area in the calls) x two weeks
    by = panel.set_index(["area", "week"])
    assert by.loc[("North", pd.Timestamp("2024-01-08")), "calls"] == 2
    assert by.loc[("South", pd.Timestamp("2024-01-08")), "calls"] == 1  # units 0 left out
    assert by.loc[("North", pd.Timestamp("2024-01-15")), "calls"] == 0
    assert by.loc[("South", pd.Timestamp("2024-01-15")), "calls"] == 1


def test_response_time_is_summed_over_the_publics_calls_with_both_times() -> None:
    """Officer-initiated calls and calls without an arrival give no response time."""
    by = calls_panel(calls(), ["WELCHK", "MNTL"]).set_index(["area", "week"])
    north = by.loc[("North", pd.Timestamp("2024-01-08"))]
    assert (north["response_minutes"], north["responses"]) == (30, 2)
    south = by.loc[("South", pd.Timestamp("2024-01-15"))]
    assert south["responses"] == 0


def test_repeat_calls_are_calls_to_a_block_with_one_in_the_28_days_before() -> None:
    """1XX MAIN had calls on the 3rd, 8th and 9th: the 8th and the 9th are repeats."""
    by = calls_panel(calls(), ["WELCHK"]).set_index(["area", "week"])
    assert by.loc[("North", pd.Timestamp("2024-01-08")), "repeat_calls"] == 2
    assert by.loc[("South", pd.Timestamp("2024-01-15")), "repeat_calls"] == 0


def test_panel_by_shift_splits_the_day_in_three_watches() -> None:
    """A call at 16:00 is the evening's, at 02:00 the night's."""
    panel = calls_panel(calls(), ["WELCHK", "MNTL"], by_shift=True)
    assert set(panel["shift"]) == set(SHIFTS)
    week = panel[panel["week"] == pd.Timestamp("2024-01-08")].set_index(["area", "shift"])
    assert week.loc[("North", "evening (15-23)"), "calls"] == 1
    assert week.loc[("North", "day (07-15)"), "calls"] == 1
    assert week.loc[("South", "night (23-07)"), "calls"] == 1
    assert panel["calls"].sum() == calls_panel(calls(), ["WELCHK", "MNTL"])["calls"].sum()


def test_too_little_history_is_refused() -> None:
    """Less than two full weeks cannot make a panel."""
    short = calls().iloc[:3]
    with pytest.raises(KitError, match="less than two full weeks"):
        calls_panel(short, ["WELCHK"])


def test_default_types_are_those_step_02_moves_off_police(tmp_path: Path) -> None:
    """Types with a share for a non-police responder; co-response keeps police there."""
    ws = Workspace.create(tmp_path / "ws")
    assert default_types(ws) == []
    plan = {
        "assignments": {
            "WELCHK": {"crisis_team": 0.5},
            "MNTL": {"co_response": 1.0},
            "PKGCMP": {"cso": 1.0},
        }
    }
    ws.decisions.save(ROLES_DECISION, plan, base_version=None, step="02")
    assert default_types(ws) == ["PKGCMP", "WELCHK"]
    with pytest.raises(KitError, match="holds no calls yet"):
        calls_panel(calls().iloc[:0], ["WELCHK"])
