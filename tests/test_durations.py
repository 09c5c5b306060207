"""Calls exported without durations: officer hours estimated from minutes per family."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kit.cli import main
from kit.errors import KitError
from kit.roles import DECISION_NAME, build_cube, new_document
from kit.roles.charter import build_charter
from kit.roles.durations import check_minutes, default_minutes, default_units
from kit.roles.inventory import family_inventory, inventory, to_records
from kit.taxonomy import FAMILIES

TZ = "America/Chicago"
MONDAY = pd.Timestamp("2024-01-01 00:00", tz=TZ)


def received_only(counts: dict[str, int]) -> pd.DataFrame:
    """An export with only a call type and a received time (no durations, no units)."""
    names = {"BURG": "BURGLARY", "ALRM": "ALARM", "DIST": "DISTURBANCE"}
    rows = [(t, names[t]) for t, n in counts.items() for _ in range(n)]
    frame = pd.DataFrame(rows, columns=["call_type", "call_type_desc"])
    frame["received_at"] = MONDAY + pd.to_timedelta(range(len(frame)), unit="h")
    return frame


def families_of(frame: pd.DataFrame) -> dict[str, str]:
    return dict(zip(frame["call_type"], frame["family"], strict=True))


def test_defaults_cover_every_family_and_cite_a_source() -> None:
    """Every family has published minutes and units, each row citing its report and table."""
    assert set(default_minutes()) == set(FAMILIES) == set(default_units())
    assert all(0 < m < 120 for m in default_minutes().values())
    from kit.resources import template

    sources = pd.read_csv(template("roles", "minutes_per_call.csv"))["source"]
    assert sources.str.contains("CPSM").all() and sources.str.contains("Table 3-1").all()


@settings(max_examples=25, deadline=None)
@given(
    counts=st.fixed_dictionaries(
        {"BURG": st.integers(1, 30), "ALRM": st.integers(1, 30), "DIST": st.integers(1, 30)}
    ),
    minutes=st.floats(1, 600),
)
def test_estimated_hours_are_calls_times_minutes_times_units(
    counts: dict[str, int], minutes: float
) -> None:
    """Each family's officer hours = calls x minutes / 60 x units sent (published default)."""
    calls = received_only(counts)
    table = family_inventory(calls, minutes_per_call={"alarm": minutes}).set_index("family")
    chosen = check_minutes({"alarm": minutes})
    for family, row in table.iterrows():
        expected = row["calls"] * chosen[family] / 60 * default_units()[family]
        assert row["officer_hours"] == pytest.approx(expected)
        assert row["hours_estimated"]
    cube = build_cube(calls, minutes_per_call={"alarm": minutes})
    assert cube.hours_estimated and cube.units_estimated
    assert cube.total_hours == pytest.approx(table["officer_hours"].sum())


def test_changing_the_minutes_changes_the_hours() -> None:
    """Doubling a family's minutes doubles its hours and leaves the others alone."""
    calls = received_only({"BURG": 10, "ALRM": 10})
    families = families_of(inventory(calls))
    alarm = next(f for t, f in families.items() if t == "ALRM")
    base = family_inventory(calls).set_index("family")["officer_hours"]
    doubled = family_inventory(
        calls, minutes_per_call={alarm: 2 * default_minutes()[alarm]}
    ).set_index("family")["officer_hours"]
    assert doubled[alarm] == pytest.approx(2 * base[alarm])
    others = [f for f in base.index if f != alarm]
    assert doubled[others].tolist() == pytest.approx(base[others].tolist())
    assert base.sum() > 0


def test_recorded_durations_are_not_estimated() -> None:
    """An export with durations keeps its own hours, and the flag says so."""
    calls = received_only({"BURG": 4}).assign(unit_hours=0.5, units=1)
    cube = build_cube(calls, minutes_per_call={"property": 500})
    assert not cube.hours_estimated and not cube.units_estimated
    assert cube.total_hours == pytest.approx(2.0)
    assert not any(r["hours_estimated"] for r in to_records(inventory(calls)))


def test_a_unit_count_in_the_export_is_used() -> None:
    """Units recorded in the export multiply the minutes; only hours are flagged estimated."""
    calls = received_only({"BURG": 3}).assign(units=2)
    cube = build_cube(calls)
    family = cube.types["family"].iloc[0]
    assert cube.hours_estimated and not cube.units_estimated
    assert cube.total_hours == pytest.approx(3 * default_minutes()[family] / 60 * 2)


@pytest.mark.parametrize(
    ("minutes", "match"),
    [
        ({"nonsense": 10}, "is not a family"),
        ({"alarm": 0}, "above 0 and at most 1,440"),
        ({"alarm": True}, "above 0 and at most 1,440"),
        ([10], "given per family"),
    ],
)
def test_bad_minutes_are_refused_in_plain_words(minutes: object, match: str) -> None:
    with pytest.raises(KitError, match=match):
        check_minutes(minutes)  # type: ignore[arg-type]


def test_the_minutes_are_saved_with_the_plan() -> None:
    """Step 02's plan keeps the minutes a person changed, checked."""
    from kit.roles import check_document

    doc = check_document({**new_document(), "minutes_per_call": {"alarm": 20}})
    assert doc["minutes_per_call"] == {"alarm": 20.0}
    with pytest.raises(KitError, match="is not a family"):
        check_document({**new_document(), "minutes_per_call": {"nope": 20}})


@pytest.fixture
def workspace(tmp_path: Path):
    from kit.workspace import Workspace

    ws = Workspace.create(tmp_path / "ws", name="Test", timezone=TZ)
    ws.write_data({"calls": received_only({"BURG": 5, "ALRM": 5, "DIST": 5})})
    return ws


def test_every_json_flags_estimated_hours(workspace, capsys: pytest.CaptureFixture[str]) -> None:
    """`kit inventory --json`, `kit charter --format json` and `kit funding --json` say the
    hours are estimated, and use the minutes saved with step 02's plan."""
    assert main(["inventory", str(workspace.path), "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows and all(r["hours_estimated"] is True for r in rows)
    before = sum(r["officer_hours"] for r in rows)

    doc = new_document()
    doc["minutes_per_call"] = {f: 2 * m for f, m in default_minutes().items()}
    workspace.decisions.save(DECISION_NAME, doc, base_version=None, step="02")
    assert main(["inventory", str(workspace.path), "--json"]) == 0
    after = sum(r["officer_hours"] for r in json.loads(capsys.readouterr().out))
    assert after == pytest.approx(2 * before, rel=1e-3)

    assert main(["charter", str(workspace.path), "--format", "json"]) == 0
    totals = json.loads(capsys.readouterr().out)["totals"]
    assert totals["hours_estimated"] is True and totals["units_estimated"] is True
    assert totals["officer_hours_per_year"] > 0

    assert main(["funding", str(workspace.path), "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["hours_estimated"] is True


def test_the_charter_flags_estimated_hours() -> None:
    charter = build_charter(build_cube(received_only({"BURG": 2})), new_document())
    assert charter["totals"]["hours_estimated"] is True
