"""``kit history``, ``kit restore`` and ``kit drafts``: see and undo saved decisions.

Every save is kept, so nothing typed in a step is ever lost; these commands let a
consultant list the versions, bring an earlier one back (as a new version, so the
restore itself can be undone) and find drafts kept when two people saved at once.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from kit.errors import KitError
from kit.workspace import Workspace


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``history``, ``restore`` and ``drafts`` commands."""
    history = sub.add_parser(
        "history",
        help="list saved decisions, or every version of one, or the audit log",
        description=(
            "Without NAME: each saved decision with its latest version. With NAME: every "
            "version of that decision, who saved it, when and from which step. With --audit: "
            "the audit log, newest first."
        ),
    )
    history.add_argument("workspace", metavar="WORKSPACE", help="the workspace folder")
    history.add_argument("name", metavar="NAME", nargs="?", help="a decision, e.g. profile")
    history.add_argument("--audit", action="store_true", help="show the audit log instead")
    history.add_argument("--limit", type=int, default=50, help="audit entries to show (50)")
    history.add_argument("--json", action="store_true", help="print JSON")
    history.set_defaults(func=_history)

    restore = sub.add_parser(
        "restore",
        help="bring back an earlier version of a decision (saved as a new version)",
        description=(
            "Save the document of an earlier VERSION of decision NAME as its newest version. "
            "Nothing is deleted: the version replaced stays in the history."
        ),
    )
    restore.add_argument("workspace", metavar="WORKSPACE", help="the workspace folder")
    restore.add_argument("name", metavar="NAME", help="the decision, e.g. profile")
    restore.add_argument("version", metavar="VERSION", type=int, help="the version to bring back")
    restore.set_defaults(func=_restore)

    drafts = sub.add_parser(
        "drafts",
        help="list documents kept as drafts when a save was refused",
        description=(
            "When two people save the same decision from the same starting version, the second "
            "save is refused and kept as a draft. This lists them; --show ID prints one."
        ),
    )
    drafts.add_argument("workspace", metavar="WORKSPACE", help="the workspace folder")
    drafts.add_argument("--show", metavar="ID", type=int, help="print the document of draft ID")
    drafts.set_defaults(func=_drafts)


def _emit(rows: list[dict[str, Any]], as_json: bool, columns: tuple[str, ...]) -> None:
    if as_json:
        json.dump(rows, sys.stdout, ensure_ascii=False, default=str)
        sys.stdout.write("\n")
        return
    if not rows:
        print("Nothing saved yet.")
        return
    widths = {c: max(len(c), *(len(str(r[c])) for r in rows)) for c in columns}
    print("  ".join(c.ljust(widths[c]) for c in columns))
    for row in rows:
        print("  ".join(str(row[c]).ljust(widths[c]) for c in columns))


def _history(args: argparse.Namespace) -> int:
    store = Workspace.open(args.workspace).decisions
    if args.audit:
        if args.limit < 1:
            raise KitError("--limit must be 1 or more.")
        rows = [
            {
                "at": e.at.isoformat(timespec="seconds"),
                "user": e.user,
                "step": e.step,
                "action": e.action,
                "name": e.name,
                "version": "" if e.version is None else e.version,
                "detail": e.detail,
            }
            for e in store.audit(limit=args.limit)
        ]
        _emit(rows, args.json, ("at", "user", "step", "action", "name", "version", "detail"))
    elif args.name is None:
        rows = [{"name": n, "latest_version": v} for n, v in sorted(store.names().items())]
        _emit(rows, args.json, ("name", "latest_version"))
    else:
        versions = store.versions(args.name)
        if not versions:
            raise KitError(f"No decision named {args.name!r} has been saved in this workspace.")
        rows = [
            {
                "version": d.version,
                "saved_at": d.saved_at.isoformat(timespec="seconds"),
                "user": d.user,
                "step": d.step,
                "restored_from": "" if d.restored_from is None else d.restored_from,
            }
            for d in versions
        ]
        _emit(rows, args.json, ("version", "saved_at", "user", "step", "restored_from"))
    return 0


def _restore(args: argparse.Namespace) -> int:
    store = Workspace.open(args.workspace).decisions
    new = store.restore(args.name, args.version, step="cli")
    print(f"Restored {args.name!r} version {args.version} as version {new}.")
    return 0


def _drafts(args: argparse.Namespace) -> int:
    store = Workspace.open(args.workspace).decisions
    drafts = store.drafts()
    if args.show is not None:
        match = [d for d in drafts if d.id == args.show]
        if not match:
            raise KitError(f"There is no draft {args.show}; `kit drafts WORKSPACE` lists them.")
        json.dump(match[0].document, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    rows = [
        {
            "id": d.id,
            "name": d.name,
            "based_on": "" if d.base_version is None else d.base_version,
            "latest_then": "" if d.latest_version is None else d.latest_version,
            "saved_at": d.saved_at.isoformat(timespec="seconds"),
            "user": d.user,
            "step": d.step,
        }
        for d in drafts
    ]
    if not rows:
        print("No drafts: every save went through.")
        return 0
    _emit(rows, False, ("id", "name", "based_on", "latest_then", "saved_at", "user", "step"))
    return 0
