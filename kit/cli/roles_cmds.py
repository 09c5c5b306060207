"""Step 02 on the command line: ``kit inventory``, ``kit charter`` and ``kit rules``.

``kit inventory`` prints the call-type inventory of a workspace (what police are called for
and how much officer time each call type takes), using the family choices and officers per
unit saved in the workspace's role assignments. ``kit charter`` prints the role charter of
the saved plan, or of a preset applied to the workspace's calls. ``kit rules`` says which
taxonomy rules a workspace uses and copies the kit's into it for a jurisdiction to edit.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from typing import Any

from kit.errors import KitError
from kit.pages.charter import charter_html, charter_page
from kit.roles.assignments import DECISION_NAME, check_document, new_document
from kit.roles.charter import build_charter, charter_markdown, charter_text
from kit.roles.cube import build_cube
from kit.roles.inventory import INVENTORY_BY, family_inventory, inventory, to_records
from kit.roles.presets import apply_preset, preset_ids
from kit.roles.rules import workspace_rules


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``inventory``, ``charter`` and ``rules`` commands."""
    inv = sub.add_parser(
        "inventory",
        help="call-type inventory: calls and officer hours per call type (step 02)",
        description=(
            "For each call type: calls, officer hours, their shares and yearly figures, time "
            "committed per call, and the priority, initiated-by and disposition mix."
        ),
    )
    inv.add_argument("workspace", metavar="WORKSPACE", help="the jurisdiction's workspace folder")
    inv.add_argument("--json", action="store_true", help="print a JSON list, one object per row")
    inv.add_argument(
        "--by", choices=INVENTORY_BY, default=None, help="break each call type down by this key"
    )
    inv.add_argument(
        "--families", action="store_true", help="one row per family instead of per call type"
    )
    inv.add_argument(
        "--officers-per-unit",
        type=float,
        default=None,
        metavar="N",
        help="officers in each responding unit (default: the saved plan's, else 1)",
    )
    inv.add_argument(
        "--top", type=int, default=25, metavar="N", help="rows shown as text (default 25)"
    )
    inv.set_defaults(func=_inventory)

    charter = sub.add_parser(
        "charter",
        help="role charter of the saved plan (what police keep, what moves, what is screened)",
        description="The role charter of the saved role assignments, or of a preset.",
    )
    charter.add_argument(
        "workspace", metavar="WORKSPACE", help="the jurisdiction's workspace folder"
    )
    charter.add_argument(
        "--preset",
        choices=preset_ids(),
        default=None,
        help="apply this preset instead of the saved plan",
    )
    charter.add_argument(
        "--format",
        choices=("text", "markdown", "html", "page", "json"),
        default="text",
        help="output format; page: a whole HTML page to print (html: the part to embed)",
    )
    charter.set_defaults(func=_charter)

    rules = sub.add_parser(
        "rules",
        help="which call-type and disposition rules a workspace uses; copy them to edit",
        description=(
            "A workspace uses its own rules files (in its rules/ folder) where it has them, "
            "else the kit's. --copy puts copies of the kit's files there to edit; files "
            "already there are never overwritten. The rules are checked as they are read."
        ),
    )
    rules.add_argument("workspace", metavar="WORKSPACE", help="the jurisdiction's workspace folder")
    rules.add_argument(
        "--copy", action="store_true", help="copy the kit's rules files into the workspace"
    )
    rules.set_defaults(func=_rules)


def _open(path: str) -> Any:
    from kit.workspace import Workspace

    return Workspace.open(path)


def _saved_plan(workspace: Any) -> dict[str, Any]:
    decision = workspace.decisions.latest(DECISION_NAME)
    return check_document(decision.document) if decision is not None else new_document()


def _calls(workspace: Any) -> Any:
    calls = workspace.calls()
    if calls.empty:
        raise KitError(
            "This workspace holds no calls yet. Import a calls-for-service export first "
            "(step 00, or `kit import`)."
        )
    return calls


def _inventory(args: argparse.Namespace) -> int:
    if args.top < 1:
        raise KitError("--top must be 1 or more.")
    workspace = _open(args.workspace)
    plan = _saved_plan(workspace)
    per_unit = (
        args.officers_per_unit if args.officers_per_unit is not None else plan["officers_per_unit"]
    )
    make = family_inventory if args.families else inventory
    table = make(
        _calls(workspace),
        officers_per_unit=per_unit,
        families=plan["family_overrides"],
        by=args.by,
        rules=workspace_rules(workspace),
        minutes_per_call=plan["minutes_per_call"],
    )
    if args.json:
        json.dump(to_records(table), sys.stdout, ensure_ascii=False)
        sys.stdout.write("\n")
        return 0
    key = "family" if args.families else "call_type"
    columns = [
        key,
        *([args.by] if args.by else []),
        "calls",
        "officer_hours",
        "share_of_officer_hours",
    ]
    if not args.families:
        columns[1:1] = ["family", "family_source"]
    shown = table.head(args.top)
    text = {c: [_cell(c, v) for v in shown[c]] for c in columns}
    widths = [max(len(c), *(len(v) for v in text[c])) for c in columns]
    sys.stdout.write("  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)) + "\n")
    for i in range(len(shown)):
        cells = [text[c][i].ljust(w) for c, w in zip(columns, widths, strict=True)]
        sys.stdout.write("  ".join(cells) + "\n")
    if len(table) > args.top:
        sys.stdout.write(f"... {len(table) - args.top} more rows (use --top or --json)\n")
    return 0


def _cell(column: str, value: Any) -> str:
    if column.startswith("share"):
        return f"{float(value):.1%}"
    if isinstance(value, float):
        return f"{value:,.1f}"
    text = str(value)
    return text if len(text) <= 40 else text[:39] + "…"


def _charter(args: argparse.Namespace) -> int:
    workspace = _open(args.workspace)
    plan = _saved_plan(workspace)
    cube = build_cube(
        _calls(workspace),
        officers_per_unit=plan["officers_per_unit"],
        families=plan["family_overrides"],
        rules=workspace_rules(workspace),
        minutes_per_call=plan["minutes_per_call"],
    )
    if args.preset is not None:
        plan["preset"] = args.preset
        plan["assignments"] = apply_preset(args.preset, cube.types)
    charter = build_charter(cube, plan, workspace.small_count)
    if args.format == "json":
        json.dump(charter, sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    elif args.format == "markdown":
        sys.stdout.write(charter_markdown(charter))
    elif args.format == "html":
        sys.stdout.write(charter_html(charter) + "\n")
    elif args.format == "page":
        name = workspace.profile.name
        sys.stdout.write(charter_page(charter, jurisdiction=name, printed=date.today()))
    else:
        sys.stdout.write(charter_text(charter))
    return 0


def _rules(args: argparse.Namespace) -> int:
    from kit.roles.rules import RULES_FILES, copy_rules, own_copy

    workspace = _open(args.workspace)
    copied = copy_rules(workspace) if args.copy else []
    rules = workspace_rules(workspace)  # reading checks every line of the files in use
    abbreviations = len(rules.abbreviations.table) if rules.abbreviations else 0
    codes = len(rules.codes.table) if rules.codes else 0
    counts = (
        f"{len(rules.types)} rules",
        f"{len(rules.dispositions)} rules",
        f"{abbreviations} abbreviations",
        f"{codes} codes",
    )
    for default, count in zip(RULES_FILES, counts, strict=True):
        own = own_copy(workspace, default)
        where = f"the workspace's own copy, {own}" if own.is_file() else "the kit's default"
        note = " (copied now)" if own in copied else ""
        sys.stdout.write(f"{default.name}: {count}, {where}{note}\n")
    return 0
