"""``kit import calls``: bring CAD calls-for-service exports into a workspace.

The columns are matched automatically; ``--map`` and ``--mapping`` override any
match. The summary printed is the import report's plain form (the full report
is saved as data/import_report.json).
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
            "Columns are matched from their headers; override a match with --map or --mapping. "
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
        help="use the file's column SOURCE for CANONICAL (repeatable; SOURCE empty for none)",
    )
    calls.add_argument(
        "--mapping",
        metavar="FILE.json",
        help='a JSON object of CANONICAL: SOURCE pairs, e.g. {"call_type": "Final Call Type"}',
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


def _mapping(args: argparse.Namespace) -> dict[str, str]:
    mapping: dict[str, str] = {}
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
        mapping.update({k: v or "" for k, v in loaded.items()})
    for item in args.map:
        canonical, sep, source = item.partition("=")
        if not sep or not canonical.strip():
            raise KitError(f"--map {item!r}: write it as CANONICAL=SOURCE, e.g. call_type=Type.")
        mapping[canonical.strip()] = source.strip()
    return mapping


def _import_calls(args: argparse.Namespace) -> int:
    if not args.limit_hours > 0:
        raise KitError("--limit-hours must be a positive number of hours.")
    workspace = Workspace.open(args.workspace)
    report = import_calls(
        workspace,
        [Path(f) for f in args.files],
        append=args.append,
        mapping=_mapping(args),
        limit_hours=args.limit_hours,
    )
    for line in report.summary_lines():
        print(line)
    return 0
