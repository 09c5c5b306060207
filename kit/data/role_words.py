"""Which header words speak for which role, and how much.

Column matching (kit.data.mapping) scores a header for a role by its words: "received",
"create" or "queued" speak for the received time, "type", "nature" or "problem" for
the call type, "council" against an area. The tables are data, documented word for word
in docs/data_dictionary.md, and grow from published exports (tests/corpus).
"""

from __future__ import annotations

from typing import Final

from kit.data.headers import header_words

# Header words for each role and how much each counts; a negative weight speaks against
# the role. A word matches a header word equal to it, or, from five letters on, one it
# begins (``dispatch`` matches ``dispatched``).
WORDS: Final[dict[str, dict[str, int]]] = {
    "received_at": {
        "receiv": 4, "recv": 4, "create": 4, "created": 4, "queued": 4, "entry": 1, "call": 2,
        "incident": 1, "event": 1, "start": 2, "open": 2, "intake": 2, "initiat": 2,
        "original": 1, "timestamp": 1, "datetime": 1, "date": 1, "time": 1,
    },
    "dispatched_at": {"dispatch": 4, "assign": 3, "first": 1, "enroute": -2},
    "arrived_at": {"arriv": 4, "onscene": 4, "scene": 3},
    "cleared_at": {
        "clear": 4, "cleared": 4, "close": 4, "closed": 4, "closure": 4, "complet": 4,
        "avail": 3, "last": 1, "end": 3,
    },
    "call_type": {
        "type": 4, "nature": 4, "problem": 4, "offense": 4, "offence": 4, "complaint": 3,
        "crime": 3, "description": 2, "desc": 2, "code": 1, "call": 1, "incident": 1,
        "event": 1, "category": 1, "class": 1, "final": 2, "initial": -2, "orig": -2,
        "original": -2, "starting": -2, "ending": 2, "text": 1, "clearance": -4, "radio": 3,
        "as": 2, "closed": 1, "group": -2, "subgroup": -2, "sub": -2, "title": 3,
        "disposition": -5, "status": -4, "priority": -6, "unit": -6, "zip": -6,
    },
    "area": {
        "district": 5, "precinct": 5, "division": 4, "area": 4, "sector": 3, "zone": 3,
        "beat": 2, "ward": 2, "neighborhood": 1, "neighbourhood": 1, "police": 1,
        "battalion": 5, "township": 3, "twp": 3, "prevention": -3, "no": -2, "nbr": -2,
        "num": -2,
        "council": -3, "supervisor": -3, "congressional": -3, "school": -3, "community": -1,
        "census": -3, "tract": -3, "zip": -5, "time": -5,
    },
    "disposition": {
        "disposition": 5, "disp": 4, "dispo": 4, "disposit": 4, "clearance": 4, "clear": 3,
        "close": 3, "closed": 3, "closure": 3, "status": 3, "outcome": 3, "result": 3,
        "finding": 2, "final": 1,
    },
    "call_id": {
        "id": 2, "number": 2, "num": 2, "no": 1, "nbr": 2, "item": 3, "event": 2,
        "incident": 3, "call": 2, "cad": 2, "cfs": 2, "master": 1, "key": 1, "case": -1,
        "record": 1,
        "type": -6, "unit": -6, "priority": -6, "report": -3, "rpt": -3, "dup": -6,
        "zip": -6, "block": -6, "object": -6, "district": -6, "beat": -6, "geo": -6,
        "intersection": -6,
    },
    "priority": {
        "priority": 5, "pri": 4, "prio": 4, "severity": 4, "final": 1, "initial": -2,
        "original": -2,
    },
    "block": {
        "block": 4, "blk": 3, "address": 4, "addr": 3, "street": 3, "location": 2,
        "intersection": 2,
        "incident": 1, "hundred": 2, "city": -5, "zip": -5,
    },
    "lat": {"latitude": 5, "lat": 4},
    "lon": {"longitude": 5, "lon": 4, "long": 4, "lng": 4},
    "location": {"location": 3, "point": 3, "geo": 3, "geom": 3, "geolocation": 3, "shape": 2},
    "unit_id": {
        "unit": 4, "callsign": 4, "responding": 1, "primary": 1, "officer": -1, "id": 1,
        "number": 1, "type": -3, "sequence": -3,
    },
    "units": {"units": 4, "count": 2, "unit": 1},
    "self_initiated": {"self": 4, "onview": 4, "officer": 2, "initiated": 2, "init": 2},
    "initiated_by": {
        "source": 4, "origin": 3, "how": 2, "received": 1, "type": 1, "call": 1, "method": 2,
        "initiated": 2,
    },
    "travel_minutes": {"travel": 4, "seconds": -5, "sec": -5},
    "on_scene_minutes": {"onscene": 4, "scene": 3, "seconds": -5, "sec": -5},
}  # fmt: skip

# A header needs one of these words to be considered for the role at all.
NEEDS: Final[dict[str, frozenset[str]]] = {
    "call_type": frozenset(
        {"type", "nature", "problem", "offense", "offence", "complaint", "crime", "description",
         "desc", "code", "category", "class", "radio", "as", "title"}
    ),
    "call_id": frozenset({"id", "number", "num", "no", "nbr", "item", "key"}),
    "disposition": frozenset(
        {"disposition", "disp", "dispo", "disposit", "clearance", "clear", "close", "closed",
         "closure", "status", "outcome", "result", "finding"}
    ),
}  # fmt: skip

# Words that say a column is a time without saying which moment of the call.
GENERIC_TIME: Final[frozenset[str]] = frozenset(
    {"timestamp", "datetime", "date", "time", "call", "incident", "event", "dt", "tm"}
)
TIME_WORDS: Final[frozenset[str]] = frozenset({"timestamp", "datetime", "date", "time"})
# Words that mark a time column as a record-keeping time, not a moment of the call.
BOOKKEEPING: Final[frozenset[str]] = frozenset(
    {"updated", "modified", "asof", "loaded", "extract", "refresh", "changed", "import"}
)
DESCRIPTION_WORDS: Final[frozenset[str]] = frozenset(
    {"desc", "description", "text", "name", "english"}
)
CODE_WORDS: Final[frozenset[str]] = frozenset({"code", "id", "cd", "num", "number"})


def word_hits(role: str, words: tuple[str, ...]) -> list[tuple[str, int]]:
    """(header word, weight) for each of the role's words the header holds."""
    hits = []
    for key, weight in WORDS[role].items():
        found = next((w for w in words if w == key or (len(key) >= 5 and w.startswith(key))), None)
        if found is not None:
            hits.append((found, weight))
    return hits


def word_score(role: str, header: str) -> int:
    """How strongly a header's words speak for a role (negative: against it)."""
    return sum(weight for _, weight in word_hits(role, words_of(header)))


def words_of(header: str) -> tuple[str, ...]:
    """The words of a header, or of both headers of a DATE+TIME pair."""
    return tuple(w for part in header.split("+") for w in header_words(part))


def says(role: str, header: str) -> str:
    """The header words that speak for a role, as evidence ("header says 'received'")."""
    found = list(dict.fromkeys(w for w, weight in word_hits(role, words_of(header)) if weight > 0))
    return f"header says {' '.join(repr(w) for w in found[:3])}" if found else ""


def stem(header: str) -> tuple[str, ...]:
    """A header without its words for code or description (TypeText and Type: type)."""
    return tuple(w for w in words_of(header) if w not in DESCRIPTION_WORDS | CODE_WORDS)
