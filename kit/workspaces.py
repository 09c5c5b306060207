"""A folder of workspaces: the jurisdictions one server hosts for a workshop or a consultancy.

``kit serve DIR`` serves either one workspace (DIR has the workspace marker) or a folder
whose sub-folders are workspaces. Pages name the workspace they work on in their address
(``?workspace=NAME``); the name is only ever looked up among the folder's own workspaces,
never joined onto a path, so an address cannot reach a folder outside DIR.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Final
from urllib.parse import parse_qs, urlencode

from kit.errors import KitError
from kit.workspace import MARKER, Workspace

#: The query parameter through which a page names its workspace in a folder of workspaces.
QUERY_KEY: Final = "workspace"


@dataclass(frozen=True)
class Listed:
    """One workspace in a folder, as the chooser shows it."""

    name: str
    jurisdiction: str
    changed: datetime | None


def is_workspace(path: Path) -> bool:
    """Whether ``path`` is one workspace (it holds the marker) rather than a folder of them."""
    return (path / MARKER).is_file()


def names(folder: Path) -> list[str]:
    """The folder names of the workspaces directly inside ``folder``, sorted."""
    try:
        entries = list(os.scandir(folder))
    except OSError as exc:
        raise KitError(f"Cannot read the folder {folder}: {exc.strerror or exc}.") from exc
    return sorted(
        entry.name
        for entry in entries
        if not entry.name.startswith(".") and entry.is_dir() and is_workspace(Path(entry.path))
    )


def listing(folder: Path) -> list[Listed]:
    """Each workspace in ``folder`` with its jurisdiction's name and its last recorded change.

    A workspace that cannot be opened is listed under its folder name, so the chooser still
    shows that it is there.
    """
    found = []
    for name in names(folder):
        try:
            ws = Workspace.open(folder / name)
            latest = ws.decisions.audit(limit=1)
            found.append(Listed(name, ws.profile.name, latest[0].at if latest else None))
        except KitError:
            found.append(Listed(name, name, None))
    return found


def chosen_name(query: str) -> str:
    """The workspace a page's query string names ("" when it names none)."""
    values = parse_qs(query.lstrip("?")).get(QUERY_KEY, [])
    return values[0].strip() if values else ""


def choose(folder: Path, name: str) -> Workspace:
    """Open the workspace called ``name`` in ``folder``; anything else is refused plainly."""
    if not name:
        raise KitError("Choose a workspace on the home page first: this server hosts several.")
    if name not in names(folder):
        raise KitError(
            f"There is no workspace called {name!r} on this server; choose one on the home page."
        )
    return Workspace.open(folder / name)


def query(name: str) -> str:
    """The query string that keeps a page on the workspace ``name`` ("" for none)."""
    return f"?{urlencode({QUERY_KEY: name})}" if name else ""
