"""`kit voices` imports pol.is, Decidim and session files into a workspace and reports on them."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from community_samples import SHARED, write_decidim, write_polis, write_sessions
from ui_samples import AREAS, make_workspace

from kit.cli import main
from kit.community.voices import free_texts, voices_summary
from kit.workspace import Workspace


@pytest.fixture(scope="module")
def filled(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    folder = tmp_path_factory.mktemp("voices")
    workspace = make_workspace(folder / "ws")
    comments, votes = write_polis(folder)
    proposals, decidim_comments = write_decidim(folder)
    notes = write_sessions(folder / "notes.csv", AREAS)
    args = ["voices", str(workspace.path), "--polis", str(comments), str(votes)]
    args += ["--decidim", str(proposals), str(decidim_comments), "--sessions", str(notes)]
    assert main(args) == 0
    return workspace


def test_json_reports_groups_consensus_roles_and_themes(
    filled: Workspace, capsys: pytest.CaptureFixture[str]
) -> None:
    """One JSON object: two opinion groups, the shared statement first, roles and themes."""
    capsys.readouterr()
    assert main(["voices", str(filled.path), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert [g["participants"] for g in report["polis"]["groups"]] == [30, 30]
    assert report["polis"]["consensus"][0]["comment_id"] == str(SHARED)
    assert report["sessions"]["roles_not_heard"] == ["officer", "elected official"]
    assert report["decidim"]["most_supported"][0]["support"] == 48
    themes = {t["theme"]: t for t in report["themes"]}
    assert themes["mental health and crisis"]["quotes"] >= 2
    # pol.is statements count for their author's opinion group (authors 0-7 are in one)
    assert set(themes["youth"]["by_group"]) >= {report["polis"]["groups"][0]["group"]}
    assert report["texts"] == 16


def test_nothing_personal_is_kept_in_the_workspace(filled: Workspace) -> None:
    """Names, phone numbers and addresses in the imported files are not in any stored table."""
    stored = " ".join(
        filled.read_table(name).astype(str).to_csv()
        for name in ("polis_comments", "decidim", "sessions")
    )
    for personal in ("Keisha", "Whitfield", "555-201-3344", "1412 North Elm", "Dana", "Okafor"):
        assert personal not in stored


def test_plain_text_lists_what_groups_share_and_who_was_not_heard(
    filled: Workspace, capsys: pytest.CaptureFixture[str]
) -> None:
    """The text form names the consensus statement and the stakeholders not heard."""
    capsys.readouterr()
    assert main(["voices", str(filled.path)]) == 0
    out = capsys.readouterr().out
    assert "what most groups agree on:\n    85%  Streetlights on every block" in out
    assert "not heard: officer, elected official" in out


def test_a_refused_file_leaves_the_workspace_as_it_was(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Bad votes exit 2 with the row to fix, and the earlier conversation is still held."""
    workspace = make_workspace(tmp_path / "ws")
    comments, votes = write_polis(tmp_path)
    assert main(["voices", str(workspace.path), "--polis", str(comments), str(votes)]) == 0
    held = workspace.read_table("polis_votes")
    bad = tmp_path / "bad.csv"
    bad.write_text("participant,0,1\n1,1,5\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["voices", str(workspace.path), "--polis", str(comments), str(bad)]) == 2
    assert "row 1: 1 '5' is not one of [-1, 0, 1]" in capsys.readouterr().err
    assert workspace.read_table("polis_votes").equals(held)


def test_votes_on_statements_the_comments_file_lacks_are_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Files of two different exports do not mix."""
    workspace = make_workspace(tmp_path / "ws")
    comments, _ = write_polis(tmp_path)
    other = tmp_path / "other.csv"
    other.write_text("participant,0,99\n1,1,1\n", encoding="utf-8")
    assert main(["voices", str(workspace.path), "--polis", str(comments), str(other)]) == 2
    assert "comment(s) 99 that the comments file lacks" in capsys.readouterr().err


def test_workspace_copy_of_themes_replaces_the_kits(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--copy-themes puts an editable copy in rules/; an edited copy is what counts."""
    workspace = make_workspace(tmp_path / "ws")
    notes = write_sessions(tmp_path / "notes.csv", AREAS)
    assert main(["voices", str(workspace.path), "--copy-themes", "--sessions", str(notes)]) == 0
    own = workspace.path / "rules" / "themes.csv"
    own.write_text("theme,keywords\nbeds,bed*\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["voices", str(workspace.path), "--json"]) == 0
    themes = json.loads(capsys.readouterr().out)["themes"]
    assert [(t["theme"], t["quotes"]) for t in themes] == [("beds", 1)]


def test_an_empty_workspace_reports_no_texts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Before any import the command still answers, with nothing to show."""
    workspace = make_workspace(tmp_path / "ws")
    assert main(["voices", str(workspace.path), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["texts"] == 0 and "polis" not in report


def test_survey_comments_join_the_themes_by_demographic_group(tmp_path: Path) -> None:
    """A survey's free-text comments count for their area and the respondent's group."""
    workspace = make_workspace(tmp_path / "ws")
    survey = pd.DataFrame(
        {
            "response_id": ["r1", "r2", "r3"],
            "area": ["North", "South", "North"],
            "demographic_group": ["Black", "", "Black"],
            "comment": ["Too dark at night; call 555 201 3344", "", "More youth programmes"],
        }
    )
    workspace.write_data({"survey": survey})
    texts = free_texts(workspace)
    assert list(texts["source"]) == ["survey", "survey"]  # the blank comment is not a text
    (lighting,) = [t for t in voices_summary(workspace)["themes"] if t["theme"].startswith("light")]
    assert lighting["by_group"] == {"Black": 1} and lighting["by_area"] == {"North": 1}
    assert lighting["examples"] == ["Too dark at night; call [phone]"]
