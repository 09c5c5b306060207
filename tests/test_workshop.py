"""``kit workshop`` and ``kit reset``: a copy per participant, safe folder names, and a reset
that keeps the state it replaces."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from ui_samples import make_workspace

from kit.cli import main
from kit.errors import KitError
from kit.workspace import Workspace
from sample_city.workshop import EARLIER, participant_folders


def test_folders_are_safe_unique_and_numbered_past_the_names() -> None:
    folders = participant_folders(4, ["Ana María", "", "ana maria", "../etc"])
    assert folders == ["ana-maria", "ana-maria-2", "etc", "participant-04"]
    assert participant_folders(2) == ["participant-01", "participant-02"]


@given(st.integers(1, 30), st.lists(st.text(max_size=20), max_size=30))
def test_folder_names_are_always_safe_and_one_each(count: int, names: list[str]) -> None:
    """Whatever the names file holds: one safe, distinct folder per participant, or a refusal."""
    if len([n for n in names if n.strip()]) > count:
        with pytest.raises(KitError, match="names for"):
            participant_folders(count, names)
        return
    folders = participant_folders(count, names)
    assert len(folders) == len(set(folders)) == count
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", f) for f in folders)


def test_a_workshop_needs_one_to_two_hundred_participants() -> None:
    with pytest.raises(KitError, match="1 to 200 participants, not 0"):
        participant_folders(0)


def test_workshop_makes_a_named_copy_each_and_says_how_to_serve(tmp_path: Path, capsys) -> None:
    names = tmp_path / "names.txt"
    names.write_text("Ana María\nBen\n", encoding="utf-8")
    room = tmp_path / "room"
    code = main(["workshop", str(room), "--participants", "3", "--names", str(names)])
    out = capsys.readouterr().out
    assert code == 0, out
    assert sorted(p.name for p in room.iterdir()) == ["ana-maria", "ben", "participant-03"]
    ana = Workspace.open(room / "ana-maria")
    assert ana.profile.name == "Port Calder (Ana María)" and ana.sample_copy == "Port Calder"
    assert not ana.calls().empty
    assert f"kit serve {room}" in out
    # A second run into the same folder refuses rather than overwrite anyone's work.
    assert main(["workshop", str(room), "--participants", "2", "--names", str(names)]) == 2
    assert "already holds ana-maria" in capsys.readouterr().err


def test_reset_puts_the_sample_back_and_undo_brings_the_work_back(tmp_path: Path, capsys) -> None:
    main(["workshop", str(tmp_path / "room"), "--participants", "1"])
    path = tmp_path / "room" / "participant-01"
    ws = Workspace.open(path)
    fresh = ws.decisions.names()
    ws.decisions.save("safety_definition", {"goals": []}, base_version=None, step="01")
    ws.set_small_count(5)
    assert main(["reset", str(path)]) == 0
    again = Workspace.open(path)
    assert again.decisions.names() == fresh and again.small_count != 5
    assert again.profile.name == "Port Calder (participant-01)"
    (kept,) = (path / EARLIER).iterdir()
    assert "safety_definition" in Workspace.open(kept).decisions.names()
    assert main(["reset", str(path), "--undo"]) == 0
    back = Workspace.open(path)
    assert "safety_definition" in back.decisions.names() and back.small_count == 5
    assert len(list((path / EARLIER).iterdir())) == 1  # the reset state, kept in turn
    assert "--undo" in capsys.readouterr().out


def test_reset_refuses_a_workspace_that_is_not_a_sample_copy(tmp_path: Path, capsys) -> None:
    ws = make_workspace(tmp_path / "riverton")
    assert main(["reset", str(ws.path)]) == 2
    assert "not a copy of the sample city" in capsys.readouterr().err
    assert main(["reset", str(ws.path), "--undo"]) == 2
    assert Workspace.open(ws.path).profile.name == "Testville"
