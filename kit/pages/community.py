"""Step 01 in HTML: the survey weighted beside unweighted, who took part, what the open
deliberation and listening sessions said, and the definition of safety (also shown in step 02).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from markupsafe import Markup

from kit.community.definition import format_value
from kit.community.survey import GROUP_NAMES
from kit.pages import render
from kit.suppression import DEFAULT_SMALL_COUNT

NO_GOALS = "No definition of safety saved yet: step 01 writes its goals."


def answers_html(summary: Mapping[str, Any]) -> Markup:
    """Priorities (1-5) and scores (0-10), each weighted with its interval beside unweighted."""
    return Markup("").join(
        render("community/answers.html", items=summary.get(key, []), key=name, heading=heading,
               css=f"kit-community-{key}")
        for key, name, heading in (
            ("priorities", "priority", "Priority (1-5)"),
            ("scores", "score", "Score (0-10)"),
        )
    )  # fmt: skip


def participation_html(summary: Mapping[str, Any]) -> Markup:
    """Each area's and group's share of respondents beside its share of residents."""
    participation = summary.get("participation", {})
    areas = [row | {"label": row["area"]} for row in participation.get("areas", [])]
    groups = [
        row | {"label": GROUP_NAMES.get(row["group"], "Not said")}
        for row in participation.get("groups", [])
    ]
    return Markup("").join(
        render(
            "community/participation.html",
            rows=rows,
            heading=heading,
            limit=summary.get("small_count", DEFAULT_SMALL_COUNT),
        )
        for rows, heading in ((areas, "Area"), (groups, "Group"))
    )


def notes_html(notes: Sequence[str]) -> Markup:
    """What the weights and targets mean, in plain words."""
    return render("community/notes.html", notes=notes)


def voices_html(voices: Mapping[str, Any]) -> Markup:
    """Opinion groups, consensus and division, roles not heard and themes (kit voices)."""
    return render("community/voices.html", voices=voices)


def goals_html(goals: Sequence[Mapping[str, Any]]) -> Markup:
    """The saved goals with their baselines and targets."""
    return render("community/goals.html", goals=goals, shown=format_value, empty=NO_GOALS)


def menu_html(metrics: Sequence[Mapping[str, Any]], areas: Sequence[str]) -> Markup:
    """The metric menu with each metric's baseline citywide and by area (small counts hidden
    by the workspace's threshold that each baseline carries; the CMS one for older ones)."""
    return render(
        "community/menu.html",
        metrics=metrics,
        areas=areas,
        shown=format_value,
        limit=DEFAULT_SMALL_COUNT,
    )
