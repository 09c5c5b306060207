"""Community voices in a workspace: import deliberation and session files, summarise them.

Imports check a file completely before anything is written, scrub every free text
of names and contact details, and then replace the workspace's table of that kind
all at once (Workspace.write_data), so a refused file leaves the workspace as it was.

Tables kept in data/: ``polis_comments`` (comment_id, author_id, moderated, text),
``polis_votes`` (participant, comment_id, vote: one row per vote cast), ``decidim``
(kind, id, text, area, support) and ``sessions`` (session_date, area, speaker_role,
statement, tags).

Counts of people, votes, statements and quotes below the workspace's small-count threshold
are published nowhere (docs/publishing.md): :func:`voices_summary` keeps them exact and
names them in each object's ``hidden`` list, with the complementary counts that would give
them back from a total shown beside them; the text and the page print "not shown".
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any, Final

import pandas as pd

from kit.community.deliberation import (
    OpinionGroups,
    opinion_groups,
    read_decidim,
    read_polis_comments,
    read_polis_votes,
    statement_scores,
)
from kit.community.scrub import place_words, scrub
from kit.community.sessions import read_sessions, roles_heard
from kit.community.themes import read_themes, theme_summary, themes_path
from kit.errors import KitError
from kit.suppression import hidden_beside_total, is_small
from kit.workspace import Workspace

STEP: Final = "01"
TOP: Final = 5  # statements listed for consensus and for division


def _places(workspace: Workspace) -> frozenset[str]:
    profile = workspace.profile
    return place_words([profile.name, *profile.area_names])


def import_polis(
    workspace: Workspace, comments: str | os.PathLike[str], votes: str | os.PathLike[str]
) -> dict[str, int]:
    """Keep a pol.is conversation (its comments.csv and participants-votes.csv)."""
    statements = read_polis_comments(comments)
    matrix = read_polis_votes(votes)
    unknown = sorted(set(matrix.columns) - set(statements["comment_id"]), key=int)
    if unknown:
        raise KitError(
            f"The votes file has votes on comment(s) {', '.join(unknown[:5])} that the comments "
            "file lacks: use the two files of the same export."
        )
    places = _places(workspace)
    statements["text"] = statements["text"].map(lambda t: scrub(t, places))
    long = matrix.stack().dropna().rename("vote").reset_index()  # blanks: not seen
    long["vote"] = long["vote"].astype("int8")
    workspace.write_data({"polis_comments": statements, "polis_votes": long}, step=STEP)
    return {"statements": len(statements), "participants": len(matrix), "votes": len(long)}


def import_decidim(workspace: Workspace, files: Sequence[str | os.PathLike[str]]) -> dict[str, int]:
    """Keep Decidim open-data proposals and comments files (replacing those held)."""
    if not files:
        raise KitError("Name at least one Decidim proposals or comments CSV file.")
    frame = pd.concat([read_decidim(f) for f in files], ignore_index=True)
    places = _places(workspace)
    frame["text"] = frame["text"].map(lambda t: scrub(t, places))
    workspace.write_data({"decidim": frame}, step=STEP)
    return {kind: int((frame["kind"] == kind).sum()) for kind in ("proposal", "comment")}


def import_sessions(workspace: Workspace, path: str | os.PathLike[str]) -> dict[str, int]:
    """Keep listening-session notes (replacing those held)."""
    profile = workspace.profile
    sessions = read_sessions(path, areas=profile.area_names, places=[profile.name])
    workspace.write_data({"sessions": sessions}, step=STEP)
    return {"statements": len(sessions)}


def polis_matrix(workspace: Workspace) -> pd.DataFrame:
    """The held pol.is votes as a participant x comment matrix (NaN: not seen)."""
    long = workspace.read_table("polis_votes")
    matrix = long.pivot(index="participant", columns="comment_id", values="vote")
    return matrix.astype("float64")


def _deliberation(workspace: Workspace) -> tuple[dict[str, Any], OpinionGroups | None]:
    comments = workspace.read_table("polis_comments")
    matrix = polis_matrix(workspace)
    try:
        groups = opinion_groups(matrix, comments)
    except KitError as exc:
        return {"participants": len(matrix), "groups": [], "note": str(exc)}, None
    scores = statement_scores(matrix, groups).merge(comments, on="comment_id")
    scores = scores[scores["moderated"] != -1]
    rate_columns = [c for c in scores.columns if c.startswith("agree_")]

    def listed(frame: pd.DataFrame) -> list[dict[str, Any]]:
        return [
            {
                "comment_id": row.comment_id,
                "text": row.text,
                "votes": int(row.votes),
                "consensus": round(float(row.consensus), 4),
                "division": round(float(row.division), 4),
                "agree": {c.removeprefix("agree_"): round(float(row[c]), 4) for c in rate_columns},
            }
            for _, row in frame.iterrows()
        ]

    sizes = groups.labels.value_counts()
    report = {
        "participants": groups.participants,
        "placed": groups.placed,
        "silhouette": round(groups.silhouette, 4),
        "groups": [{"group": g, "participants": int(n)} for g, n in sizes.sort_index().items()],
        "consensus": listed(scores.nlargest(TOP, "consensus")),
        "division": listed(scores.nlargest(TOP, "division")),
    }
    return report, groups


def _texts(source: str, area: Any, group: Any, text: pd.Series) -> pd.DataFrame:
    return pd.DataFrame({"source": source, "area": area, "group": group, "text": text})


def free_texts(workspace: Workspace, groups: OpinionGroups | None = None) -> pd.DataFrame:
    """Every free text held, as source, area, group and text.

    The group is the speaker's role for sessions, the author's opinion group for
    pol.is statements, the kind (proposal, comment) for Decidim, and the respondent's
    demographic group for survey comments.
    """
    parts = []
    if workspace.has_table("sessions"):
        s = workspace.read_table("sessions")
        parts.append(_texts("session", s["area"], s["speaker_role"], s["statement"]))
    if workspace.has_table("polis_comments"):
        c = workspace.read_table("polis_comments")
        c = c[c["moderated"] != -1]
        group = c["author_id"].map(groups.labels).fillna("") if groups is not None else ""
        parts.append(_texts("pol.is", "", group, c["text"]))
    if workspace.has_table("decidim"):
        d = workspace.read_table("decidim")
        parts.append(_texts("Decidim", d["area"], d["kind"], d["text"]))
    if workspace.has_table("survey") and "comment" in workspace.columns("survey"):
        v = workspace.read_table("survey")
        group = v["demographic_group"] if "demographic_group" in v.columns else ""
        parts.append(_texts("survey", v["area"], group, v["comment"]))
    columns = ["source", "area", "group", "text"]
    if not parts:
        return pd.DataFrame(columns=columns, dtype=object)
    texts = pd.concat(parts, ignore_index=True)[columns].fillna("").astype(str)
    return texts[texts["text"].str.strip() != ""].reset_index(drop=True)


def voices_summary(workspace: Workspace) -> dict[str, Any]:
    """What step 01 shows of open deliberation, listening sessions and free text."""
    summary: dict[str, Any] = {}
    groups = None
    if workspace.has_table("polis_votes") and workspace.has_table("polis_comments"):
        summary["polis"], groups = _deliberation(workspace)
    if workspace.has_table("decidim"):
        d = workspace.read_table("decidim")
        proposals = d[d["kind"] == "proposal"].nlargest(TOP, "support")
        summary["decidim"] = {
            "proposals": int((d["kind"] == "proposal").sum()),
            "comments": int((d["kind"] == "comment").sum()),
            "most_supported": [
                {"text": r.text, "area": r.area, "support": int(r.support)}
                for r in proposals.itertuples()
                if pd.notna(r.support)
            ],
        }
    if workspace.has_table("sessions"):
        summary["sessions"] = roles_heard(
            workspace.read_table("sessions"), workspace.profile.area_names
        )
    texts = free_texts(workspace, groups)
    themes = read_themes(themes_path(workspace))
    summary["themes"] = theme_summary(texts, themes, _places(workspace))
    summary["texts"] = len(texts)
    return mark_hidden(summary, workspace.small_count)


def _hide_each(items: list[dict[str, Any]], key: str, threshold: int) -> None:
    """Hide ``key`` of each item where it is small on its own (no total beside it)."""
    for item in items:
        item["hidden"] = [key] if is_small(item[key], threshold) else []


def _hide_beside_total(items: list[dict[str, Any]], key: str, threshold: int) -> None:
    """Hide ``key`` of the items that are small, and of those that would give them back from
    the total of the items, which is shown."""
    flags = hidden_beside_total([item[key] for item in items], threshold)
    for item, hidden in zip(items, flags, strict=True):
        item["hidden"] = [key] if hidden else []


def _hidden_map(counts: dict[str, int], name: str, threshold: int) -> list[str]:
    """``name/KEY`` for each count of a map to hide, its total (the theme's quotes) shown."""
    flags = hidden_beside_total(list(counts.values()), threshold)
    return [f"{name}/{key}" for key, hidden in zip(counts, flags, strict=True) if hidden]


def mark_hidden(summary: dict[str, Any], threshold: int) -> dict[str, Any]:
    """The summary with each object's ``hidden`` list: the names of its counts that a page
    must not print (for a map of counts such as a theme's ``by_area``, ``by_area/NAME``).

    Opinion groups add up to the participants placed, statements by role and by area to
    all statements, and a theme's quotes by area and by group to its quotes: each of those
    is hidden with its complementary counts. Votes on a statement, Decidim's counts and
    supports, and a theme's quotes have no total beside them and are hidden when small.
    """
    polis = summary.get("polis")
    if polis:
        polis["hidden"] = [
            k for k in ("participants", "placed") if is_small(polis.get(k, 0), threshold)
        ]
        _hide_beside_total(polis["groups"], "participants", threshold)
        for key in ("consensus", "division"):
            _hide_each(polis.get(key, []), "votes", threshold)
    decidim = summary.get("decidim")
    if decidim:
        decidim["hidden"] = [
            k for k in ("proposals", "comments") if is_small(decidim[k], threshold)
        ]
        _hide_each(decidim["most_supported"], "support", threshold)
    sessions = summary.get("sessions")
    if sessions:
        sessions["hidden"] = ["statements"] if is_small(sessions["statements"], threshold) else []
        _hide_beside_total(sessions["roles"], "statements", threshold)
        _hide_beside_total(sessions["by_area"], "statements", threshold)
    summary["hidden"] = ["texts"] if is_small(summary["texts"], threshold) else []
    for theme in summary["themes"]:
        theme["hidden"] = [
            *(["quotes"] if is_small(theme["quotes"], threshold) else []),
            *_hidden_map(theme["by_area"], "by_area", threshold),
            *_hidden_map(theme["by_group"], "by_group", threshold),
        ]
    summary["small_count"] = threshold
    return summary
