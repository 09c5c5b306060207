"""Broken and hostile files: each either stops with a message saying what to do, or imports
with its text kept as data and its problems counted."""

from __future__ import annotations

import gzip
import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
from corpus import exports as ex

from kit.data.calls import import_calls, preview
from kit.errors import KitError
from kit.workspace import Workspace

HOSTILE = "<img src=x onerror=alert(1)>"
FORMULAS = ['=HYPERLINK("http://x","y")', "+cmd|' /C calc'!A0", "@SUM(1+1)", "-2+3"]


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    return Workspace.create(tmp_path / "ws", timezone="America/Chicago")


def _csv_bytes(frame: pd.DataFrame, **kwargs: object) -> bytes:
    return frame.to_csv(index=False, **kwargs).encode("utf-8")  # type: ignore[arg-type]


def _xlsx_bytes(frame: pd.DataFrame) -> bytes:
    buffer = io.BytesIO()
    frame.to_excel(buffer, index=False)
    return buffer.getvalue()


def _zip_of_csv() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("calls.csv", _csv_bytes(ex.nola(5)))
    return buffer.getvalue()


def _broken_quote() -> bytes:
    lines = _csv_bytes(ex.nola(30)).decode().splitlines()
    lines[11] = lines[11].replace(",Necessary", ',"Necessary', 1)
    return ("\n".join(lines) + "\n").encode()


def _ragged() -> bytes:
    return b"a,b,c\n" + b"".join(f"{i},{i},{i},{i},{i}\n".encode() for i in range(30))


# name -> (file bytes, extra import mapping, expected words in the message)
UNUSABLE: dict[str, tuple[Callable[[], bytes], dict[str, str] | None, str]] = {
    "empty": (lambda: b"", None, "the file is empty"),
    "blank_lines": (lambda: b"\r\n  \n\t\n", None, "the file is empty"),
    "header_only": (lambda: b"Item_Number,Type,TimeCreate\n", None, "column names but no rows"),
    "prose": (
        lambda: b"Dear records office\nPlease find attached the calls you asked for.\nThanks\n",
        None,
        "does not look like a table",
    ),
    "html_error_page": (
        lambda: (
            b"<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head>"
            b"<body><h1>502</h1></body></html>"
        ),
        None,
        "web page",
    ),
    "json": (lambda: b'{"error": "rate limited", "rows": []}', None, "JSON document"),
    "json_array": (lambda: b'[{"Item_Number": "A1"}]', None, "JSON document"),
    "zip_of_csv": (_zip_of_csv, None, "zip archive (calls.csv)"),
    "corrupt_xlsx": (
        lambda: _xlsx_bytes(ex.nola(20))[:700],
        None,
        "spreadsheet is damaged",
    ),
    "old_xls": (
        lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600,
        None,
        "old-style Excel",
    ),
    "pdf": (lambda: b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n", None, "PDF document"),
    "gzip": (lambda: gzip.compress(_csv_bytes(ex.nola(5))), None, "compressed"),
    "binary_nuls": (lambda: b"a,b\n" + b"\x00" * 400 + b"1,2\n", None, "binary"),
    "broken_quote": (_broken_quote, None, "opened on line 12 is never closed"),
    "ragged_rows": (_ragged, None, "does not look like a table"),
    "no_time_column": (
        lambda: _csv_bytes(
            ex.nola(10)
            .drop(columns=["TimeCreate"])
            .rename(columns={"TimeDispatch": "Sent", "TimeArrive": "Got", "TimeClosed": "Done"})
        ),
        None,
        "no column looks like the time each call was received",
    ),
    "time_column_not_times": (
        lambda: _csv_bytes(ex.nola(10)),
        {"received_at": "District"},
        "does not hold times",
    ),
    "no_call_type": (
        lambda: _csv_bytes(ex.nola(10).drop(columns=["Type", "TypeText"])),
        None,
        "no column looks like the call type",
    ),
    "call_type_is_source": (
        lambda: _csv_bytes(ex.seattle_legacy(40)),
        {"call_type": "Call Type"},
        "holds how calls came in",
    ),
    "unknown_role": (lambda: _csv_bytes(ex.nola(5)), {"colour": "Type"}, "Unknown column 'colour'"),
    "missing_header": (
        lambda: _csv_bytes(ex.nola(5)),
        {"call_type": "Nature Of Call"},
        "no column 'Nature Of Call'",
    ),
    "no_readable_rows": (
        lambda: _csv_bytes(
            ex.nola(10).assign(
                TimeCreate=["12/31/2024 01:00:00 PM"] * 5 + [None] * 5,
                Type=[None] * 5 + ["x"] * 5,
                TypeText=None,
            )
        ),
        None,
        "No call could be read",
    ),
}


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    """A workspace holding a good import, which no failed import may change."""
    folder = tmp_path_factory.mktemp("loaded")
    ws = Workspace.create(folder / "ws", timezone="America/Chicago")
    import_calls(ws, [ex.write_csv(ex.nola(20), folder / "good.csv")])
    return ws


@pytest.mark.parametrize("kind", sorted(UNUSABLE))
def test_unusable_file_stops_with_a_message_and_changes_nothing(
    kind: str, loaded: Workspace, tmp_path: Path
) -> None:
    ws = loaded
    before = ws.calls()
    report_before = ws.read_json("import_report")
    assert len(before) == 20
    make, mapping, expected = UNUSABLE[kind]
    path = tmp_path / f"{kind}.csv"
    path.write_bytes(make())
    with pytest.raises(KitError, match=re.escape(expected)) as caught:
        import_calls(ws, [path], mapping=mapping)
    if kind == "call_type_is_source":
        assert "Final Call Type" in str(caught.value)
    pd.testing.assert_frame_equal(ws.calls(), before)
    assert ws.read_json("import_report") == report_before


def test_xlsx_named_csv_is_read_as_xlsx(ws: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "calls.csv"
    path.write_bytes(_xlsx_bytes(ex.nola(25)))
    assert preview(path).format == "xlsx"
    report = import_calls(ws, [path])
    assert report.calls_held == 25
    assert ws.calls()["unit_hours"].eq(1.0).all()


def test_hostile_and_formula_text_is_kept_as_data(ws: Workspace, tmp_path: Path) -> None:
    frame = ex.nola(8)
    frame.loc[0, "TypeText"] = HOSTILE
    for i, text in enumerate(FORMULAS, start=1):
        frame.loc[i, "Type"] = text
    frame.loc[5, "District"] = "'; DROP TABLE calls; --"
    report = import_calls(ws, [ex.write_csv(frame, tmp_path / "hostile.csv")])
    calls = ws.calls()
    assert report.calls_held == 8
    assert calls.loc[0, "call_type_desc"] == HOSTILE
    assert calls["call_type"].iloc[1:5].tolist() == FORMULAS
    assert calls.loc[5, "area"] == "'; DROP TABLE calls; --"


def test_huge_field_is_read_and_long_text_cut(ws: Workspace, tmp_path: Path) -> None:
    frame = ex.nola(10)
    frame["Narrative"] = "calm"
    frame.loc[3, "Narrative"] = "x" * 6_000_000
    frame.loc[4, "TypeText"] = "LONG " * 100
    report = import_calls(ws, [ex.write_csv(frame, tmp_path / "huge.csv")])
    assert report.calls_held == 10
    assert report.dropped_columns["Narrative"] == "free-text narrative"
    assert report.problems["truncated_text"].examples == [6]
    assert len(ws.calls().loc[4, "call_type_desc"]) == 200


def test_mixed_and_latin1_encodings(ws: Workspace, tmp_path: Path) -> None:
    frame = ex.nola(6)
    frame["District"] = "Faubourg Marigny"
    frame.loc[0, "District"] = "Café Rouge"
    header_and_first = frame.iloc[:2].to_csv(index=False).encode("utf-8")
    rest = frame.iloc[2:].assign(District="Tremé").to_csv(index=False, header=False)
    path = tmp_path / "mixed.csv"
    path.write_bytes(header_and_first + rest.encode("cp1252"))
    assert "windows-1252" in preview(path).encoding
    import_calls(ws, [path])
    areas = ws.calls()["area"].tolist()
    assert areas[0] == "Café Rouge" and areas[2:] == ["Tremé"] * 4

    latin = tmp_path / "latin.csv"
    latin.write_bytes(frame.to_csv(index=False).encode("latin-1"))
    assert preview(latin).encoding.startswith("windows-1252")
    import_calls(ws, [latin])
    assert ws.calls()["area"].iloc[0] == "Café Rouge"


@pytest.mark.parametrize(
    ("encoding", "sep", "delimiter"),
    [("utf-8-sig", ";", ";"), ("utf-8", "\t", "\t"), ("utf-16", ",", ","), ("utf-8", "|", "|")],
)
def test_encodings_and_delimiters_are_detected(
    encoding: str, sep: str, delimiter: str, ws: Workspace, tmp_path: Path
) -> None:
    path = tmp_path / "calls.txt"
    path.write_bytes(ex.nola(12).to_csv(index=False, sep=sep).encode(encoding))
    shown = preview(path)
    assert shown.delimiter == delimiter
    assert shown.mapping["received_at"] == "TimeCreate"
    assert import_calls(ws, [path]).calls_held == 12


def test_a_few_nul_bytes_are_removed_and_counted(ws: Workspace, tmp_path: Path) -> None:
    data = _csv_bytes(ex.nola(10)).replace(b"Main St", b"Main\x00 St", 3)
    path = tmp_path / "nul.csv"
    path.write_bytes(data)
    report = import_calls(ws, [path])
    assert report.problems["nul_bytes"].count == 3
    assert report.calls_held == 10


def test_duplicate_and_blank_headers_are_named(tmp_path: Path) -> None:
    frame = ex.nola(5)
    text = frame.to_csv(index=False).replace("Priority", "Type", 1).replace("Disposition,", ",", 1)
    path = tmp_path / "dups.csv"
    path.write_text(text)
    shown = preview(path)
    assert "Type_2" in shown.headers and "column_9" in shown.headers


def test_personal_columns_are_dropped_and_named(ws: Workspace, tmp_path: Path) -> None:
    frame = ex.nola(10).assign(
        CallerName="Jane Q. Public", CallerPhone="504-555-0199", Comments="lives upstairs"
    )
    report = import_calls(ws, [ex.write_csv(frame, tmp_path / "pii.csv")])
    assert report.dropped_columns["CallerName"] == "personal data: a name"
    assert report.dropped_columns["CallerPhone"] == "personal data: phone number"
    assert report.dropped_columns["Comments"] == "free-text narrative"
    text = " ".join(report.summary_lines())
    assert "CallerName" in text and "CallerPhone" in text
    stored = ws.calls().astype(str).to_numpy().ravel().tolist()
    assert not any("Jane" in v or "555" in v or "upstairs" in v for v in stored)
