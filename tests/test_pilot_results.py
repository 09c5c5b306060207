"""Step 04's results: ``kit evaluate`` recovers a known effect, reads it in plain words, saves
``pilot_results``, prints a page, and refuses bad input in one plain line."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from results_samples import RESPONDER, WEEKS, pilot_workspace

from kit.cli import main
from kit.errors import KitError
from kit.pages.pilot_results import results_html
from kit.pilot.definition import Pilot as SavedPilot
from kit.pilot.event_study import event_study_chart, event_study_frame
from kit.pilot.results import (
    DECISION_NAME,
    Pilot,
    choose_method,
    evaluate,
    parse_starts,
    responder_answered,
)
from kit.workspace import Workspace

START = WEEKS[28]
PILOT = ("Area A", "Area C", "Area F")


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    """Welfare checks thinned by 30% in three of eight areas from week 28."""
    return pilot_workspace(tmp_path_factory.mktemp("pilot") / "ws", dict.fromkeys(PILOT, START))


def _args(ws: Workspace, *extra: str) -> list[str]:
    areas = [x for a in PILOT for x in ("--area", a)]
    return ["evaluate", str(ws.path), "--call-type", "CHECK WELFARE", *areas, *extra]


def test_evaluate_json_recovers_the_thinned_calls_and_saves_the_results(
    ws: Workspace, capsys: pytest.CaptureFixture[str]
) -> None:
    """With the crisis team's disposition named, 30% fewer police-handled calls lies in the
    interval, the reading says so, and the decision is saved with what it was based on."""
    start = f"--start={START.date()}"
    code = main(_args(ws, start, "--responder-disposition", RESPONDER.lower(), "--json"))
    doc = json.loads(capsys.readouterr().out)
    assert code == 0
    assert doc["method"] == "did" and doc["inference"] == "randomisation inference"
    assert doc["low"] <= -0.3 <= doc["high"] and doc["high"] < 0
    assert abs(doc["effect"] + 0.3) < 0.08
    assert 0 < doc["p_value"] <= 1
    assert doc["comparison_areas"] == ["Area B", "Area D", "Area E", "Area G", "Area H"]
    assert (doc["weeks_before"], doc["weeks_after"]) == (28, 12)
    assert doc["reading"].startswith("Police handled about 3")
    assert (
        "fewer calls of CHECK WELFARE in Area A, Area C and Area F (95% interval" in doc["reading"]
    )
    saved = ws.decisions.latest(DECISION_NAME)
    assert saved is not None and saved.version == doc["saved_version"]
    assert saved.document["effect"] == doc["effect"]
    assert saved.document["basis"]["data_version"] == ws.data_version()
    shares = {row["area"]: row["share"] for row in doc["responder"]["areas"]}
    assert set(shares) == set(PILOT)
    assert all(abs(share - 0.3) < 0.1 for share in shares.values())
    by_area = {row["area"]: row for row in doc["by_area"]}
    assert by_area["Area A"]["share_residents_of_color"] == pytest.approx(0.8)
    assert by_area["Area F"]["median_household_income"] == 65_000
    assert all(row["effect"] < 0 for row in by_area.values())


def test_without_the_responder_disposition_every_call_is_police_handled(ws: Workspace) -> None:
    """The thinned calls are still in the data: counted as police-handled, nothing changed."""
    pilot = Pilot(("WELCHK",), dict.fromkeys(PILOT, START.date()))
    results = evaluate(ws, pilot)
    assert results.estimate.low < 0 < results.estimate.high
    assert results.reading.startswith("No clear change: police handled")
    assert results.responder is None


def test_a_staggered_rollout_is_estimated_area_by_area_start(tmp_path: Path) -> None:
    """With a start per area the method is the staggered one and the effect is recovered."""
    starts = {"Area A": WEEKS[20], "Area C": WEEKS[26], "Area F": WEEKS[32]}
    ws = pilot_workspace(tmp_path / "ws", starts, share=0.4, seed=5)
    texts = [f"{area}={when.date()}" for area, when in starts.items()]
    pilot = Pilot(
        ("WELCHK",),
        parse_starts(texts, list(starts)),
        responder_dispositions=(RESPONDER,),
    )
    results = evaluate(ws, pilot)
    assert results.estimate.method == "stepped"
    assert results.estimate.low <= -0.4 <= results.estimate.high
    assert [row["area"] for row in results.by_area] == list(starts)


def test_the_saved_design_chooses_the_method_unless_told_otherwise(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A saved pilot design's method is used and named; --method overrides it, and the output
    says the plan differed."""
    ws = pilot_workspace(tmp_path / "ws", dict.fromkeys(PILOT, START))
    ws.decisions.save("pilot_design", {"design": "its"}, base_version=None, step="04")
    assert main(_args(ws, "--start", str(START.date()), "--no-save", "--json")) == 0
    doc = json.loads(capsys.readouterr().out)
    assert (doc["method"], doc["planned_method"], doc["comparison_areas"]) == ("its", "its", [])
    assert "anything else that changed" in doc["reading"]
    assert main(_args(ws, "--start", str(START.date()), "--no-save", "--method", "did")) == 0
    out = capsys.readouterr().out
    assert "The saved design planned its; this evaluation used difference-in-differences" in out


def test_the_saved_design_names_the_pilot_when_the_options_do_not(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Without --call-type, --area or --start, the saved pilot design's are evaluated, as if
    they had been given; with none saved, the refusal says what to give."""
    ws = pilot_workspace(tmp_path / "ws", dict.fromkeys(PILOT, START))
    assert main(["evaluate", str(ws.path), "--no-save"]) == 2
    assert "No pilot design is saved" in capsys.readouterr().err
    design = SavedPilot(("CHECK WELFARE",), "crisis_team", PILOT, start=START.date(), weeks=12)
    ws.decisions.save("pilot_design", design.to_document(), base_version=None, step="04")
    assert main(["evaluate", str(ws.path), "--no-save", "--json"]) == 0
    saved = json.loads(capsys.readouterr().out)
    assert main(_args(ws, "--start", str(START.date()), "--no-save", "--json")) == 0
    assert saved == json.loads(capsys.readouterr().out)
    assert (saved["weeks_before"], saved["weeks_after"]) == (28, 12)


def test_an_end_date_leaves_later_weeks_out(ws: Workspace) -> None:
    pilot = Pilot(("WELCHK",), dict.fromkeys(PILOT, START.date()), end=WEEKS[33].date())
    assert evaluate(ws, pilot, method="its").estimate.weeks_after == 5


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--start", "2024-13-01"], "--start '2024-13-01': write the date as YYYY-MM-DD"),
        (["--start", "Area Z=2024-07-15"], "'Area Z' is not one of the pilot areas"),
        (["--start", "Area A=2024-07-15"], "No --start for Area C, Area F"),
        (["--start", "2024-07-15", "--end", "2024-07-01"], "The end (2024-07-01) must come after"),
        (
            ["--start", "Area A=2024-07-15", "--start", "Area C=2024-07-22", "--start",
             "Area F=2024-07-22", "--method", "did"],
            "start on different days, which difference-in-differences across areas cannot use",
        ),
        (["--start", "2024-07-15", "--call-type", "NOPE"], "No call type 'NOPE'"),
        (["--start", "2024-07-15", "--area", "Atlantis"], "No calls in area Atlantis"),
        (["--start", "2030-01-06"], "leaves no weeks before or after it"),
    ],
)  # fmt: skip
def test_bad_input_exits_2_with_one_plain_line(
    ws: Workspace, extra: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Every refusal names what to fix; nothing is saved."""
    before = ws.decisions.names()
    assert main(_args(ws, *extra)) == 2
    err = capsys.readouterr().err
    assert err.startswith("kit: ") and message in err and "Traceback" not in err
    assert ws.decisions.names() == before


def test_a_workspace_without_calls_is_told_to_import_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ws = Workspace.create(tmp_path / "empty", timezone="America/Chicago")
    assert main(_args(ws, "--start", "2024-07-15")) == 2
    assert "holds no calls yet" in capsys.readouterr().err


def test_the_page_prints_the_reading_chart_and_equity(
    ws: Workspace, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page = tmp_path / "results.html"
    extra = ["--start", str(START.date()), "--responder-disposition", RESPONDER, "--page"]
    assert main(_args(ws, *extra, str(page), "--no-save")) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].startswith("Police handled about")
    assert f"The page to print is in {page}." in out
    html = page.read_text(encoding="utf-8")
    assert "Pilot results: Pilotville" in html and "<svg" in html
    assert "Calls the new responder answered" in html and "Area C" in html


def test_text_from_the_data_is_escaped_on_the_page() -> None:
    """An area or call type named like markup is printed as text."""
    doc = {
        "reading": "Police handled <b>fewer</b> calls.",
        "outcome": "calls of <script>x</script>",
        "effect": -0.3, "low": -0.4, "high": -0.2, "p_value": 0.01,
        "method": "did", "method_name": "difference-in-differences", "planned_method": None,
        "inference": "randomisation inference", "starts": {"<i>North</i>": "2024-07-15"},
        "comparison_areas": ["South"], "weeks_before": 20, "weeks_after": 10, "end": None,
        "periods": [], "by_area": [], "responder": None,
    }  # fmt: skip
    html = str(results_html(doc))
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "&lt;i&gt;North&lt;/i&gt; from 2024-07-15" in html
    assert "The event study comes with difference-in-differences" in html


def test_small_counts_of_responder_calls_are_not_printed() -> None:
    doc_rows = [
        {"area": "North", "share": 0.5, "denominator": 4.0, "difference_pp": 1.0},
        {"area": "South", "share": 0.25, "denominator": 400.0, "difference_pp": -1.0},
    ]
    doc = {
        "reading": "r", "outcome": "calls", "effect": -0.3, "low": -0.4, "high": -0.2,
        "p_value": None, "method": "its", "method_name": "interrupted time series",
        "planned_method": "its", "inference": "Newey-West", "starts": {"North": "2024-07-15"},
        "comparison_areas": [], "weeks_before": 20, "weeks_after": 10, "end": None,
        "periods": [], "by_area": [],
        "responder": {"areas": doc_rows, "citywide": 0.3, "correlations": {}},
    }  # fmt: skip
    html = str(results_html(doc, small_count=11))
    assert "fewer than 11 calls" in html and "50%" not in html and "25%" in html


def test_the_event_study_frame_and_chart() -> None:
    """Periods become weeks from the start, with the reference period at zero; the chart has
    a line at no change, one at the start, the intervals and the points."""
    periods = [
        {"period": -3, "effect": 0.02, "low": -0.1, "high": 0.15},
        {"period": 0, "effect": -0.3, "low": -0.4, "high": -0.2},
        {"period": 1, "effect": -0.28, "low": -0.38, "high": -0.17},
    ]
    frame = event_study_frame(periods)
    assert list(frame["weeks"]) == [-12, -4, 0, 4]
    assert list(frame["when"]) == ["before the start", "reference", *["after the start"] * 2]
    assert frame.loc[frame["when"] == "reference", ["effect", "low", "high"]].eq(0).all(axis=None)
    spec = event_study_chart(frame, "calls of CHECK WELFARE").to_dict()
    assert len(spec["layer"]) == 4
    points = spec["layer"][3]
    assert points["encoding"]["y"]["axis"]["format"] == "%"
    assert points["encoding"]["y"]["title"] == "Change in police-handled calls"
    assert spec["title"]["subtitle"] == "calls of CHECK WELFARE"
    assert event_study_frame([]).empty


def test_parse_starts_and_choose_method() -> None:
    assert parse_starts(["2024-07-15"], ["A", "B"]) == {
        "A": date(2024, 7, 15),
        "B": date(2024, 7, 15),
    }
    with pytest.raises(KitError, match="not both"):
        parse_starts(["2024-07-15", "A=2024-07-22"], ["A"])
    with pytest.raises(KitError, match="one --start for the whole pilot"):
        parse_starts(["2024-07-15", "2024-07-22"], ["A"])
    assert choose_method(None, None, staggered=False) == "did"
    assert choose_method(None, None, staggered=True) == "stepped"
    assert choose_method(None, "synthetic", staggered=False) == "synthetic"
    assert choose_method(None, "randomised", staggered=False, drawn=True) == "randomised"
    assert choose_method("its", "synthetic", staggered=False) == "its"
    with pytest.raises(KitError, match="Unknown method 'rct'"):
        choose_method("rct", None, staggered=False)


def test_responder_dispositions_match_whatever_the_case_and_spacing() -> None:
    calls = pd.DataFrame({"disposition": ["Crisis  Team", "CRISIS TEAM", None, "NAT"]})
    found = responder_answered(calls, ["crisis team"])
    assert list(found) == [True, True, False, False]
    assert not responder_answered(calls, []).any()
    assert np.asarray(found).dtype == bool
