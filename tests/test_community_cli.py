"""``kit community``: the weighted survey as JSON in the documented shape, and as plain text
with small counts hidden."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from kit.cli import main
from kit.community.summary import survey_summary
from kit.community.survey import import_survey
from kit.suppression import hidden_ranges
from kit.workspace import Workspace
from sample_city import generate

AREAS = (
    "name,population,share_white_nh,share_black,share_hispanic,share_asian,share_other\n"
    "North,4000,60%,10%,20%,5%,5%\n"
    "South,6000,20%,50%,20%,5%,5%\n"
    "Harbor,500,40%,30%,20%,5%,5%\n"
)


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    """North answers far more than South; Harbor has only 4 respondents."""
    root = tmp_path_factory.mktemp("community")
    ws = Workspace.create(root / "ws", name="Town")
    (root / "areas.csv").write_text(AREAS)
    assert main(["import", "areas", str(ws.path), str(root / "areas.csv")]) == 0
    rng = np.random.default_rng(3)
    area = np.array(["North"] * 160 + ["South"] * 40 + ["Harbor"] * 4)
    group = rng.choice(["White", "Black", "Hispanic", "Asian", "Prefer not to say"], len(area))
    frame = pd.DataFrame(
        {
            "response_id": [f"R{i}" for i in range(len(area))],
            "area": area,
            "demographic_group": group,
            "rating_traffic": np.where(
                area == "North", rng.integers(4, 6, len(area)), rng.integers(1, 4, len(area))
            ),
            "rating_youth": rng.integers(1, 6, len(area)),
            "score_feel_safe": np.where(area == "North", 8, 3),
        }
    )
    frame.loc[0, ["rating_traffic", "rating_youth", "score_feel_safe"]] = None
    frame.to_csv(root / "survey.csv", index=False)
    import_survey(ws, root / "survey.csv")
    return ws


def test_json_has_the_documented_shape(
    workspace: Workspace, capsys: pytest.CaptureFixture[str]
) -> None:
    """Respondents exclude the row with no answer; weighting pulls the means towards South,
    whose residents outnumber North's though it answered less."""
    assert main(["community", str(workspace.path), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["respondents"] == 203
    assert 0 < doc["effective_n"] < 203 and doc["design_effect"] > 1
    assert doc["effective_n"] == pytest.approx(203 / doc["design_effect"], rel=1e-2)
    assert [p["priority"] for p in doc["priorities"]] == ["traffic", "youth"]
    traffic = doc["priorities"][0]
    assert set(traffic) >= {"priority", "mean", "low", "high", "mean_unweighted"}
    assert traffic["low"] < traffic["mean"] < traffic["high"]
    assert traffic["mean"] < traffic["mean_unweighted"]  # South's 2s count for more
    assert [s["score"] for s in doc["scores"]] == ["feel_safe"]
    assert 0 <= doc["scores"][0]["mean"] <= 10
    harbor = next(a for a in doc["by_area"] if a["area"] == "Harbor")
    assert harbor["respondents"] == 4 and harbor["suppressed"] is True
    north = next(a for a in doc["by_area"] if a["area"] == "North")
    assert north["suppressed"] is False
    assert 4 <= north["priorities"][0]["mean"] <= 5
    assert {g["group"] for g in doc["by_group"]} == {
        "white_nh",
        "black",
        "hispanic",
        "asian",
        "other",
        "not_said",
    }
    areas = {row["area"]: row for row in doc["participation"]["areas"]}
    assert areas["South"]["share_of_residents"] == pytest.approx(6000 / 10500, abs=1e-4)
    assert areas["South"]["share_of_respondents"] == pytest.approx(40 / 203, abs=1e-4)
    other = next(g for g in doc["participation"]["groups"] if g["group"] == "other")
    assert other["respondents"] == 0 and other["suppressed"] is False
    assert any("non-Hispanic white" in note for note in doc["notes"])
    assert any("all residents" in note for note in doc["notes"])


def test_text_hides_small_counts(workspace: Workspace, capsys: pytest.CaptureFixture[str]) -> None:
    """The printed form never shows a count of 1 to 10 people."""
    assert main(["community", str(workspace.path)]) == 0
    out = capsys.readouterr().out
    harbor = next(line for line in out.splitlines() if line.strip().startswith("Harbor"))
    assert "not shown" in harbor and " 4 " not in harbor
    assert harbor.split()[-2] == "-"  # nor its share of respondents, which gives it away
    south = next(line for line in out.splitlines() if line.strip().startswith("South"))
    assert "not shown" in south  # else 203 respondents minus North's and South's give Harbor's
    assert "weighted [95% interval]" in out and "traffic" in out


@pytest.mark.parametrize(("small_count", "north_hidden"), [(5, False), (11, False), (50, True)])
def test_flags_hide_small_areas_and_what_would_give_them_back(
    workspace: Workspace, small_count: int, north_hidden: bool
) -> None:
    """Harbor (4) is hidden with South beside it; at 50, South (40) and Harbor together span
    only 44, so North goes too. Every hidden area's range given the total and the shown areas
    is at least the threshold wide."""
    doc = survey_summary(workspace.read_table("survey"), workspace.profile, small_count)
    assert doc["small_count"] == small_count
    counts = [row["respondents"] for row in doc["by_area"]]
    hidden = [row["suppressed"] for row in doc["by_area"]]
    assert dict(zip(counts, hidden, strict=True)) == {159: north_hidden, 40: True, 4: True}
    ranges = hidden_ranges(counts, [list(range(len(counts)))], hidden)
    assert all(high - low >= small_count for low, high in ranges)
    groups = [row["respondents"] for row in doc["by_group"] if row["suppressed"]]
    assert len(groups) != 1 and all(count > 0 for count in groups)


def test_the_workspace_threshold_reaches_the_export(
    tmp_path: Path, workspace: Workspace, capsys: pytest.CaptureFixture[str]
) -> None:
    """With the threshold at 4, Harbor's 4 respondents are shown."""
    copy = tmp_path / "copy"
    shutil.copytree(workspace.path, copy, symlinks=True)
    assert main(["settings", str(copy), "--small-count", "4"]) == 0
    capsys.readouterr()
    assert main(["community", str(copy), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["small_count"] == 4
    assert not any(row["suppressed"] for row in doc["by_area"])


def test_a_workspace_without_survey_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """No survey yet: one line saying how to import one."""
    ws = Workspace.create(tmp_path / "empty")
    assert main(["community", str(ws.path), "--json"]) == 2
    assert "kit import survey" in capsys.readouterr().err


def test_sample_city_files_import_and_weigh(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The sample city's areas and survey files go in with the commands a consultant uses,
    with no mapping needed, and the loud area shows in participation."""
    ws = Workspace.create(tmp_path / "city", name=generate.CITY_NAME)
    generate.areas().to_csv(tmp_path / "areas.csv", index=False)
    generate.survey().to_csv(tmp_path / "survey.csv", index=False)
    assert main(["import", "areas", str(ws.path), str(tmp_path / "areas.csv")]) == 0
    assert main(["import", "survey", str(ws.path), str(tmp_path / "survey.csv")]) == 0
    capsys.readouterr()
    assert main(["community", str(ws.path), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    loud = next(a for a in doc["participation"]["areas"] if a["area"] == generate.LOUD_AREA)
    assert loud["share_of_respondents"] > 2.5 * loud["share_of_residents"]
    assert [s["score"] for s in doc["scores"]] == list(generate.SURVEY_SCORES)


def test_a_survey_without_answers_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Responses whose every rating and score is blank give nothing to weigh: one message."""
    ws = Workspace.create(tmp_path / "blank")
    (tmp_path / "areas.csv").write_text(AREAS)
    (tmp_path / "survey.csv").write_text("response_id,area,rating_traffic\nR1,North,\n")
    assert main(["import", "areas", str(ws.path), str(tmp_path / "areas.csv")]) == 0
    assert main(["import", "survey", str(ws.path), str(tmp_path / "survey.csv")]) == 0
    capsys.readouterr()
    assert main(["community", str(ws.path), "--json"]) == 2
    assert "No response in the survey has a rating or a score" in capsys.readouterr().err
