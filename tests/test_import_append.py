"""Appending calls to the history (``kit import calls --append``): duplicates, matching
columns, the span in the report, and a refused append leaving the workspace as it was."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from corpus import exports as ex
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kit.cli import main
from kit.data.calls import import_calls
from kit.errors import KitError
from kit.workspace import Workspace

NO_IDS = {"call_id": ""}


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    return Workspace.create(tmp_path / "ws", timezone="America/Chicago")


def _later(frame: pd.DataFrame, days: int) -> pd.DataFrame:
    """The same export moved ``days`` later, with its own call numbers."""
    moved = frame.copy()
    for column in ("TimeCreate", "TimeDispatch", "TimeArrive", "TimeClosed"):
        times = pd.to_datetime(moved[column], format="%m/%d/%Y %I:%M:%S %p")
        moved[column] = ex.us_format(times + pd.Timedelta(days=days)).to_numpy()
    moved["Item_Number"] = "L" + moved["Item_Number"]
    return moved


def test_calls_without_ids_already_held_are_matched_by_time_type_and_block(
    ws: Workspace, tmp_path: Path
) -> None:
    """An export with no call numbers, appended again with new calls, adds only the new ones."""
    history = ex.nola(30, seed=1)
    import_calls(ws, [ex.write_csv(history, tmp_path / "history.csv")], mapping=NO_IDS)
    both = pd.concat([history.iloc[10:], _later(history, 90)], ignore_index=True)
    report = import_calls(
        ws, [ex.write_csv(both, tmp_path / "both.csv")], append=True, mapping=NO_IDS
    )
    assert report.calls_added == 30
    assert report.problems["already_held_same_call"].count == 20
    assert report.calls_held == len(ws.calls()) == 60
    assert "already_held" not in report.problems


def test_calls_without_ids_read_twice_in_one_import_are_kept_once(
    ws: Workspace, tmp_path: Path
) -> None:
    """The no-id match also works between the files of one import."""
    frame = ex.nola(12, seed=3)
    first = ex.write_csv(frame, tmp_path / "a.csv")
    second = ex.write_csv(frame.iloc[4:], tmp_path / "b.csv")
    report = import_calls(ws, [first, second], mapping=NO_IDS)
    assert report.calls_held == 12
    assert report.problems["repeated_call"].count == 8


def test_same_time_and_type_on_another_block_is_another_call(ws: Workspace, tmp_path: Path) -> None:
    """Two calls without ids differ when only their block differs."""
    history = ex.nola(5, seed=4)
    import_calls(ws, [ex.write_csv(history, tmp_path / "h.csv")], mapping=NO_IDS)
    moved = history.assign(BLOCK_ADDRESS="9900 Other Rd")
    report = import_calls(
        ws, [ex.write_csv(moved, tmp_path / "m.csv")], append=True, mapping=NO_IDS
    )
    assert report.calls_added == 5
    assert not report.problems


def test_the_report_says_what_was_added_and_the_new_span(ws: Workspace, tmp_path: Path) -> None:
    """After an append the report gives the days held and the days added, saved and printed."""
    history = ex.nola(20, seed=1)
    import_calls(ws, [ex.write_csv(history, tmp_path / "h.csv")])
    report = import_calls(
        ws, [ex.write_csv(_later(history, 365), tmp_path / "later.csv")], append=True
    )
    received = ws.calls()["received_at"]
    first, last = received.min().date().isoformat(), received.max().date().isoformat()
    assert report.span["held"] == [first, last]
    assert report.span["added"][0] > first and report.span["added"][1] == last
    assert ws.read_json("import_report")["span"] == report.span
    lines = report.summary_lines()
    assert lines[0].startswith("Calls held: 40 (20 added")
    assert lines[1] == (
        f"The calls held run from {first} to {last}; those added from "
        f"{report.span['added'][0]} to {last}."
    )


def test_an_export_missing_a_column_the_history_has_is_refused_and_nothing_changes(
    ws: Workspace, tmp_path: Path
) -> None:
    """Without areas in the new calls no before/after comparison by area could be made."""
    import_calls(ws, [ex.write_csv(ex.nola(20, seed=1), tmp_path / "h.csv")])
    version, report = ws.data_version(), ws.read_json("import_report")
    later = ex.write_csv(_later(ex.nola(20, seed=1), 60), tmp_path / "pilot.csv")
    with pytest.raises(
        KitError,
        match=r"pilot\.csv: the calls held have area \(areas\), but no "
        r"column .* --map area=HEADER\. Nothing was imported\.",
    ):
        import_calls(ws, [later], append=True, mapping={"area": ""})
    assert ws.data_version() == version
    assert ws.read_json("import_report") == report
    assert len(ws.calls()) == 20


def test_an_export_with_a_column_the_history_lacks_is_refused_until_left_out(
    ws: Workspace, tmp_path: Path
) -> None:
    """A column only the new calls fill is refused with the option that leaves it out."""
    import_calls(ws, [ex.write_csv(ex.nola(20, seed=1), tmp_path / "h.csv")], mapping={"block": ""})
    later = ex.write_csv(_later(ex.nola(20, seed=1), 60), tmp_path / "pilot.csv")
    with pytest.raises(KitError, match=r"this export has block \(block addresses\).*--map block="):
        import_calls(ws, [later], append=True)
    assert import_calls(ws, [later], append=True, mapping={"block": ""}).calls_added == 20


def test_cli_append_prints_added_calls_and_span(
    ws: Workspace, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``kit import calls --append`` says how many calls were added and the days now held."""
    history = ex.nola(10, seed=1)
    assert (
        main(["import", "calls", str(ws.path), str(ex.write_csv(history, tmp_path / "h.csv"))]) == 0
    )
    later = ex.write_csv(_later(history, 30), tmp_path / "pilot.csv")
    assert main(["import", "calls", str(ws.path), str(later), "--append"]) == 0
    out = capsys.readouterr().out
    received = ws.calls()["received_at"]
    assert "Calls held: 20 (10 added" in out
    assert f"The calls held run from {received.min().date()} to {received.max().date()}" in out
    assert main(["import", "calls", str(ws.path), str(later), "--append", "--map", "area="]) == 2
    err = capsys.readouterr().err
    assert err.startswith("kit: pilot.csv: the calls held have area") and "Traceback" not in err


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    cut=st.integers(min_value=1, max_value=12),
    overlap=st.integers(min_value=0, max_value=12),
    ids=st.booleans(),
)
def test_appending_in_pieces_holds_the_same_calls_as_one_import(
    tmp_path_factory: pytest.TempPathFactory, cut: int, overlap: int, ids: bool
) -> None:
    """However an export is split into overlapping pieces, appending them holds each call once."""
    folder = tmp_path_factory.mktemp("pieces")
    frame = ex.nola(16, seed=7)
    mapping = {} if ids else NO_IDS
    first = ex.write_csv(frame.iloc[: cut + overlap], folder / "first.csv")
    second = ex.write_csv(frame.iloc[cut:], folder / "second.csv")
    ws = Workspace.create(folder / "ws", timezone="America/Chicago")
    import_calls(ws, [first], mapping=mapping)
    import_calls(ws, [second], append=True, mapping=mapping)
    held = ws.calls().sort_values(["received_at", "block"]).reset_index(drop=True)
    whole = Workspace.create(folder / "whole", timezone="America/Chicago")
    import_calls(whole, [ex.write_csv(frame, folder / "all.csv")], mapping=mapping)
    expected = whole.calls().sort_values(["received_at", "block"]).reset_index(drop=True)
    pd.testing.assert_frame_equal(held, expected)
