"""The ``kit`` command line.

Each group of commands lives in its own module with a ``register(subparsers)``
function; this module only wires them together and turns a :class:`KitError`
into a short message on stderr with exit code 2 (a traceback only with
``--debug``).
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

from kit.errors import KitError

# Modules that add sub-commands, in the order they appear in ``kit --help``.
COMMAND_MODULES: tuple[str, ...] = (
    "workspace_cmds",
    "decision_cmds",
    "funding_cmds",
    "app_cmds",
    "batch_cmds",
    "import_cmds",
    "areas_cmds",
    "sample_cmds",
    "workshop_cmds",
    "roles_cmds",
    "template_cmds",
    "voices_cmds",
    "community_cmds",
    "safety_cmds",
    "pilot_cmds",
    "evaluate_cmds",
    "pilot_plan_cmds",
    "practices_cmds",
    "report_cmds",
)


class _Parser(argparse.ArgumentParser):
    """An argument parser whose usage errors exit 2 with one short line."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        sys.stderr.write(f"{self.prog}: {message}\n")
        raise SystemExit(2)


def build_parser() -> argparse.ArgumentParser:
    """Build the parser with every registered sub-command."""
    parser = _Parser(
        prog="kit",
        description="Planning workbooks for reimagining public safety.",
    )
    parser.add_argument("--debug", action="store_true", help="show full tracebacks on errors")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True
    for name in COMMAND_MODULES:
        importlib.import_module(f"kit.cli.{name}").register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``kit`` console script; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except KitError as exc:
        if args.debug:
            raise
        sys.stderr.write(f"kit: {exc}\n")
        return 2
    except KeyboardInterrupt:
        sys.stderr.write("kit: interrupted\n")
        return 130
    except BrokenPipeError:
        # The reader (e.g. `head`) closed the pipe; stop quietly, as Unix tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    raise SystemExit(main())
