"""Step 04 on the command line: ``kit pilot``, a planned pilot's power on the city's history.

Prints the smallest reduction the pilot could detect (80% power, two-sided 5%) for police-
handled calls of its call types, response time and repeat calls to a block, with the bias
and the interval's coverage at that effect, from placebo pilots placed in the history.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kit.pilot.power import Diagnosis
    from kit.workspace import Workspace

# kit.pilot.power's designs and default simulations, spelled out so that `kit --help` does not
# load the statistics libraries (a test keeps them equal).
DESIGNS = ("did", "its", "synthetic", "stepped", "randomised")
FULL_SIMS = 200

METRIC_LABELS = {
    "calls": "police-handled calls",
    "response_time": "response time",
    "repeat_calls": "repeat calls to a block",
}


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``pilot`` command."""
    pilot = sub.add_parser(
        "pilot",
        help="smallest effect a planned pilot could detect, from the city's own history",
        description=(
            "Places many placebo pilots in the workspace's history, injects effects of known "
            "size by thinning real calls, runs the planned estimator and reports the minimum "
            "detectable effect (80%% power, two-sided 5%%), its bias and coverage."
        ),
    )
    pilot.add_argument("workspace", metavar="WORKSPACE", help="the jurisdiction's workspace folder")
    pilot.add_argument(
        "--call-type",
        action="append",
        default=[],
        metavar="TYPE",
        help="a call type by code or description; repeat for more (default: the types the "
        "saved step 02 plan moves off police)",
    )
    pilot.add_argument(
        "--area",
        action="append",
        required=True,
        metavar="NAME",
        help="a pilot area; repeat for more",
    )
    pilot.add_argument("--weeks", type=int, required=True, metavar="N", help="pilot duration")
    pilot.add_argument(
        "--design",
        choices=DESIGNS,
        default=None,
        help="the evaluation design (default: the one the kit recommends)",
    )
    pilot.add_argument(
        "--sims",
        type=int,
        default=FULL_SIMS,
        metavar="N",
        help=f"placebo pilots per metric (default {FULL_SIMS})",
    )
    pilot.add_argument("--seed", type=int, default=0, help="seed of the simulations")
    pilot.add_argument("--json", action="store_true", help="print one JSON object")
    pilot.add_argument(
        "--save",
        action="store_true",
        help="save these call types, areas, weeks and design as the pilot_design, with their "
        "power figures (start and hours: the saved design's, else step 02's proposal)",
    )
    pilot.add_argument(
        "--responder",
        metavar="ID",
        help="with --save, who answers the pilot's calls, e.g. crisis_team (default: the saved "
        "design's, else step 02's proposal)",
    )
    pilot.set_defaults(func=_pilot)


def default_design(n_areas: int, n_pilot: int, weeks: int) -> str:
    """The design the kit recommends for these areas and weeks (``kit.pilot.designs``).

    The command line is told of no randomisation and no staggered start, so it asks for
    neither: difference-in-differences, synthetic control or an interrupted time series.
    """
    from kit.pilot.designs import Constraints, recommend

    constraints = Constraints(areas_available=n_areas, pilot_areas=n_pilot, weeks=weeks)
    return recommend(constraints).design


def _pilot(args: argparse.Namespace) -> int:
    from kit.errors import KitError
    from kit.pilot.panel import workspace_panel
    from kit.pilot.power import Plan, diagnose
    from kit.workspace import Workspace

    if args.sims < 10:
        raise KitError("Use at least 10 simulations (--sims); 200 give steady figures.")
    workspace = Workspace.open(args.workspace)
    areas = tuple(dict.fromkeys(args.area))
    known = sorted(set(workspace.read_table("calls", ["area"])["area"].dropna().astype(str)))
    design = args.design or default_design(len(known), len(areas), args.weeks)
    panel = workspace_panel(workspace, args.call_type, by_shift=design == "randomised")
    types = tuple(sorted(args.call_type))
    result = diagnose(panel, Plan(design, args.weeks, areas, types), sims=args.sims, seed=args.seed)
    if args.save:
        _save(workspace, args, design, result.as_dict())
    if args.json:
        json.dump(result.as_dict(), sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(_text(result))
    return 0


def _save(
    workspace: Workspace, args: argparse.Namespace, design: str, power: dict[str, object]
) -> None:
    """Save the pilot just diagnosed as ``pilot_design``, its power figures with it; what the
    command line does not name (start, hours, and the responder unless --responder) stays as
    step 04 has it: the saved design, else the one proposed from step 02's plan."""
    from dataclasses import replace

    from kit.pilot.definition import Pilot, save_pilot, saved_pilot, workspace_pilot

    types, areas = tuple(args.call_type), tuple(dict.fromkeys(args.area))
    base = saved_pilot(workspace)
    if base is None:
        base = Pilot(types, args.responder, areas) if args.responder else workspace_pilot(workspace)
    pilot = replace(
        base,
        call_types=types,
        areas=areas,
        weeks=args.weeks,
        design=design,
        responder=args.responder or base.responder,
    )
    version = save_pilot(workspace, pilot, power=power)
    sys.stderr.write(f"Saved as pilot_design version {version}.\n")


def _pct(value: float | None) -> str:
    return "not reached" if value is None else f"{value:.0%}"


def _text(result: Diagnosis) -> str:
    lines = [
        f"Design: {result.design}, {result.weeks} weeks; intervals by {result.inference}.",
    ]
    for metric, figures in result.metrics.items():
        label = METRIC_LABELS.get(metric, metric)
        if figures.mde is None and figures.note:
            lines.append(f"  {label}: {figures.note}")
            continue
        analytic = (
            f" (formula: {_pct(figures.mde_analytic)})" if figures.mde_analytic is not None else ""
        )
        lines.append(
            f"  {label}: detectable reduction {_pct(figures.mde)}{analytic}; "
            f"bias {figures.bias:+.3f}, coverage {figures.coverage:.0%}"
            if figures.bias is not None and figures.coverage is not None
            else f"  {label}: detectable reduction {_pct(figures.mde)}{analytic}"
        )
    if result.advice:
        lines.append(result.advice)
    return "\n".join(lines) + "\n"
