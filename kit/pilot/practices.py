"""The catalog of practices: programmes other places have run, each fact with its source.

A city choosing a pilot wants to know what others did, what it cost and what it achieved,
and how strong that evidence is. The catalog is data a person can read and correct
(``templates/practices/practices.csv``, one row per programme, and
``templates/practices/facts.csv``, one row per fact with its source), checked here on load:

- every fact names its public source (a title and an address); a figure nobody found is
  written "not found", never guessed;
- ratings are in the portals' own terms and only where that portal rated the programme:
  CrimeSolutions' Effective / Promising / No Effects / Negative Effects (with the address of
  the rating), "not rated" where it reviewed and did not rate, "not found" where no rating
  was found; the College of Policing's EMMIE summary where it has one;
- every reported result says the Maryland Scientific Methods Scale level of the evaluation
  behind it (1 to 5: Sherman et al. 1997; Farrington et al. 2002), or that it is not an
  evaluation (a programme's own counts).

A jurisdiction's own pilot exports in the same shape (:mod:`kit.pilot.export`), so a central
repository could collect pilots beside the programmes here.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from functools import cache
from typing import Any, Final

from kit.errors import KitError
from kit.resources import template
from kit.roles import RESPONDERS
from kit.taxonomy import FAMILIES

NOT_FOUND: Final = "not found"
CRIMESOLUTIONS: Final = (
    "Effective",
    "Promising",
    "No Effects",
    "Negative Effects",
    "not rated",
    NOT_FOUND,
)
#: Ratings that are the portal's own verdict, so they need the address of the rating.
RATED: Final = CRIMESOLUTIONS[:4]
NO_EMMIE: Final = ("no summary", NOT_FOUND)
SMS_LEVELS: Final = ("1", "2", "3", "4", "5", "not an evaluation")
TOPICS: Final = ("staffing", "hours", "costs", "result", "status")
#: Topics every programme must say something about ("not found" counts).
REQUIRED_TOPICS: Final = ("staffing", "hours", "costs", "result")


@dataclass(frozen=True)
class Fact:
    """One fact about a programme, with its source."""

    topic: str
    fact: str
    sms_level: str = ""
    source_title: str = ""
    source_url: str = ""


@dataclass(frozen=True)
class Practice:
    """One programme: where, which families of calls, which responder, its ratings, its facts."""

    id: str
    name: str
    place: str
    families: tuple[str, ...]
    responder: str
    crimesolutions: str
    crimesolutions_url: str
    emmie: str
    emmie_url: str
    facts: tuple[Fact, ...]

    def to_document(self) -> dict[str, Any]:
        """JSON-ready."""
        return asdict(self) | {"families": list(self.families)}


def _is_address(text: str) -> bool:
    return text.startswith(("https://", "http://"))


def check_practice(practice: Practice, *, published: bool = True) -> Practice:
    """Refuse a programme whose facts lack sources or whose ratings are not the portals' terms.

    ``published``: every fact's source has an address. A jurisdiction's own pilot, not yet
    published anywhere, may name its source without one.
    """
    where = f"Practice '{practice.id}'"
    unknown = [f for f in practice.families if f not in FAMILIES]
    if not practice.families or unknown:
        raise KitError(
            f"{where}: families must be one or more of {', '.join(FAMILIES)} "
            f"(separated by ';'), not {';'.join(unknown) or 'nothing'}."
        )
    if practice.responder not in RESPONDERS:
        raise KitError(f"{where}: responder must be one of {', '.join(RESPONDERS)}.")
    if practice.crimesolutions not in CRIMESOLUTIONS:
        raise KitError(
            f"{where}: the CrimeSolutions rating must be one of {', '.join(CRIMESOLUTIONS)} "
            f"(it is '{practice.crimesolutions}')."
        )
    if practice.crimesolutions in RATED and not _is_address(practice.crimesolutions_url):
        raise KitError(f"{where}: a CrimeSolutions rating needs the address of its page.")
    if practice.emmie not in NO_EMMIE and not _is_address(practice.emmie_url):
        raise KitError(f"{where}: an EMMIE summary needs the address of the College's page.")
    missing = [t for t in REQUIRED_TOPICS if t not in {f.topic for f in practice.facts}]
    if missing:
        raise KitError(
            f"{where} says nothing about {', '.join(missing)}: add a row, 'not found' if "
            "no source gives it."
        )
    for fact in practice.facts:
        _check_fact(fact, where, published)
    return practice


def _check_fact(fact: Fact, where: str, published: bool) -> None:
    if fact.topic not in TOPICS:
        raise KitError(f"{where}: '{fact.topic}' is not a topic; use {', '.join(TOPICS)}.")
    if not fact.fact:
        raise KitError(f"{where}: a {fact.topic} row has no fact; write 'not found' instead.")
    if fact.fact == NOT_FOUND:
        return
    if not fact.source_title or (published and not _is_address(fact.source_url)):
        raise KitError(
            f"{where}: the {fact.topic} fact '{fact.fact[:60]}' has no source: give its title "
            "and address, or write 'not found'."
        )
    if fact.topic == "result" and fact.sms_level not in SMS_LEVELS:
        raise KitError(
            f"{where}: the result '{fact.fact[:60]}' needs the Maryland Scientific Methods "
            f"Scale level of its evaluation: one of {', '.join(SMS_LEVELS)}."
        )


def _read(name: str) -> list[dict[str, str]]:
    with template("practices", name).open(encoding="utf-8", newline="") as handle:
        return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(handle)]


def read_catalog(
    rows: Iterable[Mapping[str, str]], facts: Iterable[Mapping[str, str]]
) -> list[Practice]:
    """Practices from rows shaped like the two CSV files, each checked."""
    by_practice: dict[str, list[Fact]] = {}
    for row in facts:
        by_practice.setdefault(row["practice"], []).append(
            Fact(
                row["topic"], row["fact"], row["sms_level"], row["source_title"], row["source_url"]
            )
        )
    found = []
    for row in rows:
        practice = Practice(
            id=row["id"],
            name=row["name"],
            place=row["place"],
            families=tuple(f for f in row["families"].split(";") if f),
            responder=row["responder"],
            crimesolutions=row["crimesolutions"],
            crimesolutions_url=row["crimesolutions_url"],
            emmie=row["emmie"],
            emmie_url=row["emmie_url"],
            facts=tuple(by_practice.pop(row["id"], [])),
        )
        found.append(check_practice(practice))
    if by_practice:
        raise KitError(f"Facts name practices the catalog does not have: {', '.join(by_practice)}.")
    return found


@cache
def catalog() -> tuple[Practice, ...]:
    """The practices shipped with the kit, checked."""
    return tuple(read_catalog(_read("practices.csv"), _read("facts.csv")))


def practice_ids() -> list[str]:
    """The ids a pilot may name as the practice it starts from."""
    return [p.id for p in catalog()]
