"""Reading times right: day and month order per column, "no time" placeholders, the 2% stop."""

from __future__ import annotations

import json
import zoneinfo
from datetime import datetime, timedelta
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pytest
from corpus import exports as ex
from hypothesis import given, settings
from hypothesis import strategies as st

from kit.cli import main
from kit.data.calls import import_calls
from kit.data.cleaning import clean_export
from kit.data.date_order import (
    DAY_FIRST,
    MONTH_FIRST,
    US_ZONES,
    Evidence,
    Setting,
    decide,
    evidence,
    setting_for,
    zone_date_order,
)
from kit.data.times import parse_times
from kit.errors import KitError
from kit.workspace import Workspace

TZ = "America/Chicago"
FORMATS = {DAY_FIRST: "%d/%m/%Y %H:%M", MONTH_FIRST: "%m/%d/%Y %H:%M"}


def _naive(parsed: pa.Array) -> list[datetime | None]:
    return [None if v is None else v.replace(tzinfo=None) for v in parsed.to_pylist()]


def _export(times: list[datetime], order: str) -> pd.DataFrame:
    """The New Orleans layout with its times written in ``order``."""
    frame = ex.nola(len(times))
    start = pd.Series(pd.DatetimeIndex(times))
    for column, minutes in (("TimeCreate", 0), ("TimeDispatch", 5), ("TimeClosed", 65)):
        frame[column] = (start + pd.Timedelta(minutes=minutes)).dt.strftime(FORMATS[order])
    return frame.drop(columns=["TimeArrive"])


def _ambiguous_times(n: int) -> list[datetime]:
    """Days of March up to the 12th: both orders read each, one as March, one as another month."""
    return [datetime(2023, 3, 1 + i % 12, 7, i % 60) for i in range(n)]


# ----------------------------------------------------------------- deciding the order


def test_a_first_field_above_12_means_day_first() -> None:
    """One value such as 27/12 settles the column, whatever the workspace says."""
    found = evidence(pa.array(["05/12/2023 07:12", "27/12/2023 07:12", None]))
    assert found == Evidence(1, 0, "27/12/2023 07:12", None)
    decision = decide(found, Setting(MONTH_FIRST, "the zone"))
    assert decision.order == DAY_FIRST
    assert "27/12/2023 07:12" in decision.how


def test_a_second_field_above_12_means_month_first() -> None:
    decision = decide(evidence(pa.array(["12/27/2023 1:00", "01/02/2023 1:00"])), setting_for(
        "Europe/London"
    ))  # fmt: skip
    assert decision.order == MONTH_FIRST
    assert "second field above 12" in decision.how


def test_all_ambiguous_values_follow_the_setting_and_say_so() -> None:
    decision = decide(evidence(pa.array(["01/02/2023 1:00"])), setting_for(TZ))
    assert decision.order == MONTH_FIRST
    assert (
        decision.how
        == f"every date could be read either way: the usual order in the time zone {TZ}"
    )
    workspace = decide(Evidence(), setting_for(TZ, workspace=DAY_FIRST))
    assert workspace.order == DAY_FIRST
    assert "set when it was created" in workspace.how


def test_the_choice_for_an_import_wins_over_the_values() -> None:
    decision = decide(Evidence(day_first=9), setting_for(TZ, DAY_FIRST, chosen=MONTH_FIRST))
    assert decision.order == MONTH_FIRST
    assert decision.how == "chosen for this import"


def test_a_mixed_column_takes_the_majority_and_counts_the_rest() -> None:
    decision = decide(Evidence(5, 2, "27/01/2023", "01/27/2023"), setting_for(TZ))
    assert decision.order == DAY_FIRST
    assert "2 values written the other way cannot be read" in decision.how


def test_an_unknown_date_order_is_refused_in_plain_words() -> None:
    with pytest.raises(KitError, match="is not a date order: write 'day-first'"):
        setting_for(TZ, chosen="dd/mm")


@pytest.mark.parametrize(
    ("zone", "order"),
    [
        ("America/Chicago", MONTH_FIRST),
        ("America/New_York", MONTH_FIRST),
        ("Pacific/Honolulu", MONTH_FIRST),
        ("America/Indiana/Indianapolis", MONTH_FIRST),
        ("America/Toronto", DAY_FIRST),
        ("America/Vancouver", DAY_FIRST),
        ("America/Mexico_City", DAY_FIRST),
        ("America/Sao_Paulo", DAY_FIRST),
        ("Europe/London", DAY_FIRST),
        ("Australia/Sydney", DAY_FIRST),
        ("UTC", DAY_FIRST),
    ],
)
def test_the_default_order_follows_the_zone_s_country(zone: str, order: str) -> None:
    assert zone_date_order(zone) == order


def test_every_us_zone_is_a_real_zone() -> None:
    """A misspelt zone in the list would silently give a US city the day first."""
    assert not US_ZONES - zoneinfo.available_timezones()


# ----------------------------------------------------------------- parsing one column


def test_a_day_first_column_is_read_day_first_throughout() -> None:
    """The 5th of December is not read as May 12 beside the 27th of December."""
    parsed = parse_times(pa.array(["05/12/2023 07:12", "27/12/2023 07:12"]), TZ)
    assert _naive(parsed.values) == [datetime(2023, 12, 5, 7, 12), datetime(2023, 12, 27, 7, 12)]
    assert parsed.order is not None and parsed.order.order == DAY_FIRST
    assert parsed.formats == ("%d/%m/%Y %H:%M",)


def test_days_above_12_late_in_a_long_column_still_decide() -> None:
    """An export sorted by time may begin with thousands of days up to the 12th."""
    early = [f"0{1 + i % 9}/01/2023 07:00" for i in range(5000)]
    parsed = parse_times(pa.array([*early, "13/01/2023 07:00"]), TZ, sample_size=100)
    assert parsed.order is not None and parsed.order.order == DAY_FIRST
    assert pc.all(pc.equal(pc.month(parsed.values), 1)).as_py()


def test_a_forced_order_that_reads_nothing_leaves_every_value_unreadable() -> None:
    texts = pa.array(["27/12/2023 07:12", "31/12/2023 08:00", None])
    parsed = parse_times(texts, TZ, setting=setting_for(TZ, chosen=MONTH_FIRST))
    assert parsed.unreadable.to_pylist() == [True, True, False]
    assert parsed.order is not None and parsed.order.order == MONTH_FIRST
    assert parsed.formats == ()


_STAMPS = st.datetimes(min_value=datetime(2015, 1, 1), max_value=datetime(2030, 12, 31)).map(
    lambda t: t.replace(second=0, microsecond=0)
)


@settings(max_examples=60, deadline=None)
@given(
    times=st.lists(_STAMPS, min_size=1, max_size=40),
    other=st.lists(_STAMPS, max_size=5),
    order=st.sampled_from([DAY_FIRST, MONTH_FIRST]),
    setting=st.sampled_from([DAY_FIRST, MONTH_FIRST]),
)
def test_one_column_is_never_read_with_two_orders(
    times: list[datetime], other: list[datetime], order: str, setting: str
) -> None:
    """Whatever the mix, every value read is read with the one order the report states."""
    flipped = DAY_FIRST if order == MONTH_FIRST else MONTH_FIRST
    texts = [t.strftime(FORMATS[order]) for t in times] + [
        t.strftime(FORMATS[flipped]) for t in other
    ]
    parsed = parse_times(pa.array(texts), "UTC", setting=setting_for("UTC", setting))
    assert parsed.order is not None
    chosen = FORMATS[parsed.order.order]
    for text, value in zip(texts, _naive(parsed.values), strict=True):
        try:
            expected = datetime.strptime(text, chosen)
        except ValueError:
            expected = None
        assert value == expected
    if not other and any(t.day > 12 for t in times):
        assert parsed.order.order == order  # the values decide when they can


@pytest.mark.parametrize(
    "texts",
    [
        ["31/02/2023 01:00", "27/12/2023 07:12", "01/03/2023 01:00"],
        ["02/31/2023 01:00:00 AM", "12/27/2023 07:12:00 AM", "03/01/2023 01:00:00 AM"],
        ["2023-02-30 01:00:00", "2023-12-27 07:12:00", "2023-03-01 01:00:00"],
        ["2023-02-29T01:00:00Z", "2023-12-27T07:12:00Z", "2023-03-01T01:00:00Z"],
        ["2023-01-01 25:00:00", "2023-12-27 07:12:00", "2023-03-01 01:00:00"],
    ],
)
def test_a_day_that_does_not_exist_is_unreadable_not_rolled_over(texts: list[str]) -> None:
    """31 February is not 3 March: it is counted as unreadable, and the column still reads."""
    parsed = parse_times(pa.array(texts), "UTC")
    assert parsed.unreadable.to_pylist() == [True, False, False]
    assert _naive(parsed.values)[1:] == [datetime(2023, 12, 27, 7, 12), datetime(2023, 3, 1, 1)]


def test_29_february_of_a_leap_year_is_kept() -> None:
    parsed = parse_times(pa.array(["2024-02-29 01:00:00", "02/29/2024 01:00"]), "UTC")
    assert parsed.unreadable.to_pylist() == [False, False]


ISO_REAL, US_REAL = "2024-03-01 08:00:00", "03/01/2024 08:00:00 AM"


@pytest.mark.parametrize(
    ("real", "text"),
    [
        (ISO_REAL, "1899-12-30 00:00:00"),
        (ISO_REAL, "1899-12-31"),
        (ISO_REAL, "1900-01-01 00:00:00"),
        (ISO_REAL, "1970-01-01 00:00:00"),
        (ISO_REAL, "1970-01-01T00:00:00"),
        (ISO_REAL, "0001-01-01 00:00:00"),
        (ISO_REAL, "1753-01-01 00:00:00"),
        (ISO_REAL, "9999-12-31 23:59:59"),
        (US_REAL, "12/30/1899 12:00:00 AM"),
        (US_REAL, "01/01/1900 12:00:00 AM"),
        ("03/01/2024 08:00", "31/12/1969 19:00"),
    ],
)
def test_placeholder_dates_are_blanks_not_times(real: str, text: str) -> None:
    parsed = parse_times(pa.array([real, text, None]), TZ)
    assert parsed.values[0].is_valid and parsed.values[1].as_py() is None
    assert parsed.placeholder.to_pylist() == [False, True, False]
    assert parsed.unreadable.to_pylist() == [False, False, False]


def test_epoch_zero_in_milliseconds_is_a_placeholder() -> None:
    parsed = parse_times(pa.array(["1709280000000", "0000000000000"]), TZ)
    assert parsed.placeholder.to_pylist() == [False, True]


def test_placeholders_are_counted_where_blanks_are(tmp_path: Path) -> None:
    """A placeholder received time is a missing one; elsewhere it is a blank, never unreadable."""
    table = pa.table(
        {
            "id": ["1", "2", "3", "4"],
            "t": ["2024-03-01 08:00:00", "1900-01-01 00:00:00", None, "not a time"],
            "d": ["1899-12-30 00:00:00", "2024-03-01 08:05:00", None, None],
            "type": ["THEFT"] * 4,
        }
    )
    mapping = {"call_id": "id", "received_at": "t", "dispatched_at": "d", "call_type": "type"}
    cleaned = clean_export(table, mapping, TZ)
    counts = {k: (f.count, f.examples) for k, f in cleaned.problems.items()}
    assert counts == {
        "missing_received_at": (2, [3, 4]),
        "unreadable_received_at": (1, [5]),
        "placeholder_time": (1, [2]),
    }
    assert cleaned.calls.column("dispatched_at").to_pylist() == [None]
    assert cleaned.unreadable_received == ["not a time"]


# ----------------------------------------------------------------- through an import


@pytest.fixture
def chicago(tmp_path: Path) -> Path:
    path = tmp_path / "chicago"
    assert main(["new", str(path), "--timezone", TZ]) == 0
    return path


def test_a_day_first_export_imports_right_from_the_command_line(
    chicago: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """27/12/2023 07:12 in a US workspace: every date in December, and the report says why."""
    times = [datetime(2023, 12, 1 + i % 31, 7, 12) for i in range(60)]
    path = ex.write_csv(_export(times, DAY_FIRST), tmp_path / "uk.csv")
    assert main(["import", "calls", str(chicago), str(path)]) == 0
    printed = capsys.readouterr().out
    assert "uk.csv: dates read day first in received_at, dispatched_at, cleared_at" in printed
    calls = Workspace.open(chicago).calls()
    assert len(calls) == 60
    assert calls["received_at"].dt.month.eq(12).all()
    assert sorted(calls["received_at"].dt.day.unique()) == list(range(1, 32))
    report = Workspace.open(chicago).read_json("import_report")
    order = report["files"][0]["date_orders"]["received_at"]
    assert order["order"] == DAY_FIRST and "first field above 12" in order["how"]


def test_an_ambiguous_export_follows_the_workspace_s_date_order(tmp_path: Path) -> None:
    path = ex.write_csv(_export(_ambiguous_times(24), DAY_FIRST), tmp_path / "amb.csv")
    assert main(["new", str(tmp_path / "uk"), "--timezone", TZ, "--date-order", DAY_FIRST]) == 0
    ws = Workspace.open(tmp_path / "uk")
    assert ws.date_order == DAY_FIRST
    report = import_calls(ws, [path])
    assert report.files[0]["date_orders"]["received_at"] == {
        "order": DAY_FIRST,
        "how": "every date could be read either way: the workspace's date order, set when it "
        "was created",
    }
    received = ws.calls()["received_at"]
    assert received.dt.month.eq(3).all()
    assert sorted(received.dt.day.unique()) == list(range(1, 13))


def test_an_ambiguous_export_follows_the_time_zone_without_a_setting(tmp_path: Path) -> None:
    """The same file in a US workspace made without --date-order is read month first."""
    path = ex.write_csv(_export(_ambiguous_times(24), DAY_FIRST), tmp_path / "amb.csv")
    ws = Workspace.create(tmp_path / "us", timezone=TZ)
    assert ws.date_order is None
    import_calls(ws, [path])
    assert ws.calls()["received_at"].dt.day.eq(3).all()  # 01/03 read as January 3, and so on


@pytest.mark.parametrize("how", ["flag", "mapping file"])
def test_the_import_s_choice_overrides_the_workspace(
    chicago: Path, tmp_path: Path, how: str
) -> None:
    path = ex.write_csv(_export(_ambiguous_times(24), DAY_FIRST), tmp_path / "amb.csv")
    if how == "flag":
        extra = ["--dayfirst"]
    else:
        mapping = tmp_path / "mapping.json"
        mapping.write_text(json.dumps({"date_order": DAY_FIRST, "call_type": "Type"}))
        extra = ["--mapping", str(mapping)]
    assert main(["import", "calls", str(chicago), str(path), *extra]) == 0
    calls = Workspace.open(chicago).calls()
    assert calls["received_at"].dt.month.eq(3).all()
    assert sorted(calls["received_at"].dt.day.unique()) == list(range(1, 13))


def test_both_order_flags_at_once_exit_2(
    chicago: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = ex.write_csv(ex.nola(5), tmp_path / "x.csv")
    with pytest.raises(SystemExit, match="2"):
        main(["import", "calls", str(chicago), str(path), "--dayfirst", "--monthfirst"])
    assert "not allowed with argument" in capsys.readouterr().err


def test_a_bad_date_order_in_the_mapping_file_exits_2(
    chicago: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = ex.write_csv(ex.nola(5), tmp_path / "x.csv")
    mapping = tmp_path / "mapping.json"
    mapping.write_text(json.dumps({"date_order": "ddmmyyyy"}))
    assert main(["import", "calls", str(chicago), str(path), "--mapping", str(mapping)]) == 2
    assert "'ddmmyyyy' is not a date order" in capsys.readouterr().err


def test_kit_new_refuses_a_date_order_with_the_sample(tmp_path: Path) -> None:
    assert main(["new", str(tmp_path / "s"), "--sample", "--date-order", DAY_FIRST]) == 2


# ----------------------------------------------------------------- the 2% stop


def _with_unreadable(n: int, bad: int) -> pd.DataFrame:
    frame = ex.nola(n)
    frame.loc[: bad - 1, "TimeCreate"] = "31/31/2023 99:99"
    return frame


def test_over_2_percent_unreadable_received_times_stop_the_import(
    tmp_path: Path,
) -> None:
    ws = Workspace.create(tmp_path / "ws", timezone=TZ)
    path = ex.write_csv(_with_unreadable(100, 3), tmp_path / "bad.csv")
    with pytest.raises(
        KitError,
        match=r"bad\.csv: the received time of 3 of 100 rows \(3\.0%\) cannot be read as a time, "
        r"for example '31/31/2023 99:99'.*Nothing was imported.*--accept-unreadable",
    ):
        import_calls(ws, [path])
    assert not ws.has_table("calls")
    report = import_calls(ws, [path], accept_unreadable=True)
    assert report.calls_held == 97
    assert report.problems["unreadable_received_at"].count == 3


def test_at_2_percent_rows_are_left_out_and_counted(tmp_path: Path) -> None:
    ws = Workspace.create(tmp_path / "ws", timezone=TZ)
    report = import_calls(ws, [ex.write_csv(_with_unreadable(100, 2), tmp_path / "ok.csv")])
    assert report.calls_held == 98
    assert report.problems["unreadable_received_at"].examples == [2, 3]


def test_the_stop_and_its_flag_on_the_command_line(
    chicago: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = ex.write_csv(_with_unreadable(50, 10), tmp_path / "bad.csv")
    assert main(["import", "calls", str(chicago), str(path)]) == 2
    assert "cannot be read as a time" in capsys.readouterr().err
    assert main(["import", "calls", str(chicago), str(path), "--accept-unreadable"]) == 0
    assert len(Workspace.open(chicago).calls()) == 40


def test_forcing_the_wrong_order_is_caught_by_the_stop(chicago: Path, tmp_path: Path) -> None:
    """--monthfirst on a day-first export does not quietly keep the days up to the 12th."""
    times = [datetime(2023, 12, 1, 7, 0) + timedelta(days=i) for i in range(28)]
    path = ex.write_csv(_export(times, DAY_FIRST), tmp_path / "uk.csv")
    ws = Workspace.open(chicago)
    with pytest.raises(KitError, match=r"Dates were read month-first \(chosen for this import\)"):
        import_calls(ws, [path], date_order=MONTH_FIRST)


def test_workbook_00_s_date_order_parameter_reads_an_ambiguous_export(tmp_path: Path) -> None:
    """The workbook's one call, run headless as papermill runs it, passes the order on."""
    from kit.ui.setup import set_up_app

    ws = Workspace.create(tmp_path / "ws", timezone=TZ)
    path = ex.write_csv(_export(_ambiguous_times(24), DAY_FIRST), tmp_path / "amb.csv")
    set_up_app(
        workspace=str(ws.path),
        name="Town",
        population=1000,
        calls_file=str(path),
        date_order=DAY_FIRST,
    )
    assert ws.calls()["received_at"].dt.month.eq(3).all()
    with pytest.raises(KitError, match="'1st' is not a date order"):
        set_up_app(workspace=str(ws.path), calls_file=str(path), date_order="1st")


def test_a_column_left_open_follows_the_file_s_other_time_columns() -> None:
    """A cleared column whose dates are all up to the 12th is read like the received column."""
    table = pa.table(
        {
            "id": ["1", "2"],
            "t": ["27/03/2023 07:00", "05/03/2023 08:00"],
            "c": [None, "05/03/2023 09:00"],
            "type": ["THEFT"] * 2,
        }
    )
    mapping = {"call_id": "id", "received_at": "t", "cleared_at": "c", "call_type": "type"}
    cleaned = clean_export(table, mapping, TZ, date_order=setting_for(TZ))
    assert cleaned.calls.column("cleared_at")[1].as_py().month == 3
    assert cleaned.date_orders["cleared_at"] == {
        "order": DAY_FIRST,
        "how": "every date could be read either way: the order the file's other time columns show",
    }
    forced = clean_export(table, mapping, TZ, date_order=setting_for(TZ, chosen=MONTH_FIRST))
    assert forced.date_orders["cleared_at"]["order"] == MONTH_FIRST
