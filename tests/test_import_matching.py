"""Column matching by header words and values: evidence, doubt, and what is never a candidate."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from kit.cli import main
from kit.data.calls import import_calls, preview
from kit.data.headers import VOCABULARY, header_words
from kit.data.mapping import match_columns
from kit.errors import KitError
from kit.workspace import Workspace

START = pd.Timestamp("2024-05-01 00:00:00")
KINDS = ["THEFT", "NOISE", "ALARM", "ACCIDENT", "WELFARE CHECK"]


def _stamp(times: pd.Series) -> pd.Series:
    return pd.Series(pd.DatetimeIndex(times).strftime("%m/%d/%Y %H:%M:%S"))


def unlisted(n: int = 60, seed: int = 7) -> pd.DataFrame:
    """An export whose headers are in no list of known spellings."""
    rng = np.random.default_rng(seed)
    received = START + pd.to_timedelta(np.sort(rng.integers(0, 86400 * 30, n)), unit="s")
    return pd.DataFrame(
        {
            "ref": [f"R{seed}{i:05d}" for i in range(n)],
            "time": _stamp(received),
            "nature": rng.choice(KINDS, n),
            "status": rng.choice(["OPEN", "CLOSED"], n),
            "sector": rng.choice(["A", "B", "C"], n),
            "where": [f"{100 + i}XX BLOCK OF OAK ST" for i in range(n)],
            "cleared": _stamp(received + pd.Timedelta(minutes=40)),
        }
    )


def _sample(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.astype(object).where(frame.notna(), None).astype(str)


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    return Workspace.create(tmp_path / "ws", timezone="America/Chicago")


def test_headers_in_no_list_match_by_words_and_values() -> None:
    """`time`, `nature`, `sector`: matched without any alias, each with its evidence."""
    frame = unlisted()
    matching = match_columns(list(frame.columns), _sample(frame))
    assert matching.mapping["received_at"] == "time"
    assert matching.mapping["call_type"] == "nature"
    assert matching.mapping["area"] == "sector"
    assert matching.mapping["cleared_at"] == "cleared"
    evidence = matching.evidence()
    assert evidence["received_at"] == "values are times; earliest of two time columns"
    assert evidence["call_type"].startswith("short text repeating (5 different values")
    assert "header says 'nature'" in evidence["call_type"]
    assert "after the received time" in evidence["cleared_at"]


def test_status_open_closed_is_not_a_disposition() -> None:
    frame = unlisted()
    assert match_columns(list(frame.columns), _sample(frame)).mapping["disposition"] is None
    frame["status"] = np.resize(["REPORT TAKEN", "ARREST MADE", "GONE ON ARRIVAL"], len(frame))
    matching = match_columns(list(frame.columns), _sample(frame))
    assert matching.mapping["disposition"] == "status"
    assert "values read as dispositions (100% of rows)" in matching.evidence()["disposition"]


def test_last_updated_a_day_later_is_not_a_cleared_time() -> None:
    frame = unlisted().drop(columns=["cleared"])
    received = pd.to_datetime(frame["time"], format="%m/%d/%Y %H:%M:%S")
    frame["closed_date"] = _stamp(received + pd.Timedelta(days=3))
    matching = match_columns(list(frame.columns), _sample(frame))
    assert matching.mapping["cleared_at"] is None
    assert "a day or more after the received time" in matching.matches["cleared_at"].evidence
    assert matching.mapping["received_at"] == "time"


def test_bookkeeping_times_are_never_times_of_the_call() -> None:
    frame = unlisted()
    frame["last_updated"] = _stamp(pd.Series([START] * len(frame)) - pd.Timedelta(days=9))
    matching = match_columns(list(frame.columns), _sample(frame))
    assert "last_updated" not in matching.mapping.values()
    assert matching.mapping["received_at"] == "time"


def test_ids_phones_names_and_narratives_are_never_candidates() -> None:
    """Each is named or shaped to tempt a role; none is taken for it."""
    n = 60
    frame = unlisted(n)
    frame["incident_type_key"] = [f"K{i:06d}" for i in range(n)]  # an id, named like a type
    frame["nature_line"] = np.resize([f"(555) 201-{i:04d}" for i in range(4)], n)
    frame["caller_name"] = np.resize(["ANA", "BO", "CY"], n)  # repeats like a category
    frame["problem_summary"] = [
        f"caller says the {i} dogs bark at night, again and again" for i in range(n)
    ]
    frame["district_remarks"] = np.resize(["N", "S"], n)
    frame = frame.drop(columns=["nature"])
    matching = match_columns(list(frame.columns), _sample(frame))
    taken = {h for h in matching.mapping.values() if h}
    assert not taken & {
        "incident_type_key", "nature_line", "caller_name", "problem_summary", "district_remarks",
    }  # fmt: skip
    assert matching.mapping["call_type"] is None


def test_unsure_required_role_stops_naming_the_candidates(ws: Workspace, tmp_path: Path) -> None:
    """Two columns equally like a call type: the import asks which, with the --map to use."""
    frame = unlisted()
    frame["problem"] = frame["nature"].str.lower().str[::-1]
    path = tmp_path / "two_kinds.csv"
    frame.to_csv(path, index=False)
    matching = preview(path).matching
    assert matching is not None
    assert matching.unsure() == {"call_type": ["nature", "problem"]}
    assert matching.mapping["call_type"] is None
    with pytest.raises(KitError, match=r"could be the call type \('nature', 'problem'\)") as err:
        import_calls(ws, [path])
    assert "--map call_type=nature" in str(err.value)
    assert not ws.has_table("calls")
    report = import_calls(ws, [path], mapping={"call_type": "problem"})
    assert report.evidence["call_type"] == "chosen in the mapping"


def test_unsure_optional_role_is_left_unmapped_and_listed(ws: Workspace, tmp_path: Path) -> None:
    frame = unlisted()
    frame["zone"] = frame["sector"].str.lower()
    path = tmp_path / "two_areas.csv"
    frame.to_csv(path, index=False)
    report = import_calls(ws, [path])
    assert report.mapping["area"] is None
    assert report.unmatched == {"area": ["sector", "zone"]}
    saved = ws.read_json("import_report")
    assert saved["unmatched"] == report.unmatched
    assert saved["evidence"]["call_type"] == report.evidence["call_type"]
    assert any(line.startswith("Not matched: area") for line in report.summary_lines())


def test_one_bare_time_among_named_ones_is_the_received_time() -> None:
    frame = unlisted()
    received = pd.to_datetime(frame["time"], format="%m/%d/%Y %H:%M:%S")
    frame["dispatched"] = _stamp(received + pd.Timedelta(minutes=3))
    frame["on scene"] = _stamp(received + pd.Timedelta(minutes=11))
    matching = match_columns(list(frame.columns), _sample(frame))
    assert matching.mapping["received_at"] == "time"
    assert matching.evidence()["received_at"].endswith("earliest of four time columns")
    assert matching.mapping["dispatched_at"] == "dispatched"
    assert matching.mapping["arrived_at"] == "on scene"


@given(st.lists(st.sampled_from(sorted(VOCABULARY)), min_size=1, max_size=4))
def test_run_together_headers_split_back_into_their_words(words: list[str]) -> None:
    """Known words written together, in snake case or in camel case read the same.

    Joined without separators a run can be split otherwise ("on"+"scene" is "onscene"),
    but never into letters that are not in the header, and never losing a known word's letters.
    """
    snake = "_".join(words)
    camel = words[0] + "".join(w.capitalize() for w in words[1:])
    assert header_words(snake) == tuple(words)
    assert "".join(header_words(camel)) == "".join(words)
    together = header_words("".join(words))
    assert "".join(together) == "".join(words)
    assert all(piece in VOCABULARY for piece in together)


def split(n: int = 40, seed: int = 3) -> pd.DataFrame:
    """Every time in two columns: a date at midnight beside the time of day as text."""
    rng = np.random.default_rng(seed)
    received = START + pd.to_timedelta(np.sort(rng.integers(0, 1440 * 30, n)), unit="min")
    cleared = received + pd.Timedelta(minutes=50)
    return pd.DataFrame(
        {
            "Incident_No": [f"I{i}" for i in range(n)],
            "Received_Date": pd.DatetimeIndex(received).strftime("%m/%d/%Y 00:00:00"),
            "Received_Time": pd.DatetimeIndex(received).strftime("%H:%M"),
            "Problem": rng.choice(KINDS, n),
            "Cleared_Date": pd.DatetimeIndex(cleared).strftime("%Y-%m-%d"),
            "Cleared_Time": pd.DatetimeIndex(cleared).strftime("%H%M%S"),
            "Beat": rng.choice(["1A", "2B"], n),
        }
    )


def test_split_date_and_time_columns_are_joined_for_every_time_role(
    ws: Workspace, tmp_path: Path
) -> None:
    frame = split()
    path = tmp_path / "split.csv"
    frame.to_csv(path, index=False)
    shown = preview(path)
    assert shown.mapping["received_at"] == "Received_Date+Received_Time"
    assert shown.mapping["cleared_at"] == "Cleared_Date+Cleared_Time"
    assert "Received_Date+Received_Time" in shown.options()
    assert shown.matching is not None
    assert shown.matching.evidence()["received_at"].startswith(
        "date from 'Received_Date' and time of day from 'Received_Time' joined"
    )
    report = import_calls(ws, [path])
    calls = ws.calls()
    expected = pd.to_datetime(frame["Received_Date"].str[:10] + " " + frame["Received_Time"])
    assert calls["received_at"].dt.tz_localize(None).tolist() == expected.tolist()
    assert (calls["cleared_at"] - calls["received_at"]).eq(pd.Timedelta(minutes=50)).all()
    assert report.dropped_columns == {}


def test_a_pair_can_be_named_in_the_mapping(ws: Workspace, tmp_path: Path) -> None:
    """`Date`/`Time` named by hand, as --map received_at=Date+Time writes it."""
    frame = split().rename(columns={"Received_Date": "Date", "Received_Time": "Time"})
    frame = frame.drop(columns=["Cleared_Date", "Cleared_Time"])
    frame["Date"] = frame["Date"].str[:10]
    path = tmp_path / "date_time.csv"
    frame.to_csv(path, index=False)
    assert preview(path).mapping["received_at"] == "Date+Time"
    report = import_calls(ws, [path], mapping={"received_at": "Date+Time"})
    assert report.mapping["received_at"] == "Date+Time"
    assert ws.calls()["received_at"].dt.hour.tolist() == [int(t[:2]) for t in frame["Time"]]
    with pytest.raises(KitError, match=r"no column 'Date\+Clock'.*named DATE\+TIME"):
        import_calls(ws, [path], mapping={"received_at": "Date+Clock"})


def test_cli_imports_unlisted_and_split_exports_without_map(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "town"
    assert main(["new", str(folder), "--timezone", "America/Chicago"]) == 0
    unlisted().to_csv(tmp_path / "unlisted.csv", index=False)
    split().to_csv(tmp_path / "split.csv", index=False)
    capsys.readouterr()
    assert main(["import", "calls", str(folder), str(tmp_path / "unlisted.csv")]) == 0
    out = capsys.readouterr().out
    assert "Calls held: 60" in out
    assert "  received_at <- time (values are times; earliest of two time columns)" in out
    assert main(["import", "calls", str(folder), str(tmp_path / "split.csv")]) == 0
    out = capsys.readouterr().out
    assert "Calls held: 40" in out
    assert "received_at <- Received_Date+Received_Time (date from 'Received_Date'" in out


def test_cli_unsure_call_type_exits_2_with_the_map_to_use(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "town"
    assert main(["new", str(folder), "--timezone", "America/Chicago"]) == 0
    frame = unlisted()
    frame["problem"] = frame["nature"].str.lower()
    frame.to_csv(tmp_path / "two.csv", index=False)
    capsys.readouterr()
    assert main(["import", "calls", str(folder), str(tmp_path / "two.csv")]) == 2
    err = capsys.readouterr().err
    assert "('nature', 'problem')" in err and "--map call_type=nature" in err
    args = ["import", "calls", str(folder), str(tmp_path / "two.csv"), "--map", "call_type=problem"]
    assert main(args) == 0


def test_cli_mapping_file_names_a_date_and_time_pair(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The same DATE+TIME form works in a --mapping file as with --map."""
    folder = tmp_path / "town"
    assert main(["new", str(folder), "--timezone", "America/Chicago"]) == 0
    frame = split().rename(columns={"Cleared_Date": "Day", "Cleared_Time": "Clock"})
    frame.to_csv(tmp_path / "calls.csv", index=False)
    (tmp_path / "map.json").write_text('{"cleared_at": "Day+Clock"}', encoding="utf-8")
    capsys.readouterr()
    args = ["import", "calls", str(folder), str(tmp_path / "calls.csv")]
    assert main([*args, "--mapping", str(tmp_path / "map.json")]) == 0
    assert "cleared_at <- Day+Clock (chosen in the mapping)" in capsys.readouterr().out
    calls = Workspace.open(folder).calls()
    assert (calls["cleared_at"] - calls["received_at"]).eq(pd.Timedelta(minutes=50)).all()
    assert main([*args, "--map", "cleared_at=Day+Hour"]) == 2
    assert "no column 'Day+Hour'" in capsys.readouterr().err
