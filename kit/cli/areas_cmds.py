"""``kit areas``: check the calls' area names against the profile's areas, and map them."""

from __future__ import annotations

import argparse
import json
import sys

from kit.errors import KitError


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``kit areas``."""
    areas = sub.add_parser(
        "areas",
        help="check the calls' area names against the profile's areas, and map them",
        description=(
            "List the area names of the calls held that match no area of the profile. With "
            "--map, rename an export's area to a profile area in the calls held and in every "
            "later import (the mapping is kept in the workspace)."
        ),
    )
    areas.add_argument("workspace", metavar="WORKSPACE", help="the workspace folder")
    areas.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="NAME=AREA",
        help='an export area name and the profile area it is, e.g. "Dist 1=North" (repeatable)',
    )
    areas.add_argument("--json", action="store_true", help="print the check as one JSON object")
    areas.set_defaults(func=_areas)


def _areas(args: argparse.Namespace) -> int:
    from kit.data.area_names import check_lines, map_areas, parse_area_map
    from kit.workspace import Workspace

    workspace = Workspace.open(args.workspace)
    if not workspace.has_table("calls"):
        raise KitError("This workspace holds no calls yet: import them first (kit import calls).")
    check = map_areas(workspace, parse_area_map(args.map))
    if args.json:
        json.dump(check, sys.stdout, ensure_ascii=False)
        sys.stdout.write("\n")
        return 0
    lines = check_lines({"areas": check}) or [
        f"Every area name of the calls matches an area of the profile ({check['matched_calls']:,} "
        "calls with an area)."
    ]
    sys.stdout.write("\n".join(lines) + "\n")
    return 0
