"""The definition of safety: each metric's baseline from calls whose answers are known by hand,
goals refused in plain words, and the saved decision printed by ``kit safety``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kit.cli import main
from kit.community.definition import (
    CALL_METRICS,
    DECISION_NAME,
    Sources,
    baseline,
    check_goals,
    definition,
    menu,
    read_sources,
    save_definition,
    saved_goals,
)
from kit.community.summary import survey_summary
from kit.community.survey import import_survey
from kit.errors import KitError
from kit.roles import DECISION_NAME as ROLES_DECISION
from kit.roles import new_document
from kit.workspace import Workspace
from tests.safety_samples import calls_frame as _calls
from tests.safety_samples import write_survey as _survey
from tests.ui_samples import make_workspace


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    root = tmp_path_factory.mktemp("safety")
    ws = make_workspace(root / "ws")
    ws.write_data({"calls": _calls()})
    import_survey(ws, _survey(root))
    return ws


@pytest.fixture(scope="module")
def sources(workspace: Workspace) -> Sources:
    return read_sources(workspace)


def test_response_time_is_the_median_for_the_most_urgent_priority(sources: Sources) -> None:
    found = baseline(sources, "urgent_response")
    assert found.value == pytest.approx(8.0)
    assert found.count == 3
    assert found.by_area["North"]["value"] == pytest.approx(7.0, abs=1e-4)
    assert found.by_area["South"]["value"] == pytest.approx(10.0, abs=1e-4)
    assert "Priority 1" in found.note


def test_repeat_calls_count_only_a_call_within_30_days_on_the_same_block(
    sources: Sources,
) -> None:
    found = baseline(sources, "repeat_calls")
    assert found.value == pytest.approx(2 / 7)
    assert found.by_area["North"]["value"] == pytest.approx(1 / 4, abs=1e-4)
    assert found.by_area["South"]["value"] == pytest.approx(1 / 3, abs=1e-4)


def test_arrests_are_counted_on_low_level_calls_only(sources: Sources) -> None:
    """The assault's arrest is left out; one of the four low-level calls ended in arrest."""
    found = baseline(sources, "low_level_arrests")
    assert found.value == pytest.approx(1 / 4)
    assert found.count == 4


def test_no_crime_hours_are_the_welfare_and_alarm_hours_a_year(sources: Sources) -> None:
    found = baseline(sources, "no_crime_hours")
    years = sources.cube.years or 1.0
    assert found.value * years == pytest.approx(3.0)
    assert found.detail is not None
    assert found.detail["behavioral_health"] * years == pytest.approx(2.0)
    assert found.detail["alarm"] * years == pytest.approx(1.0)
    assert found.by_area["South"]["value"] * years == pytest.approx(2.0, abs=1e-4)


def test_care_share_is_none_without_a_plan_and_follows_a_saved_one(
    tmp_path: Path, sources: Sources
) -> None:
    """Sending every welfare check to a crisis team answers (1 - screening) x take-up of them."""
    assert baseline(sources, "care_share").value == 0.0
    ws = make_workspace(tmp_path / "ws")
    ws.write_data({"calls": _calls()})
    plan = new_document()
    plan["assignments"] = {"WELFARE CHECK": {"crisis_team": 1.0}}
    ws.decisions.save(ROLES_DECISION, plan, base_version=None, step="02")
    crisis = plan["assumptions"]["crisis_team"]
    expected = (1 - crisis["screening"]) * crisis["take_up"]
    found = baseline(read_sources(ws), "care_share")
    assert found.value == pytest.approx(expected)
    assert found.by_area["South"]["value"] == pytest.approx(expected, abs=1e-4)
    assert found.note == ""


def test_survey_scores_are_the_weighted_means(workspace: Workspace, sources: Sources) -> None:
    found = baseline(sources, "survey_feel_safe")
    summary = survey_summary(workspace.read_table("survey"), workspace.profile)
    assert found.value == summary["scores"][0]["mean"]
    assert found.by_area["North"]["value"] == pytest.approx(8.0, abs=1e-4)
    assert found.by_area["South"]["value"] == pytest.approx(4.0, abs=1e-4)


def test_a_metric_the_data_cannot_give_says_what_is_missing(tmp_path: Path) -> None:
    ws = make_workspace(tmp_path / "ws")
    ws.write_data({"calls": _calls().drop(columns=["priority", "disposition", "block"])})
    found = read_sources(ws)
    assert "survey_feel_safe" not in menu(found)
    for key, words in (
        ("urgent_response", "no priority"),
        ("low_level_arrests", "no disposition"),
        ("repeat_calls", "no block"),
    ):
        assert baseline(found, key).value is None
        assert words in baseline(found, key).note
    assert baseline(found, "survey_feel_safe").note == "No survey imported."
    with pytest.raises(KitError, match="not a metric the kit computes"):
        baseline(found, "happiness")


@pytest.mark.parametrize(
    ("goals", "words"),
    [
        ("fewer arrests", "must be a list"),
        ([{"metric": "repeat_calls", "target": 0.1}], "has no text"),
        ([{"text": "Safer", "metric": "happiness", "target": 1}], "not on the menu"),
        ([{"text": "Safer", "metric": "repeat_calls", "target": "soon"}], "needs a target"),
        ([{"text": "Safer", "metric": "repeat_calls", "target": -1}], "needs a target"),
        ([{"text": "Safer", "metric": "repeat_calls", "target": 25}], "between 0 and 1"),
    ],
)
def test_bad_goals_are_refused_in_plain_words(sources: Sources, goals: object, words: str) -> None:
    with pytest.raises(KitError, match=words):
        check_goals(goals, menu(sources))


@settings(max_examples=30, deadline=None)
@given(st.lists(st.floats(min_value=0, max_value=1, allow_nan=False), max_size=4))
def test_good_goals_keep_their_targets(targets: list[float]) -> None:
    """Any share from 0 to 1 is a valid target and is kept as given, in order."""
    metrics = {metric.key: metric for metric in CALL_METRICS}
    goals = [
        {"text": f"Goal {i}", "metric": "repeat_calls", "target": t} for i, t in enumerate(targets)
    ]
    assert [goal["target"] for goal in check_goals(goals, metrics)] == targets


def test_definition_carries_each_goal_baseline(sources: Sources) -> None:
    document = definition(
        sources, [{"text": "Faster help in an emergency", "metric": "urgent_response", "target": 6}]
    )
    (goal,) = document["goals"]
    assert goal["baseline"]["value"] == pytest.approx(8.0, abs=1e-4)
    assert goal["baseline"]["suppressed"] is True  # three calls: an export hides them
    assert goal["unit"] == "minutes" and goal["better"] == "lower"


def test_kit_safety_prints_the_saved_goals(
    workspace: Workspace, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["safety", str(workspace.path)]) == 0
    assert "No definition of safety saved yet" in capsys.readouterr().out
    goals = [
        {"text": "People feel safe where they live", "metric": "survey_feel_safe", "target": 7},
        {"text": "Fewer repeat calls", "metric": "repeat_calls", "target": 0.2},
    ]
    version = save_definition(workspace, goals, user="tester")
    assert workspace.decisions.latest(DECISION_NAME).version == version
    assert [g["metric"] for g in saved_goals(workspace)] == ["survey_feel_safe", "repeat_calls"]
    assert main(["safety", str(workspace.path), "--json", "--menu"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["goals"][1]["target"] == 0.2
    assert document["goals"][1]["baseline"]["value"] == pytest.approx(2 / 7, abs=1e-4)
    assert {item["metric"] for item in document["menu"]} >= {"care_share", "survey_feel_safe"}
    assert main(["safety", str(workspace.path)]) == 0
    text = capsys.readouterr().out
    assert "Fewer repeat calls" in text
    assert "now 29%, target 20%" in text
    assert "fewer than 11 cases" in text  # four calls in North: hidden in print
