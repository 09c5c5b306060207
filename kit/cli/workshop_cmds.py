"""``kit workshop`` (a copy of the sample city per participant) and ``kit reset`` (a copy put
back as the sample city is, the state it replaces kept).

A trainer runs the first before the day and serves the folder with one ``kit serve``; the
second puts a participant's copy back between exercises or sessions (docs/facilitator_guide.md).
"""

from __future__ import annotations

import argparse
from pathlib import Path


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``workshop`` and ``reset`` to the ``kit`` command line."""
    workshop = sub.add_parser(
        "workshop",
        help="make a copy of the sample city for each workshop participant",
        description="Make one copy of the sample city per participant in PATH, each in its own "
        "folder (the participant's name made safe, or participant-01, participant-02, ...), "
        "and print how to serve them all at once.",
    )
    workshop.add_argument("path", type=Path, metavar="PATH", help="the workshop's folder")
    workshop.add_argument(
        "--participants", type=int, required=True, metavar="N", help="how many copies to make"
    )
    workshop.add_argument(
        "--names", type=Path, metavar="FILE", help="a text file of participants' names, one a line"
    )
    workshop.set_defaults(func=_workshop)

    reset = sub.add_parser(
        "reset",
        help="put a copy of the sample city back as it started (the state replaced is kept)",
        description="Put WORKSPACE, a copy of the sample city, back to the sample city's state. "
        "The state it replaces is kept whole inside it (.earlier/); --undo brings it back.",
    )
    reset.add_argument("workspace", type=Path, metavar="WORKSPACE", help="the copy to reset")
    reset.add_argument(
        "--undo", action="store_true", help="bring back the state the last reset replaced"
    )
    reset.set_defaults(func=_reset)


def _workshop(args: argparse.Namespace) -> int:
    from sample_city.workshop import make_workshop, read_names

    names = read_names(args.names) if args.names else []
    copies = make_workshop(args.path, args.participants, names)
    for workspace in copies:
        print(f"  {workspace.path.name}: {workspace.profile.name}")
    print(
        f"Copies of the sample city made in {args.path}: {len(copies)}. Serve them all with\n"
        f"  kit serve {args.path}\n"
        "and give each participant the address it prints; each chooses their own copy there. "
        "Add --ip 0.0.0.0 to serve the room's network (only one you trust)."
    )
    return 0


def _reset(args: argparse.Namespace) -> int:
    from sample_city.workshop import reset, undo_reset

    if args.undo:
        undo_reset(args.workspace)
        print(f"{args.workspace} is back as it was before the last reset.")
        return 0
    kept = reset(args.workspace)
    print(
        f"{args.workspace} is the sample city again; what it held is kept in {kept} "
        f"(`kit reset {args.workspace} --undo` brings it back)."
    )
    return 0
