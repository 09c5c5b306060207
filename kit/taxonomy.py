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

_NON_WORD = re.compile(r"[^A-Z0-9&/']+")


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


def _load(path: Path, label_column: str) -> tuple[Rule, ...]:
    try:
        stamp = path.stat().st_mtime_ns
    except OSError:
        stamp = -1  # _read_rules says the file is missing
    return _cached_rules(path, stamp, label_column)


def load_rules(path: Path | None = None) -> tuple[Rule, ...]:
    """The call-type rules, ordered by priority (the default file unless ``path`` is given).

    A file edited since it was last read is read again.
    """
    return _load(path or CALL_TYPE_RULES, "family")


def load_disposition_rules(path: Path | None = None) -> tuple[Rule, ...]:
    """The disposition rules, ordered by priority (the default file unless ``path`` is given)."""
    return _load(path or DISPOSITION_RULES, "category")


@dataclass(frozen=True)
class Rules:
    """The rules one jurisdiction uses: its own copies where it has them, else the kit's."""

    types: tuple[Rule, ...]
    dispositions: tuple[Rule, ...]


def rules_in(folder: Path) -> Rules:
    """The rules of a workspace's ``rules/`` folder, file by file falling back on templates/."""
    own_types = folder / CALL_TYPE_RULES.name
    own_dispositions = folder / DISPOSITION_RULES.name
    return Rules(
        types=load_rules(own_types if own_types.is_file() else None),
        dispositions=load_disposition_rules(
            own_dispositions if own_dispositions.is_file() else None
        ),
    )


def _first_match(
    text: str, rules: Iterable[Rule], fallback: str, officer_share: float | None = None
) -> str:
    for rule in rules:
        if rule.matches(text, officer_share):
            return rule.label
    return fallback


def classify(
    text: object, *, officer_share: float | None = None, rules: tuple[Rule, ...] | None = None
) -> str:
    """The family of one call-type string (code and description may be joined with a space)."""
    return _first_match(normalise(text), rules or load_rules(), "other", officer_share)


def classify_disposition(text: object, *, rules: tuple[Rule, ...] | None = None) -> str:
    """The disposition category of one disposition string; blank text is ``other``."""
    normal = normalise(text)
    if not normal:
        return "other"
    return _first_match(normal, rules or load_disposition_rules(), "other")


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
    rules: tuple[Rule, ...] | None = None,
) -> pd.DataFrame:
    """One row per call type: description, calls, officer-initiated share and family.

    ``source`` says where the family came from: ``override`` (a person chose it), ``rule``
    or ``none`` (no rule matched: the type is ``other`` until someone assigns it).
    """
    chosen = validate_overrides(overrides)
    rules = rules or load_rules()
    if calls.empty:
        return pd.DataFrame(
            {
                "call_type": pd.Series(dtype="string"),
                "call_type_desc": pd.Series(dtype="string"),
                "calls": pd.Series(dtype="int64"),
                "officer_share": pd.Series(dtype="float64"),
                "family": pd.Series(dtype="string"),
                "source": pd.Series(dtype="string"),
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
    for call_type, desc, share in zip(
        types.index, types["call_type_desc"], types["officer_share"], strict=True
    ):
        if call_type in chosen:
            families.append(chosen[call_type])
            sources.append("override")
            continue
        text = normalise(f"{call_type} {'' if pd.isna(desc) else desc}")
        family = _first_match(text, rules, "other", float(share) if known else None)
        families.append(family)
        sources.append("none" if family == "other" else "rule")
    types["family"] = pd.array(families, dtype="string")
    types["source"] = pd.array(sources, dtype="string")
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
    """Types no rule or person has classified, biggest first (from :func:`classify_types`)."""
    left = types[types["source"] == "none"]
    return left.sort_values("calls", ascending=False, kind="stable").reset_index(drop=True)


def coverage(types: pd.DataFrame) -> float:
    """Share of calls (by volume) whose type has a family other than ``other``."""
    total = float(types["calls"].sum())
    if total == 0:
        return 0.0
    return float(types.loc[types["family"] != "other", "calls"].sum()) / total
