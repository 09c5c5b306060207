"""Step 01's community voices on the command line: ``kit voices``.

One command both brings files in (pol.is, Decidim, listening-session notes) and
prints what they say: what most opinion groups agree on, where they divide, which
stakeholders were and were not heard, and the themes of everything written or said.
Imports run before the summary, each all or nothing.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``voices`` command."""
    voices = sub.add_parser(
        "voices",
        help="open deliberation, listening sessions and free-text themes (step 01)",
        description=(
            "Import pol.is conversations, Decidim open-data CSVs and listening-session notes "
            "into WORKSPACE, then show what opinion groups agree on and where they divide, "
            "which stakeholder roles were and were not heard, and the themes of all free text "
            "with example quotes scrubbed of names and contact details."
        ),
    )
    voices.add_argument(
        "workspace", metavar="WORKSPACE", help="the jurisdiction's workspace folder"
    )
    voices.add_argument(
        "--polis",
        nargs=2,
        metavar=("COMMENTS", "VOTES"),
        help="import a pol.is export: its comments.csv and participants-votes.csv",
    )
    voices.add_argument(
        "--decidim",
        nargs="+",
        metavar="FILE",
        help="import Decidim open-data proposals and/or comments CSV files",
    )
    voices.add_argument(
        "--sessions",
        metavar="FILE",
        help="import listening-session notes (templates/listening_sessions_template.csv)",
    )
    voices.add_argument(
        "--copy-themes",
        action="store_true",
        help="copy the kit's themes file into the workspace's rules/ folder to edit",
    )
    voices.add_argument("--json", action="store_true", help="print one JSON object")
    voices.set_defaults(func=_voices)


def _voices(args: argparse.Namespace) -> int:
    from kit.community.themes import copy_themes
    from kit.community.voices import import_decidim, import_polis, import_sessions, voices_summary
    from kit.workspace import Workspace

    workspace = Workspace.open(args.workspace)
    notes = []
    if args.polis:
        counts = import_polis(workspace, *args.polis)
        notes.append(
            f"pol.is: {counts['statements']} statements, {counts['participants']} participants, "
            f"{counts['votes']} votes kept."
        )
    if args.decidim:
        counts = import_decidim(workspace, args.decidim)
        notes.append(f"Decidim: {counts['proposal']} proposals, {counts['comment']} comments kept.")
    if args.sessions:
        counts = import_sessions(workspace, args.sessions)
        notes.append(f"Listening sessions: {counts['statements']} statements kept.")
    if args.copy_themes:
        notes.append(f"Themes to edit: {copy_themes(workspace)}")
    summary = voices_summary(workspace)
    if args.json:
        json.dump(summary, sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
        return 0
    for note in notes:
        print(note)
    print("\n".join(_text(summary)))
    return 0


def _text(summary: dict[str, Any]) -> list[str]:
    lines: list[str] = []
    polis = summary.get("polis")
    if polis:
        lines.append(f"\npol.is: {_shown(polis, 'participants')} participants")
        if not polis["groups"]:
            lines.append(f"  {polis['note']}")
        else:
            sizes = ", ".join(
                f"{g['group']} ({_shown(g, 'participants')})" for g in polis["groups"]
            )
            lines.append(f"  opinion groups: {sizes}")
            lines.append("  what most groups agree on:")
            lines += [f"    {s['consensus']:.0%}  {s['text']}" for s in polis["consensus"]]
            lines.append("  where groups divide (largest gap in agreement):")
            lines += [f"    {s['division']:.0%}  {s['text']}" for s in polis["division"]]
    decidim = summary.get("decidim")
    if decidim:
        lines.append(
            f"\nDecidim: {_shown(decidim, 'proposals')} proposals, "
            f"{_shown(decidim, 'comments')} comments"
        )
        lines += [f"  {_shown(p, 'support'):>9}  {p['text']}" for p in decidim["most_supported"]]
    sessions = summary.get("sessions")
    if sessions:
        lines.append(f"\nListening sessions: {_shown(sessions, 'statements')} statements")
        lines += [f"  {r['role']}: {_shown(r, 'statements')}" for r in sessions["roles"]]
        missing = ", ".join(sessions["roles_not_heard"]) or "none"
        lines.append(f"  not heard: {missing}")
        for area in sessions["by_area"]:
            gaps = ", ".join(area["roles_not_heard"]) or "none"
            lines.append(
                f"  {area['area']}: {_shown(area, 'statements')} statements; not heard: {gaps}"
            )
    lines.append(f"\nThemes of {_shown(summary, 'texts')} free texts:")
    for theme in summary["themes"]:
        lines.append(f"  {theme['theme']}: {_shown(theme, 'quotes')}")
        lines += [f"    \u201c{quote}\u201d" for quote in theme["examples"]]
    return lines


def _shown(item: dict[str, Any], key: str) -> str:
    # One phrase for every hidden count, small or complementary, so none can be told apart.
    return "not shown" if key in item.get("hidden", ()) else str(item[key])
