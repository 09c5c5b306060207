"""Step 05 on the command line: ``kit report WORKSPACE --out FILE``, the brief for a council.

FILE ends in ``.html`` (one self-contained page) or ``.pdf`` (printed by headless Chromium,
pages numbered); an existing FILE is replaced whole, never left half written. Steps not yet
done are listed in the brief as not done.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kit.errors import KitError

FORMATS = (".html", ".pdf")


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``report`` command."""
    report = sub.add_parser(
        "report",
        help="the brief for elected officials: everything the workspace decided (HTML or PDF)",
        description=(
            "Step 05's brief: a one-page summary, a section per step (steps not done are "
            "listed as such), every figure by area beside the area's demographics, sources "
            "and assumptions, and the version and date of each decision shown. Small counts "
            "are hidden at the workspace's threshold (kit settings --small-count)."
        ),
    )
    report.add_argument("workspace", metavar="WORKSPACE", help="the workspace folder")
    report.add_argument(
        "--out",
        required=True,
        metavar="FILE",
        help="where to write the brief: FILE.html, or FILE.pdf (needs Chromium); replaced if "
        "it exists",
    )
    report.add_argument(
        "--tables",
        metavar="FILE.zip",
        help="also write every table of the brief as a CSV file, in one zip archive",
    )
    report.set_defaults(func=_report)


def _check_out(path: Path, suffixes: tuple[str, ...], what: str) -> Path:
    """The path, when its extension is one allowed and its folder exists; else a plain error."""
    if path.suffix.lower() not in suffixes:
        raise KitError(
            f"{what} must end in {' or '.join(suffixes)}; {path.name!r} does not. "
            f"For example: --out brief{suffixes[0]}"
        )
    if not path.parent.is_dir():
        raise KitError(f"The folder {path.parent} does not exist: create it first.")
    return path


def _report(args: argparse.Namespace) -> int:
    from kit.brief import gather
    from kit.browser import chromium_path
    from kit.pages.brief import brief_html
    from kit.pages.pdf import NO_CHROMIUM, print_pdf
    from kit.printable import write_replacing
    from kit.workspace import Workspace

    out = _check_out(Path(args.out), FORMATS, "The brief's file name")
    tables = _check_out(Path(args.tables), (".zip",), "--tables") if args.tables else None
    pdf = out.suffix.lower() == ".pdf"
    if pdf and chromium_path() is None:
        raise KitError(NO_CHROMIUM)
    brief = gather(Workspace.open(args.workspace))
    page = brief_html(brief)
    write_replacing(out, print_pdf(page) if pdf else page.encode("utf-8"))
    if tables is not None:
        write_replacing(tables, brief.csv_zip())
    not_done = [s.step for s in brief.sections if not s.done]
    sys.stdout.write(f"The brief for {brief.jurisdiction} is in {out}.\n")
    if not_done:
        sys.stdout.write(f"Listed as not done yet: step {', '.join(not_done)}.\n")
    return 0
