"""Scrub personal details from quotes before anyone else reads them.

Residents write and say things like "call Maria at 555-201-3344" in comments and at
listening sessions. The kit keeps their words (themes need them) but not who they
name or how to reach them: every free text is scrubbed when it is imported, so the
workspace never holds the original.

What is replaced, and how:

- e-mail addresses and phone numbers (seven or more digits, with the usual separators);
- street addresses: a house number followed by up to four words and a street suffix
  ("1412 North Elm Street", "88 Oak Ave");
- personal names, by a stated heuristic, as no name model can be downloaded here: a
  capitalised word is a name unless it is a common English word or a place name. The
  common words are the entries written in lower case in Webster's Second International
  dictionary (the ``web2`` list of the ``english-words`` package, 210,768 words), so
  "Yesterday" and "Parks" stay while "Keisha" and "Nguyen" go. Place names are the
  jurisdiction's own name and its areas, days and months, and a short list below of
  words too new for a 1934 dictionary. A capitalised word right after a title
  ("Officer", "Mrs.", "Councilmember") is a name whatever it is ("Officer Bill Rose").

Names that are also ordinary words ("Rose", "Will", "Grant") escape unless a title
precedes them; docs/community.md gives the rates measured on tests/corpus.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Final

PHONE: Final = "[phone]"
EMAIL: Final = "[email]"
ADDRESS: Final = "[address]"
NAME: Final = "[name]"

_EMAIL: Final = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Seven or more digits in one run of digits, spaces, dots, dashes and brackets.
_PHONE: Final = re.compile(r"(?<![\w])\+?\(?\d(?:[\d\s().-]{5,}\d)(?![\w])")
_SUFFIXES: Final = (
    "street|st|avenue|ave|road|rd|boulevard|blvd|lane|ln|drive|dr|court|ct|way|place|pl|"
    "terrace|ter|parkway|pkwy|highway|hwy|circle|cir|trail|trl|square|sq|alley|row"
)
_ADDRESS: Final = re.compile(
    rf"\b\d{{1,6}}[A-Za-z]?(?:\s+[A-Za-z0-9.'-]+){{0,4}}?\s+(?:{_SUFFIXES})\b\.?",
    re.IGNORECASE,
)
# A word of letters (any alphabet, so "Ramón" is one word) with an optional apostrophe
# part; it counts as capitalised when it starts upper-case and has a lower-case letter,
# so acronyms such as EMS or CAHOOTS stay.
_WORD: Final = r"[^\W\d_]+(?:['’][^\W\d_]+)?"
_WORDS: Final = re.compile(rf"\b{_WORD}\b")
_TITLES: Final = frozenset(
    (
        "mr",
        "mrs",
        "ms",
        "miss",
        "dr",
        "officer",
        "sergeant",
        "sgt",
        "detective",
        "det",
        "deputy",
        "lieutenant",
        "lt",
        "captain",
        "capt",
        "chief",
        "councilmember",
        "councilwoman",
        "councilman",
        "commissioner",
        "mayor",
        "judge",
        "pastor",
        "reverend",
        "rev",
        "father",
        "sister",
        "brother",
        "auntie",
        "uncle",
        "coach",
        "principal",
        "trooper",
        "corporal",
        "cpl",
    )
)
_CONTRACTIONS: Final = frozenset({"t", "s", "re", "ll", "ve", "d", "m"})
# Everyday words newer than the dictionary, or written capitalised in it.
_MODERN: Final = frozenset(
    (
        "okay",
        "streetlight",
        "crosswalk",
        "homeowner",
        "carjacking",
        "lockdown",
        "ok",
        "internet",
        "email",
        "online",
        "covid",
        "website",
        "app",
        "facebook",
        "instagram",
        "google",
        "uber",
        "lyft",
        "tiktok",
        "youtube",
        "whatsapp",
        "twitter",
        "text",
        "texted",
        "texting",
        "cellphone",
        "smartphone",
        "wifi",
        "english",
        "spanish",
        "american",
        "christmas",
        "thanksgiving",
        "easter",
        "halloween",
        "god",
    )
)
# Only abbreviations take a full stop: "the Mayor. Nothing changed" names nobody.
_ABBREVIATED: Final = frozenset(("mr", "mrs", "ms", "dr", "sgt", "det", "lt", "capt", "rev", "cpl"))
_TITLE_THEN_NAME: Final = re.compile(
    rf"\b(?:(?i:{'|'.join(sorted(_ABBREVIATED))})\.?|(?i:{'|'.join(sorted(_TITLES))}))"
    rf"\s+(?P<first>{_WORD})(?:\s+(?P<second>{_WORD}))?"
)
_NAME_RUN: Final = re.compile(rf"{re.escape(NAME)}(?:\s+{re.escape(NAME)})+")


@lru_cache(maxsize=1)
def common_words() -> frozenset[str]:
    """The dictionary's lower-case entries: words that are not proper nouns."""
    from english_words import get_english_words_set

    return frozenset(w for w in get_english_words_set(["web2"]) if w.islower())


def _calendar_words() -> frozenset[str]:
    names = [*calendar.day_name, *calendar.day_abbr, *calendar.month_name, *calendar.month_abbr]
    return frozenset(n.lower() for n in names if n)


def place_words(places: Iterable[str] = ()) -> frozenset[str]:
    """Lower-case words of the given place names, with days, months and modern words."""
    words = {w.lower() for place in places for w in re.findall(r"[^\W\d_]+", str(place))}
    return frozenset(words | _calendar_words() | _MODERN)


def words(text: str) -> list[str]:
    """The words of ``text`` as the name rule sees them."""
    return _WORDS.findall(text)


def is_capitalised(word: str) -> bool:
    """Whether the name rule looks at ``word``: upper-case first, not all upper-case."""
    return word[0].isupper() and any(c.islower() for c in word)


def _is_ordinary(word: str, places: frozenset[str]) -> bool:
    if not is_capitalised(word):
        return True
    lower = word.lower().replace("’", "'")
    stem, apostrophe, tail = lower.partition("'")
    if apostrophe and tail in _CONTRACTIONS:
        lower = stem
    return lower in _TITLES or any(f in places or f in common_words() for f in _forms(lower))


# The dictionary lists head words in American spelling: try the word's plain forms too.
_ENDINGS: Final = (
    ("ies", "y"),
    ("es", ""),
    ("s", ""),
    ("ed", ""),
    ("ed", "e"),
    ("ing", ""),
    ("ing", "e"),
    ("ly", ""),
)
_SPELLINGS: Final = (("our", "or"), ("tre", "ter"), ("ise", "ize"))


def _as_name(word: str) -> str:
    """NAME in place of the word, keeping a possessive or contraction ("[name]'s")."""
    cut = max(word.find("'"), word.find("’"))
    tail = word[cut + 1 :] if cut > 0 else ""
    return NAME + word[cut:] if tail.lower() in _CONTRACTIONS and tail else NAME


def _forms(word: str) -> set[str]:
    """The word, its stems without a regular ending, and their American spellings."""
    forms = {word} | {word[: -len(end)] + new for end, new in _ENDINGS if word.endswith(end)}
    for old, new in _SPELLINGS:
        forms |= {f.replace(old, new) for f in forms if old in f}
    return forms


def scrub(text: str, places: Iterable[str] | frozenset[str] = ()) -> str:
    """``text`` with e-mails, phone numbers, street addresses and names replaced.

    ``places`` are the jurisdiction's own place names (its name and areas), which stay;
    a frozenset is taken as already made by :func:`place_words` (made once for many texts).
    """
    known = places if isinstance(places, frozenset) else place_words(places)
    text = _EMAIL.sub(EMAIL, text)
    text = _ADDRESS.sub(ADDRESS, text)
    text = _PHONE.sub(lambda m: PHONE if sum(c.isdigit() for c in m[0]) >= 7 else m[0], text)

    def after_title(match: re.Match[str]) -> str:
        # A title's first word is a name; a second one too ("Officer Bill Rose") unless
        # it is a place, day or month ("Officer Lee Tuesday").
        if not is_capitalised(match["first"]):
            return match[0]
        end = match.end("first")
        second = match["second"]
        if second and is_capitalised(second) and second.lower() not in known:
            end = match.end("second")
        start = match.start()
        return match[0][: match.start("first") - start] + NAME + match[0][end - start :]

    text = _TITLE_THEN_NAME.sub(after_title, text)
    text = _WORDS.sub(lambda m: m[0] if _is_ordinary(m[0], known) else _as_name(m[0]), text)
    return _NAME_RUN.sub(NAME, text)
