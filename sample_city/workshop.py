"""Workshops on the sample city: a copy per participant, and a copy put back as it started.

``kit workshop`` makes the copies in one folder, which one ``kit serve`` serves with a
chooser. ``kit reset`` puts a copy back to the sample city's state and keeps the state it
replaces whole inside the workspace (``.earlier/DATE-TIME/``, itself a complete workspace),
so ``kit reset --undo`` brings it back; nothing a participant did is lost.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import Final

from kit.errors import KitError
from kit.printable import slug
from kit.workspace import Workspace
from sample_city import generate
from sample_city.build import sample_workspace

#: More copies than this are refused: each is a whole copy of the sample city's data.
MAX_PARTICIPANTS: Final = 200
#: Inside a workspace: the states ``kit reset`` replaced, one complete workspace each.
EARLIER: Final = ".earlier"


def participant_folders(count: int, names: Sequence[str] = ()) -> list[str]:
    """One folder name per participant: their names made safe and unique, else participant-01...

    Blank names are skipped; names that come out the same get -2, -3 ...; participants
    beyond the names given are numbered.
    """
    if not 1 <= count <= MAX_PARTICIPANTS:
        raise KitError(f"A workshop has 1 to {MAX_PARTICIPANTS} participants, not {count}.")
    given = [name.strip() for name in names if name.strip()]
    if len(given) > count:
        raise KitError(
            f"The names file has {len(given)} names for {count} participants: "
            "give as many participants as names, or fewer names."
        )
    folders: list[str] = []
    for number in range(1, count + 1):
        base = slug(given[number - 1]) if number <= len(given) else ""
        base = base or f"participant-{number:02d}"
        folder, n = base, 1
        while folder in folders:
            n += 1
            folder = f"{base}-{n}"
        folders.append(folder)
    return folders


def read_names(path: Path) -> list[str]:
    """The participants' names from a text file, one a line."""
    try:
        return path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise KitError(
            f"Cannot read the names in {path} ({exc}); give a text file, one name a line."
        ) from exc


def make_workshop(folder: Path, count: int, names: Sequence[str] = ()) -> list[Workspace]:
    """A copy of the sample city per participant in ``folder``, each named for its participant."""
    chosen = participant_folders(count, names)
    given = [name.strip() for name in names if name.strip()]
    taken = [name for name in chosen if (folder / name).exists()]
    if taken:
        raise KitError(
            f"{folder} already holds {', '.join(taken)}; choose another folder or remove them."
        )
    copies = []
    for number, name in enumerate(chosen, start=1):
        who = given[number - 1] if number <= len(given) else name
        copies.append(sample_workspace(folder / name, name=f"{generate.CITY_NAME} ({who})"))
    return copies


def _check_copy(workspace: Workspace) -> None:
    if workspace.sample_copy != generate.CITY_NAME:
        raise KitError(
            f"{workspace.path.name} is not a copy of the sample city (made by `kit workshop` or "
            "`kit new --sample`), so there is nothing to reset it to."
        )


def _swap_in(workspace: Workspace, replacement: Path) -> None:
    """Put the complete workspace at ``replacement`` in ``workspace``'s place, keeping the one
    it replaces (and the states kept before it) under the new one's ``.earlier/``."""
    kept = replacement / EARLIER
    kept.mkdir(exist_ok=True)
    old = kept / dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    try:
        os.rename(workspace.path, old)
    except OSError as exc:
        raise KitError(
            f"Cannot move {workspace.path} aside ({exc.strerror or exc}); it is as it was."
        ) from exc
    nested = old / EARLIER
    if nested.is_dir():  # every earlier state side by side, the newest last by name
        for state in nested.iterdir():
            os.rename(state, kept / state.name)
        nested.rmdir()
    os.rename(replacement, workspace.path)


def _staging(workspace: Workspace) -> Path:
    return workspace.path.with_name(f".{workspace.path.name}.reset-{os.getpid()}")


def reset(path: Path) -> Path:
    """Put a sample-city copy back as the sample city is; returns where the old state is kept."""
    workspace = Workspace.open(path)
    _check_copy(workspace)
    staging = _staging(workspace)
    shutil.rmtree(staging, ignore_errors=True)
    sample_workspace(staging, name=workspace.profile.name)
    try:
        _swap_in(workspace, staging)
    except KitError:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return workspace.path / EARLIER


def undo_reset(path: Path) -> None:
    """Bring back the state the last ``kit reset`` replaced (the current one is kept in turn)."""
    workspace = Workspace.open(path)
    _check_copy(workspace)
    kept = workspace.path / EARLIER
    states = sorted(kept.iterdir()) if kept.is_dir() else []
    if not states:
        raise KitError(f"{path} has not been reset, so there is no earlier state to bring back.")
    staging = _staging(workspace)
    os.rename(states[-1], staging)
    try:
        _swap_in(workspace, staging)
    except KitError:
        os.rename(staging, states[-1])
        raise
