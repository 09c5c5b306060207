"""`kit staffing`: the least number of teams for a load and a response target."""

from __future__ import annotations

import json

import pytest

from kit.cli import main


def test_textbook_case_as_json(capsys: pytest.CaptureFixture[str]) -> None:
    """200 three-minute calls an hour, 80% within 20 seconds: 14 teams reach 88.8%."""
    code = main(
        [
            "staffing",
            "--calls-per-hour=200",
            "--minutes-per-call=3",
            f"--target-minutes={20 / 60}",
            "--target-share=0.8",
            "--json",
        ]
    )
    assert code == 0
    out = json.loads(capsys.readouterr().out)
    assert out["teams"] == 14
    assert out["share_within_target"] == pytest.approx(0.888, abs=5e-4)


def test_plain_text_with_travel(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        [
            "staffing",
            "--calls-per-hour=2",
            "--minutes-per-call=60",
            "--target-minutes=20",
            "--target-share=0.9",
            "--travel-minutes=10",
        ]
    )
    assert code == 0
    out = capsys.readouterr().out
    assert out.split()[0].isdigit() and "within 20 minutes" in out


def test_no_calls_need_no_teams(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["staffing", "--calls-per-hour=0", "--minutes-per-call=45"]
    assert main([*args, "--target-minutes=20", "--target-share=0.9", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"teams": 0, "share_within_target": 1.0}


@pytest.mark.parametrize(
    "extra",
    [
        ["--target-share=0.9", "--travel-minutes=20"],
        ["--target-share=0.9", "--travel-minutes=30"],
        ["--target-share=1"],
        ["--target-share=1.5"],
    ],
)
def test_unreachable_target_exits_2(extra: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    """A target no number of teams can meet is a user's problem: a message and exit code 2."""
    args = ["staffing", "--calls-per-hour=3", "--minutes-per-call=45", "--target-minutes=20"]
    assert main([*args, *extra]) == 2
    err = capsys.readouterr().err
    assert err.startswith("kit: ") and "Traceback" not in err


def test_simulation_check_on_request(capsys: pytest.CaptureFixture[str]) -> None:
    """--simulate runs the calls through the queue; the share lands near the formula's."""
    args = ["staffing", "--calls-per-hour=3", "--minutes-per-call=45", "--target-minutes=20"]
    assert (
        main([*args, "--target-share=0.9", "--travel-minutes=8", "--simulate=200000", "--json"])
        == 0
    )
    out = json.loads(capsys.readouterr().out)
    assert out["simulated_share_within_target"] == pytest.approx(
        out["share_within_target"], abs=0.01
    )
    assert main([*args, "--target-share=0.9", "--simulate=10"]) == 2
