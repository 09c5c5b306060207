"""``kit templates DIR``: the blank CSV templates a city fills in (areas, budget, survey).

The templates ship inside the kit, so this works from an installed kit with no source tree.
"""

from __future__ import annotations

import argparse
from pathlib import Path


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``templates`` command."""
    command = sub.add_parser(
        "templates",
        help="copy the blank CSV templates (areas, budget, survey) into a folder",
        description=(
            "Copy the blank templates a city fills in: the areas with their demographics, the "
            "police budget lines and the community survey answers. Files already in DIR are "
            "kept, never overwritten."
        ),
    )
    command.add_argument("folder", metavar="DIR", help="folder to copy them into (made if needed)")
    command.set_defaults(func=_templates)


def _templates(args: argparse.Namespace) -> int:
    from kit.resources import BLANK_TEMPLATES, copy_blank_templates

    folder = Path(args.folder).expanduser()
    copied = copy_blank_templates(folder)
    for name in BLANK_TEMPLATES:
        target = folder / name
        print(f"{target}{'' if target in copied else '  (kept: it was already there)'}")
    return 0
