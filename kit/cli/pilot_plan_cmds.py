"""Step 04's evaluation plan on the command line: ``kit pilot-plan``."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from kit.errors import KitError
from kit.pages.pilot import plan_page
from kit.pilot.definition import pilot_origin
from kit.pilot.plan import workspace_plan
from kit.workspace import Workspace


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``pilot-plan`` command."""
    cmd = sub.add_parser(
        "pilot-plan",
        help="the pilot's evaluation plan, fit to pre-register, as a page to print or JSON",
        description=(
            "The evaluation plan of the saved pilot (else the one proposed from step 02's "
            "plan, else from the crisis-team example): hypotheses, metrics, design, analysis, "
            "decision rule, equity checks, data to collect, stopping rules and the fields a "
            "registry asks for (docs/pilot.md)."
        ),
    )
    cmd.add_argument("workspace", metavar="WORKSPACE", help="the workspace folder")
    cmd.add_argument(
        "--out", required=True, metavar="FILE", help="FILE.html (a page to print) or FILE.json"
    )
    cmd.add_argument(
        "--power",
        metavar="FILE",
        help="the JSON `kit pilot --json` printed, for the plan's power calculation (default: "
        "the figures saved with the design by `kit pilot --save`)",
    )
    cmd.set_defaults(func=_pilot_plan)


def _read_power(name: str | None) -> dict[str, Any] | None:
    if name is None:
        return None
    try:
        found = json.loads(Path(name).read_text(encoding="utf-8"))
    except OSError as exc:
        raise KitError(f"Could not read the power figures from {name}: {exc.strerror}.") from exc
    except json.JSONDecodeError as exc:
        raise KitError(f"{name} is not JSON: give the file `kit pilot --json` writes.") from exc
    if not isinstance(found, dict):
        raise KitError(f"{name} must hold one JSON object, as `kit pilot --json` prints.")
    return found


def _pilot_plan(args: argparse.Namespace) -> int:
    out = Path(args.out)
    if out.suffix.lower() not in (".html", ".htm", ".json"):
        raise KitError(f"--out must end in .html or .json (it is {out.name}).")
    power = _read_power(args.power)
    workspace = Workspace.open(args.workspace)
    if pilot_origin(workspace) == "example":
        sys.stderr.write(
            "Step 02 has no saved plan that moves calls off police, so this plan is for a pilot "
            "of the kit's crisis-team example. Save a plan in step 02 or a pilot in step 04 to "
            "plan your own.\n"
        )
    plan = workspace_plan(workspace, power=power)
    text = (
        json.dumps(plan, indent=2, allow_nan=False, ensure_ascii=False)
        if out.suffix.lower() == ".json"
        else plan_page(plan)
    )
    try:
        out.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise KitError(f"Could not write the plan to {out}: {exc.strerror}.") from exc
    print(f"The evaluation plan is in {out}.")
    return 0
