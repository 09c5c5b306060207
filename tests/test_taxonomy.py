"""Call-type families and disposition categories: accuracy on real CAD strings, rules as data."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from kit.errors import KitError
from kit.taxonomy import (
    DISPOSITIONS,
    FAMILIES,
    classify,
    classify_disposition,
    classify_dispositions,
    classify_types,
    coverage,
    load_rules,
    normalise,
    unclassified,
)

LABELLED = Path(__file__).parent / "data" / "call_types_labelled.csv"

# Measured when the fixture was made. Before the rules were corrected on them, strings read
# only after the rules were written scored 89.6% (split "second_pass", five cities) and 89.9%
# (split "blind", Covington): about 90% is what to expect on a new city's own spellings. After
# correction the whole fixture scores 99.6%; the floors leave room for rule edits that trade
# one string for another.
OVERALL_FLOOR = 0.97
CITY_FLOOR = 0.95


@pytest.fixture(scope="module")
def labelled() -> pd.DataFrame:
    frame = pd.read_csv(LABELLED, dtype=str, keep_default_na=False)
    frame["predicted"] = [classify(text) for text in frame["call_type"]]
    return frame


def test_fixture_is_real_strings_from_several_cities_with_sources(labelled: pd.DataFrame) -> None:
    """The accuracy fixture holds hundreds of labelled strings from six cities, each cited."""
    assert len(labelled) >= 700
    assert labelled["city"].nunique() >= 6
    assert set(labelled["family"]) <= set(FAMILIES)
    assert labelled["source"].str.len().gt(20).all()
    assert not labelled.duplicated(["city", "call_type"]).any()


def test_accuracy_on_other_cities_call_types(labelled: pd.DataFrame) -> None:
    """The default rules give the labelled family to real call types of other cities."""
    hit = labelled["predicted"] == labelled["family"]
    misses = labelled.loc[~hit, ["call_type", "family", "predicted"]].to_string()
    assert hit.mean() >= OVERALL_FLOOR, misses
    by_city = hit.groupby(labelled["city"]).mean()
    assert (by_city >= CITY_FLOOR).all(), by_city.to_string()


@pytest.mark.parametrize(
    ("text", "family"),
    [
        ("BURGLAR ALARM, SILENT", "alarm"),
        ("--ALARM-RESIDENTIAL - BURGLARY", "alarm"),
        ("104D_Alarm Holdup/Panic/Duress", "alarm"),
        ("FIRE ALARM", "alarm"),
        ("131B_Traff Acc/NoInj", "traffic"),
        ("HIT & RUN", "traffic"),
        ("DUI/DWI - INTOX DRIVER", "traffic"),
        ("Disabled Motorist", "traffic"),
        ("ASLT - IP/JO - DV", "violent"),
        ("DOMESTIC DISTURBANCE", "violent"),
        ("FIGHT", "violent"),
        ("THREATS REPORT", "violent"),
        ("ARMED ROBBERY WITH GUN", "violent"),
        ("MENTAL PATIENT", "behavioral_health"),
        ("SERVICE - WELFARE CHECK", "behavioral_health"),
        ("127D_Suicide Threat", "behavioral_health"),
        ("HOMELESS", "behavioral_health"),
        ("ONE DOWN/DRUG OD", "medical"),
        ("16 - INJURED PERSON", "medical"),
        ("--SUSPICIOUS CIRCUM. - SUSPICIOUS PERSON", "disorder"),
        ("NOISE COMPLAINT", "disorder"),
        ("TRESPASS", "disorder"),
        ("105A_Animal Stray", "disorder"),
        ("DRUG VIOLATIONS", "disorder"),
        ("TRAFFIC STOP - OFFICER INITIATED ONVIEW", "proactive"),
        ("PREMISE CHECK, OFFICER INITIATED ONVIEW ONLY", "proactive"),
        ("DIRECTED PATROL", "proactive"),
        ("911 Hang Up", "administrative"),
        ("FOLLOW UP", "administrative"),
        ("WARR STOP WITH RELEASE", "administrative"),
        ("MISSING JUVENILE", "administrative"),
        ("TRANSPORT PRISONER", "administrative"),
        ("130B_Theft Past", "property"),
        ("11V - BURG MOTOR VEH", "property"),
        ("MISC - SEE NARR", "other"),
    ],
)
def test_issue_examples(text: str, family: str) -> None:
    """The CAD spellings named in the issue land in the families the issue gives them."""
    assert classify(text) == family


def test_normalise_keeps_cad_abbreviations() -> None:
    """Punctuation becomes spaces but the marks CAD abbreviations use survive."""
    assert normalise("--ALARM-RESIDENTIAL - BURGLARY") == "ALARM RESIDENTIAL BURGLARY"
    assert normalise("131b_traff acc/noinj") == "131B TRAFF ACC/NOINJ"
    assert normalise("HIT & RUN") == "HIT & RUN"
    assert normalise(None) == ""
    assert normalise(float("nan")) == ""


def test_mostly_officer_initiated_types_are_proactive() -> None:
    """A suspicious-person type started by officers on view is a stop, not a public call."""
    assert classify("SUSPICIOUS PERSON", officer_share=0.9) == "proactive"
    assert classify("SUSPICIOUS PERSON", officer_share=0.1) == "disorder"
    assert classify("SUSPICIOUS PERSON") == "disorder"
    assert classify("ZZ-UNKNOWN CODE", officer_share=0.95) == "proactive"
    assert classify("ZZ-UNKNOWN CODE", officer_share=0.2) == "other"
    # Follow-ups and warrants stay administrative even when officers start them.
    assert classify("FOLLOW UP - INVESTIGATION", officer_share=0.9) == "administrative"
    assert classify("WARRANT SVC", officer_share=0.95) == "administrative"
    # Crimes and emergencies found on view keep their family.
    assert classify("SHOTS FIRED", officer_share=0.9) == "violent"


def _calls(rows: list[tuple[str, str | None, str]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["call_type", "call_type_desc", "initiated_by"])


def test_classify_types_uses_overrides_first_and_lists_unclassified_biggest_first() -> None:
    """People's choices beat the rules; unclassified types come biggest first."""
    calls = _calls(
        [("BA", "BURGLAR ALARM", "alarm")] * 5
        + [("X1", "SEE NARRATIVE", "911")] * 3
        + [("X2", None, "911")] * 7
        + [("WC", "WELFARE CHECK", "911")] * 2
        + [("SS", "SUSPICIOUS STOP", "officer")] * 4
    )
    types = classify_types(calls, overrides={"WC": "medical"})
    by_type = types.set_index("call_type")
    assert by_type.loc["BA", "family"] == "alarm"
    assert by_type.loc["BA", "source"] == "rule"
    assert by_type.loc["WC", "family"] == "medical"
    assert by_type.loc["WC", "source"] == "override"
    assert by_type.loc["SS", "family"] == "proactive"
    assert by_type.loc["SS", "officer_share"] == 1.0
    assert list(unclassified(types)["call_type"]) == ["X2", "X1"]
    assert coverage(types) == pytest.approx(11 / 21)
    assert types["calls"].is_monotonic_decreasing


def test_classify_types_of_no_calls_is_empty() -> None:
    """An empty workspace gives an empty table with the same columns."""
    types = classify_types(_calls([]))
    assert types.empty
    assert {"call_type", "family", "source", "calls"} <= set(types.columns)
    assert coverage(types) == 0.0


def test_overrides_must_name_a_family() -> None:
    """An override to an unknown family is refused with the list of families."""
    with pytest.raises(KitError, match="behavioral_health"):
        classify_types(_calls([("A", "X", "911")]), overrides={"A": "mental"})


def test_every_family_is_reachable_and_rules_are_sorted() -> None:
    """The default rules cover every family but ``other`` and run in priority order."""
    rules = load_rules()
    assert {rule.label for rule in rules} == set(FAMILIES) - {"other"}
    priorities = [rule.priority for rule in rules]
    assert priorities == sorted(priorities)


def test_broken_rule_files_say_which_line(tmp_path: Path) -> None:
    """A wrong family or a broken pattern in an edited rules file names the line."""
    bad_family = tmp_path / "family.csv"
    bad_family.write_text(
        "priority,family,pattern,min_officer_share,example\n10,alarm,ALARM,,\n20,crime,THEFT,,\n"
    )
    with pytest.raises(KitError, match="line 3"):
        load_rules(bad_family)
    bad_pattern = tmp_path / "pattern.csv"
    bad_pattern.write_text("priority,family,pattern,min_officer_share,example\n10,alarm,(ALARM,,\n")
    with pytest.raises(KitError, match="line 2"):
        load_rules(bad_pattern)
    with pytest.raises(KitError, match="not found"):
        load_rules(tmp_path / "missing.csv")


def test_edited_rules_change_the_family(tmp_path: Path) -> None:
    """A city's own rules file is used when given."""
    own = tmp_path / "own.csv"
    own.write_text("priority,family,pattern,min_officer_share,example\n1,medical,ALARM,,\n")
    assert classify("BURGLAR ALARM", rules=load_rules(own)) == "medical"


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("ARREST MADE", "arrest"),
        ("CITATION ISSUED", "citation"),
        ("REPORT TO FOLLOW", "report"),
        ("REPORT WRITTEN (NO ARREST)", "report"),
        ("ORAL WARNING GIVEN", "warning"),
        ("NECESSARY ACTION TAKEN", "no_action"),
        ("Necessary Action Taken", "no_action"),
        ("ASSISTANCE RENDERED", "no_action"),
        ("GONE ON ARRIVAL", "unfounded"),
        ("UNABLE TO LOCATE INCIDENT OR COMPLAINANT", "unfounded"),
        ("UNFOUNDED", "unfounded"),
        ("FALSE ALARM", "false_alarm"),
        ("DUPLICATE", "cancelled"),
        ("VOID", "cancelled"),
        ("TEST INCIDENT", "cancelled"),
        ("CANCELLED BY COMPLAINANT", "cancelled"),
        ("", "other"),
        ("SEE NARRATIVE", "other"),
    ],
)
def test_disposition_categories(text: str, category: str) -> None:
    """Real dispositions (New Orleans, Seattle) fall in the disposition taxonomy."""
    assert classify_disposition(text) == category


def test_classify_dispositions_keeps_index_and_categories() -> None:
    """A column of dispositions maps once per distinct value and keeps the rows' index."""
    values = pd.Series(["VOID", None, "ARREST MADE", "VOID"], index=[10, 11, 12, 13])
    result = classify_dispositions(values)
    assert list(result.index) == [10, 11, 12, 13]
    assert list(result.astype(str)) == ["cancelled", "other", "arrest", "cancelled"]
    assert list(result.cat.categories) == list(DISPOSITIONS)
    assert classify_dispositions(pd.Series([], dtype="string")).empty


def test_sample_city_is_at_least_90_percent_classified() -> None:
    """At least 90% of the sample city's calls (by its published type mix) get a real family."""
    mix = pd.read_csv(Path(__file__).parents[1] / "sample_city" / "call_types.csv", comment="#")
    families = [
        classify(f"{code} {desc}", officer_share=share)
        for code, desc, share in zip(
            mix["code"], mix["description"], mix["officer_initiated"], strict=True
        )
    ]
    classified = mix["share"][[family != "other" for family in families]].sum()
    assert classified / mix["share"].sum() >= 0.9
