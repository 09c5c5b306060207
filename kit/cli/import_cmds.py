"""``kit import calls``: bring CAD calls-for-service exports into a workspace.

The columns are matched automatically, by header words and values; ``--map`` and
``--mapping`` override any match. The summary printed is the import report's plain
form, with why each column was matched (the full report is saved as
data/import_report.json).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from kit.cli.table_import_cmds import add_table_imports
from kit.data.calls import import_calls
from kit.data.mapping import ROLES
from kit.errors import KitError
from kit.workspace import Workspace


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``import`` command group and its ``calls`` command."""
    group = sub.add_parser(
        "import",
        help="import data into a workspace (calls, areas, budget, survey)",
        description="Import data into a workspace.",
    )
    kinds = group.add_subparsers(dest="kind", metavar="KIND", parser_class=type(group))
    kinds.required = True
    calls = kinds.add_parser(
        "calls",
        help="import CAD calls-for-service exports (CSV, TSV or XLSX)",
        description=(
            "Import one or more CAD calls-for-service exports (CSV, TSV or XLSX) into WORKSPACE. "
            "Columns are matched from their header words and values, and each match is printed "
            "with its evidence; override a match with --map or --mapping. When two columns "
            "could equally be the received time or the call type, the import stops and names "
            "them. A date and a time of day in two columns are joined into one time "
            "(name such a pair DATE+TIME, e.g. --map received_at=Received_Date+Received_Time). "
            "Without --append the calls held are replaced; with it, the files are added and "
            "calls already held (same call id) are not counted twice. Columns with names, phone "
            "numbers or narratives are dropped, addresses are cut to the block and coordinates "
            "rounded to about 100 m."
        ),
        epilog=f"Columns you can map: {', '.join(ROLES)}.",
    )
    calls.add_argument("workspace", metavar="WORKSPACE", help="the workspace folder")
    calls.add_argument("files", metavar="FILE", nargs="+", help="CAD export(s) to import")
    calls.add_argument(
        "--append", action="store_true", help="add to the calls held instead of replacing them"
    )
    calls.add_argument(
        "--map",
        metavar="CANONICAL=SOURCE",
        action="append",
        default=[],
        help=(
            "use the file's column SOURCE for CANONICAL (repeatable; SOURCE empty for none; "
            "DATE+TIME joins a date column and a time column)"
        ),
    )
    calls.add_argument(
        "--mapping",
        metavar="FILE.json",
        help='a JSON object of CANONICAL: SOURCE pairs, e.g. {"call_type": "Final Call Type"}; '
        'it may also hold "date_order": "day-first" or "month-first", and "crs": "EPSG:3452"',
    )
    order = calls.add_mutually_exclusive_group()
    order.add_argument(
        "--dayfirst",
        dest="date_order",
        action="store_const",
        const="day-first",
        help="read numeric dates day first (27/12/2023), whatever the values suggest",
    )
    order.add_argument(
        "--monthfirst",
        dest="date_order",
        action="store_const",
        const="month-first",
        help="read numeric dates month first (12/27/2023), whatever the values suggest",
    )
    calls.add_argument(
        "--crs",
        metavar="EPSG:CODE",
        help="the coordinate system of projected x/y coordinates (state plane or UTM), e.g. "
        "EPSG:3452; without it such coordinates are left out",
    )
    calls.add_argument(
        "--accept-unreadable",
        action="store_true",
        help="import even when over 2%% of a file's received times cannot be read "
        "(those rows are left out and counted)",
    )
    calls.add_argument(
        "--limit-hours",
        type=float,
        default=8.0,
        metavar="HOURS",
        help="unit time above this is treated as impossible and left blank (default 8)",
    )
    calls.set_defaults(func=_import_calls)
    add_table_imports(kinds)


# Keys of a --mapping file that are settings of the import rather than columns.
OPTIONS = ("date_order", "crs")


def _mapping(args: argparse.Namespace) -> tuple[dict[str, str], dict[str, str]]:
    """The column mapping, and the import settings a --mapping file holds beside it."""
    mapping: dict[str, str] = {}
    options: dict[str, str] = {}
    if args.mapping:
        try:
            loaded = json.loads(Path(args.mapping).read_text(encoding="utf-8-sig"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise KitError(f"--mapping {args.mapping}: cannot be read as JSON ({exc}).") from exc
        if not isinstance(loaded, dict) or not all(
            isinstance(k, str) and isinstance(v, str | None) for k, v in loaded.items()
        ):
            raise KitError(
                f'--mapping {args.mapping}: expected an object like {{"call_type": "Type"}}.'
            )
        options = {k: v for k, v in loaded.items() if k in OPTIONS and v}
        mapping.update({k: v or "" for k, v in loaded.items() if k not in OPTIONS})
    for item in args.map:
        canonical, sep, source = item.partition("=")
        if not sep or not canonical.strip():
            raise KitError(f"--map {item!r}: write it as CANONICAL=SOURCE, e.g. call_type=Type.")
        mapping[canonical.strip()] = source.strip()
    return mapping, options


def _import_calls(args: argparse.Namespace) -> int:
    if not args.limit_hours > 0:
        raise KitError("--limit-hours must be a positive number of hours.")
    workspace = Workspace.open(args.workspace)
    mapping, options = _mapping(args)
    report = import_calls(
        workspace,
        [Path(f) for f in args.files],
        append=args.append,
        mapping=mapping,
        limit_hours=args.limit_hours,
        date_order=args.date_order or options.get("date_order"),
        accept_unreadable=args.accept_unreadable,
        crs=args.crs or options.get("crs"),
    )
    for line in report.summary_lines():
        print(line)
    return 0
