"""Unit and property tests of the pure reading and cleaning functions (no workspace)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from corpus import exports as ex
from hypothesis import given, settings
from hypothesis import strategies as st

from kit.data.blocks import coarsen_block
from kit.data.cleaning import clean_export, initiated_by
from kit.data.mapping import suggest_mapping
from kit.data.report import DROPPING
from kit.data.times import parse_times

TZ = "America/Chicago"


def _clean(frame: pd.DataFrame, **kwargs: object):  # type: ignore[no-untyped-def]
    table = pa.Table.from_pandas(
        frame.astype(object).where(frame.notna(), None).astype(str).replace("None", None),
        preserve_index=False,
    )
    mapping = suggest_mapping(table.column_names, table.to_pandas())
    return clean_export(table, mapping, TZ, **kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("01/05/2024 01:45:00 PM", "2024-01-05 13:45:00-06:00"),
        ("2024-07-05T13:45:00", "2024-07-05 13:45:00-05:00"),
        ("2024-07-05 18:45:00Z", "2024-07-05 13:45:00-05:00"),
        ("2024-07-05T13:45:00.250-05:00", "2024-07-05 13:45:00.250000-05:00"),
        ("1720205100000", "2024-07-05 13:45:00-05:00"),
        ("2024/07/05 18:45:00+00", "2024-07-05 13:45:00-05:00"),
        ("Jul 05 2024 01:45:00:000PM", "2024-07-05 13:45:00-05:00"),
    ],
)
def test_time_formats_are_detected(text: str, expected: str) -> None:
    parsed = parse_times(pa.array([text, None, text]), TZ)
    assert str(parsed.values[0].as_py()) == expected
    assert parsed.values[1].as_py() is None
    assert parsed.unreadable.to_pylist() == [False, False, False]


def test_mixed_formats_in_one_column_and_unreadable_values() -> None:
    parsed = parse_times(
        pa.array(["01/05/2024 01:45:00 PM"] * 3 + ["2024-01-05T13:45:00", "later"]), TZ
    )
    assert parsed.values.null_count == 1
    assert parsed.unreadable.to_pylist() == [False, False, False, False, True]
    assert len(parsed.formats) == 2


def test_dst_times_do_not_fail() -> None:
    parsed = parse_times(pa.array(["2024-03-10T02:30:00", "2024-11-03T01:30:00"]), TZ)
    assert parsed.values.null_count == 0


def test_blocks_are_cut_to_the_hundred() -> None:
    out = coarsen_block(
        pa.array(
            ["1234 Main St Apt 5", "019XX General Ogden St", "7 Elm St", "MAIN ST / 1ST AV", None]
        )
    )
    assert out.to_pylist() == [
        "12XX Main St",
        "019XX General Ogden St",
        "XX Elm St",
        "MAIN ST / 1ST AV",
        None,
    ]


def test_initiated_by_from_source_or_flag() -> None:
    source = pa.array(["911", "ONVIEW", "ALARM CALL", "TELEPHONE OTHER, NOT 911", "radio", None])
    flag = pa.array(["N", "Y", "N", "N", "Y", "Yes"])
    assert initiated_by(source, flag, 6).to_pylist() == [
        "911",
        "officer",
        "alarm",
        "911",
        "other",
        "officer",
    ]
    assert initiated_by(None, None, 2).to_pylist() == [None, None]


def test_seattle_call_type_column_is_the_source() -> None:
    frame = ex.seattle_legacy(40)
    mapping = suggest_mapping(list(frame.columns), frame)
    assert mapping["initiated_by"] == "Call Type"
    assert mapping["call_type"] == "Final Call Type"
    assert mapping["arrived_at"] == "Arrived Time"


def test_detroit_minutes_are_not_times_but_give_unit_hours() -> None:
    frame = ex.detroit(60)
    mapping = suggest_mapping(list(frame.columns), frame)
    assert mapping["dispatched_at"] is None
    assert mapping["self_initiated"] == "officerinitiated"
    cleaned = _clean(frame)
    assert cleaned.calls.to_pandas()["unit_hours"].eq(1.0).all()  # 12 travel + 48 on scene
    # half the rows share one stand-in point: those coordinates become missing
    assert cleaned.problems["placeholder_location"].count == 30
    assert cleaned.calls.to_pandas()["lat"].isna().sum() == 30


def test_redacted_and_zero_coordinates_become_missing() -> None:
    frame = ex.per_unit(6)
    frame.loc[0, ["LATITUDE_X", "LONGITUDE_X"]] = "REDACTED"
    frame.loc[[1, 2], ["LATITUDE_X", "LONGITUDE_X"]] = "0"  # both units of call 1
    cleaned = _clean(frame)
    assert cleaned.calls.to_pandas()["lat"].isna().sum() == 2
    assert cleaned.problems["placeholder_location"].examples == [2, 3, 4]
    assert (cleaned.calls.to_pandas()["lat"].dropna() * 1000).round(6).mod(1).eq(0).all()


def test_per_unit_rows_collapse_with_summed_unit_hours() -> None:
    cleaned = _clean(ex.per_unit(30))
    calls = cleaned.calls.to_pandas()
    assert cleaned.layout == "per_unit"
    assert len(calls) == 30
    units = np.arange(30) % 3 + 1
    assert calls["units"].tolist() == units.tolist()
    assert np.allclose(calls["unit_hours"], units * 0.5)
    assert cleaned.rows_collapsed == int(units.sum()) - 30


def test_problems_and_examples_keep_the_file_row_numbers() -> None:
    frame = ex.nola(12)
    frame.loc[2, "TimeCreate"] = "not a time"
    frame.loc[3, ["Type", "TypeText"]] = None
    frame.loc[4, "DispositionText"] = "VOID"
    frame.loc[5, "Disposition"] = "TEST INCIDENT"
    frame.loc[6, "TimeClosed"] = "01/01/2020 01:00:00 AM"  # cleared before received
    frame.loc[7, "TimeClosed"] = "12/31/2024 01:00:00 AM"  # months later: over 8 hours
    frame = pd.concat([frame, frame.iloc[[8]]], ignore_index=True)
    cleaned = _clean(frame)
    found = {k: (v.count, v.examples) for k, v in cleaned.problems.items()}
    assert found == {
        "unreadable_received_at": (1, [4]),
        "missing_call_type": (1, [5]),
        "test_void_duplicate": (2, [6, 7]),
        "impossible_duration": (2, [8, 9]),
        "exact_duplicate": (1, [14]),
    }
    calls = cleaned.calls.to_pandas()
    assert len(calls) == 8
    assert calls.loc[calls["_row"].isin([8, 9]), "unit_hours"].isna().all()


def test_limit_hours_is_a_parameter() -> None:
    frame = ex.nola(5)
    assert "impossible_duration" not in _clean(frame).problems
    assert _clean(frame, limit_hours=0.5).problems["impossible_duration"].count == 5


@st.composite
def exports(draw: st.DrawFn) -> pd.DataFrame:
    """A per-unit export with random damage: bad times, no type, test records, copies."""
    calls = draw(st.integers(1, 25))
    rows = []
    for i in range(calls):
        for u in range(draw(st.integers(1, 3))):
            row = {
                "EVENT_NUMBER": f"E{i}",
                "CREATE_TIME_INCIDENT": f"2024-05-{1 + i % 28:02d}T10:00:00",
                "INCIDENT_TYPE_DESC": draw(st.sampled_from(["THEFT", "NOISE", None])),
                "UNIT_ID": f"U{u}",
                "DISPATCH_TIME": f"2024-05-{1 + i % 28:02d}T10:05:00",
                "CLEAR_TIME": draw(
                    st.sampled_from(
                        [f"2024-05-{1 + i % 28:02d}T11:05:00", "2024-04-01T00:00:00", None]
                    )
                ),
                "DISPOSITION_TEXT": draw(st.sampled_from(["REPORT", "VOID", None])),
            }
            if draw(st.booleans()) and draw(st.booleans()):
                row["CREATE_TIME_INCIDENT"] = draw(st.sampled_from(["", "garbage", "13/45/2024"]))
            rows.append(row)
            if draw(st.integers(0, 5)) == 0:
                rows.append(dict(row))
    frame = pd.DataFrame(rows)
    frame.loc[0, "CREATE_TIME_INCIDENT"] = "2024-05-01T10:00:00"
    return frame


@settings(max_examples=100, deadline=None)
@given(exports())
def test_every_row_is_held_collapsed_or_counted(frame: pd.DataFrame) -> None:
    table = pa.Table.from_pandas(frame, preserve_index=False)
    mapping = dict.fromkeys(
        [
            "call_id",
            "received_at",
            "call_type",
            "unit_id",
            "dispatched_at",
            "cleared_at",
            "disposition",
        ]
    )
    mapping.update(
        call_id="EVENT_NUMBER",
        received_at="CREATE_TIME_INCIDENT",
        call_type="INCIDENT_TYPE_DESC",
        unit_id="UNIT_ID",
        dispatched_at="DISPATCH_TIME",
        cleared_at="CLEAR_TIME",
        disposition="DISPOSITION_TEXT",
    )
    cleaned = clean_export(table, mapping, TZ)
    left_out = sum(f.count for k, f in cleaned.problems.items() if k in DROPPING)
    assert cleaned.rows_read == len(frame)
    assert cleaned.calls.num_rows + cleaned.rows_collapsed + left_out == len(frame)
    calls = cleaned.calls.to_pandas()
    assert calls["call_id"].is_unique
    assert calls["received_at"].notna().all() and calls["call_type"].notna().all()
    hours = calls["unit_hours"].dropna()
    assert ((hours >= 0) & (hours <= 8)).all()
    # a call's unit hours are one hour per unit when every unit's times were sound
    sound = frame.groupby("EVENT_NUMBER")["CLEAR_TIME"].apply(
        lambda s: s.notna().all() and not s.str.startswith("2024-04").any()
    )
    for _, call in calls.iterrows():
        if sound.get(call["call_id"], False) and call["units"] >= 1:
            assert call["unit_hours"] == pytest.approx(call["units"] * 1.0)


def test_a_column_of_only_blanks_is_read_as_missing_text() -> None:
    frame = ex.per_unit(4)
    table = pa.Table.from_pandas(frame, preserve_index=False)
    table = table.set_column(
        table.schema.get_field_index("INCIDENT_TYPE_DESC"),
        "INCIDENT_TYPE_DESC",
        pa.nulls(len(frame)),
    )
    mapping = suggest_mapping(table.column_names, frame)
    cleaned = clean_export(table, mapping, TZ)
    assert cleaned.calls.to_pandas()["call_type_desc"].isna().all()
    assert cleaned.calls.to_pandas()["call_type"].notna().all()
