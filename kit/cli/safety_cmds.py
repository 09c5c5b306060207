"""Step 01's definition of safety on the command line: ``kit safety``."""

from __future__ import annotations

import argparse
import json

from kit.community.definition import (
    definition_lines,
    format_value,
    menu_document,
    read_sources,
    saved_goals,
)
from kit.workspace import Workspace


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``safety`` command."""
    safety = sub.add_parser(
        "safety",
        help="the definition of safety: goals, their metrics' baselines and targets",
        description=(
            "The goals saved in step 01, each with its metric's baseline when it was saved "
            "(citywide and by area) and its target. --menu lists every metric the kit can "
            "compute from this workspace's data, with its baseline now (docs/community.md)."
        ),
    )
    safety.add_argument("workspace", metavar="WORKSPACE", help="the workspace folder")
    safety.add_argument("--json", action="store_true", help="print one JSON object")
    safety.add_argument(
        "--menu", action="store_true", help="also work out every metric's baseline now"
    )
    safety.set_defaults(func=_safety)


def _safety(args: argparse.Namespace) -> int:
    ws = Workspace.open(args.workspace)
    goals = saved_goals(ws)
    metrics = menu_document(read_sources(ws)) if args.menu else None
    if args.json:
        document = {"goals": goals} | ({"menu": metrics} if metrics is not None else {})
        print(json.dumps(document, indent=2, allow_nan=False))
        return 0
    lines = definition_lines(goals)
    if metrics:
        lines += ["", "Metrics the kit computes from this workspace, now:"]
        lines += [
            f"  {item['metric']:<22}{format_value(item['baseline']['value'], item['unit']):>12}"
            f"  {item['label']}"
            for item in metrics
        ]
    print("\n".join(lines))
    return 0
