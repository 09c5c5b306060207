"""``kit new``, ``kit info`` and ``kit settings`` on the command line, with ``--json``'s shape."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest

from kit.cli import main
from kit.data.schema import arrow_schema
from kit.steps import STEPS
from kit.workspace import Area, Profile, Workspace


def _calls() -> pa.Table:
    """Four rows: one without a time; the last call is on 1 July in UTC but 30 June locally."""
    received = pd.to_datetime(
        ["2024-01-01 08:00", "2024-03-05 12:00", "2024-07-01 03:30", None], utc=True
    ).tz_convert("America/Chicago")
    frame = pd.DataFrame(
        {
            "call_id": ["1", "2", "3", "4"],
            "received_at": received,
            "call_type": ["ALARM", "THEFT", "ALARM", "THEFT"],
            "area": ["North", "South", None, "North"],
        }
    )
    schema = arrow_schema("America/Chicago")
    for name in schema.names:
        if name not in frame:
            frame[name] = pd.Series([None] * len(frame), dtype="object")
    return pa.Table.from_pandas(frame[schema.names], schema=schema, preserve_index=False)


@pytest.fixture
def town(tmp_path: Path) -> Path:
    path = tmp_path / "town"
    assert main(["new", str(path), "--name", "Town", "--timezone", "America/Chicago"]) == 0
    return path


def _info_json(path: Path, capsys: pytest.CaptureFixture[str]) -> dict:
    capsys.readouterr()
    assert main(["info", str(path), "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_info_json_on_a_new_workspace(town: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Before any import: zero rows, null dates, no problems, no decisions."""
    assert _info_json(town, capsys) == {
        "name": "Town",
        "population": 0,
        "areas": 0,
        "calls": {
            "rows": 0,
            "first": None,
            "last": None,
            "call_types": 0,
            "areas": 0,
            "problems": {},
        },
        "decisions": {},
        "steps": {
            step.number: {
                "title": step.title,
                "decisions": {
                    name: {"saved": False, "out_of_date": False, "reasons": []}
                    for name in step.decisions
                },
            }
            for step in STEPS
        },
    }


def test_info_json_after_import(town: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Counts, local dates, problems from the import report and decision versions."""
    ws = Workspace.open(town)
    area = Area("North", 600, 0.5, 0.2, 0.2, 0.05, 0.05)
    ws.save_profile(Profile("Town", 1000, "America/Chicago", 7, [area]))
    ws.save_profile(ws.profile, base_version=1)
    report = {
        "problems": {
            "unparseable_time": {"count": 1, "examples": [4], "message": "Times not read."},
            "cleared_before_received": {"count": 2, "examples": [7, 9], "message": "..."},
        }
    }
    ws.write_data({"calls": _calls()}, {"import_report": report})
    info = _info_json(town, capsys)
    assert info["population"] == 1000 and info["areas"] == 1
    assert info["calls"] == {
        "rows": 3,
        "first": "2024-01-01",
        "last": "2024-06-30",
        "call_types": 2,
        "areas": 2,
        "problems": {"unparseable_time": 1, "cleared_before_received": 2},
    }
    assert info["decisions"] == {"profile": 2}


def test_info_readable(town: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Without --json a person gets short labelled lines."""
    Workspace.open(town).write_data({"calls": _calls()})
    capsys.readouterr()
    assert main(["info", str(town)]) == 0
    out = capsys.readouterr().out
    assert "Town (America/Chicago" in out
    assert "3 from 2024-01-01 to 2024-06-30" in out
    assert "none saved yet" in out


def test_new_refuses_bad_input_with_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A bad zone, an existing folder or a sample with a zone exit 2 with one short line."""
    assert main(["new", str(tmp_path / "a"), "--timezone", "Nowhere/Land"]) == 2
    assert "not a known time zone" in capsys.readouterr().err
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "x").write_text("x")
    assert main(["new", str(tmp_path / "full")]) == 2
    assert main(["new", str(tmp_path / "s"), "--sample", "--timezone", "UTC"]) == 2
    err = capsys.readouterr().err
    assert "not an empty folder" in err and "--sample" in err
    assert "Traceback" not in err


def test_info_on_a_plain_folder_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Pointing info at a folder that is not a workspace says so."""
    assert main(["info", str(tmp_path), "--json"]) == 2
    assert "not a kit workspace" in capsys.readouterr().err


def test_the_small_count_is_set_at_creation_and_changed_later(
    tmp_path: Path, town: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The CMS rule's 11 by default; --small-count on new and on settings; kept on reopening."""
    assert Workspace.open(town).small_count == 11
    strict = tmp_path / "strict"
    assert main(["new", str(strict), "--small-count", "20"]) == 0
    assert Workspace.open(strict).small_count == 20
    capsys.readouterr()
    assert main(["settings", str(town), "--small-count", "5"]) == 0
    assert "counts from 1 to 4 are hidden" in capsys.readouterr().out
    reopened = Workspace.open(town)
    assert reopened.small_count == 5 and reopened.profile.name == "Town"
    assert main(["settings", str(town)]) == 0
    assert "small count: 5" in capsys.readouterr().out


@pytest.mark.parametrize("bad", ["0", "-2"])
def test_a_small_count_below_one_is_refused_in_plain_words(
    town: Path, bad: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["settings", str(town), "--small-count", bad]) == 2
    err = capsys.readouterr().err
    assert "whole number of at least 1" in err and "Traceback" not in err
    assert Workspace.open(town).small_count == 11


@pytest.mark.parametrize(
    ("command", "option"),
    [("new", "--timezone"), ("info", "--json"), ("settings", "--small-count")],
)
def test_help_exits_0(command: str, option: str, capsys: pytest.CaptureFixture[str]) -> None:
    """Each command explains itself and exits 0."""
    with pytest.raises(SystemExit, match=r"^0$") as caught:
        main([command, "--help"])
    assert caught.value.code == 0
    out = capsys.readouterr().out
    assert f"kit {command}" in out and option in out
