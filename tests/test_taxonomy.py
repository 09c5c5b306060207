"""Call-type families and disposition categories: accuracy on real CAD strings, rules as data."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kit.call_type_model import THRESHOLD, TRAINING, suggest_families, train
from kit.errors import KitError
from kit.taxonomy import (
    DISPOSITIONS,
    FAMILIES,
    classify,
    classify_disposition,
    classify_dispositions,
    classify_types,
    coverage,
    load_abbreviations,
    load_rules,
    names_weapon,
    normalise,
    rules_in,
    unclassified,
)

LABELLED = Path(__file__).parent / "data" / "call_types_labelled.csv"

# Development cities: the rules were written and corrected on their strings, so their figures
# only show the rules still fit what they were built from. Weighted by calls where the source
# gives volumes (Covington gives none: share of strings).
DEV_FLOOR = 0.97
# The development figures reported in docs/taxonomy.md (rules alone): share of calls in an
# acceptable family, and in other.
DEVELOPMENT = {
    "Charleston": (1.0, 0.0),
    "Dallas": (1.0, 0.0916),
    "Detroit": (1.0, 0.0401),
    "New Orleans": (1.0, 0.0),
    "Seattle": (0.9997, 0.0),
    "Covington": (1.0, 0.0112),
}
# Milwaukee and then San Diego were held out until their misses had been read: since then they
# are development cities (their misses shaped general rules and abbreviations, and the model
# learns from their strings), reported apart. (Rules, with suggestions) as below.
SEEN = {
    "Milwaukee": ((0.993, 0.028), (1.0, 0.019)),
    "San Diego": ((1.0, 0.0), (1.0, 0.0)),
}
# Held-out cities: labelled before the kit was run on them and never used to change a rule or
# to train the text model. The figures reported in docs/taxonomy.md, each a share of calls:
# (in an acceptable family, in other) by the rules alone, then with the model's suggestions.
# Baltimore was fresh (no figure of its had been seen before it was measured); its figures
# before any change were 95.4%/8.8% then 100%/4.2%, and St. Louis's 98.2%/7.0% then 98.2%/5.3%.
# San Francisco, Los Angeles, Sacramento and San Jose were labelled (and the labels committed)
# before the kit was first run on them, after the last change to the rules, and measured once.
HELD_OUT = {
    "St. Louis": ((0.982, 0.070), (0.982, 0.070)),
    "Baltimore": ((0.954, 0.088), (1.0, 0.042)),
    "San Francisco": ((0.805, 0.195), (0.805, 0.016)),
    "Los Angeles": ((0.208, 0.782), (0.208, 0.733)),
    "Sacramento": ((0.715, 0.225), (0.740, 0.199)),
    "San Jose": ((0.957, 0.0), (0.957, 0.0)),
}


def accepted(predicted: str, families: str) -> bool:
    """Whether a predicted family is one a careful person accepts (``a|b``: either)."""
    return predicted in families.split("|")


def measure(frame: pd.DataFrame, predicted: pd.Series) -> pd.DataFrame:
    """Per city: share of strings and of calls in an acceptable family, and of calls in other.

    A city without volumes weighs every string once.
    """
    calls = pd.to_numeric(frame["calls"], errors="coerce").fillna(1.0)
    hit = pd.Series(
        [accepted(p, f) for p, f in zip(predicted, frame["family"], strict=True)],
        index=frame.index,
    )
    table = pd.DataFrame(
        {
            "city": frame["city"],
            "split": frame["split"].where(frame["split"].isin(["held_out", "seen"]), "development"),
            "hit": hit.astype(float),
            "hit_calls": hit * calls,
            "other_calls": (predicted == "other") * calls,
            "calls": calls,
        }
    )
    by_city = table.groupby(["city", "split"]).sum()
    return pd.DataFrame(
        {
            "strings": table.groupby(["city", "split"])["hit"].mean(),
            "agreement": by_city["hit_calls"] / by_city["calls"],
            "other": by_city["other_calls"] / by_city["calls"],
        }
    ).reset_index(level="split")


@pytest.fixture(scope="module")
def labelled() -> pd.DataFrame:
    frame = pd.read_csv(LABELLED, dtype=str, keep_default_na=False)
    frame["rules"] = [classify(text, suggest=False) for text in frame["call_type"]]
    frame["predicted"] = [classify(text) for text in frame["call_type"]]
    return frame


def test_fixture_is_real_strings_from_several_cities_with_sources(labelled: pd.DataFrame) -> None:
    """The accuracy fixture holds labelled strings from ten cities, each cited, with volumes."""
    assert len(labelled) >= 900
    assert labelled["city"].nunique() >= 10
    families = {f for cell in labelled["family"] for f in cell.split("|")}
    assert families <= set(FAMILIES)
    assert labelled["source"].str.len().gt(20).all()
    assert not labelled.duplicated(["city", "call_type"]).any()
    held_out = labelled[labelled["split"] == "held_out"]
    assert set(held_out["city"]) == set(HELD_OUT)
    assert held_out["calls"].str.fullmatch(r"[0-9]+").all()


def test_development_cities_keep_their_agreement(labelled: pd.DataFrame) -> None:
    """On the cities the rules were written from, nearly every call lands in its family by the
    rules alone (the model learnt from these strings, so it is not measured here)."""
    figures = measure(labelled, labelled["rules"])
    development = figures[figures["split"] == "development"]
    assert set(development.index) == set(DEVELOPMENT)
    hit = [accepted(p, f) for p, f in zip(labelled["rules"], labelled["family"], strict=True)]
    wrong = ~pd.Series(hit, index=labelled.index) & ~labelled["split"].isin(["held_out", "seen"])
    misses = labelled.loc[wrong, ["city", "call_type", "family", "rules"]].to_string()
    assert (development["agreement"] >= DEV_FLOOR).all(), misses
    assert (development["strings"] >= 0.95).all(), misses
    for city, (agreement, other) in DEVELOPMENT.items():
        assert development.loc[city, "agreement"] == pytest.approx(agreement, abs=0.0015), city
        assert development.loc[city, "other"] == pytest.approx(other, abs=0.0015), city


def test_held_out_and_seen_cities_figures_are_the_reported_ones(labelled: pd.DataFrame) -> None:
    """The held-out and Milwaukee figures in docs/taxonomy.md are what the kit gives."""
    by_rules = measure(labelled, labelled["rules"])
    with_model = measure(labelled, labelled["predicted"])
    assert set(labelled.loc[labelled["split"] == "seen", "city"]) == set(SEEN)
    for city, expected in {**HELD_OUT, **SEEN}.items():
        for figures, (agreement, other) in zip((by_rules, with_model), expected, strict=True):
            assert figures.loc[city, "agreement"] == pytest.approx(agreement, abs=0.0015), city
            assert figures.loc[city, "other"] == pytest.approx(other, abs=0.0015), city


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
        ("SUSP PKG/DEVICE", "disorder"),
        ("WIRES DOWN", "administrative"),
        ("GAS LEAK", "administrative"),
    ],
)
def test_issue_examples(text: str, family: str) -> None:
    """The CAD spellings named in the issues land in the families they give them; a suspicious
    package is not parking, and downed wires are not a medical call."""
    assert classify(text, suggest=False) == family


@pytest.mark.parametrize(
    ("text", "family"),
    [
        ("SUBJ WANTED", "administrative"),
        ("SUSPICIOUS WANTED PERSON", "disorder"),
        ("PROBATION/PAROLE", "administrative"),
        ("JUV CONVEY", "administrative"),
        ("DEAD ON ENTRY", "administrative"),
        ("FORCED ENTRY", "property"),
        ("FOOT PURSUIT", "proactive"),
        ("TRAFFIC LASER", "proactive"),
        ("VACANT HOUSE CHK", "proactive"),
        ("TAVERN CHECK", "proactive"),
        ("TAVERN VIOLATION", "disorder"),
        ("STRUCTURE FIRE", "administrative"),
        ("FIRE WORKS DISTURBANCE", "disorder"),
        ("BURG/AUD RESI", "alarm"),
        ("PHONE CALL COMPL", "disorder"),
        ("INVESTIGATION", "administrative"),
        ("INVESTIGATION BURGLARY", "property"),
        ("COMMUNITY MTNG", "administrative"),
        ("VEHICLE MAINT", "administrative"),
        ("REPORTS", "administrative"),
        ("THEFT REPORT", "property"),
    ],
)
def test_general_words_of_duty_and_supervision(text: str, family: str) -> None:
    """Words any CAD uses for wanted persons, supervision, pursuits, fires, duties and bare
    nouns, and their clipped forms, land in their family; a crime named beside them wins."""
    assert classify(text, suggest=False) == family


@pytest.mark.parametrize(
    ("text", "family"),
    [
        ("FLAG DOWN", "proactive"),
        ("FLAGGED DOWN - THEFT", "property"),
        ("PERSON DOWN", "medical"),
        ("FIELD INITIATED ACTIVITY", "proactive"),
        ("SELF-INITIATED", "proactive"),
        ("SELECTIVE ENF", "proactive"),
        ("SATURATION ENFORCEMENT", "proactive"),
        ("VACATION WATCH", "proactive"),
        ("MV STOP", "proactive"),
        ("HAZARDOUS CONDITION", "administrative"),
        ("DANGEROUS CONDITION", "administrative"),
        ("TRAFFIC HAZARD", "traffic"),
        ("SLEEPER", "behavioral_health"),
        ("PERSON ASLEEP IN VEHICLE", "behavioral_health"),
        ("CASE NUMBER REQ", "administrative"),
        ("REPORT REQUEST", "administrative"),
        ("BURG RPT", "property"),
        ("SUPPLEMENTAL", "administrative"),
        ("SPECIAL ASSIGNMENT", "administrative"),
        ("MEET GOVT AGENCY", "administrative"),
        ("RESTRAINING ORDER VIOLATION", "administrative"),
        ("SEX OFFENSE", "violent"),
        ("CHILD ENTICEMENT", "violent"),
        ("ASSIST OFCR", "violent"),
        ("DEMONSTRATION", "disorder"),
        ("PERSON SCREAMING", "disorder"),
        ("SUSP PERS", "disorder"),
    ],
)
def test_field_work_hazards_sleepers_and_requests(text: str, family: str) -> None:
    """Flag-downs and field-initiated work, enforcement details, hazardous conditions, persons
    asleep and requests for a case number land in their family; a crime or a person down
    named with them still decides."""
    assert classify(text, suggest=False) == family


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
    """People's choices beat the rules; types left to a person come biggest first."""
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
    assert set(types.loc[types["review"], "call_type"]) == {"X1", "X2"}
    assert set(by_type.loc[["X1", "X2"], "source"]) <= {"suggested", "none"}
    in_other = by_type.loc[by_type["family"] == "other", "calls"].sum()
    assert coverage(types) == pytest.approx(1 - in_other / 21)
    assert types["calls"].is_monotonic_decreasing


def test_classify_types_of_no_calls_is_empty() -> None:
    """An empty workspace gives an empty table with the same columns."""
    types = classify_types(_calls([]))
    assert types.empty
    assert {"call_type", "family", "source", "calls"} <= set(types.columns)
    assert coverage(types) == 0.0
    assert {"confidence", "review"} <= set(types.columns)


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


# ---------------------------------------------------------------- weapons first


@pytest.mark.parametrize(
    "text",
    [
        "MENTAL W/ GUN",
        "EDP WITH KNIFE",
        "SUICIDAL SUBJ ARMED",
        "MENTAL VIOLENT - ARMED",
        "SUBJ W/WEAPON-DV",
        "CRISIS - PERSON W/WPN",
        "245PC ADW RPT",
        "GSW VICTIM",
        "STABBING",
        "WELFARE CHECK, SHOTS HEARD",
        "SUICIDE THREAT WITH FIREARM",
    ],
)
def test_a_type_naming_a_weapon_is_violent(text: str) -> None:
    """Whatever else it says (mental health, welfare, suicide), a weapon makes it violent."""
    assert names_weapon(text)
    assert classify(text) == "violent"
    types = classify_types(_calls([(text, None, "911")]))
    assert list(types["source"]) == ["weapon"]


@pytest.mark.parametrize(
    ("text", "family"),
    [
        ("ALARMED PREMISES", "alarm"),
        ("UNARMED PERSON TRESPASSING", "disorder"),
        ("MENTAL VIOLENT NOT ARMED", "behavioral_health"),
        ("SUICIDAL SUBJ, NO WEAPON", "behavioral_health"),
        ("MENTAL PATIENT WITHOUT A WEAPON", "behavioral_health"),
        ("ARMORY ALARM", "alarm"),
    ],
)
def test_words_that_only_look_like_weapons_are_not(text: str, family: str) -> None:
    """Word boundaries and negation: ALARMED is not ARMED, and "no weapon" names none."""
    assert not names_weapon(text)
    assert classify(text, suggest=False) == family


def test_weapons_come_before_a_person_and_a_city_s_rules(tmp_path: Path) -> None:
    """Neither a choice of behavioural health nor a city's own rules take a weapon out of
    violent; other choices by a person are kept."""
    calls = _calls([("MWG", "MENTAL W/ GUN", "911"), ("KN", "EDP WITH KNIFE", "911")])
    types = classify_types(calls, overrides={"MWG": "behavioral_health", "KN": "medical"})
    by_type = types.set_index("call_type")
    assert by_type.loc["MWG", "family"] == "violent"
    assert by_type.loc["MWG", "source"] == "weapon"
    assert by_type.loc["KN", "family"] == "medical"
    own = tmp_path / "own.csv"
    own.write_text("priority,family,pattern,min_officer_share,example\n1,behavioral_health,.,,\n")
    assert classify("EDP WITH KNIFE", rules=load_rules(own)) == "violent"


_WEAPONS = st.sampled_from(
    ["GUN", "KNIFE", "FIREARM", "WEAPON", "ARMED", "SHOTS", "SHOOTING", "STABBING", "WPN", "ADW"]
)
_CONTEXT = st.lists(
    st.sampled_from(
        ["MENTAL", "EDP", "SUICIDAL", "WELFARE", "CHECK", "SUBJ", "W/", "WITH", "CRISIS", "PERSON"]
    ),
    max_size=4,
)


@settings(max_examples=200, deadline=None)
@given(_CONTEXT, _WEAPONS, _CONTEXT, st.sampled_from([" ", "-", "/", ", "]))
def test_any_type_with_a_weapon_word_is_violent(
    before: list[str], weapon: str, after: list[str], mark: str
) -> None:
    """Whatever mental-health or welfare words surround it, a weapon word makes a type
    violent, and never behavioural health."""
    text = mark.join([*before, weapon, *after])
    assert names_weapon(text)
    assert classify(text) == "violent"


@settings(max_examples=100, deadline=None)
@given(_WEAPONS, st.sampled_from(["UN", "X", "AL", "PRE"]), st.sampled_from(["", "ED", "X"]))
def test_a_weapon_word_inside_another_word_is_not_a_weapon(
    weapon: str, prefix: str, suffix: str
) -> None:
    """Only whole words count: ALARMED, UNARMED or XGUNX name no weapon."""
    assert not names_weapon(f"PREMISES {prefix}{weapon}{suffix}")


# ---------------------------------------------------------------- abbreviations


def test_abbreviations_are_spelled_out_before_the_rules_run() -> None:
    """Clipped CAD words are read in full; the rules then recognise them."""
    table = load_abbreviations()
    assert table.expand("TRBL W/SUBJ") == "TROUBLE WITH SUBJECT"
    assert table.expand("ACC PDO") == "ACCIDENT PROPERTY DAMAGE ONLY"
    assert table.expand("SUSP VEH/OCC") == "SUSPICIOUS VEHICLE/OCC"
    assert table.expand("ALARMED PREMISES") == "ALARMED PREMISES"
    assert classify("TRBL W/SUBJ", suggest=False) == "disorder"
    assert classify("RECK VEH", suggest=False) == "traffic"
    assert classify("ALRM RES", suggest=False) == "alarm"


_TOKENS = st.sampled_from(
    ["TRBL", "W/", "SUBJ", "SUSP", "ACC", "PDO", "PI", "DV", "VEH", "ALARMED", "THEFT", "GUN"]
)


@settings(max_examples=200, deadline=None)
@given(st.lists(_TOKENS, min_size=1, max_size=6))
def test_spelling_out_twice_changes_nothing(tokens: list[str]) -> None:
    """Expansions are whole words: spelling out a spelled-out text leaves it as it is."""
    table = load_abbreviations()
    once = table.expand(normalise(" ".join(tokens)))
    assert table.expand(once) == once
    assert not set(once.split()) & {"TRBL", "SUBJ", "SUSP", "PDO", "VEH"}


def test_a_workspace_s_own_abbreviations_replace_the_kit_s(tmp_path: Path) -> None:
    """A copy in rules/ is used instead of the kit's table; a bad line names itself."""
    (tmp_path / "abbreviations.csv").write_text("abbreviation,expansion,example\nXQ,THEFT,\n")
    rules = rules_in(tmp_path)
    assert rules.abbreviations is not None
    assert rules.abbreviations.expand("XQ RPT") == "THEFT RPT"
    types = classify_types(_calls([("XQ", None, "911")]), rules=rules)
    assert list(types["family"]) == ["property"]
    (tmp_path / "abbreviations.csv").write_text("abbreviation,expansion,example\nXQ,,\n")
    with pytest.raises(KitError, match="line 2"):
        rules_in(tmp_path)


# ---------------------------------------------------------------- the text model


def test_the_model_learns_only_from_development_cities(labelled: pd.DataFrame) -> None:
    """What the model learns from ships with the kit and holds no held-out city."""
    training = pd.read_csv(TRAINING, dtype=str, keep_default_na=False)
    development = set(labelled.loc[labelled["split"] != "held_out", "city"])
    assert set(training["city"]) <= development
    assert not set(training["city"]) & set(HELD_OUT)
    assert set(training["family"]) <= set(FAMILIES)


def test_suggestions_below_the_threshold_are_withheld() -> None:
    """A confident suggestion names a family; an unsure one gives only its confidence."""
    texts = ["PREMISES CHECK BY OFFICER", "QZXV"]
    sure, unsure = suggest_families(texts)
    assert sure[0] == "proactive"
    assert sure[1] >= THRESHOLD
    assert unsure[0] is None
    assert unsure[1] < THRESHOLD
    assert suggest_families(texts) == [sure, unsure]
    assert suggest_families([]) == []


def test_a_type_no_rule_knows_is_flagged_for_review_not_silently_other() -> None:
    """Step 02 and kit inventory see which families are suggestions, with their confidence."""
    types = classify_types(
        _calls([("PRM", "PREMISES CHECK BY OFFICER", "911")] * 2 + [("QZ", "QZXV", "911")])
    )
    by_type = types.set_index("call_type")
    assert by_type.loc["PRM", "source"] == "suggested"
    assert by_type.loc["PRM", "family"] == "proactive"
    assert by_type.loc["PRM", "confidence"] >= THRESHOLD
    assert by_type.loc["QZ", "source"] == "none"
    assert by_type.loc["QZ", "family"] == "other"
    assert by_type["review"].all()


def test_the_model_is_the_same_each_time_it_is_trained() -> None:
    """Trained twice from the same strings, the model gives the same confidences."""
    training = pd.read_csv(TRAINING, dtype=str, keep_default_na=False)
    texts = ["PREMISES CHECK BY OFFICER", "LOUD PARTY", "QZXV"]
    first, second = (
        suggest_families(texts, fitted=train(training["call_type"], training["family"]))
        for _ in range(2)
    )
    assert first == second
