"""Free text is sorted into themes by an editable keyword dictionary, counted by area and group."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kit.community.themes import read_themes, tag_themes, theme_summary
from kit.errors import KitError


def _themes(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "themes.csv"
    path.write_text("theme,keywords\n" + body, encoding="utf-8")
    return path


def test_kit_themes_file_reads() -> None:
    """The shipped dictionary passes its own checks."""
    assert len(read_themes()) >= 10


def test_keywords_match_whole_words_and_prefixes(tmp_path: Path) -> None:
    """'counsel*' matches counsellors; 'dark' does not match 'darkroom'; phrases span spaces."""
    themes = read_themes(_themes(tmp_path, "care,counsel*; mental health\nlight,dark\n"))
    texts = pd.DataFrame(
        {"text": ["More counsellors please", "A darkroom class", "mental  health first", "dark"]}
    )
    tagged = tag_themes(texts, themes)
    assert sorted(zip(tagged["theme"], tagged["text"], strict=True)) == [
        ("care", "More counsellors please"),
        ("care", "mental  health first"),
        ("light", "dark"),
    ]


def test_counts_by_area_and_group_and_scrubbed_examples(tmp_path: Path) -> None:
    """Each theme counts its quotes by area and group; examples lose names, shortest first."""
    themes = read_themes(_themes(tmp_path, "lighting,streetlight*; dark\n"))
    texts = pd.DataFrame(
        {
            "text": ["Too dark near Keisha Whitfield's house", "Fix the streetlights", "Parks"],
            "area": ["North", "North", "South"],
            "group": ["resident", "", "resident"],
        }
    )
    (lighting,) = theme_summary(texts, themes)
    assert lighting["quotes"] == 2
    assert lighting["by_area"] == {"North": 2}
    assert lighting["by_group"] == {"resident": 1, "not given": 1}
    assert lighting["examples"] == ["Fix the streetlights", "Too dark near [name]'s house"]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("a,x\na,y\n", "appears twice"),
        ("a,\n", "keywords of 'a' must be"),
        ("a,(evil|.*)\n", r"not '\(evil\|\.\*\)'"),
        ("a,*\n", "with \\* only at the end"),
    ],
)
def test_bad_themes_files_are_refused_by_row(tmp_path: Path, body: str, message: str) -> None:
    """Repeated themes, blank keywords and regex-like keywords are each refused plainly."""
    with pytest.raises(KitError, match=message):
        read_themes(_themes(tmp_path, body))


@settings(deadline=None, max_examples=100)
@given(
    st.lists(
        st.tuples(
            st.lists(
                st.sampled_from(["dark", "streetlights", "crisis", "bus", "kind"]), max_size=5
            ),
            st.sampled_from(["North", "South", ""]),
            st.sampled_from(["resident", "officer", ""]),
        ),
        max_size=30,
    )
)
def test_counts_by_area_and_by_group_each_add_up_to_the_quotes(rows: list) -> None:
    """However the texts fall, each theme's area counts and group counts sum to its quotes."""
    themes = read_themes()
    texts = pd.DataFrame(
        [(" ".join(words), area, group) for words, area, group in rows],
        columns=["text", "area", "group"],
    )
    for theme in theme_summary(texts, themes):
        assert sum(theme["by_area"].values()) == theme["quotes"]
        assert sum(theme["by_group"].values()) == theme["quotes"]
        assert theme["quotes"] <= len(texts) and len(theme["examples"]) <= 3
