"""The community-survey table: residents' 1-5 answers of safety priorities and 0-10 scores.

Step 01 lets communities define safety for themselves; its survey input arrives
from whatever tool the city used, so the kit asks for one simple shape
(templates/survey_template.csv): a response id, the area, any number of
``rating_PRIORITY`` columns rated 1 (not a priority) to 5 (top priority), any
number of ``score_QUESTION`` columns on the 0-10 scales that trust and safety
surveys use (0 strongly disagree or not at all safe, 10 the opposite), and
optional demographic group, age group, date and a free-text comment.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Final

import pandas as pd

from kit.data.budget import raise_problems, read_filled_template
from kit.errors import KitError

RATING_PREFIX: Final = "rating_"
SCORE_PREFIX: Final = "score_"
# Allowed answers of each kind of question, and how to say so in a message.
_SCALES: Final[dict[str, tuple[range, str]]] = {
    RATING_PREFIX: (range(1, 6), "1-5"),
    SCORE_PREFIX: (range(0, 11), "0-10"),
}
REQUIRED_COLUMNS: Final[tuple[str, ...]] = ("response_id", "area")
OPTIONAL_COLUMNS: Final[tuple[str, ...]] = (
    "submitted_on",
    "demographic_group",
    "age_group",
    "comment",
)
MAX_COMMENT: Final = 2_000  # characters kept of a free-text answer


def _prefixed(frame: pd.DataFrame, prefix: str) -> list[str]:
    return [c for c in frame.columns if str(c).startswith(prefix) and len(c) > len(prefix)]


def rating_columns(frame: pd.DataFrame) -> list[str]:
    """The survey's 1-5 priority columns, in file order."""
    return _prefixed(frame, RATING_PREFIX)


def score_columns(frame: pd.DataFrame) -> list[str]:
    """The survey's 0-10 score columns (feeling safe, trust), in file order."""
    return _prefixed(frame, SCORE_PREFIX)


def check_survey(frame: pd.DataFrame, *, areas: Sequence[str] | None = None) -> pd.DataFrame:
    """Validate survey responses and return them typed; KitError lists what to fix, by row.

    Ratings must be whole numbers 1-5, scores 0-10, or blank (a skipped question). With ``areas``
    (the profile's area names) each response's area must be one of them; its spelling
    is then made the profile's, so by-area figures line up with the calls.
    """
    frame = frame.rename(columns=lambda c: str(c).strip().lower())
    missing = [c for c in REQUIRED_COLUMNS if c not in frame.columns]
    answers = rating_columns(frame) + score_columns(frame)
    if missing or not answers:
        need = [*missing, *([] if answers else ["at least one rating_... or score_... column"])]
        raise KitError(
            f"The survey file lacks {', '.join(need)}; start from templates/survey_template.csv "
            "and keep its header row."
        )
    keep = [*REQUIRED_COLUMNS, *(c for c in OPTIONAL_COLUMNS if c in frame.columns)]
    text = frame[keep + answers].astype("string").fillna("").apply(lambda s: s.str.strip())
    problems: list[str] = []
    ids = text["response_id"]
    for i in ids.index[ids == ""]:
        problems.append(f"row {i + 1}: response_id is blank.")
    for i in ids.index[ids.duplicated() & (ids != "")]:
        problems.append(f"row {i + 1}: response_id {ids[i]!r} appears more than once.")
    for i in text.index[text["area"] == ""]:
        problems.append(f"row {i + 1}: area is blank.")
    area = text["area"]
    if areas is not None:
        canonical = {name.strip().casefold(): name for name in areas}
        folded = area.str.casefold()
        unknown = (area != "") & ~folded.isin(list(canonical))
        for i in text.index[unknown]:
            problems.append(
                f"row {i + 1}: area {area[i]!r} is not one of the profile's areas "
                f"({', '.join(areas)})."
            )
        area = folded.map(canonical).fillna(area)
    result = pd.DataFrame({"response_id": ids.astype(str), "area": area.astype(str)})
    for column in keep[2:]:
        result[column] = text[column].astype(str)
    if "comment" in result:
        result["comment"] = result["comment"].str.slice(0, MAX_COMMENT)
    for column in answers:
        allowed, scale = _SCALES[column[: column.index("_") + 1]]
        values = pd.to_numeric(text[column], errors="coerce")
        bad = (text[column] != "") & ~(values.isin(list(allowed)))
        for i in text.index[bad]:
            problems.append(
                f"row {i + 1}: {column} is {text[column][i]!r}; use a whole number {scale} or "
                "leave it blank."
            )
        result[column] = values.where(~bad).astype("Int64")
    if problems:
        raise_problems(problems, "the survey file")
    return result


def read_survey(
    path: str | os.PathLike[str], *, areas: Sequence[str] | None = None
) -> pd.DataFrame:
    """Read and validate a filled-in templates/survey_template.csv."""
    return check_survey(read_filled_template(path, "the survey file"), areas=areas)
