"""Listening sessions: who was heard, and who was not, in each area.

A listening session is only as fair as its room. Notes are kept one row per
statement (templates/listening_sessions_template.csv) with the speaker's role, so
the kit can say which stakeholders spoke and, as plainly, which did not: a plan
heard only from business owners and officers is visible as such before anyone
calls it the community's.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from typing import Any, Final

import pandas as pd

from kit.community.reading import read_table, require_columns
from kit.community.scrub import place_words, scrub
from kit.data.budget import raise_problems

ROLES: Final = ("resident", "business owner", "service provider", "officer", "elected official")
OTHER: Final = "other"
# Spellings note-takers use for the same roles.
_SYNONYMS: Final = {
    "business": "business owner",
    "merchant": "business owner",
    "provider": "service provider",
    "police": "officer",
    "police officer": "officer",
    "deputy": "officer",
    "elected": "elected official",
    "councilmember": "elected official",
    "council member": "elected official",
}
COLUMNS: Final = ("speaker_role", "statement")
NO_AREA: Final = ""  # spoke for the whole jurisdiction
_WHAT: Final = "the listening-session notes"
_HINT: Final = "start from templates/listening_sessions_template.csv and keep its header row."


def _role(text: str) -> str | None:
    key = re.sub(r"[\s_-]+", " ", text.strip().lower())
    key = _SYNONYMS.get(key, key)
    return key if key in (*ROLES, OTHER) else None


def read_sessions(
    path: str | os.PathLike[str], *, areas: Sequence[str] = (), places: Sequence[str] = ()
) -> pd.DataFrame:
    """Read filled-in session notes, checked and scrubbed; KitError lists what to fix.

    With ``areas`` (the profile's), an area must be one of them and takes the profile's
    spelling. Statements are scrubbed of names and contact details here, on import.
    """
    frame = read_table(path, _WHAT)
    require_columns(frame, COLUMNS, _WHAT, _HINT)
    for optional in ("session_date", "area", "tags"):
        if optional not in frame.columns:
            frame[optional] = ""
    known = {a.lower(): a for a in areas}
    problems: list[str] = []
    roles, spelt = [], []
    for i, row in frame.iterrows():
        role = _role(row["speaker_role"])
        if role is None:
            problems.append(
                f"row {i + 1}: speaker_role {row['speaker_role']!r} is not one of "
                f"{', '.join((*ROLES, OTHER))}."
            )
        if not row["statement"]:
            problems.append(f"row {i + 1}: statement is blank.")
        area = row["area"]
        if area and known and area.lower() not in known:
            problems.append(f"row {i + 1}: area {area!r} is not one of the profile's areas.")
        roles.append(role)
        spelt.append(known.get(area.lower(), area))
    dates = pd.to_datetime(
        frame["session_date"].where(frame["session_date"] != ""), errors="coerce"
    )
    for i in frame.index[(frame["session_date"] != "") & dates.isna()]:
        problems.append(
            f"row {i + 1}: session_date {frame['session_date'][i]!r} is not YYYY-MM-DD."
        )
    if problems:
        raise_problems(problems, _WHAT)
    keep = place_words([*areas, *places])
    tags = frame["tags"].map(
        lambda t: "; ".join(sorted({s.strip().lower() for s in re.split(r"[;,]", t) if s.strip()}))
    )
    return pd.DataFrame(
        {
            "session_date": dates.dt.normalize(),
            "area": spelt,
            "speaker_role": roles,
            "statement": frame["statement"].map(lambda s: scrub(s, keep)),
            "tags": tags,
        }
    )


def roles_heard(sessions: pd.DataFrame, areas: Sequence[str] = ()) -> dict[str, Any]:
    """Statements by role, the roles never heard, and the same for each area.

    ``areas`` (the profile's) are listed even when no one spoke for them, so an area
    left out of every session shows every role missing.
    """
    counts = sessions["speaker_role"].value_counts()
    spoke = sessions[sessions["area"] != NO_AREA]
    by_role = [
        {
            "role": role,
            "statements": int(counts.get(role, 0)),
            "areas": int(spoke.loc[spoke["speaker_role"] == role, "area"].nunique()),
        }
        for role in (*ROLES, OTHER)
    ]
    listed = list(dict.fromkeys([*areas, *sorted(set(sessions["area"]) - {NO_AREA})]))
    if (sessions["area"] == NO_AREA).any():
        listed.append(NO_AREA)
    by_area = []
    for area in listed:
        here = sessions.loc[sessions["area"] == area, "speaker_role"]
        by_area.append(
            {
                "area": area or "whole jurisdiction",
                "statements": len(here),
                "roles_heard": [r for r in (*ROLES, OTHER) if r in set(here)],
                "roles_not_heard": [r for r in ROLES if r not in set(here)],
            }
        )
    return {
        "statements": len(sessions),
        "roles": by_role,
        "roles_not_heard": [r for r in ROLES if counts.get(r, 0) == 0],
        "by_area": by_area,
    }
