"""The practices catalog: every fact sourced, ratings in the portals' own terms, and a
jurisdiction's own pilot exported in the same shape."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from kit.cli import main
from kit.errors import KitError
from kit.pilot.definition import Pilot, check_pilot, save_pilot, workspace_pilot
from kit.pilot.export import pilot_practice, workspace_practice
from kit.pilot.practices import (
    CRIMESOLUTIONS,
    NOT_FOUND,
    SMS_LEVELS,
    Fact,
    catalog,
    check_practice,
    read_catalog,
)
from kit.roles import RESPONDERS
from kit.taxonomy import FAMILIES
from tests.pilot_samples import pilot_workspace
from tests.ui_samples import AREAS

REQUIRED = (
    "cahoots",
    "star",
    "b_heard",
    "crisis_now",
    "civilian_traffic",
    "alarm_verification",
    "online_reporting",
    "violence_interruption",
)


def test_the_catalog_has_the_programmes_the_issue_names() -> None:
    assert set(REQUIRED) <= {p.id for p in catalog()}


@pytest.mark.parametrize("practice", catalog(), ids=lambda p: p.id)
def test_every_fact_has_its_source_and_every_rating_the_portals_terms(practice) -> None:
    assert practice.crimesolutions in CRIMESOLUTIONS
    assert set(practice.families) <= set(FAMILIES)
    assert practice.responder in RESPONDERS
    assert {"staffing", "hours", "costs", "result"} <= {f.topic for f in practice.facts}
    for fact in practice.facts:
        if fact.fact == NOT_FOUND:
            continue
        assert fact.source_title
        assert fact.source_url.startswith(("https://", "http://"))
        if fact.topic == "result":
            assert fact.sms_level in SMS_LEVELS


GOOD = catalog()[0]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"crimesolutions": "Proven"}, "must be one of Effective, Promising"),
        ({"crimesolutions": "Effective"}, "needs the address of its page"),
        ({"emmie": "Effect: strong"}, "EMMIE summary needs the address"),
        ({"families": ("crisis",)}, "families must be one or more of"),
        ({"responder": "firefighters"}, "responder must be one of"),
        (
            {"facts": (Fact("staffing", "Two people.", "", "A page", "https://x.org"),)},
            "nothing about hours",
        ),
        (
            {"facts": (*GOOD.facts, Fact("result", "Fewer calls.", "", "A page", "https://x.org"))},
            "Scientific Methods",
        ),
        (
            {"facts": (*GOOD.facts, Fact("costs", "$1 million.", "", "A page", ""))},
            "has no source",
        ),
        ({"facts": (*GOOD.facts, Fact("costs", "$1 million."))}, "has no source"),
        (
            {"facts": (*GOOD.facts, Fact("budget", "$1 million.", "", "A", "https://x.org"))},
            "'budget' is not a topic",
        ),
        ({"facts": (*GOOD.facts, Fact("costs", ""))}, "write 'not found' instead"),
    ],
)
def test_a_row_without_sources_or_with_invented_ratings_is_refused(
    change: dict, message: str
) -> None:
    with pytest.raises(KitError, match=message):
        check_practice(replace(GOOD, **change))


def test_facts_about_a_practice_not_in_the_catalog_are_refused() -> None:
    fact = {
        "practice": "ghost",
        "topic": "hours",
        "fact": NOT_FOUND,
        "sms_level": "",
        "source_title": "",
        "source_url": "",
    }
    with pytest.raises(KitError, match="does not have: ghost"):
        read_catalog([], [fact])


def test_a_pilot_names_a_practice_from_the_catalog() -> None:
    pilot = Pilot(("WELCHK",), "crisis_team", ("North",), practice="star")
    known = {"WELCHK": "CHECK WELFARE"}
    assert check_pilot(pilot, list(AREAS), known).practice == "star"
    with pytest.raises(KitError, match="'starr' is not in the practices catalog"):
        check_pilot(replace(pilot, practice="starr"), list(AREAS), known)


PILOT = Pilot(("WELCHK",), "crisis_team", ("North",), tuple(range(10, 18)), date(2025, 1, 6), 26)


def test_a_pilot_without_results_exports_as_a_catalog_row() -> None:
    row = pilot_practice(
        PILOT,
        jurisdiction="Testville",
        families=["behavioral_health"],
        design="did",
        published=date(2025, 1, 1),
    )
    assert row.crimesolutions == "not rated"
    facts = {f.topic: f for f in row.facts}
    assert facts["result"].fact == NOT_FOUND
    assert facts["hours"].fact == "10:00-18:00, 26 weeks from 2025-01-06."
    assert (
        facts["hours"].source_title == "Testville: pilot evaluation plan and results (2025-01-01)"
    )
    assert row.to_document()["families"] == ["behavioral_health"]


def test_a_pilots_results_carry_its_designs_strength_of_evidence() -> None:
    results = {"method": "did", "effect": -0.3, "low": -0.36, "high": -0.24}
    row = pilot_practice(
        PILOT,
        jurisdiction="Testville",
        families=["behavioral_health"],
        design="randomised",
        results=results,
    )
    result = next(f for f in row.facts if f.topic == "result")
    assert (
        result.fact == "Police-handled calls of the pilot's types changed by -30% "
        "(95% interval -36% to -24%), estimated by did."
    )
    assert result.sms_level == "5"


def test_a_workspaces_saved_pilot_exports_and_kit_practices_prints_it(
    tmp_path: Path, capsys
) -> None:
    ws = pilot_workspace(tmp_path / "ws")
    with pytest.raises(KitError, match="No pilot is saved yet"):
        workspace_practice(ws)
    assert main(["practices", "--from", str(ws.path)]) == 2
    save_pilot(ws, workspace_pilot(ws))
    capsys.readouterr()
    assert main(["practices", "--from", str(ws.path), "--json"]) == 0
    (row,) = json.loads(capsys.readouterr().out)
    assert row["responder"] == "crisis_team"
    assert set(row["families"]) <= set(FAMILIES)
    assert row["crimesolutions"] == "not rated"


def test_kit_practices_prints_the_catalog(capsys) -> None:
    assert main(["practices", "--json"]) == 0
    found = json.loads(capsys.readouterr().out)
    assert [p["id"] for p in found] == [p.id for p in catalog()]
    assert main(["practices"]) == 0
    text = capsys.readouterr().out
    assert "STAR (Support Team Assisted Response) (star): Denver" in text
    assert "[Maryland Scientific Methods Scale level 3]" in text
    assert "source: Dee and Pyne" in text
