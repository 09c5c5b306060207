"""Pol.is conversations split into their opinion groups; consensus and division are found."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from community_samples import DIVISIVE, SHARED, write_decidim, write_polis
from hypothesis import given, settings
from hypothesis import strategies as st

from kit.community.deliberation import (
    MIN_VOTES,
    opinion_groups,
    read_decidim,
    read_polis_comments,
    read_polis_votes,
    statement_scores,
)
from kit.errors import KitError


@pytest.fixture(scope="module")
def conversation(tmp_path_factory: pytest.TempPathFactory) -> tuple[pd.DataFrame, pd.DataFrame]:
    comments, votes = write_polis(tmp_path_factory.mktemp("polis"))
    return read_polis_comments(comments), read_polis_votes(votes)


def test_two_clear_groups_are_found_exactly(conversation: tuple) -> None:
    """Participants 0-29 lean one way and 30-59 the other: the groups are exactly those."""
    comments, votes = conversation
    groups = opinion_groups(votes, comments)
    first = set(groups.labels[[str(i) for i in range(30)]])
    second = set(groups.labels[[str(i) for i in range(30, 60)]])
    assert len(first) == len(second) == 1 and first != second
    assert groups.placed == groups.participants == 60
    assert groups.silhouette > 0.5


def test_shared_statement_tops_consensus_and_divisive_tops_division(conversation: tuple) -> None:
    """The statement both groups agree on ranks first for consensus; the split one for division."""
    comments, votes = conversation
    scores = statement_scores(votes, opinion_groups(votes, comments))
    assert scores.nlargest(1, "consensus")["comment_id"].item() == str(SHARED)
    assert scores.nlargest(1, "division")["comment_id"].item() == str(DIVISIVE)


def test_consensus_is_the_product_of_smoothed_agree_rates() -> None:
    """Group A: 3 of 4 agree; group B: 1 of 2 -> (4/6) * (2/4)."""
    rows = {f"a{i}": [1.0] * MIN_VOTES for i in range(4)} | {
        f"b{i}": [-1.0] * MIN_VOTES for i in range(4)
    }
    votes = pd.DataFrame(rows, index=[str(c) for c in range(MIN_VOTES)]).T
    votes.loc["a3", "0"] = -1.0
    votes.loc["b0", "0"] = 1.0
    votes.loc[["b2", "b3"], "0"] = np.nan
    groups = opinion_groups(votes)
    scores = statement_scores(votes, groups).set_index("comment_id")
    by_a = groups.labels["a0"]
    rate_a, rate_b = scores.loc["0", f"agree_{by_a}"], scores.loc["0"].drop(f"agree_{by_a}")
    assert rate_a == pytest.approx(4 / 6)
    assert scores.loc["0", "consensus"] == pytest.approx(4 / 6 * 2 / 4)
    assert rate_b.filter(like="agree_").item() == pytest.approx(2 / 4)


def test_participants_with_fewer_than_seven_votes_are_left_out(conversation: tuple) -> None:
    """Votes on six statements only: the participant is not placed in any group."""
    comments, votes = conversation
    sparse = votes.copy()
    sparse.loc["0", sparse.columns[:2]] = np.nan
    groups = opinion_groups(sparse, comments)
    assert "0" not in groups.labels.index and groups.placed == 59


def test_rejected_statements_take_no_part(conversation: tuple) -> None:
    """A statement a moderator rejected (moderated -1) counts for nobody's seven votes."""
    comments, votes = conversation
    rejected = comments.assign(moderated=np.where(comments["comment_id"] == "7", -1, 1))
    groups = opinion_groups(votes, rejected)
    enough = votes.drop(columns="7").notna().sum(axis=1) >= MIN_VOTES
    assert groups.placed == int(enough.sum()) < 60


def test_too_few_participants_is_said_plainly() -> None:
    """Three voters cannot form opinion groups; the message says how many are needed."""
    votes = pd.DataFrame(np.ones((3, 8)), columns=[str(i) for i in range(8)])
    with pytest.raises(KitError, match="at least 4 are needed"):
        opinion_groups(votes)


@settings(max_examples=15, deadline=None)
@given(st.integers(0, 10_000))
def test_groups_are_between_two_and_five_and_cover_everyone_placed(seed: int) -> None:
    """Whatever the votes, 2 to 5 groups, one label per placed participant, and rates in (0, 1)."""
    rng = np.random.default_rng(seed)
    votes = pd.DataFrame(
        rng.choice([1.0, -1.0, 0.0, np.nan], size=(40, 10)), columns=[str(i) for i in range(10)]
    )
    try:
        groups = opinion_groups(votes)
    except KitError:
        return
    assert 2 <= groups.labels.nunique() <= 5
    assert len(groups.labels) == groups.placed
    scores = statement_scores(votes, groups)
    rates = scores.filter(like="agree_").to_numpy()
    assert ((rates > 0) & (rates < 1)).all()
    assert (scores["division"] >= 0).all()


@pytest.mark.parametrize(
    ("reader", "content", "message"),
    [
        (
            read_polis_comments,
            "id,text\n1,hello\n",
            r"lacks the column\(s\) comment-id, comment-body",
        ),
        (read_polis_votes, "", "is empty"),
        (read_polis_votes, "participant,group-id\n7,0\n", "has no comment columns"),
        (
            read_polis_votes,
            "participant,group-id,0,1\n7,0,1,2\n8,0,x,1\n",
            r"row 1: 1 '2' is not one of \[-1, 0, 1\](.|\n)*row 2: 0 'x'",
        ),
    ],
)
def test_bad_polis_files_are_refused_plainly(
    tmp_path: Path, reader: Callable[[Path], pd.DataFrame], content: str, message: str
) -> None:
    """Wrong columns, an empty file, no votes, and votes other than 1, -1, 0 (every row named)."""
    path = tmp_path / "export.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(KitError, match=message):
        reader(path)


def test_hostile_text_is_kept_as_inert_text(tmp_path: Path) -> None:
    """Formulas, markup, control characters and huge cells stay text, cut to length."""
    path = tmp_path / "comments.csv"
    body = '"=HYPERLINK(""http://x"")<script>alert(1)</script>\x00\x07' + "A" * 5000 + '"'
    path.write_text(f"comment-id,comment-body\n1,{body}\n", encoding="utf-8")
    comments = read_polis_comments(path)
    text = comments["text"].item()
    assert text.startswith("=HYPERLINK") and "\x00" not in text and len(text) == 2000


def test_decidim_proposals_and_comments_keep_text_area_and_support(tmp_path: Path) -> None:
    """Semicolon-separated open data: titles with bodies, scopes as areas; no author names."""
    proposals, comments = write_decidim(tmp_path)
    frame = pd.concat([read_decidim(proposals), read_decidim(comments)], ignore_index=True)
    assert list(frame["kind"]) == ["proposal", "proposal", "comment"]
    assert list(frame["area"]) == ["North", "South", ""]
    assert list(frame["support"]) == [48, 31, 1]
    assert frame["text"][1].startswith("Crisis team for the South side. Send")
    assert not frame.apply(lambda col: col.astype(str).str.contains("Dana Okafor")).any().any()


def test_a_file_that_is_not_decidim_is_refused(tmp_path: Path) -> None:
    """Columns of neither kind: the message says which file Decidim gives."""
    path = tmp_path / "other.csv"
    path.write_text("name,score\nA,1\n", encoding="utf-8")
    with pytest.raises(KitError, match="neither Decidim proposals"):
        read_decidim(path)
