"""A jurisdiction's own taxonomy rules, kept in its workspace's ``rules/`` folder.

``kit rules --copy`` copies the kit's rules files there for editing; step 02 then reads
each file from the workspace where it has its own copy, else the kit's. The workspace
itself knows nothing of rules: it only keeps the folder.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Final

from kit.errors import KitError
from kit.taxonomy import (
    ABBREVIATIONS,
    CALL_TYPE_CODES,
    CALL_TYPE_RULES,
    DISPOSITION_RULES,
    Rules,
    rules_in,
)

if TYPE_CHECKING:
    from kit.workspace import Workspace

#: The folder of a workspace that holds its own copies of the rules files.
RULES_DIR: Final = "rules"
#: The kit's rules files a workspace may keep its own copies of.
RULES_FILES: Final = (CALL_TYPE_RULES, DISPOSITION_RULES, ABBREVIATIONS, CALL_TYPE_CODES)


def workspace_rules(workspace: Workspace) -> Rules:
    """The rules this jurisdiction uses: its own copies in rules/, else the kit's."""
    return rules_in(workspace.safe_path(RULES_DIR))


def own_copy(workspace: Workspace, default: Path) -> Path:
    """Where the workspace keeps its own copy of the kit's rules file ``default``."""
    return workspace.safe_path(RULES_DIR, default.name)


def copy_rules(workspace: Workspace) -> list[Path]:
    """Copy the kit's rules files into rules/ for editing; files already there are kept."""
    copied = []
    for source in RULES_FILES:
        target = own_copy(workspace, source)
        if target.exists():
            continue
        try:
            target.parent.mkdir(exist_ok=True)
            shutil.copyfile(source, target)
        except OSError as exc:
            raise KitError(f"Cannot copy the rules into {target.parent}: {exc}.") from exc
        copied.append(target)
    return copied
