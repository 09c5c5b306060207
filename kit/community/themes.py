"""Themes of free text by an editable keyword dictionary, counted by area and group.

Residents' own words are the richest input step 01 has, and the hardest to sum up
fairly. A keyword dictionary is crude, but everyone can read it, argue with it and
change it (templates/themes.csv; a workspace's own copy in rules/ replaces it, as
the taxonomy rules do), which a trained model is not. A quote counts once for every
theme one of whose keywords it contains; example quotes are shown scrubbed.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import pandas as pd

from kit.community.reading import read_table, require_columns
from kit.community.scrub import scrub
from kit.data.budget import raise_problems
from kit.errors import KitError
from kit.roles.rules import RULES_DIR
from kit.workspace import Workspace

THEMES_FILE: Final[Path] = Path(__file__).resolve().parents[2] / "templates" / "themes.csv"
EXAMPLES: Final = 3  # quotes shown for each theme
_KEYWORD: Final = re.compile(r"[\w' -]+\*?")
_WHAT: Final = "the themes file"


@dataclass(frozen=True)
class Theme:
    """A theme and the pattern of its keywords."""

    name: str
    keywords: tuple[str, ...]
    pattern: re.Pattern[str]


def _pattern(keywords: tuple[str, ...]) -> re.Pattern[str]:
    parts = []
    for word in keywords:
        stem = re.escape(word.rstrip("*")).replace(r"\ ", r"\s+")
        parts.append(stem + (r"\w*" if word.endswith("*") else r"\b"))
    return re.compile(r"\b(?:" + "|".join(parts) + ")", re.IGNORECASE)


def read_themes(path: Path = THEMES_FILE) -> tuple[Theme, ...]:
    """Read and check a themes file; KitError names the rows to fix."""
    frame = read_table(path, _WHAT)
    require_columns(frame, ("theme", "keywords"), _WHAT, "keep the header row theme,keywords.")
    problems: list[str] = []
    themes = []
    seen: set[str] = set()
    for i, row in frame.iterrows():
        name = " ".join(row["theme"].split())
        keywords = tuple(k.strip().lower() for k in row["keywords"].split(";") if k.strip())
        if not name or name.lower() in seen:
            problems.append(f"row {i + 1}: theme {name!r} is blank or appears twice.")
        bad = [k for k in keywords if not _KEYWORD.fullmatch(k) or k == "*"]
        if not keywords or bad:
            problems.append(
                f"row {i + 1}: keywords of {name!r} must be words or phrases separated by "
                f"semicolons, with * only at the end{f' (not {bad[0]!r})' if bad else ''}."
            )
        seen.add(name.lower())
        if keywords and not bad:
            themes.append(Theme(name, keywords, _pattern(keywords)))
    if problems:
        raise_problems(problems, _WHAT)
    return tuple(themes)


def themes_path(workspace: Workspace) -> Path:
    """The themes file a workspace uses: its own copy if it has one, else the kit's."""
    own = workspace.safe_path(RULES_DIR, THEMES_FILE.name)
    return own if own.is_file() else THEMES_FILE


def copy_themes(workspace: Workspace) -> Path:
    """Copy the kit's themes file into the workspace to edit; a copy already there is kept."""
    target = workspace.safe_path(RULES_DIR, THEMES_FILE.name)
    if not target.exists():
        target.parent.mkdir(exist_ok=True)
        shutil.copyfile(THEMES_FILE, target)
    return target


def tag_themes(texts: pd.DataFrame, themes: tuple[Theme, ...]) -> pd.DataFrame:
    """One row per (text, theme) found: the text's columns plus ``theme``."""
    if "text" not in texts.columns:
        raise KitError("Free text to sort into themes needs a text column.")
    found = [
        texts[texts["text"].str.contains(theme.pattern, na=False)].assign(theme=theme.name)
        for theme in themes
    ]
    return pd.concat(found, ignore_index=True) if found else texts.iloc[:0].assign(theme="")


def theme_summary(
    texts: pd.DataFrame, themes: tuple[Theme, ...], places: frozenset[str] = frozenset()
) -> list[dict[str, Any]]:
    """For each theme: quotes, counts by area and by group, and scrubbed example quotes.

    ``texts`` has columns text, area and group (blank where unknown). Themes are listed
    most frequent first; the examples are the shortest quotes, easiest to read aloud.
    """
    tagged = tag_themes(texts, themes)
    summary = []
    for theme in themes:
        rows = tagged[tagged["theme"] == theme.name]
        examples = rows["text"].drop_duplicates()
        examples = examples.loc[examples.str.len().sort_values(kind="stable").index]
        summary.append(
            {
                "theme": theme.name,
                "quotes": len(rows),
                "by_area": _counts(rows["area"]),
                "by_group": _counts(rows["group"]),
                "examples": [scrub(t, places) for t in examples.head(EXAMPLES)],
            }
        )
    return sorted(summary, key=lambda item: -item["quotes"])


def _counts(values: pd.Series) -> dict[str, int]:
    named = values.replace("", "not given")
    return {str(k): int(v) for k, v in named.value_counts(sort=True).items()}
