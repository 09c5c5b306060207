"""Step 04's pilot: defaults from step 02's plan and the profile, checks in plain words, and
save and load through the workspace's decisions."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kit.errors import KitError
from kit.pilot.definition import (
    DECISION_NAME,
    Pilot,
    check_areas,
    check_pilot,
    pilot_origin,
    proposed_pilot,
    read_pilot_calls,
    resolve_call_types,
    save_pilot,
    saved_pilot,
    type_names,
    workspace_pilot,
)
from kit.roles import DECISION_NAME as ROLES_DECISION
from kit.roles import new_document
from kit.steps import decision_status, step_keeping
from tests.pilot_samples import calls_frame, pilot_workspace, plan
from tests.ui_samples import AREAS, HOSTILE

KNOWN = {"WELCHK": "CHECK WELFARE", "NOISE": "NOISE COMPL, MUSIC/PARTY"}


def test_step_04_keeps_the_pilot_design() -> None:
    assert step_keeping("decision", DECISION_NAME) == "04"


def test_the_proposal_follows_step_02s_plan() -> None:
    """The crisis team takes more calls than alarm verification, so the pilot tries it on the
    types the plan gives it, busiest first, in its hours, the Monday after the calls end."""
    calls = calls_frame()
    pilot = proposed_pilot(plan(), calls, list(AREAS))
    assert pilot.responder == "crisis_team"
    counts = calls["call_type"].value_counts()
    assert set(pilot.call_types) == {"WELCHK", "NOISE"}
    busiest_first = sorted(counts[["WELCHK", "NOISE"]], reverse=True)
    assert [counts[t] for t in pilot.call_types] == busiest_first
    assert pilot.hours == tuple(range(10, 18))
    assert pilot.areas == ("North",)  # the busiest; a quarter of three areas rounds up to one
    assert pilot.start == date(2024, 12, 30)
    assert pilot.start.weekday() == 0
    assert pilot.start > calls["received_at"].max().date()


def test_a_plan_moving_nothing_proposes_no_pilot() -> None:
    with pytest.raises(KitError, match="moves no calls off police"):
        proposed_pilot(None, calls_frame(), list(AREAS))


def test_areas_are_spelled_as_the_profile_spells_them() -> None:
    assert check_areas(["north", " SOUTH "], list(AREAS)) == ("North", "South")
    with pytest.raises(
        KitError, match=r"'Nort' is not an area of the profile\. Did you mean 'North'"
    ):
        check_areas(["Nort"], list(AREAS))
    with pytest.raises(KitError, match="The profile has no areas"):
        check_areas(["North"], [])


def test_call_types_are_named_by_code_or_description_even_with_commas() -> None:
    assert resolve_call_types(["welchk", "Noise compl, music/party"], KNOWN) == ("WELCHK", "NOISE")
    with pytest.raises(KitError, match="'CHECK WELFAR' is not a call type in the calls"):
        resolve_call_types(["CHECK WELFAR"], KNOWN)


def test_type_names_take_each_codes_commonest_description() -> None:
    assert type_names(calls_frame())["NOISE"] == "NOISE COMPL, MUSIC/PARTY"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"responder": "police"}, "cannot answer a pilot's calls"),
        ({"call_types": ()}, "at least one call type"),
        ({"areas": ()}, "at least one area"),
        ({"hours": (24,)}, "24 is not an hour of the day"),
        ({"hours": ()}, "at least one hour"),
        ({"weeks": 0}, "whole number of weeks from 1 to 104"),
        ({"design": "rct"}, "'rct' is not a design"),
        ({"areas": ("Harbour",)}, "'Harbour' is not an area of the profile"),
        ({"call_types": ("TRAFFIC",)}, "'TRAFFIC' is not a call type in the calls"),
    ],
)
def test_a_pilot_that_cannot_run_is_refused(change: dict, message: str) -> None:
    pilot = replace(Pilot(("WELCHK",), "crisis_team", ("North",)), **change)
    with pytest.raises(KitError, match=message):
        check_pilot(pilot, list(AREAS), KNOWN)


def test_a_start_before_the_calls_end_is_fine_for_planning() -> None:
    pilot = Pilot(("WELCHK",), "crisis_team", ("North",), start=date(2020, 1, 6))
    assert check_pilot(pilot, list(AREAS), KNOWN).start == date(2020, 1, 6)


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ({"schema_version": 9}, "schema version 9"),
        ({"start": "next week"}, "not a date: write it as YYYY-MM-DD"),
        ({"start": "2025-01-06", "call_types": "WELCHK"}, "call types must be a list"),
        ({"start": "2025-01-06", "call_types": [], "constraints": [1]}, "constraints"),
    ],
)
def test_a_broken_document_is_refused(document: dict, message: str) -> None:
    with pytest.raises(KitError, match=message):
        Pilot.from_document(document)


@given(
    types=st.lists(st.sampled_from(sorted(KNOWN)), min_size=1, unique=True),
    areas=st.lists(st.sampled_from(AREAS), min_size=1, unique=True),
    hours=st.sets(st.integers(0, 23), min_size=1),
    weeks=st.integers(1, 104),
    day=st.dates(date(2000, 1, 1), date(2040, 1, 1)),
    design=st.sampled_from([None, "did", "its"]),
)
def test_the_document_reads_back_as_the_same_pilot(
    types: list[str], areas: list[str], hours: set[int], weeks: int, day: date, design: str | None
) -> None:
    pilot = Pilot(tuple(types), "cso", tuple(areas), tuple(sorted(hours)), day, weeks, None, design)
    assert Pilot.from_document(pilot.to_document()) == pilot
    assert (pilot.end - pilot.start).days == 7 * weeks - 1


def test_without_a_plan_moving_calls_the_pilot_starts_from_the_example(tmp_path: Path) -> None:
    """Before step 02 saves a plan that moves calls, step 04 still opens on a pilot to try:
    the shipped crisis-team example's types for these calls, never one naming a crime; a plan
    that moves calls, then a saved pilot, take over in turn."""
    ws = pilot_workspace(tmp_path / "ws", with_plan=False)
    assert pilot_origin(ws) == "example"
    example = workspace_pilot(ws)
    assert example.responder == "crisis_team"
    assert "WELCHK" in example.call_types and "ASSLT" not in example.call_types
    ws.decisions.save(ROLES_DECISION, new_document(), base_version=None, step="02")
    assert pilot_origin(ws) == "example"  # a saved plan that keeps every call with police
    assert workspace_pilot(ws) == example
    ws.decisions.save(ROLES_DECISION, plan(), base_version=1, step="02")
    assert pilot_origin(ws) == "plan"
    assert set(workspace_pilot(ws).call_types) == {"WELCHK", "NOISE"}
    save_pilot(ws, replace(example, weeks=12))
    assert pilot_origin(ws) == "saved" and workspace_pilot(ws).weeks == 12


def test_save_and_load_through_the_workspace(tmp_path: Path) -> None:
    """Before a save step 04 opens on the proposal; a save is checked, keeps the spelling the
    workspace uses, records its basis, and reloads; a later plan marks it out of date."""
    ws = pilot_workspace(tmp_path / "ws")
    assert saved_pilot(ws) is None
    proposed = workspace_pilot(ws)
    assert proposed.responder == "crisis_team"
    chosen = replace(proposed, areas=("north", HOSTILE), call_types=("check welfare",), weeks=12)
    save_pilot(ws, chosen, user="tester")
    loaded = saved_pilot(ws)
    assert loaded == replace(chosen, areas=("North", HOSTILE), call_types=("WELCHK",))
    assert workspace_pilot(ws) == loaded
    assert decision_status(ws, DECISION_NAME)["out_of_date"] is False
    ws.decisions.save("role_assignments", plan(), base_version=1, step="02")
    assert decision_status(ws, DECISION_NAME)["out_of_date"] is True
    with pytest.raises(KitError, match="'Harbour' is not an area"):
        save_pilot(ws, replace(chosen, areas=("Harbour",)))
    assert ws.decisions.latest(DECISION_NAME).version == 1


def test_no_calls_no_pilot(tmp_path: Path) -> None:
    from tests.ui_samples import make_workspace

    with pytest.raises(KitError, match="No calls have been imported yet"):
        read_pilot_calls(make_workspace(tmp_path / "ws"))
