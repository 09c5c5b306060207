"""Synthetic pol.is, Decidim and listening-session files in the real exports' shapes, seeded."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

STATEMENTS = (
    "More officers on foot in the evening",
    "Send counsellors, not police, to mental health calls",
    "Traffic enforcement should be stricter",
    "Close the encampment by the river",
    "Fund youth programmes before new patrol cars",
    "Police should answer noise complaints",
    "Streetlights on every block",  # every group agrees
    "Cameras at every intersection",  # the groups split
)
SHARED = 6  # the statement all groups agree on
DIVISIVE = 7  # the statement the groups split on

# Each group's chance of agreeing with statements 0-5 (the rest disagree or pass).
_LEANING = {
    "left": (0.15, 0.9, 0.2, 0.1, 0.9, 0.15),
    "right": (0.9, 0.2, 0.85, 0.9, 0.2, 0.8),
}


def polis_votes(seed: int = 7, per_group: int = 30) -> tuple[list[str], list[list[str]]]:
    """Header and rows of participants-votes.csv: two opinion groups of ``per_group`` each."""
    rng = np.random.default_rng(seed)
    ids = [str(i) for i in range(len(STATEMENTS))]
    header = ["participant", "group-id", "n-comments", "n-votes", "n-agree", "n-disagree", *ids]
    rows = []
    for g, (_, lean) in enumerate(_LEANING.items()):
        for i in range(per_group):
            chances = [*lean, 0.95, 0.95 if g == 0 else 0.03]
            votes = [1 if rng.random() < p else -1 for p in chances]
            if rng.random() < 0.3:  # some skip one statement: blank, not seen
                votes[int(rng.integers(0, 6))] = 0 if rng.random() < 0.5 else None
            cells = ["" if v is None else str(v) for v in votes]
            n = sum(v is not None for v in votes)
            agree = sum(v == 1 for v in votes)
            disagree = sum(v == -1 for v in votes)
            rows.append([str(g * per_group + i), str(g), "0", str(n), str(agree), str(disagree)])
            rows[-1] += cells
    return header, rows


def write_polis(folder: Path, seed: int = 7, per_group: int = 30) -> tuple[Path, Path]:
    """comments.csv and participants-votes.csv as pol.is exports them."""
    comments = folder / "comments.csv"
    with comments.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            [
                "timestamp",
                "datetime",
                "comment-id",
                "author-id",
                "agrees",
                "disagrees",
                "moderated",
                "comment-body",
            ]
        )
        for i, text in enumerate(STATEMENTS):
            stamp = 1_700_000_000_000 + i
            writer.writerow([stamp, "Tue Nov 14 2023", i, i, 0, 0, 1, text])
    votes = folder / "participants-votes.csv"
    header, rows = polis_votes(seed, per_group)
    with votes.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return comments, votes


def write_decidim(folder: Path) -> tuple[Path, Path]:
    """Proposals and comments CSVs as Decidim's open data gives them (semicolons, nested keys)."""
    proposals = folder / "proposals.csv"
    header = [
        "id",
        "category/id",
        "category/name/en",
        "scope/id",
        "scope/name/en",
        "participatory_space/id",
        "component/id",
        "title/en",
        "body/en",
        "address",
        "latitude",
        "longitude",
        "state",
        "supports",
        "comments",
        "published_at",
    ]
    rows = [
        ["11", "2", "Safety", "5", "North", "1", "3", "Streetlights on Elm",
         "Call Keisha Whitfield at 555-201-3344 about the dark corner.", "1412 North Elm Street",
         "41.1", "-87.6", "accepted", "48", "3", "2026-02-01 10:00:00 UTC"],
        ["12", "2", "Safety", "6", "South", "1", "3", "Crisis team for the South side",
         "Send counsellors to mental health calls.", "", "", "", "evaluating", "31", "1",
         "2026-02-03 09:00:00 UTC"],
    ]  # fmt: skip
    with proposals.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(header)
        writer.writerows(rows)
    comments = folder / "decidim_comments.csv"
    with comments.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(
            ["id", "created_at", "body/en", "locale", "author/id", "author/name", "alignment",
             "depth", "user_group/id", "user_group/name/en", "commentable_id",
             "commentable_type", "root_commentable_url"]
        )  # fmt: skip
        writer.writerow(
            ["901", "2026-02-02 11:00:00 UTC", "Yes, the lights matter for kids walking home.",
             "en", "77", "Dana Okafor", "1", "0", "", "", "11", "Decidim::Proposals::Proposal",
             "https://decidim.example.org/processes/safety/f/3/proposals/11"]
        )  # fmt: skip
    return proposals, comments


def write_sessions(path: Path, areas: tuple[str, ...]) -> Path:
    """Listening-session notes where officers and elected officials were never heard."""
    rows = [
        ("2026-03-04", areas[0], "resident", "Mrs. Featherstone waited an hour for help.", "wait"),
        ("2026-03-04", areas[0], "business owner", "Break-ins every month on our row.", ""),
        ("2026-03-11", areas[1], "resident", "Send a crisis team, not a squad car.", "crisis"),
        ("2026-03-11", areas[1], "Service Provider", "Homeless people need shelter beds.", ""),
        ("2026-03-18", "", "resident", "Streetlights would help the whole city.", "lighting"),
    ]
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["session_date", "area", "speaker_role", "statement", "tags"])
        writer.writerows(rows)
    return path
