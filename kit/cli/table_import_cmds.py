"""``kit import areas|budget|survey``: the other inputs a workspace needs, besides the calls.

Each reads one filled-in template, checks all of it and only then writes, so a refused
file leaves the workspace as it was and the message says what to fix.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from kit.community.survey import import_survey, parse_group_mapping
from kit.data.budget import read_budget
from kit.profile import Profile
from kit.workspace import Workspace


def add_table_imports(kinds: argparse._SubParsersAction) -> None:
    """Add ``areas``, ``budget`` and ``survey`` to the ``import`` command group."""
    areas = kinds.add_parser(
        "areas",
        help="import the areas and their demographics (templates/areas_template.csv)",
        description=(
            "Replace the profile's areas with those of a filled-in copy of "
            "templates/areas_template.csv (saved as a new version of the profile)."
        ),
    )
    budget = kinds.add_parser(
        "budget",
        help="import the police budget lines (templates/budget_template.csv)",
        description=(
            "Replace the budget table with a filled-in copy of templates/budget_template.csv; "
            "step 03 takes the cost of an officer from it."
        ),
    )
    survey = kinds.add_parser(
        "survey",
        help="import community survey responses, CSV or XLSX (templates/survey_template.csv)",
        description=(
            "Replace the survey table with a file in the shape of "
            "templates/survey_template.csv (CSV or XLSX). Each respondent's demographic_group "
            "is matched to the profile's groups (white_nh, black, hispanic, asian, other); "
            "map any other label with --group. 'Prefer not to say' and blanks are kept and "
            "weighted on area alone."
        ),
    )
    survey.add_argument(
        "--group",
        metavar="LABEL=GROUP",
        action="append",
        default=[],
        help="count the survey's LABEL as the profile's GROUP (white_nh, black, hispanic, "
        "asian, other or not_said; repeatable)",
    )
    for parser, func in ((areas, _import_areas), (budget, _import_budget), (survey, _survey)):
        parser.add_argument("workspace", metavar="WORKSPACE", help="the workspace folder")
        parser.add_argument("file", metavar="FILE", help="the filled-in template")
        parser.set_defaults(func=func)


def _import_areas(args: argparse.Namespace) -> int:
    workspace = Workspace.open(args.workspace)
    base = workspace.profile
    profile = Profile.from_csv(Path(args.file), base=base)
    version = workspace.save_profile(profile, base_version=workspace.profile_version)
    print(f"Imported {len(profile.areas)} areas (profile version {version}).")
    return 0


def _import_budget(args: argparse.Namespace) -> int:
    workspace = Workspace.open(args.workspace)
    budget = read_budget(Path(args.file))
    workspace.write_data({"budget": budget}, step="03")
    years = sorted(set(budget["fiscal_year"]))
    print(f"Imported {len(budget)} budget lines for fiscal year(s) {', '.join(map(str, years))}.")
    return 0


def _survey(args: argparse.Namespace) -> int:
    workspace = Workspace.open(args.workspace)
    result = import_survey(workspace, Path(args.file), groups=parse_group_mapping(args.group))
    for line in result.summary_lines():
        print(line)
    return 0
