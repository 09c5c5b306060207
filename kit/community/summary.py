"""The survey's figures for step 01 and ``kit community``: weighted beside unweighted, by area
and group, with who took part against who lives there.

Everything here is one JSON-ready document (docs/community.md describes its shape), so the
page, the command line and later steps read the same numbers. Counts are exact; a
``suppressed`` flag marks those an export must hide: 1 to 10 people (the workspace's
small-count threshold, 11 by the CMS cell-size rule) and the others that would give them back
from the total (:mod:`kit.suppression`, docs/publishing.md). :func:`summary_lines` hides them.
"""

from __future__ import annotations

from typing import Any, Final

import numpy as np
import pandas as pd

from kit.community.survey import GROUP_COLUMN, GROUP_NAMES, GROUP_SHARES, NOT_SAID
from kit.community.weighting import TRIM_AT, Targets, Weighting, estimate, weigh
from kit.data.survey import RATING_PREFIX, SCORE_PREFIX, rating_columns, score_columns
from kit.errors import KitError
from kit.profile import Profile
from kit.suppression import DEFAULT_SMALL_COUNT, hidden_beside_total
from kit.workspace import Workspace

NOTES: Final[tuple[str, ...]] = (
    "Weights make respondents match all residents by area and by group (the profile has "
    "no counts of adults), so children count in the targets though they did not answer.",
    '"White" is matched to the profile\'s non-Hispanic white residents. That is exact only '
    "where the survey asked race and ethnicity in one question; where it asked them apart, "
    "Hispanic respondents who also ticked White are counted as White.",
    "Respondents who did not say their group are kept and weighted on their area alone.",
    f"Weights are scaled to a mean of 1 and cut at {TRIM_AT:g} times the mean, then raked again; "
    "the design effect says how much precision the weighting costs.",
    "Intervals are 95% intervals from Taylor linearisation with the weights; a mean from "
    "few respondents has a wide interval.",
)


def _answers(
    frame: pd.DataFrame, weighting: Weighting, within: np.ndarray | None
) -> dict[str, list[dict[str, Any]]]:
    """Each priority's and score's estimate, over everyone or within one area or group."""
    found: dict[str, list[dict[str, Any]]] = {"priorities": [], "scores": []}
    for key, name, prefix, columns in (
        ("priorities", "priority", RATING_PREFIX, rating_columns(frame)),
        ("scores", "score", SCORE_PREFIX, score_columns(frame)),
    ):
        for column in columns:
            result = estimate(frame[column], weighting, within).to_document()
            found[key].append({name: column.removeprefix(prefix), **result})
    return found


def _share(part: float, whole: float) -> float | None:
    return round(part / whole, 4) if whole else None


def survey_summary(
    survey: pd.DataFrame, profile: Profile, small_count: int = DEFAULT_SMALL_COUNT
) -> dict[str, Any]:
    """The survey document: overall, by area, by group and participation (see docs/community.md).

    Respondents are rows with at least one rating or score; rows with none say nothing
    and are left out before weighting. ``small_count`` is the workspace's threshold: areas
    and groups are flagged ``suppressed`` with the cells that would give them back.
    """
    questions = rating_columns(survey) + score_columns(survey)
    if not questions:
        raise KitError("The survey has no rating_ or score_ columns to summarise.")
    answered = survey[questions].notna().any(axis=1)
    frame = survey[answered].reset_index(drop=True)
    if frame.empty:
        raise KitError(
            "No response in the survey has a rating or a score: check that the answers are in "
            "the rating_ and score_ columns, then import it again."
        )
    if GROUP_COLUMN not in frame:
        raise KitError(
            "The survey was stored without matched groups; import it again with "
            "kit import survey WORKSPACE FILE."
        )
    targets = Targets.from_profile(profile)
    weighting = weigh(frame, targets)
    n = len(frame)
    areas = frame["area"].to_numpy()
    groups = frame[GROUP_COLUMN].to_numpy()
    area_counts = [int((areas == name).sum()) for name in targets.areas.index]
    area_hidden = hidden_beside_total(area_counts, small_count)
    by_area = [
        {"area": name, "respondents": count, "suppressed": hidden}
        | _answers(frame, weighting, areas == name)
        for name, count, hidden in zip(targets.areas.index, area_counts, area_hidden, strict=True)
    ]
    keys = [*GROUP_SHARES, NOT_SAID]
    group_counts = [int((groups == key).sum()) for key in keys]
    # Shares among those who said their group would publish that total too: the printed
    # form shows no group's share when any group is hidden (summary_lines).
    group_hidden = hidden_beside_total(group_counts, small_count)
    by_group = [
        {
            "group": key,
            "label": GROUP_NAMES.get(key, "Not said"),
            "respondents": count,
            "suppressed": hidden,
        }
        | _answers(frame, weighting, groups == key)
        for key, count, hidden in zip(keys, group_counts, group_hidden, strict=True)
    ]
    residents = float(targets.areas.sum())
    n_said = int((groups != NOT_SAID).sum())
    participation = {
        "areas": [
            {
                "area": row["area"],
                "respondents": row["respondents"],
                "suppressed": row["suppressed"],
                "share_of_respondents": _share(row["respondents"], n),
                "share_of_residents": _share(targets.areas[row["area"]], residents),
            }
            for row in by_area
        ],
        "groups": [
            {
                "group": row["group"],
                "respondents": row["respondents"],
                "suppressed": row["suppressed"],
                # Shares among those who said their group, to compare with the residents'.
                "share_of_respondents": _share(row["respondents"], n_said)
                if row["group"] != NOT_SAID
                else _share(row["respondents"], n),
                "share_of_residents": _share(targets.groups[row["group"]], residents)
                if row["group"] != NOT_SAID
                else None,
            }
            for row in by_group
        ],
    }
    return {
        "respondents": n,
        "small_count": small_count,
        "effective_n": round(weighting.effective_n, 1),
        "design_effect": round(weighting.design_effect, 3),
        "max_weight": round(float(weighting.weights.max()), 3),
        "trimmed": weighting.trimmed,
        **_answers(frame, weighting, None),
        "by_area": by_area,
        "by_group": by_group,
        "participation": participation,
        "notes": [*NOTES, *weighting.notes],
    }


def workspace_summary(ws: Workspace) -> dict[str, Any]:
    """:func:`survey_summary` of the workspace's imported survey and profile."""
    if not ws.has_table("survey"):
        raise KitError(
            "This workspace has no survey yet: import one with kit import survey WORKSPACE "
            "FILE (start from templates/survey_template.csv)."
        )
    return survey_summary(ws.read_table("survey"), ws.profile, ws.small_count)


def _count(row: dict[str, Any]) -> str:
    # One word for every hidden count: "fewer than 11" would tell the small ones apart.
    return "not shown" if row["suppressed"] else str(row["respondents"])


def _percent(share: float | None) -> str:
    return "-" if share is None else f"{share:.0%}"


def summary_lines(document: dict[str, Any]) -> list[str]:
    """The summary as plain lines to print, with the counts flagged ``suppressed`` hidden."""
    lines = [
        f"{document['respondents']} respondents, worth {document['effective_n']:.0f} equally "
        f"weighted ones (design effect {document['design_effect']:.2f}; "
        f"{document['trimmed']} weights cut at {TRIM_AT:g} times the mean).",
    ]
    for key, title in (("priorities", "Priorities, 1-5"), ("scores", "Scores, 0-10")):
        if not document[key]:
            continue
        lines += ["", f"{title:<34}weighted [95% interval]   unweighted"]
        name = "priority" if key == "priorities" else "score"
        for item in document[key]:
            if item["mean"] is None:
                lines.append(f"  {item[name]:<32}no answers")
                continue
            interval = f"[{item['low']:.2f}-{item['high']:.2f}]" if item["low"] is not None else ""
            lines.append(
                f"  {item[name]:<32}{item['mean']:>5.2f} {interval:<17}"
                f"{item['mean_unweighted']:>7.2f}"
            )
    for key, title in (("areas", "Area"), ("groups", "Group")):
        lines += ["", f"{title:<34}respondents       share   of residents"]
        rows = document["participation"][key]
        # Groups' shares are among those who said theirs, a second total that would give a
        # hidden count back: none is shown when any group is hidden.
        shares_safe = key == "areas" or not any(row["suppressed"] for row in rows)
        for row in rows:
            label = row.get("area") or GROUP_NAMES.get(row["group"], "Not said")
            # A share of a known total gives the count away: hidden with it.
            shown = None if row["suppressed"] or not shares_safe else row["share_of_respondents"]
            lines.append(
                f"  {label:<32}{_count(row):<18}{_percent(shown):>5}"
                f"   {_percent(row['share_of_residents']):>6}"
            )
    lines += ["", "Notes:", *(f"- {note}" for note in document["notes"])]
    return lines
