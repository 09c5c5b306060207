"""Call-type families and disposition categories, assigned by editable rules.

CAD systems name the same kind of call in hundreds of ways ("BURGLAR ALARM, SILENT",
"--ALARM-RESIDENTIAL - BURGLARY", "104D_Alarm Burglary/Intrusion"). Step 02 needs every
call type in one of a few families so that a plan can say "burglar alarms go to alarm
verification" for any city. The rules that do this are data (CSV files under
``templates/taxonomy/``) so that a city can read and edit them; what one person decides
for one call type is saved as an override and always wins over the rules.

A rule is a regular expression searched in the call type's normalised text (the code and
the description, upper case, punctuation turned into spaces). Rules are tried by
priority, lowest first; the first that matches decides. A rule may also require that a
share of the type's calls were officer-initiated (``min_officer_share``): a type that is
mostly started by officers on their own ("SUSPICIOUS PERSON" on view) is proactive work,
not a call from the public.

Before the rules run, CAD abbreviations are spelled out from an editable table
(``templates/taxonomy/abbreviations.csv``: "TRBL W/SUBJ" is read as "TROUBLE WITH SUBJECT"),
so that rules written from one city's words carry to another's clipped ones. Two things
stand above the rules. A call type that names a weapon is ``violent`` whatever the rules say
(it is never behavioural health, and step 02 never moves it to a civilian-only responder
without a person's confirmation). And a type no rule recognises gets a family suggested by
a small text model (:mod:`kit.call_type_model`) when it is confident, flagged for review
either way, rather than being put silently in ``other``.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Final

import pandas as pd

from kit.errors import KitError
from kit.resources import template

FAMILIES: Final[tuple[str, ...]] = (
    "violent",
    "property",
    "traffic",
    "disorder",
    "behavioral_health",
    "medical",
    "alarm",
    "administrative",
    "proactive",
    "other",
)

FAMILY_LABELS: Final[dict[str, str]] = {
    "violent": "Violent or threatening",
    "property": "Property crime and reports",
    "traffic": "Traffic",
    "disorder": "Disorder and complaints",
    "behavioral_health": "Behavioural health and welfare",
    "medical": "Medical",
    "alarm": "Alarms",
    "administrative": "Administrative and service",
    "proactive": "Officer-initiated (proactive)",
    "other": "Other (not classified)",
}

DISPOSITIONS: Final[tuple[str, ...]] = (
    "arrest",
    "citation",
    "report",
    "warning",
    "no_action",
    "unfounded",
    "false_alarm",
    "cancelled",
    "other",
)

DISPOSITION_LABELS: Final[dict[str, str]] = {
    "arrest": "Arrest",
    "citation": "Citation or summons",
    "report": "Report written",
    "warning": "Warning",
    "no_action": "No action needed or advised",
    "unfounded": "Unfounded or gone on arrival",
    "false_alarm": "False alarm",
    "cancelled": "Cancelled, duplicate or test",
    "other": "Other",
}

TEMPLATES: Final[Path] = template("taxonomy")
CALL_TYPE_RULES: Final[Path] = TEMPLATES / "call_type_rules.csv"
DISPOSITION_RULES: Final[Path] = TEMPLATES / "disposition_rules.csv"
ABBREVIATIONS: Final[Path] = TEMPLATES / "abbreviations.csv"
CALL_TYPE_CODES: Final[Path] = TEMPLATES / "call_type_codes.csv"

_NON_WORD = re.compile(r"[^A-Z0-9&/']+")
_SPACES = re.compile(r"\s+")
# A name written head first: "DISTURBANCE, FAMILY", "ALARM, BURGLARY", "DISTURBANCE-FAMILY" (a
# hyphen between two words; " - " usually parts a code from its description, so it does not).
_HEAD_FIRST = re.compile(r"([A-Z0-9/&']+) *(?:,|(?<=[A-Z])-(?=[A-Z])) *([^,-]+)")
# Law codes are written before a section number ("PC 415") or after it ("245PC").
_LAW_PREFIX = r"(?:(?:PC|VC|HS|HSC|WI|WIC) )?"
# A weapon named in a call type, on word boundaries: ALARMED is not ARMED, UNARMED is not
# ARMED, SHOTSPOTTER is not SHOTS (that sensor is a rule of its own), and "NOT ARMED" or
# "NO WEAPON" names none.
WEAPON: Final = re.compile(
    r"(?<![A-Z0-9])(?<!\bNOT )(?<!\bNO )(?<!\bNON )(?<!WITHOUT )(?<!WITHOUT A )"
    r"(GUNS?|HANDGUNS?|SHOTGUNS?|RIFLES?|GUN ?(FIRE|SHOTS?|POINT)|FIREARMS?"
    r"|WEAPONS?|WEAPO?|WEAP|WPNS?|ARMED|KNIFE|KNIVES|SHOTS?|SHOOTING|SHOOTER|STABB(ING|ED)"
    r"|STABS?|ADW|GSW)(?![A-Z0-9])"
)


@dataclass(frozen=True)
class Rule:
    """One line of a rules file: if ``pattern`` is found, the label is ``label``."""

    priority: int
    label: str
    pattern: re.Pattern[str]
    min_officer_share: float | None = None

    def matches(self, text: str, officer_share: float | None) -> bool:
        """Whether this rule applies to a normalised text with the given officer share."""
        if self.min_officer_share is not None and (
            officer_share is None or officer_share < self.min_officer_share
        ):
            return False
        return self.pattern.search(text) is not None


def normalise(text: object) -> str:
    """Upper-case a call-type string and turn punctuation and underscores into spaces.

    Keeps ``&``, ``/`` and ``'`` because CAD abbreviations use them ("H&R", "I/P").
    """
    if text is None or (isinstance(text, float) and text != text):
        return ""
    return _NON_WORD.sub(" ", str(text).upper()).strip()


def _read_rules(path: Path, label_column: str, allowed: tuple[str, ...]) -> tuple[Rule, ...]:
    if not path.is_file():
        raise KitError(f"The rules file {path.name} was not found. Restore it from templates/.")
    rules: list[Rule] = []
    with path.open(newline="", encoding="utf-8") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            label = (row.get(label_column) or "").strip()
            if label not in allowed:
                raise KitError(
                    f"{path}, line {line}: '{label}' is not one of {', '.join(allowed)}. "
                    "Correct the label and try again."
                )
            try:
                pattern = re.compile(row["pattern"])
                priority = int(row["priority"])
                share_text = (row.get("min_officer_share") or "").strip()
                share = float(share_text) if share_text else None
            except (re.error, ValueError, KeyError) as exc:
                raise KitError(
                    f"{path}, line {line}: the rule cannot be read ({exc}). "
                    "Check its priority, pattern and officer share."
                ) from exc
            rules.append(Rule(priority, label, pattern, share))
    return tuple(sorted(rules, key=lambda rule: rule.priority))


@lru_cache(maxsize=16)
def _cached_rules(path: Path, stamp: int, label_column: str) -> tuple[Rule, ...]:
    """Rules read once per version of the file (``stamp``: its modification time)."""
    allowed = FAMILIES if label_column == "family" else DISPOSITIONS
    return _read_rules(path, label_column, allowed)


def file_stamp(path: Path) -> int:
    """A file's modification time, so that a cache keyed on it reads an edited file again
    (-1 when it is missing: its reader then says so)."""
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return -1


def _load(path: Path, label_column: str) -> tuple[Rule, ...]:
    return _cached_rules(path, file_stamp(path), label_column)


def load_rules(path: Path | None = None) -> tuple[Rule, ...]:
    """The call-type rules, ordered by priority (the default file unless ``path`` is given).

    A file edited since it was last read is read again.
    """
    return _load(path or CALL_TYPE_RULES, "family")


def load_disposition_rules(path: Path | None = None) -> tuple[Rule, ...]:
    """The disposition rules, ordered by priority (the default file unless ``path`` is given)."""
    return _load(path or DISPOSITION_RULES, "category")


@dataclass(frozen=True)
class Abbreviations:
    """CAD abbreviations and what they stand for, spelled out before the rules run."""

    table: Mapping[str, str]
    pattern: re.Pattern[str] | None

    def expand(self, text: str) -> str:
        """A normalised text with every abbreviation of the table spelled out."""
        if self.pattern is None:
            return text
        spelled = self.pattern.sub(
            lambda m: self.table[m.group(0)] + (" " if m.group(0).endswith("/") else ""), text
        )
        return _SPACES.sub(" ", spelled).strip()


def _read_abbreviations(path: Path) -> Abbreviations:
    if not path.is_file():
        raise KitError(f"The file {path.name} was not found. Restore it from templates/.")
    table: dict[str, str] = {}
    with path.open(newline="", encoding="utf-8") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            short = (row.get("abbreviation") or "").strip().upper()
            long = normalise(row.get("expansion"))
            if not short or not long or short in table:
                raise KitError(
                    f"{path}, line {line}: each line needs an abbreviation, once in the file, "
                    "and what it stands for. Correct the line and try again."
                )
            table[short] = long
    if not table:
        return Abbreviations({}, None)
    # Longest first, so that "SUBJS" is spelled out before "SUBJ" could be; an abbreviation
    # ending in "/" ("W/") is glued to the next word.
    parts = [
        re.escape(short) + ("" if short.endswith("/") else r"(?![A-Z0-9&'])")
        for short in sorted(table, key=len, reverse=True)
    ]
    return Abbreviations(table, re.compile(r"(?<![A-Z0-9&'])(?:" + "|".join(parts) + ")"))


@lru_cache(maxsize=16)
def _cached_abbreviations(path: Path, stamp: int) -> Abbreviations:
    return _read_abbreviations(path)


def load_abbreviations(path: Path | None = None) -> Abbreviations:
    """The abbreviations table (the default file unless ``path`` is given), read again when
    edited."""
    path = path or ABBREVIATIONS
    return _cached_abbreviations(path, file_stamp(path))


@dataclass(frozen=True)
class Codes:
    """Section numbers of the law and radio codes that CAD systems use as call types.

    Many California CADs name a call by its Penal Code section ("415M" for a disturbance,
    "459I" for a burglary to investigate) or a radio code ("CODE 6"). Such a type says nothing
    the rules can read, so its code is spelled out in words they know, from an editable table
    (``templates/taxonomy/call_type_codes.csv``: code, system, meaning, source). A section
    number counts only at the start of a type, bare or with a short suffix of letters, so that
    a number inside a description ("72HR PARKING") is never read as a law; a code written as
    words ("CODE 6") counts anywhere.
    """

    table: Mapping[str, str]
    leading: re.Pattern[str] | None
    anywhere: re.Pattern[str] | None

    def spell_out(self, text: str) -> str:
        """A normalised text with its codes replaced by what they mean."""

        def meaning(match: re.Match[str]) -> str:
            return self.table[match.group(1).replace(" ", "")]

        for pattern in (self.leading, self.anywhere):
            if pattern is not None:
                text = pattern.sub(meaning, text)
        return text


def _code_pattern(codes: Iterable[str], prefix: str) -> re.Pattern[str] | None:
    """One pattern for the codes given, longest first, each followed by at most three letters."""
    ordered = sorted(codes, key=len, reverse=True)
    if not ordered:
        return None
    parts = ["[ ]?".join(re.escape(piece) for piece in code.split(" ")) for code in ordered]
    return re.compile(prefix + "(" + "|".join(parts) + r")[A-Z]{0,3}(?![A-Z0-9])")


def _read_codes(path: Path) -> Codes:
    if not path.is_file():
        raise KitError(f"The file {path.name} was not found. Restore it from templates/.")
    table: dict[str, str] = {}
    numbers: list[str] = []
    words: list[str] = []
    with path.open(newline="", encoding="utf-8") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            code = normalise(row.get("code"))
            meaning = normalise(row.get("meaning"))
            key = code.replace(" ", "")
            if not code or not meaning or key in table:
                raise KitError(
                    f"{path}, line {line}: each line needs a code, once in the file, and "
                    "what it means. Correct the line and try again."
                )
            table[key] = meaning
            (numbers if code[0].isdigit() else words).append(code)
    return Codes(
        table,
        _code_pattern(numbers, "^" + _LAW_PREFIX),
        _code_pattern(words, r"(?<![A-Z0-9])"),
    )


@lru_cache(maxsize=16)
def _cached_codes(path: Path, stamp: int) -> Codes:
    return _read_codes(path)


def load_codes(path: Path | None = None) -> Codes:
    """The table of codes used as call types (the default file unless ``path`` is given),
    read again when edited."""
    path = path or CALL_TYPE_CODES
    return _cached_codes(path, file_stamp(path))


@dataclass(frozen=True)
class Rules:
    """The rules one jurisdiction uses: its own copies where it has them, else the kit's."""

    types: tuple[Rule, ...]
    dispositions: tuple[Rule, ...]
    abbreviations: Abbreviations | None = None
    codes: Codes | None = None


def rules_in(folder: Path) -> Rules:
    """The rules of a workspace's ``rules/`` folder, file by file falling back on templates/."""

    def own(default: Path) -> Path | None:
        path = folder / default.name
        return path if path.is_file() else None

    return Rules(
        types=load_rules(own(CALL_TYPE_RULES)),
        dispositions=load_disposition_rules(own(DISPOSITION_RULES)),
        abbreviations=load_abbreviations(own(ABBREVIATIONS)),
        codes=load_codes(own(CALL_TYPE_CODES)),
    )


def _other_order(text: object) -> str | None:
    """A name written head first with its words in the usual order ("DISTURBANCE, FAMILY" is
    read as "FAMILY DISTURBANCE"), or None when it has no such form."""
    if not isinstance(text, str):
        return None
    upper = text.upper()
    match = _HEAD_FIRST.search(upper)
    if match is None:
        return None
    head, modifier = match.groups()
    return normalise(f"{upper[: match.start()]} {modifier} {head} {upper[match.end() :]}")


def readings(
    text: object, abbreviations: Abbreviations | None = None, codes: Codes | None = None
) -> tuple[str, ...]:
    """The texts the rules read for one call-type string: normalised, with its codes and
    abbreviations spelled out, and for a name written head first, also in the other order."""
    abbreviations = abbreviations or load_abbreviations()
    codes = codes or load_codes()
    texts = [normalise(text)]
    inverted = _other_order(text)
    if inverted and inverted != texts[0]:
        texts.append(inverted)
    return tuple(abbreviations.expand(codes.spell_out(each)) for each in texts)


def spelled_out(text: object) -> str:
    """One call-type string as the rules read it first: normalised, with the kit's codes and
    abbreviations spelled out (what the text model reads too)."""
    return readings(text)[0]


def names_weapon(text: object) -> bool:
    """Whether a call-type string names a weapon (gun, knife, WPN, ADW, a code such as 245)."""
    normal = normalise(text)
    return bool(WEAPON.search(normal) or any(WEAPON.search(each) for each in readings(text)))


def _family(
    text: object,
    rules: tuple[Rule, ...],
    abbreviations: Abbreviations,
    codes: Codes,
    officer_share: float | None,
) -> tuple[str, str]:
    """The family of a call-type string and where it came from: weapon, rule or none."""
    texts = readings(text, abbreviations, codes)
    if WEAPON.search(normalise(text)) or any(WEAPON.search(each) for each in texts):
        return "violent", "weapon"
    family = _first_match(texts, rules, "other", officer_share)
    return family, "none" if family == "other" else "rule"


def _first_match(
    texts: tuple[str, ...],
    rules: Iterable[Rule],
    fallback: str,
    officer_share: float | None = None,
) -> str:
    """The label of the first rule that any of the texts matches."""
    for rule in rules:
        if any(rule.matches(text, officer_share) for text in texts):
            return rule.label
    return fallback


def classify(
    text: object,
    *,
    officer_share: float | None = None,
    rules: tuple[Rule, ...] | None = None,
    abbreviations: Abbreviations | None = None,
    codes: Codes | None = None,
    suggest: bool = True,
) -> str:
    """The family of one call-type string (code and description may be joined with a space).

    With ``suggest``, a string no rule recognises gets the text model's family when it is
    confident (see :func:`classify_types` for the flag a person sees).
    """
    family, source = _family(
        text,
        rules or load_rules(),
        abbreviations or load_abbreviations(),
        codes or load_codes(),
        officer_share,
    )
    if source == "none" and suggest:
        from kit.call_type_model import suggest_families

        suggestion, _ = suggest_families([str(text)])[0]
        return suggestion or family
    return family


def classify_disposition(text: object, *, rules: tuple[Rule, ...] | None = None) -> str:
    """The disposition category of one disposition string; blank text is ``other``."""
    normal = normalise(text)
    if not normal:
        return "other"
    return _first_match((normal,), rules or load_disposition_rules(), "other")


def classify_dispositions(values: pd.Series, *, rules: tuple[Rule, ...] | None = None) -> pd.Series:
    """Disposition categories for a column of dispositions (each distinct value classified once)."""
    codes, uniques = pd.factorize(values.astype("string").fillna(""), sort=False)
    labels = pd.Index([classify_disposition(value, rules=rules) for value in uniques])
    mapped = labels.take(codes) if len(codes) else pd.Index([], dtype="object")
    return pd.Series(
        pd.Categorical(mapped, categories=list(DISPOSITIONS)),
        index=values.index,
        name="disposition",
    )


def validate_overrides(overrides: Mapping[str, str] | None) -> dict[str, str]:
    """Check a ``{call_type: family}`` mapping and return it as a plain dict."""
    if not overrides:
        return {}
    if not isinstance(overrides, Mapping):
        raise KitError("Family overrides must map call types to families.")
    clean: dict[str, str] = {}
    for call_type, family in overrides.items():
        if family not in FAMILIES:
            raise KitError(
                f"'{family}' (given for call type '{call_type}') is not a family. "
                f"Use one of: {', '.join(FAMILIES)}."
            )
        clean[str(call_type)] = str(family)
    return clean


def classify_types(
    calls: pd.DataFrame,
    *,
    overrides: Mapping[str, str] | None = None,
    rules: Rules | tuple[Rule, ...] | None = None,
) -> pd.DataFrame:
    """One row per call type: description, calls, officer-initiated share and family.

    ``rules`` is a jurisdiction's :class:`Rules` (its abbreviations too) or a tuple of
    call-type rules. ``source`` says where the family came from: ``override`` (a person chose
    it), ``weapon`` (the type names a weapon, so it is violent; a person's choice of
    behavioural health does not change that), ``rule``, ``suggested`` (no rule matched; the
    text model suggests the family with ``confidence``, for a person to check) or ``none``
    (nothing recognised it: ``other`` until someone assigns it). ``review`` marks the types a
    person should look at: suggested and none.
    """
    chosen = validate_overrides(overrides)
    if isinstance(rules, Rules):
        type_rules, abbreviations, codes = rules.types, rules.abbreviations, rules.codes
    else:
        type_rules, abbreviations, codes = rules, None, None
    type_rules = type_rules or load_rules()
    abbreviations = abbreviations or load_abbreviations()
    codes = codes or load_codes()
    if calls.empty:
        return pd.DataFrame(
            {
                "call_type": pd.Series(dtype="string"),
                "call_type_desc": pd.Series(dtype="string"),
                "calls": pd.Series(dtype="int64"),
                "officer_share": pd.Series(dtype="float64"),
                "family": pd.Series(dtype="string"),
                "source": pd.Series(dtype="string"),
                "confidence": pd.Series(dtype="float64"),
                "review": pd.Series(dtype="bool"),
            }
        )
    frame = pd.DataFrame(
        {
            "call_type": calls["call_type"].astype("string").fillna(""),
            "desc": (
                calls["call_type_desc"].astype("string")
                if "call_type_desc" in calls
                else pd.Series(pd.NA, index=calls.index, dtype="string")
            ),
            "officer": (
                calls["initiated_by"].astype("string").eq("officer").fillna(False)
                if "initiated_by" in calls
                else False
            ),
        }
    )
    grouped = frame.groupby("call_type", sort=False, observed=True)
    types = pd.DataFrame(
        {
            "calls": grouped.size(),
            "officer_share": grouped["officer"].mean().astype("float64"),
        }
    )
    types.insert(0, "call_type_desc", _most_common_desc(frame).reindex(types.index))
    known = "initiated_by" in calls
    families: list[str] = []
    sources: list[str] = []
    texts: list[str] = []
    for call_type, desc, share in zip(
        types.index, types["call_type_desc"], types["officer_share"], strict=True
    ):
        text = f"{call_type} {'' if pd.isna(desc) else desc}"
        texts.append(text)
        family, source = _family(
            text, type_rules, abbreviations, codes, float(share) if known else None
        )
        if call_type in chosen and not (
            source == "weapon" and chosen[call_type] == "behavioral_health"
        ):
            family, source = chosen[call_type], "override"
        families.append(family)
        sources.append(source)
    confidence = [float("nan")] * len(texts)
    unknown = [i for i, source in enumerate(sources) if source == "none"]
    if unknown:
        from kit.call_type_model import suggest_families

        for i, (family, score) in zip(
            unknown, suggest_families([texts[i] for i in unknown]), strict=True
        ):
            confidence[i] = score
            if family is not None:
                families[i], sources[i] = family, "suggested"
    types["family"] = pd.array(families, dtype="string")
    types["source"] = pd.array(sources, dtype="string")
    types["confidence"] = confidence
    types["review"] = types["source"].isin(["suggested", "none"]).astype(bool)
    types = types.reset_index().sort_values("calls", ascending=False, kind="stable")
    types["call_type_desc"] = types["call_type_desc"].astype("string")
    return types.reset_index(drop=True)


def _most_common_desc(frame: pd.DataFrame) -> pd.Series:
    """The description written most often for each call type (a type may have several)."""
    pairs = frame.dropna(subset=["desc"]).groupby(["call_type", "desc"], sort=False).size()
    if pairs.empty:
        return pd.Series(dtype="string")
    best = pairs.sort_values(ascending=False, kind="stable")
    best = best[~best.index.get_level_values(0).duplicated()]
    return pd.Series(
        best.index.get_level_values(1), index=best.index.get_level_values(0), dtype="string"
    )


def unclassified(types: pd.DataFrame) -> pd.DataFrame:
    """Types no rule or person has classified, biggest first (from :func:`classify_types`):
    those left in ``other`` and those whose family is only a suggestion to check."""
    left = types[types["source"].isin(["none", "suggested"])]
    return left.sort_values("calls", ascending=False, kind="stable").reset_index(drop=True)


def coverage(types: pd.DataFrame) -> float:
    """Share of calls (by volume) whose type has a family other than ``other``."""
    total = float(types["calls"].sum())
    if total == 0:
        return 0.0
    return float(types.loc[types["family"] != "other", "calls"].sum()) / total
