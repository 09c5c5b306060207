"""Importing exports into a workspace: layouts, appending, overrides, the report and the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest
from corpus import exports as ex

from kit.cli import main
from kit.data.calls import import_calls, preview
from kit.data.schema import CALL_COLUMNS, arrow_schema
from kit.errors import KitError
from kit.workspace import Workspace

TZ = "America/Chicago"


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    return Workspace.create(tmp_path / "ws", timezone=TZ)


def test_import_writes_canonical_calls_and_report(ws: Workspace, tmp_path: Path) -> None:
    path = ex.write_csv(ex.nola(50), tmp_path / "nola.csv")
    progress: list[tuple[float, str]] = []
    report = import_calls(ws, [path], progress=lambda f, m: progress.append((f, m)))
    assert progress[-1] == (1.0, "Done")
    stored = pq.read_schema(ws.path / "data" / "calls.parquet")
    assert stored.remove_metadata() == arrow_schema(TZ)
    calls = ws.calls()
    assert list(calls.columns) == list(CALL_COLUMNS)
    assert len(calls) == report.calls_held == 50
    assert str(calls["received_at"].dt.tz) == TZ
    assert calls["unit_hours"].eq(1.0).all()
    assert set(calls["initiated_by"]) <= {"911", "officer"}
    saved = ws.read_json("import_report")
    assert saved == json.loads(json.dumps(report.to_dict()))
    assert saved["files"][0]["layout"] == "per_call"
    assert saved["files"][0]["time_formats"]["received_at"] == ["%m/%d/%Y %I:%M:%S %p"]


@pytest.mark.parametrize(
    ("make", "calls"),
    [
        (lambda: ex.per_unit(40), 40),
        (lambda: ex.seattle_legacy(30), 30),
        (lambda: ex.detroit(30), 30),
        (lambda: ex.baltimore(20), 20),
    ],
)
def test_other_city_layouts_import(make, calls: int, ws: Workspace, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    report = import_calls(ws, [ex.write_csv(make(), tmp_path / "export.csv")])
    assert report.calls_held == calls
    assert ws.calls()["call_type"].notna().all()


def test_baltimore_epoch_milliseconds_are_utc(ws: Workspace, tmp_path: Path) -> None:
    frame = ex.baltimore(3)
    frame["callDateTime"] = ["1720205100000", "1720205100000", "1720205160000"]
    frame["callNumber"] = ["a", "b", "c"]
    import_calls(ws, [ex.write_csv(frame, tmp_path / "balt.csv")])
    assert str(ws.calls()["received_at"].iloc[0]) == "2024-07-05 13:45:00-05:00"


def test_replace_and_append_without_counting_calls_twice(ws: Workspace, tmp_path: Path) -> None:
    year1 = ex.write_csv(ex.nola(30, seed=1), tmp_path / "2023.csv")
    year2 = ex.write_csv(ex.nola(20, seed=2), tmp_path / "2024.csv")
    import_calls(ws, [year1])
    report = import_calls(ws, [year2, year1], append=True)
    assert report.calls_held == 50
    assert report.calls_added == 20
    assert report.problems["already_held"].count == 30
    assert report.rows_read == report.calls_added + report.rows_left_out
    assert ws.calls()["call_id"].is_unique
    assert import_calls(ws, [year2]).calls_held == 20  # without --append: replaced


def test_the_same_call_in_two_files_of_one_import_is_kept_once(
    ws: Workspace, tmp_path: Path
) -> None:
    first = ex.write_csv(ex.nola(10), tmp_path / "a.csv")
    overlap = ex.write_csv(ex.nola(10).iloc[5:], tmp_path / "b.csv")
    report = import_calls(ws, [first, overlap])
    assert report.calls_held == 10
    assert report.problems["repeated_call_id"].count == 5
    assert report.files[1]["problems"]["repeated_call_id"]["count"] == 5


def test_user_mapping_overrides_the_match(ws: Workspace, tmp_path: Path) -> None:
    path = ex.write_csv(ex.nola(10), tmp_path / "nola.csv")
    assert preview(path).mapping["area"] == "District"
    report = import_calls(ws, [path], mapping={"area": "Priority", "block": ""})
    calls = ws.calls()
    assert set(calls["area"]) <= {"1A", "2B", "3C"}
    assert calls["block"].isna().all()
    assert report.mapping["area"] == "Priority"
    assert report.dropped_columns["District"] == "not used"


def test_preview_is_ready_for_dropdowns(tmp_path: Path) -> None:
    shown = preview(ex.write_csv(ex.per_unit(10), tmp_path / "unit.csv"), rows=5)
    assert len(shown.rows) == 5
    assert shown.options()[0] == "" and "UNIT_ID" in shown.options()
    assert shown.mapping["unit_id"] == "UNIT_ID"
    assert (shown.format, shown.encoding, shown.delimiter_name) == ("csv", "utf-8", "comma")


def test_missing_file_is_a_plain_error(ws: Workspace, tmp_path: Path) -> None:
    with pytest.raises(KitError, match="no such file"):
        import_calls(ws, [tmp_path / "nope.csv"])


def test_cli_import_prints_a_summary(
    ws: Workspace, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    frame = ex.nola(12).assign(CallerName="Someone")
    frame.loc[0, "DispositionText"] = "DUPLICATE"
    path = ex.write_csv(frame, tmp_path / "nola.csv")
    mapping = tmp_path / "map.json"
    mapping.write_text(json.dumps({"area": "Priority"}))
    code = main(
        ["import", "calls", str(ws.path), str(path), "--mapping", str(mapping), "--map", "block="]
    )
    out = capsys.readouterr().out
    assert code == 0
    assert "Calls held: 11" in out
    assert "test_void_duplicate: 1" in out
    assert "CallerName (personal data: a name)" in out
    assert set(ws.calls()["area"]) <= {"1A", "2B", "3C"}


def test_cli_bad_input_exits_2_with_a_short_message(
    ws: Workspace, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page = tmp_path / "calls.csv"
    page.write_text("<html><body>Service unavailable</body></html>")
    assert main(["import", "calls", str(ws.path), str(page)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("kit: calls.csv: this is a web page") and "Traceback" not in err
    assert main(["import", "calls", str(ws.path), str(page), "--map", "nonsense"]) == 2
    assert "CANONICAL=SOURCE" in capsys.readouterr().err
    assert pd.DataFrame(ws.calls()).empty


def test_an_appending_import_keeps_the_problems_of_earlier_files(
    ws: Workspace, tmp_path: Path
) -> None:
    """kit info reads one report for all calls: an added year must not hide earlier problems."""
    year1 = ex.nola(30, seed=1)
    year1.loc[0, "Location"] = "POINT (0 0)"
    year1 = pd.concat([year1, year1.iloc[[3]]], ignore_index=True)  # one exact duplicate row
    import_calls(ws, [ex.write_csv(year1, tmp_path / "2023.csv")])
    first = ws.read_json("import_report")["problems"]
    import_calls(ws, [ex.write_csv(ex.nola(20, seed=2), tmp_path / "2024.csv")], append=True)
    saved = ws.read_json("import_report")
    for kind, problem in first.items():
        assert saved["problems"][kind]["count"] >= problem["count"], kind
    assert [f["name"] for f in saved["files"]] == ["2023.csv", "2024.csv"]
    assert saved["rows_read"] == 31 + 20
    info = ws.summary()["calls"]["problems"]
    assert info["exact_duplicate"] == first["exact_duplicate"]["count"]
