"""``kit sample build``: build (or refresh) the cached sample city.

``kit new PATH --sample`` copies the cached build; building it ahead of a workshop
means no participant waits for it. The build is keyed by the generator's source and
seed, so it is redone only when they change (or with ``--force``).
"""

from __future__ import annotations

import argparse
import sys


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``sample`` command group and its ``build`` command."""
    group = sub.add_parser(
        "sample",
        help="the sample city (Port Calder): build its cached workspace",
        description="Commands for the sample city, a synthetic jurisdiction for trying the kit.",
    )
    actions = group.add_subparsers(dest="action", metavar="ACTION", parser_class=type(group))
    actions.required = True
    build = actions.add_parser(
        "build",
        help="build the cached sample city, or refresh it",
        description=(
            "Generate the sample city's raw files and import them into a template workspace "
            "that `kit new PATH --sample` copies. Does nothing when the build is current."
        ),
    )
    build.add_argument("--force", action="store_true", help="rebuild even when current")
    build.set_defaults(func=_build)


def _build(args: argparse.Namespace) -> int:
    from sample_city.build import build

    def say(message: str) -> None:
        sys.stderr.write(f"sample city: {message}\n")

    path = build(force=args.force, progress=say)
    print(f"Sample city ready: {path}")
    return 0
