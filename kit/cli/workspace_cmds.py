"""``kit new``, ``kit info`` and ``kit settings``: make a jurisdiction's workspace, see what it
holds and change how it publishes.

``kit info --json`` prints one JSON object whose names and shapes scripts rely on;
they are documented in docs/workspace.md and must not change without a note there.
"""

from __future__ import annotations

import argparse
import calendar
import json
import sys
from pathlib import Path
from typing import Any

from kit.data.date_order import DATE_ORDERS
from kit.errors import KitError
from kit.profile import DEFAULT_TIMEZONE
from kit.steps import status
from kit.suppression import DEFAULT_SMALL_COUNT
from kit.workspace import Workspace


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``new``, ``info`` and ``settings`` commands."""
    new = sub.add_parser(
        "new",
        help="create a workspace for a jurisdiction (or a copy of the sample city)",
        description=(
            "Create a workspace folder for one jurisdiction: its profile, imported data and "
            "saved decisions. PATH must not exist yet or be an empty folder."
        ),
    )
    new.add_argument("path", metavar="PATH", help="folder to create")
    new.add_argument("--name", help="the jurisdiction's name (default: the folder's name)")
    new.add_argument(
        "--timezone",
        metavar="ZONE",
        help=f"IANA time zone, e.g. America/Chicago (default: {DEFAULT_TIMEZONE})",
    )
    new.add_argument(
        "--date-order",
        choices=DATE_ORDERS,
        help="how the city's exports write numeric dates, for files whose values leave it open "
        "(default: month-first in US time zones, else day-first)",
    )
    _small_count_option(new)
    new.add_argument(
        "--sample",
        action="store_true",
        help="make a copy of the sample city, its data and profile included",
    )
    new.set_defaults(func=_new)

    info = sub.add_parser(
        "info",
        help="what a workspace holds: profile, calls, import problems, decisions",
        description="Summarise a workspace: its profile, the calls imported and saved decisions.",
    )
    info.add_argument("workspace", metavar="WORKSPACE", help="the workspace folder")
    info.add_argument(
        "--json",
        action="store_true",
        help="print one JSON object (its fields are described in docs/workspace.md)",
    )
    info.set_defaults(func=_info)

    settings = sub.add_parser(
        "settings",
        help="see or change how a workspace publishes (the small-count threshold)",
        description="Show the workspace's settings, or change those given.",
    )
    settings.add_argument("workspace", metavar="WORKSPACE", help="the workspace folder")
    _small_count_option(settings)
    settings.set_defaults(func=_settings)


def _small_count_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--small-count",
        type=int,
        metavar="N",
        help="counts from 1 to N-1 are hidden in printed pages and exports "
        f"(default: {DEFAULT_SMALL_COUNT}, the CMS cell-size rule; docs/publishing.md)",
    )


def _new(args: argparse.Namespace) -> int:
    path = Path(args.path)
    if args.sample:
        if args.timezone is not None or args.date_order is not None:
            raise KitError(
                "--timezone and --date-order cannot be used with --sample "
                "(the sample city's are fixed)."
            )
        from sample_city.build import sample_workspace

        workspace = sample_workspace(path, name=args.name)
        if args.small_count is not None:
            workspace.set_small_count(args.small_count)
    else:
        workspace = Workspace.create(
            path,
            name=args.name,
            timezone=args.timezone,
            date_order=args.date_order,
            small_count=args.small_count,
        )
    profile = workspace.profile
    print(f"Created workspace {profile.name!r} at {workspace.path} (time zone {profile.timezone}).")
    if not args.sample:
        print(f"Next: enter the profile and import calls (kit import calls {args.path} FILE).")
    return 0


def _info(args: argparse.Namespace) -> int:
    workspace = Workspace.open(args.workspace)
    summary = workspace.summary() | {"steps": status(workspace)}
    if args.json:
        json.dump(summary, sys.stdout, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        print("\n".join(_readable(workspace, summary)))
    return 0


def _settings(args: argparse.Namespace) -> int:
    workspace = Workspace.open(args.workspace)
    if args.small_count is not None:
        workspace.set_small_count(args.small_count)
    limit = workspace.small_count
    hidden = f"counts from 1 to {limit - 1} are hidden" if limit > 1 else "no count is hidden"
    print(f"small count: {limit} ({hidden} in printed pages and exports)")
    return 0


def _readable(workspace: Workspace, summary: dict[str, Any]) -> list[str]:
    """The summary as short lines for a person."""
    profile = workspace.profile
    month = calendar.month_name[profile.fiscal_year_start]
    lines = [
        f"{summary['name']} ({profile.timezone}; fiscal year starts in {month})",
        f"  folder:      {workspace.path}",
    ]
    if summary["population"] > 0:
        lines.append(f"  population:  {summary['population']:,} in {summary['areas']} areas")
    else:
        lines.append("  population:  not entered yet (enter the profile in step 00)")
    calls = summary["calls"]
    if calls["rows"]:
        lines.append(
            f"  calls:       {calls['rows']:,} from {calls['first']} to {calls['last']}, "
            f"{calls['call_types']:,} call types, {calls['areas']:,} areas"
        )
    else:
        lines.append("  calls:       none imported yet")
    for kind, count in sorted(calls["problems"].items()):
        lines.append(f"  problem:     {kind.replace('_', ' ')}: {count:,} rows")
    decisions = summary["decisions"]
    if decisions:
        saved = ", ".join(f"{name} (version {version})" for name, version in decisions.items())
        lines.append(f"  decisions:   {saved}")
    else:
        lines.append("  decisions:   none saved yet")
    for step in summary["steps"].values():
        for name, state in step["decisions"].items():
            if state["out_of_date"]:
                lines.append(f"  out of date: {name}: {'; '.join(state['reasons'])}")
    return lines
