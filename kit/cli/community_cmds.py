"""Step 01 on the command line: ``kit community``, the survey weighted to who lives there."""

from __future__ import annotations

import argparse
import json

from kit.community.summary import summary_lines, workspace_summary
from kit.workspace import Workspace


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``community`` command."""
    community = sub.add_parser(
        "community",
        help="the community survey weighted to the residents: priorities, scores, who took part",
        description=(
            "The imported survey raked to the profile's residents by area and group: each "
            "priority's and score's weighted mean with its 95%% interval beside the unweighted "
            "mean, by area and by group, and each area's and group's share of respondents "
            "beside its share of residents. Counts of 1 to 10 people are hidden in the printed "
            "form; --json gives them exact, each with a suppressed flag (docs/community.md)."
        ),
    )
    community.add_argument("workspace", metavar="WORKSPACE", help="the workspace folder")
    community.add_argument("--json", action="store_true", help="print one JSON object")
    community.set_defaults(func=_community)


def _community(args: argparse.Namespace) -> int:
    document = workspace_summary(Workspace.open(args.workspace))
    if args.json:
        print(json.dumps(document, indent=2, allow_nan=False))
    else:
        print("\n".join(summary_lines(document)))
    return 0
