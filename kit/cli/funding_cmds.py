"""Step 03 on the command line: ``kit staffing`` (one queue) and ``kit funding`` (a workspace).

``kit staffing`` answers the planner's quick question ("how many teams for this load and this
target?") without a workspace; ``kit funding`` prints the figures step 03 shows for the saved
(or default) scenario, so consultants can script them across jurisdictions.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kit.errors import KitError
from kit.labels import WEEKDAY_ABBREVIATIONS, money, short_label
from kit.staffing import ResponseTarget, least_teams, share_within_target, simulate

if TYPE_CHECKING:
    from kit.workspace import Workspace


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
        help="fixed travel time to the scene, counted against the target (default 0: the "
        "queue alone, as in textbook checks; step 03 and `kit funding` use the scenario's "
        "travel time, 10 minutes unless changed)",
    )
    staffing.add_argument(
        "--simulate",
        type=int,
        default=0,
        metavar="CALLS",
        help="also simulate this many calls through the queue and report the share reached",
    )
    staffing.add_argument("--json", action="store_true", help="print a JSON object")
    staffing.set_defaults(func=_staffing)

    funding = sub.add_parser(
        "funding",
        help="officer hours and money freed, teams by hour of week and cost of a scenario",
        description=(
            "Step 03's figures for the saved (or default) scenario of a workspace: officer "
            "hours freed a year, the officers they amount to, their value, the teams each "
            "alternative responder needs by hour of week, the service's cost and the net effect."
        ),
    )
    funding.add_argument("workspace", metavar="WORKSPACE", help="the workspace folder")
    funding.add_argument(
        "--scenario", metavar="NAME", help="a scenario by name (default: the one chosen in step 03)"
    )
    funding.add_argument("--json", action="store_true", help="print one JSON object")
    funding.add_argument(
        "--page",
        metavar="FILE",
        help="also write the whole step (side by side, sensitivity, sources, gap) to FILE as "
        "an HTML page to print",
    )
    funding.set_defaults(func=_funding)


def _staffing(args: argparse.Namespace) -> int:
    target = ResponseTarget(
        minutes=args.target_minutes, share=args.target_share, travel_minutes=args.travel_minutes
    )
    teams = least_teams(args.calls_per_hour, args.minutes_per_call, target)
    share = share_within_target(teams, args.calls_per_hour, args.minutes_per_call, target)
    result: dict[str, Any] = {"teams": teams, "share_within_target": share}
    if args.simulate:
        if not 1_000 <= args.simulate <= 10_000_000:
            raise KitError("Simulate between 1,000 and 10,000,000 calls.")
        if teams > 0:
            run = simulate(
                teams, args.calls_per_hour, args.minutes_per_call, target, calls=args.simulate
            )
            result["simulated_share_within_target"] = run.share_within_target
        else:
            result["simulated_share_within_target"] = 1.0
    if args.json:
        json.dump(result, sys.stdout)
        sys.stdout.write("\n")
        return 0
    sys.stdout.write(
        f"{teams} team{'s' if teams != 1 else ''} reach {share:.1%} of calls within "
        f"{args.target_minutes:g} minutes (target {args.target_share:.0%}).\n"
    )
    if args.simulate:
        sys.stdout.write(
            f"Simulated over {args.simulate:,} calls: "
            f"{result['simulated_share_within_target']:.1%}.\n"
        )
    return 0


def _funding(args: argparse.Namespace) -> int:
    from kit import funding
    from kit.workspace import Workspace

    workspace = Workspace.open(args.workspace)
    inputs = funding.load_inputs(workspace)
    saved = workspace.decisions.latest(funding.DECISION_NAME)
    doc = funding.document_for(workspace, inputs)
    settings = funding.settings_from_document(doc, inputs)
    result = funding.evaluate_scenario(inputs, doc, settings, args.scenario)
    summary: dict[str, Any] = {
        **result.summary(),
        "saved_version": saved.version if saved else None,
        "officer_annual_cost": settings.costs.officer_annual_cost,
        "productive_hours_per_officer": result.plan.productive_hours,
        "target": doc["target"],
        "shift_hours": settings.shift_hours,
        "hours_freed_by_call_type": {
            str(row.call_type): float(row.hours_freed)
            for row in result.freed_by(("call_type",))
            .sort_values("hours_freed", ascending=False)
            .itertuples()
        },
    }
    if args.page:
        _write_page(workspace, args.scenario, Path(args.page))
    if args.json:
        json.dump(summary, sys.stdout)
        sys.stdout.write("\n")
        return 0
    sys.stdout.write("\n".join(_funding_lines(summary)) + "\n")
    if args.page:
        sys.stdout.write(f"The page to print is in {args.page}.\n")
    return 0


def _write_page(workspace: Workspace, scenario: str | None, path: Path) -> None:
    """Step 03 worked out whole, as the app's page to print shows it, written to ``path``."""
    from kit.funding_figures import work_out
    from kit.pages.funding import funding_page

    page = funding_page(
        work_out(workspace, scenario=scenario or ""),
        jurisdiction=workspace.profile.name,
        printed=date.today(),
    )
    try:
        path.write_text(page, encoding="utf-8")
    except OSError as exc:
        raise KitError(f"Could not write the page to {path}: {exc.strerror}.") from exc


def _funding_lines(s: dict[str, Any]) -> list[str]:
    target = s["target"]
    lines = [
        f"Scenario: {s['scenario']}",
        f"Officer hours freed a year: {s['hours_freed']:,.0f} "
        f"({s['fte_freed']:.1f} officers at {s['productive_hours_per_officer']:,.0f} "
        f"productive hours each)",
        f"Their value redeployed to other police work: {money(s['value_of_hours'])} "
        f"(officer cost {money(s['officer_annual_cost'])} a year)",
        f"If positions are left unfilled: {s['positions_not_refilled']} positions, "
        f"{money(s['budget_released'])} a year",
        f"New service: {money(s['service_cost'])} a year, {money(s['start_up_cost'])} to start",
        f"Net effect a year: {money(s['net_if_redeployed'])} if the hours are redeployed, "
        f"{money(s['net_if_not_refilled'])} if positions are left unfilled",
    ]
    top = list(s["hours_freed_by_call_type"].items())[:5]
    if top:
        lines.append(
            "Most hours freed: "
            + ", ".join(f"{call_type} {hours:,.0f}" for call_type, hours in top)
        )
    for name, r in s["responders"].items():
        lines += [
            "",
            f"{short_label(name)}: teams needed by hour of week ({target['share']:.0%} of calls "
            f"within {target['minutes']:g} minutes, {target['travel_minutes']:g} of them travel; "
            f"{r['minutes_per_call']:.0f} minutes per call, "
            f"{r['calls_per_year']:,.0f} calls a year)",
            "     " + " ".join(f"{h:02d}" for h in range(24)),
        ]
        teams = r["teams_by_hour"]
        for day, label in enumerate(WEEKDAY_ABBREVIATIONS):
            lines.append(
                f"{label}  " + " ".join(f"{t:2d}" for t in teams[day * 24 : day * 24 + 24])
            )
        lines.append(
            f"{s['shift_hours']}-hour shifts: {r['shifts_per_week']} a week, at most "
            f"{r['teams_at_peak']} teams on duty at once, "
            f"{r['headcount']:.1f} people once leave and training are counted "
            f"({s['people_per_post_around_the_clock']:.1f} per post staffed around the clock), "
            f"{money(r['cost_per_year'])} a year"
        )
        if r["shift_plan_note"]:
            lines.append(r["shift_plan_note"])
    if s["fleet"]:
        lines += ["", s["fleet"]]
    return lines
