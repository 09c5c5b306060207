"""The practices catalog on the command line: ``kit practices``."""

from __future__ import annotations

import argparse
import json

from kit.pilot.export import workspace_practice
from kit.pilot.practices import NOT_FOUND, Practice, catalog
from kit.workspace import Workspace


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``practices`` command."""
    cmd = sub.add_parser(
        "practices",
        help="programmes other places have run, each fact with its source (step 04)",
        description=(
            "The practices catalog: each programme's call families, responder, staffing, "
            "hours, costs and reported results with their sources, and its strength of "
            "evidence in the portals' own terms (docs/pilot.md). --from prints a workspace's "
            "saved pilot in the same shape, for a central repository to collect."
        ),
    )
    cmd.add_argument("--json", action="store_true", help="print a JSON list")
    cmd.add_argument(
        "--from",
        dest="workspace",
        metavar="WORKSPACE",
        help="the saved pilot of this workspace (with its results, once saved) instead",
    )
    cmd.set_defaults(func=_practices)


def _lines(practice: Practice) -> list[str]:
    lines = [
        f"{practice.name} ({practice.id}): {practice.place}",
        f"  calls: {', '.join(practice.families)}; responder: {practice.responder}",
        f"  CrimeSolutions: {practice.crimesolutions}; EMMIE: {practice.emmie}",
    ]
    for fact in practice.facts:
        level = {"": "", "not an evaluation": " [not an evaluation]"}.get(
            fact.sms_level, f" [Maryland Scientific Methods Scale level {fact.sms_level}]"
        )
        lines.append(f"  {fact.topic}: {fact.fact}{level}")
        if fact.fact != NOT_FOUND:
            lines.append(f"    source: {fact.source_title} {fact.source_url}".rstrip())
    return lines


def _practices(args: argparse.Namespace) -> int:
    found = [workspace_practice(Workspace.open(args.workspace))] if args.workspace else catalog()
    if args.json:
        print(json.dumps([p.to_document() for p in found], indent=2, ensure_ascii=False))
        return 0
    print("\n\n".join("\n".join(_lines(p)) for p in found))
    return 0
