"""Importing a community survey: groups matched from the labels surveys use, 0-10 scores,
XLSX as well as CSV, and refusals that leave the workspace as it was."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from kit.cli import main
from kit.community.survey import (
    GROUP_COLUMN,
    NOT_SAID,
    import_survey,
    match_groups,
    normalise_label,
    parse_group_mapping,
)
from kit.data.survey import check_survey
from kit.errors import KitError
from kit.workspace import Workspace

AREAS = (
    "name,population,share_white_nh,share_black,share_hispanic,share_asian,share_other\n"
    "North,1000,50%,20%,20%,5%,5%\n"
    "South,3000,20%,40%,30%,5%,5%\n"
)
SURVEY = (
    "response_id,area,demographic_group,rating_traffic,score_feel_safe,score_police_respect\n"
    "R1,North,White,5,7,8\n"
    "R2,south,Black or African American,3,4,\n"
    "R3,South,Latino,4,6,5\n"
    "R4,South,Prefer not to say,2,,3\n"
    "R5,North,,1,10,0\n"
    "R6,South,Two or more races,,5,5\n"
)


@pytest.fixture
def workspace(tmp_path: Path) -> Workspace:
    """A workspace with two areas and nothing else."""
    ws = Workspace.create(tmp_path / "ws", name="Town")
    (tmp_path / "areas.csv").write_text(AREAS)
    assert main(["import", "areas", str(ws.path), str(tmp_path / "areas.csv")]) == 0
    return Workspace.open(ws.path)


@pytest.mark.parametrize(
    ("label", "group"),
    [
        ("White", "white_nh"),
        ("Black or African American", "black"),
        ("Black/African-American", "black"),
        ("Hispanic or Latino", "hispanic"),
        ("Latino", "hispanic"),
        ("LATINX", "hispanic"),
        ("Asian", "asian"),
        ("Two or more races", "other"),
        ("American Indian or Alaska Native", "other"),
        ("Prefer not to say", NOT_SAID),
        ("", NOT_SAID),
        ("Asiático", "asian"),
        ("Negro o afroamericano", "black"),
        ("Prefiero no decir", NOT_SAID),
    ],
)
def test_common_labels_are_matched(label: str, group: str) -> None:
    """The wording of common survey forms finds the profile's group without help."""
    assert match_groups(pd.Series([label])).tolist() == [group]


def test_other_labels_need_a_mapping() -> None:
    """A label the kit does not know stops the import, naming it and how to map it."""
    labels = pd.Series(["White", "MENA", "Pacifica"])
    with pytest.raises(KitError, match=r"'MENA', 'Pacifica'.*--group \"MENA=other\""):
        match_groups(labels)
    mapping = parse_group_mapping(["MENA=other", "Pacifica = Asian"])
    assert match_groups(labels, mapping).tolist() == ["white_nh", "other", "asian"]


def test_a_mapping_to_no_group_is_refused() -> None:
    """Mapping to something that is not a group says which groups there are."""
    with pytest.raises(KitError, match="'martian' is not one of the profile's groups"):
        match_groups(pd.Series(["x"]), {"x": "martian"})
    with pytest.raises(KitError, match="write it as LABEL=GROUP"):
        parse_group_mapping(["other"])


@given(st.text(max_size=30))
def test_normalised_labels_are_plain(label: str) -> None:
    """Whatever the label, its normal form is lower-case words separated by single spaces."""
    folded = normalise_label(label)
    assert folded == folded.strip()
    assert "  " not in folded
    assert all(part.isalnum() for part in folded.split())


def test_scores_are_0_to_10_beside_ratings() -> None:
    """score_ columns take 0-10; a rating of 7 or a score of 11 names the row and the scale."""
    frame = pd.DataFrame(
        {
            "response_id": ["a", "b"],
            "area": ["N", "N"],
            "rating_x": ["5", "7"],
            "score_safe": ["0", "11"],
        }
    )
    with pytest.raises(KitError, match=r"row 2: rating_x is '7'; use a whole number 1-5") as err:
        check_survey(frame)
    assert "row 2: score_safe is '11'; use a whole number 0-10" in str(err.value)
    fine = check_survey(frame.assign(rating_x=["5", ""], score_safe=["0", "10"]))
    assert fine["score_safe"].tolist() == [0, 10]


def test_a_survey_of_scores_alone_is_accepted() -> None:
    """A trust-and-safety survey with no priority ratings is still a survey."""
    frame = pd.DataFrame({"response_id": ["a"], "area": ["N"], "score_safe": ["4"]})
    assert check_survey(frame)["score_safe"].tolist() == [4]


def test_import_from_csv_keeps_every_group(workspace: Workspace, tmp_path: Path) -> None:
    """All six responses are kept, "Prefer not to say" and blank as not said; areas are the
    profile's spelling."""
    path = tmp_path / "survey.csv"
    path.write_text(SURVEY)
    result = import_survey(workspace, path)
    survey = workspace.read_table("survey")
    assert survey[GROUP_COLUMN].tolist() == [
        "white_nh",
        "black",
        "hispanic",
        NOT_SAID,
        NOT_SAID,
        "other",
    ]
    assert survey["area"].tolist()[1] == "South"
    assert result.scores == ["feel_safe", "police_respect"]
    assert result.groups[NOT_SAID] == 2


def test_import_from_xlsx(workspace: Workspace, tmp_path: Path) -> None:
    """An Excel workbook in the template's shape reads the same as the CSV."""
    book = openpyxl.Workbook()
    sheet = book.active
    for line in SURVEY.splitlines():
        sheet.append([int(c) if c.isdigit() else (c or None) for c in line.split(",")])
    book.save(tmp_path / "survey.xlsx")
    import_survey(workspace, tmp_path / "survey.xlsx")
    survey = workspace.read_table("survey")
    assert len(survey) == 6
    assert survey["score_feel_safe"].tolist()[:3] == [7, 4, 6]


def test_refused_imports_leave_the_workspace_as_it_was(
    workspace: Workspace, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A bad area, an unknown label or an unreadable file: exit 2, one message, no change."""
    good = tmp_path / "good.csv"
    good.write_text(SURVEY)
    assert main(["import", "survey", str(workspace.path), str(good)]) == 0
    before = workspace.read_table("survey")
    bad_area = tmp_path / "bad_area.csv"
    bad_area.write_text(SURVEY.replace("R3,South", "R3,Atlantis"))
    bad_label = tmp_path / "bad_label.csv"
    bad_label.write_text(SURVEY.replace("Latino", "Martian"))
    not_a_table = tmp_path / "page.csv"
    not_a_table.write_bytes(b"PK\x03\x04 not really a workbook")
    capsys.readouterr()
    for path, message in (
        (bad_area, "row 3: area 'Atlantis' is not one of the profile's areas"),
        (bad_label, "'Martian'"),
        (not_a_table, "page.csv"),
        (tmp_path / "missing.csv", "missing.csv"),
    ):
        assert main(["import", "survey", str(workspace.path), str(path)]) == 2
        err = capsys.readouterr().err
        assert message in err and "Traceback" not in err
    pd.testing.assert_frame_equal(workspace.read_table("survey"), before)


def test_mapping_on_the_command_line(
    workspace: Workspace, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--group maps a label the kit does not know."""
    path = tmp_path / "survey.csv"
    path.write_text(SURVEY.replace("Latino", "Middle Eastern"))
    assert (
        main(
            ["import", "survey", str(workspace.path), str(path), "--group", "Middle Eastern=other"]
        )
        == 0
    )
    assert "Other or several 2" in capsys.readouterr().out


def test_survey_needs_areas_first(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Without areas there is nothing to weight to: the message says to import them."""
    ws = Workspace.create(tmp_path / "empty")
    path = tmp_path / "survey.csv"
    path.write_text(SURVEY)
    assert main(["import", "survey", str(ws.path), str(path)]) == 2
    assert "kit import areas" in capsys.readouterr().err
    assert not ws.has_table("survey")


def test_import_areas_and_budget(
    workspace: Workspace, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Areas become a new profile version; the budget becomes the budget table; a bad file
    changes neither."""
    assert workspace.profile.area_names == ["North", "South"]
    assert workspace.profile.population == 4000
    budget = tmp_path / "budget.csv"
    budget.write_text(
        'fiscal_year,category,item,amount\n2025,salaries,Pay,"$1,000"\n'
        "2025,sworn_headcount,FTE,10\n"
    )
    assert main(["import", "budget", str(workspace.path), str(budget)]) == 0
    assert workspace.read_table("budget")["amount"].tolist() == [1000.0, 10.0]
    budget.write_text("fiscal_year,category,item,amount\n2025,bonuses,Pay,5\n")
    bad_areas = tmp_path / "bad_areas.csv"
    bad_areas.write_text(AREAS.replace("1000", "-5"))
    version = workspace.profile_version
    capsys.readouterr()
    assert main(["import", "budget", str(workspace.path), str(budget)]) == 2
    assert "category 'bonuses'" in capsys.readouterr().err
    assert main(["import", "areas", str(workspace.path), str(bad_areas)]) == 2
    assert "Line 2" in capsys.readouterr().err
    assert workspace.profile_version == version
    assert workspace.read_table("budget")["amount"].tolist() == [1000.0, 10.0]


def test_comments_are_scrubbed_on_import(workspace: Workspace, tmp_path: Path) -> None:
    """A comment's phone number, e-mail, address and the name in it are not kept; the
    profile's area names are."""
    path = tmp_path / "survey.csv"
    path.write_text(
        "response_id,area,rating_traffic,comment\n"
        'R1,North,4,"Call Keisha at (555) 201-3344 or kb@example.org, 1412 Elm Street, North"\n'
    )
    import_survey(workspace, path)
    comment = workspace.read_table("survey")["comment"][0]
    for gone in ("Keisha", "555", "example.org", "1412"):
        assert gone not in comment
    assert "North" in comment and "[phone]" in comment and "[email]" in comment
