"""The words in a CAD export's column headers, and headers that name personal data.

Headers come as ``TimeCreate``, ``CREATE_TIME_INCIDENT``, ``call timestamp`` or run
together as ``calltimestamp``. Matching columns to roles by the words a header
holds, rather than by exact spellings, is what lets the kit read exports whose
headers it has never seen: a header is split at punctuation and case changes, and
a run-together token is split into the longest known words it contains.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Final

# Words that carry meaning in CAD headers; run-together tokens are split into these.
VOCABULARY: Final[frozenset[str]] = frozenset(
    (
        "activation", "addr", "address", "agency", "alarm", "area", "arrival", "arrive", "arrived",
        "as", "asof", "assign", "assigned", "assignment", "at", "avail", "battalion", "beat", "blk",
        "block", "cad", "call", "calls", "callsign", "case", "category", "cd", "census", "city",
        "class", "clear", "clearance", "cleared", "close", "closed", "closure", "code", "comment",
        "community", "complaint", "complete", "completed", "congressional", "council", "count",
        "create", "created", "crime", "current", "data", "date", "datetime", "day", "desc",
        "description", "disp", "dispatch", "dispatched", "dispo", "disposit", "disposition", "dist",
        "district", "division", "dt", "en", "end", "ending", "english", "enroute", "entry", "event",
        "final", "finding", "first", "geo", "geolocation", "geom", "group", "hour", "how",
        "hundred", "id", "incident", "init", "initial", "initiated", "initiation", "intake",
        "intersection", "item", "last", "lat", "latitude", "loaded", "location", "lon", "long",
        "longitude", "map", "master", "method", "modified", "nature", "nbr", "neighborhood",
        "neighbourhood", "no", "notes", "num", "number", "object", "occ", "occurred", "occurrence",
        "offence", "offense", "officer", "on", "onscene", "onview", "orig", "origin", "original",
        "outcome", "point", "police", "precinct", "prevention", "pri", "primary", "prio",
        "priority", "problem", "queued", "radio", "receive", "received", "record", "recv", "report",
        "reported", "reporting", "responding", "response", "result", "rpt", "sca", "scene",
        "school", "sec", "seconds", "sector", "self", "sequence", "severity", "shape", "source",
        "start", "starting", "status", "street", "sub", "subgroup", "supervisor", "text", "time",
        "timestamp", "title", "tm", "total", "township", "tract", "travel", "twp", "type", "unit",
        "units", "updated", "ward", "x", "y", "zip", "zone"
    )
)  # fmt: skip

_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")

# Headers that hold personal data; such columns are never matched and never kept.
_PERSONAL: Final[tuple[tuple[str, str], ...]] = (
    (r"phone|telephone|callback|cellular|mobile", "personal data: phone number"),
    (r"narrative|comment|remark|notes?$|synopsis|details|freetext", "free-text narrative"),
    (r"(caller|complainant|reporting|reportee|rp|first|last|full|person|victim|suspect|"
     r"contact|officer)name|^name$|^caller$|^complainant$", "personal data: a name"),
    (r"email", "personal data: email address"),
    (r"dob|dateofbirth|birth|ssn|driverslicense", "personal data: identity"),
)  # fmt: skip


def normalise(header: str) -> str:
    """A header reduced to lower-case letters and digits."""
    return re.sub(r"[^a-z0-9]", "", header.lower())


def _split_known(token: str) -> list[str]:
    """Split a run-together token into known words, keeping unknown stretches whole.

    Dynamic programming over the token: the split covering the most letters with
    known words wins, and among those the one with the fewest pieces.
    """
    n = len(token)
    best: list[tuple[int, int, list[str]]] = [(0, 0, [])] + [(-1, 0, [])] * n
    for end in range(1, n + 1):
        options = []
        for start in range(end):
            covered, pieces, words = best[start]
            if covered < 0:
                continue
            piece = token[start:end]
            gain = len(piece) if piece in VOCABULARY else 0
            options.append((covered + gain, -(pieces + 1), [*words, piece]))
        covered, neg_pieces, words = max(options, key=lambda o: (o[0], o[1]))
        best[end] = (covered, -neg_pieces, words)
    pieces = _merge_unknown(best[n][2])
    # a lone letter left over means the split is a guess ("late" is not "lat" + "e")
    if any(len(p) == 1 and p not in VOCABULARY for p in pieces):
        return [token]
    return pieces


def _merge_unknown(pieces: list[str]) -> list[str]:
    """Join neighbouring unknown pieces back into one word ("s","c","a" stays "sca")."""
    merged: list[str] = []
    for piece in pieces:
        if merged and piece not in VOCABULARY and merged[-1] not in VOCABULARY:
            merged[-1] += piece
        else:
            merged.append(piece)
    return merged


@cache
def header_words(header: str) -> tuple[str, ...]:
    """The lower-case words of a header: ``CREATE_TIME_INCIDENT`` -> create, time, incident."""
    words: list[str] = []
    for part in re.split(r"[^A-Za-z0-9]+", _CAMEL.sub(" ", header)):
        token = part.lower()
        if not token:
            continue
        words.extend([token] if token in VOCABULARY else _split_known(token))
    return tuple(words)


def personal_reason(header: str) -> str | None:
    """Why a header's column holds personal data, or None."""
    norm = normalise(header)
    for pattern, reason in _PERSONAL:
        if re.search(pattern, norm):
            return reason
    return None
