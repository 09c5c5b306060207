"""kit history / restore / drafts: a consultant can see and undo every saved decision."""

from __future__ import annotations

import json

import pytest

from kit.cli import main
from kit.errors import ConflictError
from kit.workspace import Workspace


@pytest.fixture()
def ws(tmp_path) -> Workspace:
    workspace = Workspace.create(tmp_path / "ws", name="Testville")
    store = workspace.decisions
    store.save("goals", {"goal": "first"}, base_version=None, step="01", user="ana")
    store.save("goals", {"goal": "second"}, base_version=1, step="01", user="ben")
    return workspace


def test_history_lists_versions_as_json(ws, capsys) -> None:
    """Every version is listed with who saved it and from which step."""
    assert main(["history", str(ws.path), "goals", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(r["version"], r["user"], r["step"]) for r in rows] == [
        (1, "ana", "01"),
        (2, "ben", "01"),
    ]


def test_history_without_name_lists_latest_versions(ws, capsys) -> None:
    """The overview gives each decision's latest version."""
    assert main(["history", str(ws.path), "--json"]) == 0
    rows = {r["name"]: r["latest_version"] for r in json.loads(capsys.readouterr().out)}
    assert rows["goals"] == 2


def test_restore_brings_back_the_earlier_document_as_a_new_version(ws, capsys) -> None:
    """A restore is a new version holding the old document; nothing is deleted."""
    assert main(["restore", str(ws.path), "goals", "1"]) == 0
    assert "as version 3" in capsys.readouterr().out
    latest = ws.decisions.latest("goals")
    assert latest.version == 3 and latest.document["goal"] == "first"
    assert ws.decisions.get("goals", 2).document["goal"] == "second"


def test_restore_of_a_missing_version_exits_2_with_a_message(ws, capsys) -> None:
    """A version that does not exist is a plain message, not a traceback."""
    assert main(["restore", str(ws.path), "goals", "9"]) == 2
    err = capsys.readouterr().err
    assert "no version 9" in err and "Traceback" not in err


def test_drafts_lists_and_shows_a_refused_save(ws, capsys) -> None:
    """A save refused for a conflict is kept and can be read back whole."""
    with pytest.raises(ConflictError, match="Not saved"):
        ws.decisions.save("goals", {"goal": "typed late"}, base_version=1, step="01", user="cy")
    assert main(["drafts", str(ws.path)]) == 0
    listing = capsys.readouterr().out
    assert "goals" in listing and "cy" in listing
    draft_id = ws.decisions.drafts()[0].id
    assert main(["drafts", str(ws.path), "--show", str(draft_id)]) == 0
    assert json.loads(capsys.readouterr().out)["goal"] == "typed late"


def test_audit_log_names_the_actions(ws, capsys) -> None:
    """The audit log shows saves newest first."""
    assert main(["history", str(ws.path), "--audit", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    saves = [r for r in rows if r["name"] == "goals" and r["action"] == "save"]
    assert [r["version"] for r in saves] == [2, 1]
