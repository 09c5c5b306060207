"""Reading a community survey into the workspace, with each respondent matched to a group.

Survey tools word race and ethnicity in their own ways ("Latino", "Hispanic or
Latino", "Black or African American"), while the profile knows five groups (the
shares of templates/areas_template.csv). Weighting needs each respondent in one
of those five, so the labels surveys commonly use are matched here and any other
label must be mapped by the user; an unmapped label stops the import rather than
being guessed. "Prefer not to say" and blanks are kept: those respondents are
weighted on their area alone.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import pandas as pd

from kit.community.scrub import place_words, scrub
from kit.data.budget import read_filled_template
from kit.data.reading import detect_format, open_export
from kit.data.survey import check_survey, rating_columns, score_columns
from kit.errors import KitError
from kit.workspace import Workspace

#: The profile's groups, each with the area field that holds its share of residents.
GROUP_SHARES: Final[dict[str, str]] = {
    "white_nh": "share_white_nh",
    "black": "share_black",
    "hispanic": "share_hispanic",
    "asian": "share_asian",
    "other": "share_other",
}
GROUP_NAMES: Final[dict[str, str]] = {
    "white_nh": "White",
    "black": "Black",
    "hispanic": "Hispanic or Latino",
    "asian": "Asian",
    "other": "Other or several",
}
NOT_SAID: Final = "not_said"  # "Prefer not to say", blank: weighted on area alone
GROUP_COLUMN: Final = "group"

# Labels seen on city and national survey forms (Census race and ethnicity wording and its
# common shortenings), after normalise_label. Anything else is the user's to map.
_LABELS: Final[dict[str, str]] = {
    **dict.fromkeys(
        (
            "white",
            "white alone",
            "caucasian",
            "white non hispanic",
            "non hispanic white",
            "white not hispanic",
            "white not hispanic or latino",
            "blanco",
            "blanca",
            "blanco no hispano",
        ),
        "white_nh",
    ),
    **dict.fromkeys(
        (
            "black",
            "black or african american",
            "african american",
            "black african american",
            "black alone",
            "black non hispanic",
            "non hispanic black",
            "negro",
            "negra",
            "afroamericano",
            "afroamericana",
            "negro o afroamericano",
        ),
        "black",
    ),
    **dict.fromkeys(
        (
            "hispanic",
            "latino",
            "latina",
            "latinx",
            "latine",
            "latino a",
            "hispanic or latino",
            "hispanic latino",
            "hispanic latino a",
            "hispanic latinx",
            "latino or hispanic",
            "hispanic latino or spanish origin",
            "hispano",
            "hispana",
            "hispano o latino",
            "hispano latino",
        ),
        "hispanic",
    ),
    **dict.fromkeys(
        ("asian", "asian american", "asian alone", "asian non hispanic", "asiatico", "asiatica"),
        "asian",
    ),
    **dict.fromkeys(
        (
            "other",
            "some other race",
            "other race",
            "two or more races",
            "two or more",
            "multiracial",
            "multiple races",
            "mixed",
            "mixed race",
            "biracial",
            "other or multiple",
            "american indian or alaska native",
            "american indian",
            "native american",
            "alaska native",
            "native hawaiian or other pacific islander",
            "native hawaiian or pacific islander",
            "pacific islander",
            "middle eastern or north african",
            "otro",
            "otra",
            "dos o mas razas",
            "multirracial",
        ),
        "other",
    ),
    **dict.fromkeys(
        (
            "",
            "prefer not to say",
            "prefer not to answer",
            "decline to state",
            "declined",
            "decline to answer",
            "refused",
            "unknown",
            "not stated",
            "no answer",
            "n a",
            "na",
            "don t know",
            "prefiero no decir",
            "prefiero no contestar",
            "prefiero no responder",
        ),
        NOT_SAID,
    ),
}
_TARGETS: Final[dict[str, str]] = {
    **{key: key for key in [*GROUP_SHARES, NOT_SAID]},
    **{"_".join(name.casefold().split()): key for key, name in GROUP_NAMES.items()},
}


def normalise_label(label: object) -> str:
    """Lower case without accents, punctuation as spaces, single spaces: "Black/African-American"
    and "Asiático" match their plain spellings."""
    plain = unicodedata.normalize("NFKD", str(label)).encode("ascii", "ignore").decode()
    return " ".join(re.sub(r"[^0-9a-z]+", " ", plain.casefold()).split())


def parse_group_mapping(items: Iterable[str]) -> dict[str, str]:
    """``LABEL=GROUP`` pairs (as typed after ``--group``) as a label -> group dictionary."""
    mapping: dict[str, str] = {}
    for item in items:
        label, sep, group = item.rpartition("=")
        if not sep:
            raise KitError(
                f'--group {item!r}: write it as LABEL=GROUP, e.g. "Middle Eastern=other".'
            )
        mapping[label] = group
    return mapping


def _target(group: str) -> str:
    key = _TARGETS.get(normalise_label(group).replace(" ", "_"))
    if key is None:
        raise KitError(
            f"{group!r} is not one of the profile's groups: use one of "
            f"{', '.join([*GROUP_SHARES, NOT_SAID])}."
        )
    return key


def match_groups(labels: pd.Series, mapping: Mapping[str, str] | None = None) -> pd.Series:
    """Each respondent's group key (see GROUP_SHARES, or NOT_SAID) from the survey's label.

    ``mapping`` (label -> group key) comes first, then the common labels. Labels that
    neither knows stop with a KitError that lists them and says how to map them.
    """
    known = dict(_LABELS)
    known.update({normalise_label(k): _target(v) for k, v in (mapping or {}).items()})
    folded = labels.fillna("").astype(str).map(normalise_label)
    matched = folded.map(known)
    unknown = labels[matched.isna()].astype(str).str.strip().unique().tolist()
    if unknown:
        shown = ", ".join(repr(label) for label in sorted(unknown)[:8])
        raise KitError(
            f"The survey's demographic_group has labels the kit cannot match to the profile's "
            f"groups: {shown}. Map each one to {', '.join([*GROUP_SHARES, NOT_SAID])},",
            cli=f'e.g. --group "{sorted(unknown)[0]}=other".',
            app="by writing one of those groups in its place in the survey file, then upload "
            "the file again.",
        )
    return matched.astype(str)


def read_survey_table(path: str | Path) -> pd.DataFrame:
    """A survey file (CSV, with the template's # notes, or an XLSX workbook) as text cells."""
    source = Path(path)
    try:
        with source.open("rb") as handle:
            head = handle.read(8)
    except OSError as exc:
        raise KitError(f"Cannot read the survey file {source}: {exc.strerror or exc}.") from exc
    if detect_format(source, head) != "zip":
        return read_filled_template(source, "the survey file")
    table = open_export(source).read().table
    frame = table.to_pandas()
    frame.columns = [str(c).strip().lower() for c in frame.columns]
    return frame.astype(object).where(frame.notna(), "")


@dataclass(frozen=True)
class SurveyImport:
    """What an import kept: rows, respondents per group, and the questions found."""

    rows: int
    ratings: list[str]
    scores: list[str]
    groups: dict[str, int]

    def summary_lines(self) -> list[str]:
        """The import in a few plain lines for the command line."""
        said = ", ".join(
            f"{GROUP_NAMES.get(k, 'not said')} {n}" for k, n in self.groups.items() if n
        )
        return [
            f"Imported {self.rows} survey responses.",
            f"Priorities rated 1-5: {', '.join(self.ratings) or 'none'}.",
            f"Questions scored 0-10: {', '.join(self.scores) or 'none'}.",
            f"Respondents by group: {said}.",
        ]


def import_survey(
    ws: Workspace, path: str | Path, *, groups: Mapping[str, str] | None = None
) -> SurveyImport:
    """Check a survey file against the profile and store it as the ``survey`` table.

    Nothing is written unless the whole file is usable, so a refused import leaves the
    workspace as it was. Comments are scrubbed of names and contact details
    (kit.community.scrub). ``groups`` maps the survey's own group labels to the profile's.
    """
    areas = ws.profile.area_names
    if not areas:
        raise KitError(
            "The profile has no areas yet: import them first (kit import areas WORKSPACE "
            "FILE, from templates/areas_template.csv), so responses can be weighted by area."
        )
    survey = check_survey(read_survey_table(path), areas=areas)
    labels = survey.get("demographic_group", pd.Series("", index=survey.index))
    survey[GROUP_COLUMN] = match_groups(labels, groups)
    if "comment" in survey:
        # Comments are quoted in reports: names and contact details go before anything is kept.
        places = place_words([ws.profile.name, *areas])
        survey["comment"] = survey["comment"].map(lambda text: scrub(text, places))
    ws.write_data({"survey": survey}, step="01")
    counts = survey[GROUP_COLUMN].value_counts()
    return SurveyImport(
        rows=len(survey),
        ratings=[c.removeprefix("rating_") for c in rating_columns(survey)],
        scores=[c.removeprefix("score_") for c in score_columns(survey)],
        groups={k: int(counts.get(k, 0)) for k in [*GROUP_SHARES, NOT_SAID]},
    )
