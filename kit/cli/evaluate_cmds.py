"""Step 04's results on the command line: ``kit evaluate``.

After the pilot's weeks are added to the calls held (``kit import calls --append``), this
estimates the pilot's effect on police-handled calls of its types with the planned design,
prints the plain reading (or one JSON object), saves it as the ``pilot_results`` decision,
and can write the results as a page to print.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kit.errors import KitError

if TYPE_CHECKING:
    from kit.pilot.results import Results
    from kit.workspace import Workspace

METHOD_CHOICES = ("did", "its", "synthetic", "stepped", "randomised")


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``evaluate`` command."""
    evaluate = sub.add_parser(
        "evaluate",
        help="a pilot's effect on police-handled calls, with the planned design",
        description=(
            "Estimate a pilot's effect on the calls police handled of its call types in its "
            "areas, from the calls held (add the pilot's weeks first with `kit import calls "
            "--append`). Call types, areas and start not given are the saved pilot design's. "
            "The method is --method, else the saved pilot design's, else "
            "difference-in-differences (stepped when areas start on different days); a pilot "
            "randomised by shift or day is analysed from its sealed draw (--draw). Prints "
            "the effect in plain words with its 95% interval and saves it as pilot_results "
            "(docs/pilot.md)."
        ),
    )
    evaluate.add_argument("workspace", metavar="WORKSPACE", help="the workspace folder")
    evaluate.add_argument(
        "--call-type",
        dest="call_types",
        metavar="TYPE",
        action="append",
        help="a call type of the pilot, by code or description (repeatable; default: the "
        "saved pilot design's)",
    )
    evaluate.add_argument(
        "--area",
        dest="areas",
        metavar="NAME",
        action="append",
        help="an area in the pilot (repeatable; default: the saved pilot design's)",
    )
    evaluate.add_argument(
        "--start",
        dest="starts",
        metavar="YYYY-MM-DD",
        action="append",
        help="the pilot's first day; for a staggered rollout AREA=YYYY-MM-DD once per area "
        "(default: the saved pilot design's)",
    )
    evaluate.add_argument(
        "--end", metavar="YYYY-MM-DD", help="the last day to count (default: every call held)"
    )
    evaluate.add_argument(
        "--method",
        choices=METHOD_CHOICES,
        help="did, its, synthetic, stepped or randomised (default: the saved design's, else did)",
    )
    evaluate.add_argument(
        "--draw",
        metavar="FILE",
        help="for a pilot randomised by shift or day: the sealed draw, a CSV file with a row "
        "per shift (or day): date (YYYY-MM-DD), shift (day, evening or night; none for whole "
        "days) and responder (yes or no)",
    )
    evaluate.add_argument(
        "--responder-disposition",
        dest="dispositions",
        metavar="TEXT",
        action="append",
        default=[],
        help="a disposition that marks a call the new responder answered (repeatable): such "
        "calls are not police-handled, and their share by area is the responder's equity check",
    )
    evaluate.add_argument("--json", action="store_true", help="print one JSON object")
    evaluate.add_argument(
        "--page", metavar="FILE", help="also write the results to FILE as an HTML page to print"
    )
    evaluate.add_argument(
        "--no-save", action="store_true", help="do not save the results as pilot_results"
    )
    evaluate.set_defaults(func=_evaluate)


def _evaluate(args: argparse.Namespace) -> int:
    from kit.pilot.randomised import read_draw
    from kit.pilot.results import Pilot, evaluate, parse_date, parse_starts, save_results
    from kit.workspace import Workspace

    workspace = Workspace.open(args.workspace)
    call_types, areas, starts = _with_saved_design(workspace, args)
    pilot = Pilot(
        call_types=call_types,
        starts=parse_starts(starts, list(dict.fromkeys(areas))),
        end=parse_date(args.end, "--end") if args.end else None,
        responder_dispositions=tuple(args.dispositions),
    )
    draw = read_draw(Path(args.draw), args.draw) if args.draw else None
    results = evaluate(workspace, pilot, method=args.method, draw=draw)
    version = None if args.no_save else save_results(workspace, results)
    if args.page:
        _write_page(workspace, results, Path(args.page))
    if args.json:
        document = {**results.to_dict(), "saved_version": version}
        print(json.dumps(document, indent=1, ensure_ascii=False, allow_nan=False))
        return 0
    lines = [results.reading, *_detail_lines(results.to_dict())]
    if version is not None:
        lines.append(f"Saved as pilot_results version {version}.")
    if args.page:
        lines.append(f"The page to print is in {args.page}.")
    sys.stdout.write("\n".join(lines) + "\n")
    return 0


def _with_saved_design(
    workspace: Workspace, args: argparse.Namespace
) -> tuple[tuple[str, ...], list[str], list[str]]:
    """The call types, areas and starts given, each taken from the saved pilot design when
    not given, so that a pilot saved in step 04 is evaluated without naming it again."""
    if args.call_types and args.areas and args.starts:
        return tuple(args.call_types), args.areas, args.starts
    from kit.pilot.definition import saved_pilot

    saved = saved_pilot(workspace)
    if saved is None:
        raise KitError(
            "No pilot design is saved in this workspace: name the pilot with --call-type, "
            "--area and --start, or save its design in step 04 first."
        )
    return (
        tuple(args.call_types or saved.call_types),
        args.areas or list(saved.areas),
        args.starts or [saved.start.isoformat()],
    )


def _detail_lines(doc: dict[str, Any]) -> list[str]:
    """How the estimate was made, in a few lines under the reading."""
    compared = ", ".join(doc["comparison_areas"]) or (
        "the pilot areas' shifts without the responder"
        if doc["method"] == "randomised"
        else "none (the pilot areas' own history)"
    )
    p_value = "" if doc["p_value"] is None else f"; p = {doc['p_value']:.3f}"
    lines = [
        f"Method: {doc['method_name']}; intervals: {doc['inference']}{p_value}.",
        f"Weeks before the start: {doc['weeks_before']}; after: {doc['weeks_after']}.",
        f"Compared with: {compared}.",
    ]
    if doc["planned_method"] and doc["planned_method"] != doc["method"]:
        lines.append(
            f"The saved design planned {doc['planned_method']}; this evaluation used "
            f"{doc['method_name']}."
        )
    return lines


def _write_page(workspace: Workspace, results: Results, path: Path) -> None:
    """The results as a page to print, written to ``path``."""
    from kit.pages.pilot_results import results_page

    page = results_page(
        results.to_dict(),
        jurisdiction=workspace.profile.name,
        printed=date.today(),
        small_count=workspace.small_count,
    )
    try:
        path.write_text(page, encoding="utf-8")
    except OSError as exc:
        raise KitError(f"Could not write the page to {path}: {exc.strerror}.") from exc
