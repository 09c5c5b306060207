"""Step 03 on the command line: ``kit staffing`` (one queue) and ``kit funding`` (a workspace).

``kit staffing`` answers the planner's quick question ("how many teams for this load and this
target?") without a workspace; ``kit funding`` prints the figures step 03 shows for the saved
(or default) scenario, so consultants can script them across jurisdictions.
"""

from __future__ import annotations

import argparse
import json
import sys

from kit.staffing import ResponseTarget, least_teams, share_within_target


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``staffing`` and ``funding`` commands."""
    staffing = sub.add_parser(
        "staffing",
        help="least number of teams that meets a response-time target (Erlang C with travel)",
        description=(
            "The least number of teams that reaches a share of calls within a target time, "
            "under Erlang C with a fixed travel time."
        ),
    )
    staffing.add_argument(
        "--calls-per-hour", type=float, required=True, metavar="L", help="mean calls per hour"
    )
    staffing.add_argument(
        "--minutes-per-call",
        type=float,
        required=True,
        metavar="S",
        help="whole time a team is committed to a call, travel included, in minutes",
    )
    staffing.add_argument(
        "--target-minutes", type=float, required=True, metavar="T", help="response target"
    )
    staffing.add_argument(
        "--target-share",
        type=float,
        required=True,
        metavar="P",
        help="fraction of calls to reach within the target, e.g. 0.9",
    )
    staffing.add_argument(
        "--travel-minutes",
        type=float,
        default=0.0,
        metavar="V",
        help="fixed travel time to the scene (counts against the target; default 0)",
    )
    staffing.add_argument("--json", action="store_true", help="print a JSON object")
    staffing.set_defaults(func=_staffing)


def _staffing(args: argparse.Namespace) -> int:
    target = ResponseTarget(
        minutes=args.target_minutes, share=args.target_share, travel_minutes=args.travel_minutes
    )
    teams = least_teams(args.calls_per_hour, args.minutes_per_call, target)
    share = share_within_target(teams, args.calls_per_hour, args.minutes_per_call, target)
    if args.json:
        json.dump({"teams": teams, "share_within_target": share}, sys.stdout)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(
            f"{teams} team{'s' if teams != 1 else ''} reach {share:.1%} of calls within "
            f"{args.target_minutes:g} minutes (target {args.target_share:.0%}).\n"
        )
    return 0
