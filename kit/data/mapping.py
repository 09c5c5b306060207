"""Matching a CAD export's columns to the canonical call columns, with the evidence.

Each city names the same thing differently (``TimeCreate``, ``CREATE_TIME_INCIDENT``,
``call_timestamp``, ``time``), so a column is matched by the words of its header
*and* by what its values are, never by a list of exact spellings: a time role needs
values that read as times, and the time roles are told apart by header words and by
their order (received before dispatched before arrived before cleared); a call type
is a column of short repeating text; an area a column of few values; a disposition a
column whose values read as dispositions. Ids, phone numbers, names and narratives are
never candidates for these roles.

Every suggestion says why in plain words ("values are times; earliest of four time
columns"). A required role the kit is unsure of is left empty with its candidates, so
the import stops and asks rather than guessing; an optional one is left unmapped and
listed. A date column beside a time-of-day column is offered as one joined time
(kit.data.split_times). The user can override any match.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Final

import pandas as pd

from kit.data.headers import normalise, personal_reason
from kit.data.profiles import Profile, profile
from kit.data.role_words import (
    BOOKKEEPING,
    CODE_WORDS,
    DESCRIPTION_WORDS,
    GENERIC_TIME,
    NEEDS,
    TIME_WORDS,
    says,
    stem,
    word_hits,
    word_score,
    words_of,
)
from kit.data.schema import CALL_COLUMNS, REQUIRED, TIME_COLUMNS
from kit.data.split_times import find_pairs, join_sample
from kit.resources import template

__all__ = [
    "ROLES",
    "Match",
    "Matching",
    "match_columns",
    "normalise",
    "suggest_mapping",
]

# Input roles that are not canonical columns but feed them.
EXTRA_ROLES: Final[tuple[str, ...]] = (
    "unit_id",
    "self_initiated",
    "disposition_code",
    "location",
    "travel_minutes",
    "on_scene_minutes",
)
# unit_hours is always computed from the times, so it is not matched to a header.
ROLES: Final[tuple[str, ...]] = tuple(c for c in CALL_COLUMNS if c != "unit_hours") + EXTRA_ROLES

ROLE_DESCRIPTIONS: Final[dict[str, str]] = {
    "unit_id": "Responding unit or call sign, when the export has one row per unit.",
    "self_initiated": "A yes/no flag for officer-initiated calls (New Orleans, Detroit).",
    "disposition_code": "A short disposition code next to the disposition text.",
    "location": "A point such as 'POINT (-90.07 29.95)' or '(29.95, -90.07)'.",
    "travel_minutes": "Minutes from dispatch to arrival (used for unit time without a clear time).",
    "on_scene_minutes": "Minutes on scene (used for unit time without a clear time).",
}

_STATUSES: Final[frozenset[str]] = frozenset(
    {"OPEN", "CLOSED", "CLOSE", "ACTIVE", "PENDING", "DISPATCHED", "ENROUTE", "ONSCENE",
     "ON SCENE", "COMPLETE", "COMPLETED", "ASSIGNED", "QUEUED", "HOLD", "CANCELED"}
)  # fmt: skip
_YES_NO: Final[frozenset[str]] = frozenset({"y", "n", "yes", "no", "true", "false", "1", "0"})
_NUMBER_WORDS: Final[tuple[str, ...]] = (
    "", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
)  # fmt: skip

# Values of a "call type" column that are really how the call came in (keys as source_key gives).
SOURCE_VALUES: Final[dict[str, str]] = {
    "911": "911", "e911": "911", "e 911": "911", "9 1 1": "911", "911 call": "911",
    "emergency": "911", "telephone other not 911": "911", "telephone": "911", "phone": "911",
    "non emergency": "911", "nonemergency": "911", "text": "911", "text to 911": "911",
    "walk in": "911", "in person": "911", "online": "other",
    "onview": "officer", "on view": "officer", "self initiated": "officer", "officer": "officer",
    "officer initiated": "officer", "field initiated": "officer", "proactive": "officer",
    "alarm": "alarm", "alarm call": "alarm", "alarm company": "alarm",
}  # fmt: skip


@cache
def _disposition_patterns() -> tuple[re.Pattern[str], ...]:
    """The patterns of the shipped disposition rules (templates/taxonomy), read once."""
    with template("taxonomy", "disposition_rules.csv").open(encoding="utf-8", newline="") as f:
        return tuple(re.compile(row["pattern"]) for row in csv.DictReader(f) if row["pattern"])


def reads_as_disposition(value: str) -> bool:
    """Whether a value matches one of the disposition rules (REPORT TAKEN, GOA ...).

    The rules are the taxonomy's own file, read here so that matching stays in the data
    layer; the text is put in the form the rules are written for (upper case, words).
    """
    text = re.sub(r"[^A-Z0-9&/']+", " ", str(value).upper()).strip()
    return any(p.search(text) for p in _disposition_patterns())


def source_key(value: str) -> str:
    """A source value as plain lower-case words, e.g. "telephone other not 911"."""
    return " ".join(re.sub(r"[^a-z0-9]+", " ", value.lower()).split())


def looks_like_source(values: pd.Series) -> bool:
    """Whether a column's few distinct values say how calls came in (911, on-view, alarm)."""
    distinct = pd.Series(values.dropna().astype(str).map(source_key).unique())
    distinct = distinct[distinct != ""]
    if distinct.empty or len(distinct) > 12:
        return False
    return bool(distinct.isin(list(SOURCE_VALUES)).mean() >= 0.6)


@dataclass(frozen=True)
class Match:
    """The column suggested for one role and why, or the candidates when the kit is unsure."""

    header: str | None
    evidence: str = ""
    candidates: tuple[str, ...] = ()

    @property
    def unsure(self) -> bool:
        return self.header is None and bool(self.candidates)


@dataclass
class Matching:
    """Every role's match; ``pairs`` are the joined date + time columns offered."""

    matches: dict[str, Match]
    pairs: dict[str, tuple[str, str]] = field(default_factory=dict)

    @property
    def mapping(self) -> dict[str, str | None]:
        """Role -> header (None when no column is taken), the shape the importer reads."""
        return {role: self.matches[role].header for role in ROLES}

    def evidence(self) -> dict[str, str]:
        """Why each matched column was taken, by role."""
        return {r: m.evidence for r, m in self.matches.items() if m.header is not None}

    def unsure(self) -> dict[str, list[str]]:
        """Roles left unmapped because several columns could fill them, with the candidates."""
        return {r: list(m.candidates) for r, m in self.matches.items() if m.unsure}

    def required_unsure(self) -> dict[str, list[str]]:
        return {r: c for r, c in self.unsure().items() if r in REQUIRED}


def _count(n: int) -> str:
    return _NUMBER_WORDS[n] if n < len(_NUMBER_WORDS) else str(n)


def _join(*parts: str) -> str:
    return "; ".join(p for p in parts if p)


class _Matcher:
    """One matching pass over an export's sample: profiles, pairs and the roles taken."""

    def __init__(self, headers: list[str], sample: pd.DataFrame) -> None:
        self.headers = [h for h in headers if personal_reason(h) is None]
        self.sample = sample
        self.profiles: dict[str, Profile] = {
            h: profile(sample[h] if h in sample else pd.Series(dtype=object)) for h in self.headers
        }
        self.pairs = find_pairs(self.headers, self.profiles)
        joined = join_sample(self.pairs, sample)
        for name, values in joined.items():
            self.profiles[name] = profile(values)
        self.used: set[str] = set()
        self.matches: dict[str, Match] = {role: Match(None) for role in ROLES}

    def take(self, role: str, header: str, evidence: str) -> None:
        self.matches[role] = Match(header, evidence)
        self.used.add(header)
        self.used.update(self.pairs.get(header, ()))

    def free(self, header: str) -> bool:
        parts = self.pairs.get(header, ())
        return header not in self.used and not any(p in self.used for p in parts)

    # --- times -----------------------------------------------------------------------------

    def time_candidates(self) -> list[str]:
        paired = {part for pair in self.pairs.values() for part in pair}
        names = [h for h in self.headers if h not in paired] + list(self.pairs)
        return [
            h
            for h in names
            if self.profiles[h].is_time
            and not self.profiles[h].is_constant
            and not set(words_of(h)) & BOOKKEEPING
            and (self.profiles[h].numeric_share < 0.9 or self._named_as_time(h))
        ]

    def _named_as_time(self, header: str) -> bool:
        """Whether a header says "time": numbers are read as epoch times only then."""
        return self._kind(header) is not None or bool(set(words_of(header)) & TIME_WORDS)

    def _gaps(self, later: str, earlier: str) -> pd.Series:
        """``later`` minus ``earlier`` in the rows where both are times."""
        a, b = self.profiles[later].times, self.profiles[earlier].times
        assert a is not None and b is not None
        both = pd.concat([a, b], axis=1, join="inner").dropna()
        return both.iloc[:, 0] - both.iloc[:, 1]

    def _before(self, first: str, second: str) -> float:
        """Share of rows where ``first`` is no later than ``second`` (a minute's slack)."""
        gaps = self._gaps(second, first)
        return float((gaps >= -pd.Timedelta(minutes=1)).mean()) if len(gaps) else 0.0

    def _lag_days(self, later: str, received: str) -> float:
        """Share of rows where ``later`` lies a day or more after the received time."""
        gaps = self._gaps(later, received)
        return float((gaps >= pd.Timedelta(days=1)).mean()) if len(gaps) else 0.0

    def _earliest(self, names: list[str], among: list[str]) -> str | None:
        """The one of ``names`` no later than every other column of ``among`` in most rows."""
        earliest = [
            h for h in names if all(self._before(h, other) >= 0.9 for other in among if other != h)
        ]
        return earliest[0] if len(earliest) == 1 else None

    def _kind(self, header: str) -> str | None:
        """The time role a header's words name best, or None for a bare time or date.

        Words that name a moment (received, dispatched, on scene, closed) decide; the
        generic ones (time, date, call) only make a "call time" the received time.
        """
        words = words_of(header)
        specific = {
            r: sum(w for found, w in word_hits(r, words) if found not in GENERIC_TIME)
            for r in TIME_COLUMNS
        }
        top = max(specific.values())
        best = [r for r, score in specific.items() if score == top]
        if top >= 2:
            return best[0] if len(best) == 1 else None
        return "received_at" if word_score("received_at", header) >= 3 else None

    def _values(self, header: str) -> str:
        if header in self.pairs:
            day, clock = self.pairs[header]
            return f"date from {day!r} and time of day from {clock!r} joined"
        return "values are times"

    def match_times(self) -> None:
        candidates = self.time_candidates()
        if not candidates:
            return
        n = len(candidates)
        kinds = {h: self._kind(h) for h in candidates}
        if n == 1:
            only = candidates[0]
            self.take("received_at", only, _join(self._values(only), "the only time column"))
        else:
            self._match_received(candidates, kinds)
        received = self.matches["received_at"].header
        for role in ("dispatched_at", "arrived_at", "cleared_at"):
            named = [h for h in candidates if kinds[h] == role and self.free(h)]
            if received is not None:
                named = [h for h in named if self._after_received(role, h, received)]
            if not named:
                continue
            scores = {h: word_score(role, h) for h in named}
            top = max(scores.values())
            best = [h for h in named if scores[h] == top]
            if len(best) > 1:
                self.matches[role] = Match(None, "several columns could be it", tuple(best))
                continue
            order = ""
            if received is not None:
                order = "after the received time in most rows"
            self.take(role, best[0], _join(self._values(best[0]), says(role, best[0]), order))

    def _after_received(self, role: str, header: str, received: str) -> bool:
        """Whether a named time fits its place after the received time; says why not."""
        if self._before(received, header) < 0.8:
            self.matches[role] = Match(
                None, f"{header!r} lies before the received time in many rows", (header,)
            )
            return False
        if role == "cleared_at" and self._lag_days(header, received) >= 0.5:
            self.matches[role] = Match(
                None,
                f"{header!r} lies a day or more after the received time in most rows "
                "(a last-updated or report date, not a cleared time)",
            )
            return False
        return True

    def _match_received(self, candidates: list[str], kinds: dict[str, str | None]) -> None:
        n = len(candidates)
        named = [h for h in candidates if kinds[h] == "received_at"]
        scores = {h: word_score("received_at", h) for h in named}
        best = [h for h in named if scores[h] == max(scores.values(), default=0)]
        if len(best) > 1 and any(h not in self.pairs for h in best):
            best = [h for h in best if h not in self.pairs]  # the export's own joined column
        first = self._earliest(best, candidates) if len(best) > 1 else None
        order = f"earliest of {_count(n)} time columns"
        if len(best) == 1 or first is not None:
            chosen = best[0] if len(best) == 1 else first
            assert chosen is not None
            if self._earliest([chosen], candidates) != chosen:
                order = ""
            why = _join(self._values(chosen), says("received_at", chosen), order)
            self.take("received_at", chosen, why)
            return
        bare = [h for h in candidates if kinds[h] is None]
        if len(bare) > 1 and any(h not in self.pairs for h in bare):
            bare = [h for h in bare if h not in self.pairs]  # the export's own joined column
        if len(bare) > 1:
            # several bare times: the one named like the call's own time ("incident datetime")
            bare = [h for h in bare if word_score("received_at", h) >= 2]
        if len(bare) == 1 and self._earliest(bare, candidates):
            # one bare "time" among times named for dispatch, arrival and clearing
            self.take("received_at", bare[0], _join(self._values(bare[0]), order))
            return
        self.matches["received_at"] = Match(
            None, "several time columns could be the received time", tuple(best or candidates)
        )

    # --- other roles -----------------------------------------------------------------------

    def rank(
        self, role: str, fits: Callable[[str, Profile], str | None], minimum: int
    ) -> list[tuple[int, str, str]]:
        """(score, header, evidence from the values) of the free headers that fit, best first.

        ``fits`` returns the evidence from the values, or None when they rule the column out.
        """
        scored = []
        for header in self.headers:
            if not self.free(header):
                continue
            words = set(words_of(header))
            if role in NEEDS and not any(
                w == k or (len(k) >= 5 and w.startswith(k)) for w in words for k in NEEDS[role]
            ):
                continue
            score = word_score(role, header)
            if score < minimum:
                continue
            why = fits(header, self.profiles[header])
            if why is not None:
                scored.append((score, header, why))
        return sorted(scored, key=lambda s: -s[0])

    def pick(
        self, role: str, fits: Callable[[str, Profile], str | None], *, minimum: int = 2
    ) -> None:
        """Take the best-scoring header that fits ``role``; when several tie, take none."""
        scored = self.rank(role, fits, minimum)
        if not scored:
            return
        top = [h for score, h, _ in scored if score == scored[0][0]]
        if len(top) > 1:
            self.matches[role] = Match(None, "several columns could be it", tuple(top))
            return
        _, header, why = scored[0]
        self.take(role, header, _join(why, says(role, header)))

    def match_call_type(self) -> None:
        def fits(header: str, p: Profile) -> str | None:
            if p.present == 0 or p.is_time or p.date_only or p.is_phone or p.is_narrative:
                return None
            if not p.repeats or p.mean_length > 50 or p.is_point:
                return None
            if p.present >= 30 and p.distinct <= 3:
                return None  # two or three values are a flag or a source, not kinds of call
            if looks_like_source(self.sample[header]):
                return None
            return f"short text repeating ({p.distinct} different values in {p.present} rows)"

        scored = self.rank("call_type", fits, 2)
        if not scored:
            return
        why = {h: w for _, h, w in scored}
        top = [h for score, h, _ in scored if score == scored[0][0]]
        pair = self._code_and_text(top) if len(top) == 2 else None
        if pair is None and len(top) == 1:
            pair = next(
                (p for _, h, _ in scored[1:] if (p := self._code_and_text([top[0], h]))), None
            )
        if pair is not None:
            code, text = pair
            self.take("call_type", code, _join(why[code], says("call_type", code)))
            self.take(
                "call_type_desc",
                text,
                _join(f"text that goes with the code in {code!r}", says("call_type", text)),
            )
        elif len(top) == 1:
            self.take("call_type", top[0], _join(why[top[0]], says("call_type", top[0])))
        else:
            self.matches["call_type"] = Match(None, "several columns could be it", tuple(top))

    def _code_and_text(self, names: list[str]) -> tuple[str, str] | None:
        """A code column and the description that goes with it (each code its own text)."""
        if len(names) != 2:
            return None
        a, b = names
        texty = {h: self._is_text_of_codes(h) for h in (a, b)}
        if texty[a] == texty[b]:
            return None
        code, text = (b, a) if texty[a] else (a, b)
        if stem(code) == stem(text):
            return code, text  # the headers say so: Type and TypeText, callcode and calldescription
        frame = self.sample[[code, text]].dropna() if {code, text} <= set(self.sample) else None
        if frame is None or frame.empty:
            return None
        # nearly every row has its code's usual text and its text's usual code: one to one
        ratio = frame[code].nunique() / max(frame[text].nunique(), 1)
        if not 0.75 <= ratio <= 1.34:
            return None  # a category above many descriptions is not their code
        pairs = frame.value_counts([code, text])
        text_usual = pairs.groupby(level=0).max().sum() / len(frame)
        code_usual = pairs.groupby(level=1).max().sum() / len(frame)
        return (code, text) if min(text_usual, code_usual) >= 0.8 else None

    def _is_text_of_codes(self, header: str) -> bool:
        words = set(words_of(header))
        if words & DESCRIPTION_WORDS:
            return True
        if words & CODE_WORDS:
            return False
        return self.profiles[header].spaced_share >= 0.3

    def match_disposition(self) -> None:
        def text_fits(header: str, p: Profile) -> str | None:
            share = self._disposition_share(header)
            if p.is_time or p.present == 0 or share < 0.5:
                return None
            return f"values read as dispositions ({share:.0%} of rows)"

        def code_fits(header: str, p: Profile) -> str | None:
            if p.is_time or p.present == 0 or p.mean_length > 8 or p.spaced_share > 0.2:
                return None
            return "short disposition codes"

        scored = self.rank("disposition", text_fits, 2)
        top = [h for score, h, _ in scored if score == scored[0][0]] if scored else []
        pair = self._code_and_text(top) if len(top) == 2 else None
        if pair is not None:  # codes that partly read as dispositions, beside their text
            code, text = pair
            why = next(w for _, h, w in scored if h == text)
            self.take("disposition", text, _join(why, says("disposition", text)))
            self.take("disposition_code", code, "short codes beside the disposition")
            return
        self.pick("disposition", text_fits)
        if self.matches["disposition"].unsure:
            return
        text = self.matches["disposition"].header
        for header in self.headers:
            if not self.free(header) or word_score("disposition", header) < 3:
                continue
            if code_fits(header, self.profiles[header]) is None or self._is_status(header):
                continue
            if text is None:
                # codes alone are the disposition as the export writes it
                why = "short disposition codes, with no text column beside them"
                self.take("disposition", header, _join(why, says("disposition", header)))
            elif self._code_and_text([header, text]) is not None:
                self.take("disposition_code", header, "short codes beside the disposition")
            else:
                continue
            break

    def _is_status(self, header: str) -> bool:
        """Whether a column's values are a call's status (OPEN, CLOSED ...), not its outcome."""
        values = self.sample[header].dropna().astype(str).str.strip().str.upper()
        return not values.empty and bool(values.isin(_STATUSES).mean() >= 0.8)

    def _disposition_share(self, header: str) -> float:
        values = self.sample[header].dropna().astype(str) if header in self.sample else None
        if values is None or values.empty:
            return 0.0
        counts = values.value_counts()
        known = [reads_as_disposition(v) for v in counts.index]
        return float(counts[known].sum() / counts.sum())

    def match_rest(self) -> None:
        def text(header: str, p: Profile) -> bool:
            # long numbers that happen to read as epoch times (ids) still count as text here
            written_time = p.is_time and p.numeric_share < 0.9
            return p.present > 0 and not written_time and not p.is_phone and not p.date_only

        def call_id(header: str, p: Profile) -> str | None:
            if not text(header, p) or p.is_narrative or p.spaced_share > 0.3 or p.is_constant:
                return None
            if p.present >= 5 and p.unique_share < 0.3:
                return None
            return "values are identifiers (mostly different)"

        def priority(header: str, p: Profile) -> str | None:
            ok = text(header, p) and p.distinct <= 20 and p.mean_length <= 20
            return "a few short values" if ok else None

        def area(header: str, p: Profile) -> str | None:
            if not text(header, p) or p.is_constant or not p.repeats or p.mean_length > 40:
                return None
            return f"few different values ({p.distinct} in {p.present} rows)"

        def block(header: str, p: Profile) -> str | None:
            ok = text(header, p) and not p.is_point and p.numeric_share < 0.5
            return "values are addresses or places" if ok and p.spaced_share >= 0.5 else None

        def coordinate(limit: float) -> Callable[[str, Profile], str | None]:
            def fits(header: str, p: Profile) -> str | None:
                if p.numeric_share < 0.8 or p.low is None or p.high is None:
                    return None
                inside = -limit <= p.low <= p.high <= limit
                return "numbers in the range of degrees" if inside else None

            return fits

        def point(header: str, p: Profile) -> str | None:
            return "values are points" if p.is_point else None

        def unit_id(header: str, p: Profile) -> str | None:
            ok = text(header, p) and p.mean_length <= 20
            return "short unit names" if ok and "units" not in words_of(header) else None

        def units(header: str, p: Profile) -> str | None:
            small = p.numeric_share >= 0.9 and p.high is not None and p.high <= 99
            return "small whole numbers" if small and p.low is not None and p.low >= 0 else None

        def yes_no(header: str, p: Profile) -> str | None:
            values = self.sample[header].dropna().astype(str).str.strip().str.lower()
            ok = not values.empty and values.isin(_YES_NO).mean() >= 0.9
            return "values are yes or no" if ok else None

        def source(header: str, p: Profile) -> str | None:
            ok = p.present > 0 and looks_like_source(self.sample[header])
            return "values say how calls came in (911, on-view, alarm ...)" if ok else None

        def minutes(header: str, p: Profile) -> str | None:
            # a median above an hour and a half is seconds, not minutes
            ok = p.numeric_share >= 0.5 and p.median is not None and p.median <= 90
            return "values are numbers of minutes" if ok else None

        self.pick("call_id", call_id)
        self.pick("priority", priority, minimum=4)
        self.pick("self_initiated", yes_no)
        self.pick("initiated_by", source, minimum=1)
        self.match_call_type()
        self.match_disposition()
        self.pick("lat", coordinate(90), minimum=4)
        self.pick("lon", coordinate(180), minimum=4)
        self.pick("location", point)
        self.pick("block", block)
        self.pick("area", area, minimum=2)
        self.pick("units", units, minimum=4)
        self.pick("unit_id", unit_id, minimum=4)
        self.pick("travel_minutes", minutes, minimum=4)
        self.pick("on_scene_minutes", minutes, minimum=3)


def match_columns(headers: list[str], sample: pd.DataFrame | None = None) -> Matching:
    """Suggest a column for every role from the headers' words and a sample of values.

    Columns named as personal data (names, phone numbers, narratives) are never offered.
    """
    frame = sample if sample is not None else pd.DataFrame(columns=headers)
    matcher = _Matcher(list(headers), frame)
    matcher.match_times()
    matcher.match_rest()
    if matcher.matches["call_type"].header is None and matcher.matches["call_type_desc"].header:
        matcher.matches["call_type"] = matcher.matches["call_type_desc"]
        matcher.matches["call_type_desc"] = Match(None)
    return Matching(matcher.matches, matcher.pairs)


def suggest_mapping(
    headers: list[str], sample: pd.DataFrame | None = None
) -> dict[str, str | None]:
    """Canonical role -> the source header that fills it (None when no header fits)."""
    return match_columns(headers, sample).mapping
