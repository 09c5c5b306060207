"""``kit run-many`` (every workspace of a folder) and ``kit sweep`` (one workspace over a grid).

Both print or write one CSV row per run with the key figures (docs/batch.md); a progress
bar goes to standard error. They exit 1 when any run failed, 0 otherwise (steps skipped
for want of data included), and 2 on bad input such as a folder with no workspace.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``run-many`` and ``sweep`` to the ``kit`` command line."""
    many = sub.add_parser(
        "run-many",
        help="run every workspace of a folder headless, in parallel, into one summary CSV",
        description="Run every workspace in DIR through the steps (as `kit run` does), several "
        "at once, and write one row per jurisdiction: its status and the key figures. A "
        "jurisdiction that fails is recorded with the reason and the others carry on.",
    )
    many.add_argument("folder", type=Path, metavar="DIR", help="the folder holding the workspaces")
    _common(many)
    many.set_defaults(func=_run_many)

    sweep = sub.add_parser(
        "sweep",
        help="run one workspace over a grid of parameter values, on temporary copies",
        description="Run WORKSPACE once per combination of the values given (repeat -p NAME=VALUE "
        "once per value) on temporary copies, so nothing is saved into it, and tabulate the "
        "key figures of each run.",
    )
    sweep.add_argument("workspace", type=Path, metavar="WORKSPACE", help="the workspace folder")
    _common(sweep)
    sweep.set_defaults(func=_sweep)


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "-p",
        "--parameter",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a workbook parameter (repeatable); `kit run --help-step NN` lists them",
    )
    parser.add_argument(
        "--jobs",
        type=int,
        default=os.cpu_count() or 1,
        metavar="N",
        help="runs at once on this machine (default: the number of cores)",
    )
    parser.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="send the runs to a Dask distributed scheduler, e.g. tcp://10.0.0.5:8786; its "
        "workers need the kit installed and the workspaces at the same paths",
    )
    parser.add_argument("--out", type=Path, metavar="FILE.csv", help="write the CSV here")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")


def _finish(rows: list[dict], out: Path | None) -> int:
    from kit.batch import FAILED, summary_frame, write_csv

    write_csv(summary_frame(rows), out)
    failed = [row for row in rows if row["status"] == FAILED]
    for row in failed:
        print(f"{row['name']} failed: {row['reason']}", file=sys.stderr)
    if out is not None:
        print(f"{len(rows)} runs, {len(failed)} failed; summary written to {out}")
    return 1 if failed else 0


def _check(args: argparse.Namespace) -> None:
    """Refuse a bad --jobs, and fix --out to this folder before the runs move about."""
    from kit.errors import KitError

    if args.jobs < 1:
        raise KitError("--jobs must be 1 or more.")
    if args.out is not None:
        args.out = args.out.absolute()


def _run_many(args: argparse.Namespace) -> int:
    from kit import batch, runner

    _check(args)
    rows = batch.run_many(
        args.folder,
        runner.parse_parameters(args.parameter),
        jobs=args.jobs,
        scheduler=args.scheduler,
        progress=not args.quiet,
    )
    return _finish(rows, args.out)


def _sweep(args: argparse.Namespace) -> int:
    from kit import batch

    _check(args)
    rows = batch.sweep(
        args.workspace,
        args.parameter,
        jobs=args.jobs,
        scheduler=args.scheduler,
        progress=not args.quiet,
    )
    return _finish(rows, args.out)
