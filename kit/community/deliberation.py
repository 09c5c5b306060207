"""Open deliberation: pol.is conversations and Decidim proposals, read and summarised.

Pol.is asks residents to vote agree, disagree or pass on each other's short
statements. Its export holds ``comments.csv`` (comment-id, author-id, agrees,
disagrees, moderated, comment-body, ...) and ``participants-votes.csv``
(participant, group-id, n-votes, ..., then one column per comment id holding 1, -1,
0 or blank for not seen). The kit finds opinion groups the way pol.is does, so the
figures match what participants saw:

1. participants with at least 7 votes; each comment's votes centred on its mean,
   unseen comments counted at the mean;
2. PCA to two dimensions, each participant's position stretched by
   sqrt(comments / comments seen) so that people who voted little are not all
   drawn to the centre;
3. k-means into up to 100 base clusters, then k-means over their centres (weighted
   by their sizes) for k from 2 to 5, keeping the k with the best silhouette.

A statement is group-aware consensus when every group agrees: its score is the
product over groups of (agrees + 1) / (votes + 2), so one group's rejection sinks it
however large the others are. Where groups divide is the largest gap between two
groups' agreement rates. Decidim publishes proposals and comments as open-data CSV
(nested fields flattened as ``title/en``, ``scope/name/en``); the kit keeps their
text, area (scope) and support, never the author's name.
"""

from __future__ import annotations

import os
import string
from dataclasses import dataclass
from typing import Final

import numpy as np
import pandas as pd

from kit.community.reading import read_table, require_columns, whole_numbers
from kit.data.budget import raise_problems
from kit.errors import KitError

MIN_VOTES: Final = 7  # pol.is's threshold for placing a participant in the opinion map
BASE_CLUSTERS: Final = 100
MAX_GROUPS: Final = 5
SEED: Final = 0  # k-means starts, fixed so a conversation always gives the same groups

COMMENT_COLUMNS: Final = ("comment-id", "comment-body")
VOTES_ID: Final = "participant"
_POLIS_HINT: Final = "export the conversation again from pol.is (report page, data export)."


def read_polis_comments(path: str | os.PathLike[str]) -> pd.DataFrame:
    """Pol.is ``comments.csv`` as comment_id, author_id, moderated, text.

    Comments a moderator rejected (moderated -1) are kept but marked, so the count of
    statements matches pol.is; they take no part in groups or consensus.
    """
    what = "the pol.is comments file"
    frame = read_table(path, what)
    require_columns(frame, COMMENT_COLUMNS, what, _POLIS_HINT)
    ids = whole_numbers(frame, "comment-id", what)
    if ids.isna().any() or ids.duplicated().any():
        raise KitError(f"{what.capitalize()} has blank or repeated comment-id values.")
    moderated = (
        whole_numbers(frame, "moderated", what, allowed={-1, 0, 1}).fillna(0)
        if "moderated" in frame.columns
        else pd.Series(0, index=frame.index, dtype="Int64")
    )
    author = frame["author-id"] if "author-id" in frame.columns else ""
    return pd.DataFrame(
        {
            "comment_id": ids.astype(str),
            "author_id": pd.Series(author, index=frame.index).astype(str),
            "moderated": moderated.astype("int64"),
            "text": frame["comment-body"].astype(str),
        }
    )


def read_polis_votes(path: str | os.PathLike[str]) -> pd.DataFrame:
    """Pol.is ``participants-votes.csv`` as a participant x comment matrix of 1, -1, 0 or NaN."""
    what = "the pol.is participants-votes file"
    frame = read_table(path, what)
    require_columns(frame, (VOTES_ID,), what, _POLIS_HINT)
    comment_columns = [c for c in frame.columns if c.isdigit()]
    if not comment_columns:
        raise KitError(
            f"{what.capitalize()} has no comment columns (headers that are comment ids); "
            + _POLIS_HINT
        )
    if frame[VOTES_ID].duplicated().any() or (frame[VOTES_ID] == "").any():
        raise KitError(f"{what.capitalize()} has blank or repeated participant values.")
    problems: list[str] = []
    votes = {
        c: whole_numbers(frame, c, what, allowed={-1, 0, 1}, problems=problems)
        for c in comment_columns
    }
    if problems:
        raise_problems(sorted(problems, key=_row_number), what)
    matrix = pd.DataFrame(votes).astype("float64")
    matrix.index = pd.Index(frame[VOTES_ID].astype(str), name="participant")
    matrix.columns = pd.Index([str(int(c)) for c in comment_columns], name="comment_id")
    return matrix


def _row_number(problem: str) -> int:
    return int(problem.split(":")[0].removeprefix("row "))


@dataclass(frozen=True)
class OpinionGroups:
    """Who fell into which opinion group, and how clear the split is."""

    labels: pd.Series  # participant -> "A", "B", ... (largest group first)
    positions: pd.DataFrame  # participant -> x, y (the opinion map)
    silhouette: float
    participants: int  # all who voted
    placed: int  # those with enough votes to be placed


def _project(votes: pd.DataFrame) -> pd.DataFrame:
    from sklearn.decomposition import PCA

    centred = votes - votes.mean(axis=0)
    filled = centred.fillna(0.0).to_numpy()
    coords = PCA(n_components=2, random_state=SEED).fit_transform(filled)
    seen = votes.notna().sum(axis=1).to_numpy()
    coords *= np.sqrt(votes.shape[1] / seen)[:, None]
    return pd.DataFrame(coords, index=votes.index, columns=["x", "y"])


def opinion_groups(votes: pd.DataFrame, comments: pd.DataFrame | None = None) -> OpinionGroups:
    """Opinion groups of a pol.is vote matrix; KitError when too few took part to find any."""
    from threadpoolctl import threadpool_limits  # installed with scikit-learn

    # One thread: these matrices are small, and OpenMP threads fighting over a busy
    # machine's cores made k-means some fifteen times slower, not faster.
    with threadpool_limits(limits=1):
        return _opinion_groups(votes, comments)


def _opinion_groups(votes: pd.DataFrame, comments: pd.DataFrame | None) -> OpinionGroups:
    from sklearn.cluster import KMeans
    from sklearn.metrics import silhouette_score

    if comments is not None:
        rejected = set(comments.loc[comments["moderated"] == -1, "comment_id"])
        votes = votes[[c for c in votes.columns if c not in rejected]]
    placed = votes[votes.notna().sum(axis=1) >= MIN_VOTES]
    placed = placed.loc[:, placed.notna().any(axis=0)]
    if len(placed) < 4 or placed.shape[1] < 2:
        raise KitError(
            f"Too few participants voted on {MIN_VOTES} or more statements to find opinion "
            f"groups ({len(placed)} of {len(votes)}): at least 4 are needed."
        )
    positions = _project(placed)
    points = positions.to_numpy()
    base_k = min(BASE_CLUSTERS, len(np.unique(points.round(9), axis=0)))
    base = KMeans(n_clusters=base_k, n_init=4, random_state=SEED).fit(points)
    sizes = np.bincount(base.labels_, minlength=base_k)
    best: tuple[float, np.ndarray] | None = None
    for k in range(2, min(MAX_GROUPS, base_k - 1) + 1):
        top = KMeans(n_clusters=k, n_init=10, random_state=SEED)
        top.fit(base.cluster_centers_, sample_weight=sizes)
        labels = top.labels_[base.labels_]
        if len(set(labels)) < 2:
            continue
        score = float(silhouette_score(points, labels))
        if best is None or score > best[0] + 1e-9:
            best = (score, labels)
    if best is None:
        raise KitError("The votes show no separate opinion groups: everyone voted alike.")
    score, labels = best
    order = pd.Series(labels).value_counts(sort=True).index  # largest group first
    letters = dict(zip(order, string.ascii_uppercase, strict=False))
    named = pd.Series([letters[g] for g in labels], index=placed.index, name="group")
    return OpinionGroups(named, positions, score, len(votes), len(placed))


def statement_scores(votes: pd.DataFrame, groups: OpinionGroups) -> pd.DataFrame:
    """Per statement: each group's agree rate, group-aware consensus and division.

    ``agree_<G>`` is (agrees + 1) / (votes + 2) within group G, passes counting as
    votes (as pol.is counts them); ``consensus`` is their product and ``division``
    the largest difference between two groups' rates.
    """
    members = votes.loc[groups.labels.index]
    rates = {}
    for name, part in members.groupby(groups.labels):
        agrees = (part == 1).sum(axis=0)
        seen = part.notna().sum(axis=0)
        rates[f"agree_{name}"] = (agrees + 1) / (seen + 2)
    table = pd.DataFrame(rates)
    table["consensus"] = table.prod(axis=1)
    rate_columns = [c for c in table.columns if c.startswith("agree_")]
    table["division"] = table[rate_columns].max(axis=1) - table[rate_columns].min(axis=1)
    table["votes"] = votes.notna().sum(axis=0)
    table.index.name = "comment_id"
    return table.reset_index()


# ------------------------------------------------------------------------- Decidim

DECIDIM_KINDS: Final = ("proposal", "comment")


def _first(frame: pd.DataFrame, prefix: str) -> pd.Series:
    """The first column named ``prefix`` or ``prefix/<locale>`` (Decidim's translations)."""
    for column in frame.columns:
        if column == prefix or column.startswith(prefix + "/"):
            return frame[column].astype(str)
    return pd.Series("", index=frame.index, dtype=object)


def read_decidim(path: str | os.PathLike[str]) -> pd.DataFrame:
    """A Decidim open-data proposals or comments CSV as kind, id, text, area, support.

    Proposals are told from comments by their columns (``title`` against
    ``commentable_type``); the author's name and the proposal's address and
    coordinates are left behind.
    """
    what = "the Decidim file"
    frame = read_table(path, what)
    columns = set(frame.columns)
    is_proposal = any(c == "title" or c.startswith("title/") for c in columns)
    if "id" not in columns or (not is_proposal and "commentable_type" not in columns):
        raise KitError(
            f"{what.capitalize()} is neither Decidim proposals (id, title, body, ...) nor "
            "comments (id, body, commentable_type, ...); download the open-data CSV again."
        )
    if frame.empty:
        raise KitError(f"{what.capitalize()} has a header row but no rows.")
    if is_proposal:
        title, body = _first(frame, "title"), _first(frame, "body")
        text = (title + ". " + body).str.strip(". ")
        support = pd.to_numeric(
            _first(frame, "supports").where(lambda s: s != "", _first(frame, "votes")),
            errors="coerce",
        )
    else:
        text = _first(frame, "body")
        support = pd.to_numeric(_first(frame, "alignment"), errors="coerce")
    return pd.DataFrame(
        {
            "kind": "proposal" if is_proposal else "comment",
            "id": frame["id"].astype(str),
            "text": text,
            "area": _first(frame, "scope/name"),
            "support": support.astype("Float64"),
        }
    )
