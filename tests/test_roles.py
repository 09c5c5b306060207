"""Step 02 core: the cube, the path of a call (flow), plans, presets, the charter, the inventory."""

from __future__ import annotations

import itertools
import json
from collections.abc import Sequence
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markupsafe import escape

from kit.cli import main
from kit.errors import KitError
from kit.pages.charter import charter_html, charter_page
from kit.roles import (
    ALTERNATIVES,
    DECISION_NAME,
    DEFAULT_ASSUMPTIONS,
    FLOW_COLUMNS,
    RESPONDERS,
    build_cube,
    check_document,
    flow,
    new_document,
    totals,
)
from kit.roles.charter import build_charter, charter_markdown, charter_text
from kit.roles.inventory import family_inventory, inventory, to_records
from kit.roles.presets import apply_preset, assign_family, describe, load_preset, preset_ids
from kit.roles.weapons import CIVILIAN_ONLY, weapon_types
from kit.taxonomy import classify, rules_in

TZ = "America/Chicago"
MONDAY = pd.Timestamp("2024-01-01 00:00", tz=TZ)  # a Monday


def make_calls(
    rows: Sequence[tuple[str, str, int, str, float]],
    *,
    initiated_by: str = "911",
    disposition: str = "REPORT TO FOLLOW",
) -> pd.DataFrame:
    """Calls from (call_type, description, hour of week, area, unit_hours) tuples."""
    frame = pd.DataFrame(rows, columns=["call_type", "call_type_desc", "how", "area", "unit_hours"])
    frame["received_at"] = MONDAY + pd.to_timedelta(frame.pop("how"), unit="h")
    frame["priority"] = "2"
    frame["initiated_by"] = initiated_by
    frame["disposition"] = disposition
    frame["units"] = 1
    return frame


def _one_type(n: int = 100, hours: float = 0.5, how: int = 10) -> pd.DataFrame:
    return make_calls([("WC", "WELFARE CHECK", how, "North", hours)] * n)


def _row(frame: pd.DataFrame, responder: str) -> pd.Series:
    return frame.set_index("responder").loc[responder]


# ---------------------------------------------------------------- hand-computed cases


def test_flow_hand_computed_case() -> None:
    """100 calls of 0.5 h: screening 10%, take-up 50%, back-up 10% give 90, 90, 45, 40.5."""
    cube = build_cube(_one_type())
    assumptions = {"crisis_team": {"screening": 0.1, "take_up": 0.5, "back_up": 0.1}}
    result = flow(cube, {"WC": {"crisis_team": 1.0}}, assumptions)
    team = _row(result, "crisis_team")
    assert team["eligible"] == pytest.approx(90)
    assert team["routed"] == pytest.approx(90)
    assert team["handled"] == pytest.approx(45)
    assert team["without_police"] == pytest.approx(40.5)
    assert team["without_police_hours"] == pytest.approx(20.25)
    police = _row(result, "police")
    assert police["eligible"] == pytest.approx(100)
    assert police["routed"] == pytest.approx(10)
    assert police["handled"] == pytest.approx(59.5)
    assert police["handled_hours"] == pytest.approx(29.75)
    summary = totals(result).iloc[0]
    assert summary["freed_hours"] == pytest.approx(20.25)
    assert summary["freed_share"] == pytest.approx(20.25 / 50)


def test_split_between_two_responders() -> None:
    """A type split 30/20 between two responders routes each its share of eligible calls."""
    cube = build_cube(_one_type())
    assumptions = {
        "cso": {"screening": 0.0, "take_up": 1.0, "back_up": 0.0},
        "online": {"screening": 0.0, "take_up": 0.5, "back_up": 0.0},
    }
    result = flow(cube, {"WC": {"cso": 0.3, "online": 0.2}}, assumptions)
    assert _row(result, "cso")["without_police"] == pytest.approx(30)
    assert _row(result, "online")["without_police"] == pytest.approx(10)
    assert _row(result, "police")["routed"] == pytest.approx(50)
    assert _row(result, "police")["handled"] == pytest.approx(60)


def test_calls_outside_coverage_stay_with_police() -> None:
    """Calls at 10:00 Monday routed to a team covering only Tuesday stay police calls."""
    cube = build_cube(_one_type(how=10))
    assumptions = {"crisis_team": {"screening": 0.0, "take_up": 1.0, "back_up": 0.0}}
    plan = {"WC": {"crisis_team": 1.0}}
    tuesday = list(range(24, 48))
    result = flow(cube, plan, assumptions, coverage={"crisis_team": tuesday})
    team = _row(result, "crisis_team")
    assert team["routed"] == pytest.approx(100)
    assert team["handled"] == 0
    assert team["outside_coverage"] == pytest.approx(100)
    assert _row(result, "police")["handled"] == pytest.approx(100)
    covered = flow(cube, plan, assumptions, coverage={"crisis_team": [10]})
    assert _row(covered, "crisis_team")["without_police"] == pytest.approx(100)
    assert _row(covered, "crisis_team")["outside_coverage"] == 0


def test_co_response_frees_no_officer_hours() -> None:
    """Co-response calls are shown apart: police still attend, nothing is freed."""
    cube = build_cube(_one_type())
    result = flow(cube, {"WC": {"co_response": 1.0}}, None)
    co = _row(result, "co_response")
    assert co["handled"] == pytest.approx(100)
    assert co["without_police"] == 0
    summary = totals(result).iloc[0]
    assert summary["co_response_calls"] == pytest.approx(100)
    assert summary["freed_hours"] == 0
    assert summary["police_calls"] == pytest.approx(0)


def test_no_plan_keeps_everything_with_police() -> None:
    """Without assignments every call and hour stays with police."""
    cube = build_cube(_one_type())
    summary = totals(flow(cube, None, None)).iloc[0]
    assert summary["police_calls"] == pytest.approx(100)
    assert summary["police_hours"] == pytest.approx(50)
    assert summary["freed_hours"] == 0


def test_unknown_call_types_in_a_plan_are_ignored() -> None:
    """A plan made on older data still applies: types not in the data are skipped."""
    cube = build_cube(_one_type())
    result = flow(cube, {"GONE": {"cso": 1.0}}, None)
    assert _row(result, "cso")["routed"] == 0


def test_imputed_durations_and_officers_per_unit() -> None:
    """Blank durations take the type's median; officers per unit scales officer hours."""
    calls = make_calls(
        [
            ("WC", "WELFARE CHECK", 0, "N", 1.0),
            ("WC", "WELFARE CHECK", 0, "N", 3.0),
            ("WC", "WELFARE CHECK", 0, "N", float("nan")),
            ("ZZ", "NOTHING VALID", 0, "N", float("nan")),
        ]
    )
    cube = build_cube(calls, officers_per_unit=2.0)
    types = cube.types.set_index("call_type")
    assert types.loc["WC", "officer_hours"] == pytest.approx(2 * (1 + 3 + 2))
    assert types.loc["WC", "hours_imputed"] == 1
    # A type with no valid duration takes the median of all valid durations.
    assert types.loc["ZZ", "officer_hours"] == pytest.approx(2 * 2.0)
    with pytest.raises(KitError, match="positive"):
        build_cube(calls, officers_per_unit=0)


def test_cube_cells_and_period() -> None:
    """The cube keeps one cell per type, hour of week and area, and the period it covers."""
    calls = make_calls(
        [
            ("A", "THEFT", 0, "N", 1.0),
            ("A", "THEFT", 0, "N", 1.0),
            ("A", "THEFT", 30, "S", 1.0),
            ("B", "NOISE", 167, None, 0.5),  # type: ignore[list-item]
        ]
    )
    cube = build_cube(calls)
    cells = cube.cells().sort_values(["call_type", "hour_of_week"]).reset_index(drop=True)
    assert list(cells["calls"]) == [2, 1, 1]
    assert list(cells["area"]) == ["N", "S", "Unknown area"]
    assert cube.total_calls == 4
    assert cube.years == pytest.approx(167 / 24 / 365.25)
    assert set(cube.by_year["year"]) == {2024}
    with pytest.raises(KitError, match="received_at"):
        build_cube(calls.drop(columns="received_at"))


# ------------------------------------------------------------------ property tests

TYPES = [("WC", "WELFARE CHECK"), ("BA", "BURGLAR ALARM"), ("TH", "THEFT"), ("FT", "FIGHT")]
AREAS = ["North", "South", "East"]

calls_strategy = st.lists(
    st.tuples(
        st.sampled_from(TYPES),
        st.integers(0, 167),
        st.sampled_from(AREAS),
        st.one_of(st.floats(0, 10, allow_nan=False), st.just(float("nan"))),
    ),
    min_size=1,
    max_size=60,
)
share_strategy = st.floats(0, 1, allow_nan=False)
assumption_strategy = st.fixed_dictionaries(
    {"screening": share_strategy, "take_up": share_strategy, "back_up": share_strategy}
)


@st.composite
def plans(draw: st.DrawFn) -> dict[str, dict[str, float]]:
    plan: dict[str, dict[str, float]] = {}
    for code, _ in TYPES:
        chosen = draw(st.lists(st.sampled_from(ALTERNATIVES), unique=True, max_size=3))
        weights = [draw(st.floats(0.01, 1)) for _ in chosen]
        scale = draw(st.floats(0, 1)) / max(sum(weights), 1e-9)
        plan[code] = {r: w * scale for r, w in zip(chosen, weights, strict=True)}
    return plan


def _frame_from(rows: list) -> pd.DataFrame:
    return make_calls([(t[0], t[1], how, area, hours) for t, how, area, hours in rows])


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rows=calls_strategy,
    plan=plans(),
    assumed=st.fixed_dictionaries({r: assumption_strategy for r in ALTERNATIVES}),
    covered=st.dictionaries(
        st.sampled_from(ALTERNATIVES), st.sets(st.integers(0, 167), max_size=60), max_size=3
    ),
)
def test_calls_and_hours_are_conserved(rows, plan, assumed, covered) -> None:
    """Police alone + co-response + handled without police = all calls (and hours), overall,
    per area and per hour of week; and eligible >= routed >= handled >= without police."""
    cube = build_cube(_frame_from(rows))
    coverage = {r: sorted(h) for r, h in covered.items()}
    for by in [(), ("area",), ("hour_of_week",), ("family", "weekday")]:
        result = flow(cube, plan, assumed, coverage=coverage, by=by)
        summary = totals(result, by)
        for unit, total in [("calls", "calls"), ("hours", "officer_hours")]:
            police = "police_calls" if unit == "calls" else "police_hours"
            co = "co_response_calls" if unit == "calls" else "co_response_hours"
            freed = "without_police_calls" if unit == "calls" else "freed_hours"
            parts = summary[police] + summary[co] + summary[freed]
            np.testing.assert_allclose(parts, summary[total], rtol=1e-9, atol=1e-9)
        assert summary["calls"].sum() == pytest.approx(cube.total_calls)
        assert summary["officer_hours"].sum() == pytest.approx(cube.total_hours)
        alternatives = result[result["responder"] != "police"]
        for suffix in ("", "_hours"):
            stages = [alternatives[f"{s}{suffix}"] for s in ("eligible", "routed", "handled")]
            stages.append(alternatives[f"without_police{suffix}"])
            for wider, narrower in itertools.pairwise(stages):
                assert (wider + 1e-9 >= narrower).all()
        assert (result[list(FLOW_COLUMNS)] >= -1e-9).all().all()


@settings(max_examples=100, deadline=None)
@given(rows=calls_strategy, plan=plans())
def test_breakdowns_add_up_to_the_whole(rows, plan) -> None:
    """Summing the flow by area (or by hour) gives the flow of the whole city."""
    cube = build_cube(_frame_from(rows))
    whole = flow(cube, plan, None).set_index("responder")[list(FLOW_COLUMNS)]
    for by in [("area",), ("hour",), ("call_type",)]:
        parts = flow(cube, plan, None, by=by).groupby("responder")[list(FLOW_COLUMNS)].sum()
        pd.testing.assert_frame_equal(parts.loc[list(RESPONDERS)], whole, check_exact=False)


def test_flow_rows_are_labelled_per_group() -> None:
    """Each group has one row per responder, labelled with readable values."""
    calls = make_calls([("A", "THEFT", 0, "N", 1.0), ("A", "THEFT", 25, "S", 1.0)])
    result = flow(build_cube(calls), None, None, by=("area", "weekday"))
    assert list(result.columns[:3]) == ["area", "weekday", "responder"]
    assert len(result) == 2 * len(RESPONDERS)
    assert list(result["area"].unique()) == ["N", "S"]
    assert list(result["weekday"].unique()) == ["Monday", "Tuesday"]


# ------------------------------------------------------------------- validation


@pytest.mark.parametrize(
    ("plan", "assumptions", "by", "message"),
    [
        ({"A": {"cso": 0.7, "online": 0.5}}, None, (), "exceed 100%"),
        ({"A": {"police": 0.5, "cso": 0.2}}, None, (), "add up to 100%"),
        ({"A": {"swat": 0.5}}, None, (), "not a responder"),
        ({"A": {"cso": 1.5}}, None, (), "between 0 and 1"),
        ({"A": {"cso": "half"}}, None, (), "number"),
        (None, {"cso": {"take_up": 2}}, (), "between 0 and 1"),
        (None, {"cso": {"speed": 0.5}}, (), "not an assumption"),
        (None, {"police": {"take_up": 0.5}}, (), "Police need no"),
        (None, None, ("district",), "not a way to break down"),
        (None, None, ("area", "area"), "once"),
    ],
)
def test_bad_plans_are_refused_in_plain_words(plan, assumptions, by, message) -> None:
    """Splits over 100%, unknown responders and out-of-range assumptions raise KitError."""
    cube = build_cube(make_calls([("A", "THEFT", 0, "N", 1.0)]))
    with pytest.raises(KitError, match=message):
        flow(cube, plan, assumptions, by=by)


def test_coverage_must_be_hours_of_the_week() -> None:
    """Coverage hours outside 0-167 are refused."""
    cube = build_cube(make_calls([("A", "THEFT", 0, "N", 1.0)]))
    with pytest.raises(KitError, match="167"):
        flow(cube, None, None, coverage={"cso": [0, 168]})


def test_document_round_trip_and_defaults_cite_sources() -> None:
    """A new plan validates; every default assumption has a source or says it is assumed."""
    from kit.roles import ASSUMPTION_SOURCES

    doc = new_document()
    assert check_document(json.loads(json.dumps(doc))) == doc
    assert doc["productive_hours_per_officer"] == 1849
    for responder in ALTERNATIVES:
        for field in ("screening", "take_up", "back_up"):
            assert ASSUMPTION_SOURCES[responder][field]
    assert DEFAULT_ASSUMPTIONS["crisis_team"]["take_up"] == pytest.approx(0.45)
    assert DEFAULT_ASSUMPTIONS["crisis_team"]["back_up"] == pytest.approx(0.01)
    with pytest.raises(KitError, match="schema version"):
        check_document({**doc, "schema_version": 99})
    with pytest.raises(KitError, match="Officers per unit"):
        check_document({**doc, "officers_per_unit": 0})
    with pytest.raises(KitError, match="not a family"):
        check_document({**doc, "family_overrides": {"A": "crime"}})


# ---------------------------------------------------------------------- presets

REAL_TYPES = pd.DataFrame(
    [
        ("BURGLAR ALARM, SILENT", "alarm"),
        ("HOLD UP ALARM", "alarm"),
        ("131B_Traffic Acc/No Injury", "traffic"),
        ("AUTO ACCIDENT WITH INJURY", "traffic"),
        ("130B_Theft Past", "property"),
        ("41/09 - THEFT - IN PROGRESS", "property"),
        ("130C_Theft Suspect Detained", "property"),
        ("SHOPLIFT - IN CUSTODY", "property"),
        ("SERVICE - WELFARE CHECK", "behavioral_health"),
        ("127D_Suicide Threat", "behavioral_health"),
        ("08 - INTOXICATED PERSON", "disorder"),
        ("FIGHT", "violent"),
    ],
    columns=["call_type", "family"],
)


def test_presets_load_and_cite_sources() -> None:
    """Every shipped preset loads; all but ``none`` cite their sources."""
    ids = preset_ids()
    assert ids[0] == "none"
    assert {"convening", "crisis_response"} <= set(ids)
    for preset_id in ids:
        preset = describe(preset_id)
        assert preset["title"] and preset["description"]
        if preset_id != "none":
            assert preset["sources"] and all(s["title"] for s in preset["sources"])
    convening = load_preset("convening")
    assert "Second Convening Report" in convening["sources"][0]["title"]


def test_convening_preset_moves_reports_and_alarms_not_emergencies() -> None:
    """Burglar alarms, collision and theft reports move; hold-ups, injuries, in-progress stay."""
    plan = apply_preset("convening", REAL_TYPES)
    assert plan["BURGLAR ALARM, SILENT"]["no_dispatch"] > 0
    assert "131B_Traffic Acc/No Injury" in plan
    assert "130B_Theft Past" in plan
    for kept in (
        "HOLD UP ALARM",
        "AUTO ACCIDENT WITH INJURY",
        "41/09 - THEFT - IN PROGRESS",
        "130C_Theft Suspect Detained",
        "SHOPLIFT - IN CUSTODY",
    ):
        assert kept not in plan
    assert "FIGHT" not in plan


def test_crisis_preset_sends_welfare_checks_to_the_team_and_suicide_to_co_response() -> None:
    """Crisis calls go to the civilian team; suicide threats to police with a clinician."""
    plan = apply_preset("crisis_response", REAL_TYPES)
    assert plan["SERVICE - WELFARE CHECK"] == {"crisis_team": 1.0}
    assert plan["127D_Suicide Threat"] == {"co_response": 1.0}
    assert plan["08 - INTOXICATED PERSON"]["crisis_team"] > 0
    assert "FIGHT" not in plan
    assert apply_preset("none", REAL_TYPES) == {}


@pytest.mark.parametrize("bad", ["../none", "NONE", "nonexistent", ""])
def test_unknown_presets_are_refused(bad: str) -> None:
    """Only shipped preset ids are read (no paths)."""
    with pytest.raises(KitError, match="not a preset"):
        load_preset(bad)


# ---------------------------------------------------------------------- charter

HOSTILE = '<script>alert("x")</script>'


def _plan_calls() -> pd.DataFrame:
    return make_calls(
        [("WC", "WELFARE CHECK", 10, "N", 1.0)] * 40
        + [("BA", "BURGLAR ALARM", 3, "S", 0.5)] * 30
        + [("XSS", HOSTILE, 12, "N", 2.0)] * 20
        + [("FT", "FIGHT", 22, "S", 1.5)] * 10
    )


def test_charter_says_what_police_keep_and_what_moves() -> None:
    """The charter's figures agree with the flow and list police's remaining work."""
    cube = build_cube(_plan_calls())
    doc = new_document("custom")
    doc["assignments"] = {"WC": {"crisis_team": 1.0}, "BA": {"no_dispatch": 0.5}}
    charter = build_charter(cube, doc)
    result = totals(flow(cube, doc["assignments"], doc["assumptions"])).iloc[0]
    freed = charter["totals"]["officer_hours_freed_per_year"] * cube.years
    assert freed == pytest.approx(result["freed_hours"], rel=1e-3)
    assert {m["responder"] for m in charter["moves"]} == {"crisis_team", "no_dispatch"}
    kept = {item["family"]: item for item in charter["police_keep"]}
    assert sum(item["share_of_police_hours"] for item in kept.values()) == pytest.approx(
        1, abs=1e-3
    )
    assert "violent" in kept
    assert charter["screened"][0]["screening"] == DEFAULT_ASSUMPTIONS["crisis_team"]["screening"]
    text = charter_text(charter)
    assert "What police keep" in text and "Civilian crisis team" in text
    json.dumps(charter)


def test_hostile_html_in_a_call_type_shows_as_text() -> None:
    """A call-type description holding HTML is escaped in the HTML and Markdown charter."""
    cube = build_cube(_plan_calls())
    doc = new_document()
    doc["assignments"] = {"XSS": {"cso": 1.0}}
    charter = build_charter(cube, doc)
    page = charter_html(charter)
    assert "<script>" not in page
    assert "&lt;script&gt;" in page
    markdown = charter_markdown(charter)
    assert "<script>" not in markdown
    assert "&lt;script&gt;" in markdown


def test_charter_page_names_the_jurisdiction_the_period_and_the_day() -> None:
    """The page to print says whose plan it is and which calls it rests on, escaped."""
    cube = build_cube(_plan_calls())
    doc = new_document()
    doc["assignments"] = {"XSS": {"cso": 1.0}}
    page = charter_page(build_charter(cube, doc), jurisdiction=HOSTILE, printed=date(2026, 3, 4))
    assert page.startswith("<!DOCTYPE html>") and "<script>" not in page
    assert f"<title>Role charter: {escape(HOSTILE)}</title>" in page
    assert "from calls received 2024-01-01 to 2024-01-01. Printed 2026-03-04." in page
    assert "<h1>Role charter</h1>" in page and "Civilian non-sworn staff" in page


def test_charter_does_not_print_small_counts() -> None:
    """A responder handling a handful of calls in the period prints as fewer than 11 (or the
    workspace's threshold); the saved figures keep the count itself."""
    cube = build_cube(_plan_calls())
    doc = new_document()
    doc["assignments"] = {"XSS": {"cso": 0.001, "police": 0.999}, "WC": {"crisis_team": 1.0}}
    charter = build_charter(cube, doc)
    small = next(m for m in charter["moves"] if m["responder"] == "cso")
    assert 0 < small["handled_per_year"] < 11
    text = charter_text(charter)
    assert "fewer than 11 calls in the period handled without police" in text
    assert f"about {small['handled_per_year']:,.0f} calls a year" not in text
    assert "WC (WELFARE CHECK) (100%); about " in text
    crisis = next(m for m in charter["moves"] if m["responder"] == "crisis_team")
    strict = charter_text(
        build_charter(cube, doc, small_count=round(crisis["handled_per_year"]) + 50)
    )
    assert "WC (WELFARE CHECK) (100%); fewer than" in strict


def test_charter_of_an_empty_plan() -> None:
    """With nothing moved the charter says so."""
    charter = build_charter(build_cube(_plan_calls()), new_document())
    assert charter["moves"] == []
    assert charter["totals"]["officer_hours_freed_per_year"] == 0
    assert "Nothing moves" in charter_text(charter)


# -------------------------------------------------------------------- inventory


def test_inventory_hand_computed() -> None:
    """Calls, hours, shares, yearly figures, percentiles and mixes per call type."""
    calls = make_calls(
        [("WC", "WELFARE CHECK", h, "N", 1.0) for h in range(3)]
        + [("WC", "WELFARE CHECK", 3, "N", float("nan"))]
        + [("BA", "BURGLAR ALARM", 4, "S", 0.5)] * 4
    )
    calls.loc[calls["call_type"] == "BA", "disposition"] = "FALSE ALARM"
    calls.loc[calls["call_type"] == "BA", "initiated_by"] = "alarm"
    table = inventory(calls).set_index("call_type")
    wc, ba = table.loc["WC"], table.loc["BA"]
    assert wc["calls"] == 4 and wc["hours_imputed"] == 1
    assert wc["officer_hours"] == pytest.approx(4.0)
    assert wc["share_of_calls"] == pytest.approx(0.5)
    assert wc["share_of_officer_hours"] == pytest.approx(4 / 6)
    assert wc["median_minutes"] == pytest.approx(60)
    assert ba["p90_minutes"] == pytest.approx(30)
    assert wc["family"] == "behavioral_health"
    assert ba["disposition_mix"] == {"false_alarm": 1.0}
    assert ba["initiated_mix"] == {"alarm": 1.0}
    assert wc["disposition_mix"] == {"report": 1.0}
    # Four hours of data are annualised as one day (never divided by almost nothing).
    assert wc["calls_per_year"] == pytest.approx(4 * 365.25)


def test_inventory_by_hour_and_by_family() -> None:
    """Breakdowns carry their key and add up; the family table sums the types."""
    calls = _plan_calls()
    by_hour = inventory(calls, by="hour")
    assert "hour" in by_hour.columns
    assert by_hour["calls"].sum() == len(calls)
    fam = family_inventory(calls)
    assert fam["calls"].sum() == len(calls)
    assert fam["share_of_officer_hours"].sum() == pytest.approx(1)
    assert fam.iloc[0]["officer_hours"] == fam["officer_hours"].max()
    by_area = family_inventory(calls, by="area")
    assert set(by_area["area"]) == {"N", "S"}
    with pytest.raises(KitError, match="hour, weekday or area"):
        inventory(calls, by="district")
    records = to_records(inventory(calls))
    json.dumps(records)
    assert {"call_type", "call_type_desc", "family", "calls", "officer_hours"} <= set(records[0])


def test_family_overrides_reach_the_inventory() -> None:
    """A person's family choice is used by the inventory and the cube."""
    calls = _plan_calls()
    table = inventory(calls, families={"XSS": "medical"}).set_index("call_type")
    assert table.loc["XSS", "family"] == "medical"
    assert table.loc["XSS", "family_source"] == "override"
    cube = build_cube(calls, families={"XSS": "medical"})
    assert cube.types.set_index("call_type").loc["XSS", "family"] == "medical"


# ------------------------------------------------------------------ command line


@pytest.fixture
def workspace(tmp_path: Path):
    from kit.workspace import Workspace

    ws = Workspace.create(tmp_path / "ws", name="Test", timezone=TZ)
    ws.write_data({"calls": _plan_calls()})
    return ws


def test_kit_inventory_json(workspace, capsys: pytest.CaptureFixture[str]) -> None:
    """`kit inventory --json` prints one object per call type with the required fields."""
    assert main(["inventory", str(workspace.path), "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {r["call_type"] for r in rows} == {"WC", "BA", "XSS", "FT"}
    for row in rows:
        assert {"call_type", "call_type_desc", "family", "calls", "officer_hours"} <= set(row)
    assert main(["inventory", str(workspace.path), "--json", "--by", "area"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {(r["call_type"], r["area"]) for r in rows} >= {("WC", "N"), ("BA", "S")}


def test_kit_inventory_uses_saved_family_overrides(workspace, capsys) -> None:
    """Families chosen in step 02 (saved in the role assignments) reach the command line."""
    doc = new_document()
    doc["family_overrides"] = {"XSS": "medical"}
    workspace.decisions.save(DECISION_NAME, doc, base_version=None, step="02")
    assert main(["inventory", str(workspace.path), "--json"]) == 0
    rows = {r["call_type"]: r for r in json.loads(capsys.readouterr().out)}
    assert rows["XSS"]["family"] == "medical"
    assert rows["XSS"]["family_source"] == "override"
    assert "family_confidence" in rows["XSS"]
    assert main(["inventory", str(workspace.path), "--families", "--top", "2"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].startswith("family")


def test_a_workspace_uses_its_own_rules_files(workspace, capsys) -> None:
    """Copies in the workspace's rules/ folder, once edited, change families and dispositions
    there only; `kit rules --copy` never overwrites an edited copy."""
    assert main(["rules", str(workspace.path)]) == 0
    assert capsys.readouterr().out.count("the kit's default") == 4
    assert main(["rules", str(workspace.path), "--copy"]) == 0
    assert capsys.readouterr().out.count("copied now") == 4
    folder = workspace.path / "rules"
    dispositions = folder / "disposition_rules.csv"
    dispositions.write_text(
        "priority,category,pattern,example\n1,warning,REPORT,\n"
        + dispositions.read_text().split("\n", 1)[1]
    )
    types = folder / "call_type_rules.csv"
    types.write_text(
        "priority,family,pattern,min_officer_share,example\n1,medical,WELFARE,,\n"
        + types.read_text().split("\n", 1)[1]
    )
    assert main(["rules", str(workspace.path), "--copy"]) == 0
    assert "copied now" not in capsys.readouterr().out
    assert dispositions.read_text().startswith("priority,category,pattern,example\n1,warning")
    assert main(["inventory", str(workspace.path), "--json"]) == 0
    rows = {r["call_type"]: r for r in json.loads(capsys.readouterr().out)}
    assert rows["WC"]["family"] == "medical" and rows["BA"]["family"] == "alarm"
    assert rows["WC"]["disposition_mix"] == {"warning": 1.0}
    assert inventory(_plan_calls())["disposition_mix"].iloc[0] == {"report": 1.0}
    dispositions.write_text("priority,category,pattern\n1,jail,X\n")
    assert main(["inventory", str(workspace.path)]) == 2
    err = capsys.readouterr().err
    assert "'jail' is not one of" in err and str(dispositions) in err


def test_kit_charter_formats(workspace, capsys) -> None:
    """`kit charter --preset` prints the charter; HTML escapes data text."""
    assert main(["charter", str(workspace.path), "--preset", "crisis_response"]) == 0
    assert "crisis team" in capsys.readouterr().out
    assert main(["charter", str(workspace.path), "--format", "html"]) == 0
    assert "<script>" not in capsys.readouterr().out
    assert main(["charter", str(workspace.path), "--format", "page"]) == 0
    page = capsys.readouterr().out
    assert page.startswith("<!DOCTYPE html>") and "<title>Role charter: Test</title>" in page
    assert "<script>" not in page


def test_kit_inventory_errors_plainly(tmp_path: Path, capsys) -> None:
    """A folder that is not a workspace, or one without calls, exits 2 with a message."""
    from kit.workspace import Workspace

    assert main(["inventory", str(tmp_path)]) == 2
    assert "kit:" in capsys.readouterr().err
    ws = Workspace.create(tmp_path / "empty", name="Empty", timezone=TZ)
    assert main(["inventory", str(ws.path)]) == 2
    assert "no calls" in capsys.readouterr().err


# ---------------------------------------------------------------------- weapons first

ARMED_TYPES = pd.DataFrame(
    [
        ("MENTAL W/ GUN", None),
        ("EDP WITH KNIFE", None),
        ("SUICIDAL SUBJ ARMED", None),
        ("CW", "CRISIS - PERSON W/WPN"),
        ("ALARMED PREMISES", None),
        ("SERVICE - WELFARE CHECK", None),
        ("MENTAL PATIENT", None),
    ],
    columns=["call_type", "call_type_desc"],
)


def _armed_types() -> pd.DataFrame:
    types = ARMED_TYPES.copy()
    types["family"] = [
        classify(f"{t} {'' if d is None else d}")
        for t, d in zip(types.call_type, types.call_type_desc, strict=True)
    ]
    return types


ARMED = ["MENTAL W/ GUN", "EDP WITH KNIFE", "SUICIDAL SUBJ ARMED", "CW"]


def test_weapon_types_are_violent_and_never_civilian_only_by_preset() -> None:
    """The crisis preset sends mental-health calls naming a weapon to co-response, never to
    the civilian team; calls without a weapon still go to the team."""
    types = _armed_types()
    assert weapon_types(types) == set(ARMED)
    assert set(types.loc[types.call_type.isin(ARMED), "family"]) == {"violent"}
    for preset_id in preset_ids():
        plan = apply_preset(preset_id, types)
        for call_type in ARMED:
            assert not set(plan.get(call_type, {})) & set(CIVILIAN_ONLY), (preset_id, call_type)
    crisis = apply_preset("crisis_response", types)
    assert crisis["MENTAL W/ GUN"] == {"co_response": 1.0}
    assert crisis["EDP WITH KNIFE"] == {"co_response": 1.0}
    assert crisis["SERVICE - WELFARE CHECK"] == {"crisis_team": 1.0}
    assert "ALARMED PREMISES" not in crisis or "crisis_team" not in crisis["ALARMED PREMISES"]


def test_a_weapon_type_relabelled_by_hand_is_still_kept_from_civilians() -> None:
    """Even if a person's family choice put it under behavioural health, a preset does not
    hand a weapon type to the crisis team."""
    types = _armed_types()
    types.loc[types.call_type == "MENTAL W/ GUN", "family"] = "behavioral_health"
    plan = apply_preset("crisis_response", types)
    assert "MENTAL W/ GUN" not in plan
    assert plan["MENTAL PATIENT"] == {"crisis_team": 1.0}


def test_a_family_wide_change_skips_civilian_shares_of_weapon_types() -> None:
    """Giving a whole family to a civilian team leaves its weapon types with police; a
    family-wide co-response share reaches them."""
    types = _armed_types()
    types.loc[types.call_type == "SERVICE - WELFARE CHECK", "family"] = "violent"
    plan = assign_family(
        {"MENTAL W/ GUN": {"co_response": 1.0}}, types, "violent", {"crisis_team": 1.0}
    )
    assert plan["SERVICE - WELFARE CHECK"] == {"crisis_team": 1.0}
    for call_type in ARMED:
        assert call_type not in plan
    mixed = assign_family({}, types, "violent", {"crisis_team": 0.5, "co_response": 0.5})
    assert mixed["EDP WITH KNIFE"] == {"co_response": 0.5}
    with pytest.raises(KitError, match="not a family"):
        assign_family({}, types, "armed", {"crisis_team": 1.0})


def test_a_person_s_civilian_choice_for_a_weapon_type_needs_confirmation() -> None:
    """Saving a plan that sends "MENTAL W/ GUN" to the crisis team is refused with a plain
    message; with the confirmation it is saved and the charter flags it."""
    calls = make_calls(
        [("MWG", "MENTAL W/ GUN", 10, "N", 1.0)] * 20 + [("WC", "WELFARE CHECK", 3, "S", 1.0)] * 20
    )
    cube = build_cube(calls)
    assert cube.types.set_index("call_type").at["MWG", "family"] == "violent"
    doc = new_document()
    doc["assignments"] = {"MWG": {"crisis_team": 1.0}, "WC": {"crisis_team": 1.0}}
    with pytest.raises(
        KitError, match=r"'MWG' names a weapon.*confirm that this is meant; nothing was saved"
    ):
        build_charter(cube, doc)
    doc["assignments"]["MWG"] = {"co_response": 1.0}
    assert build_charter(cube, doc)["weapon_exceptions"] == []
    doc["assignments"]["MWG"] = {"crisis_team": 1.0}
    doc["weapon_confirmed"] = ["MWG"]
    charter = build_charter(cube, doc)
    assert [e["call_type"] for e in charter["weapon_exceptions"]] == ["MWG"]
    text = charter_text(charter)
    assert "naming a weapon sent without police" in text
    assert "MWG (MENTAL W/ GUN): Civilian crisis team" in text
    assert check_document(doc)["weapon_confirmed"] == ["MWG"]
    with pytest.raises(KitError, match="weapon_confirmed must be a list"):
        check_document({**doc, "weapon_confirmed": "MWG"})


def test_the_refusal_names_several_weapon_types_in_plain_words() -> None:
    """Two unconfirmed weapon types are named together, in the plural, with no field name."""
    calls = make_calls(
        [("MWG", "MENTAL W/ GUN", 10, "N", 1.0)] * 20
        + [("EWK", "EDP WITH KNIFE", 3, "S", 1.0)] * 20
    )
    doc = new_document()
    doc["assignments"] = {"MWG": {"crisis_team": 1.0}, "EWK": {"cso": 1.0}}
    with pytest.raises(KitError, match=r"'\w+', '\w+' name a weapon.*sends them") as refused:
        build_charter(build_cube(calls), doc)
    assert "weapon_confirmed" not in str(refused.value)


def test_a_weapon_only_a_workspace_s_abbreviations_reveal_is_kept_too(tmp_path: Path) -> None:
    """A city's own abbreviation for a weapon ("BLD" for blade) makes the type violent in its
    cube, and a change for the whole family keeps it from the crisis team as well."""
    (tmp_path / "abbreviations.csv").write_text("abbreviation,expansion,example\nBLD,KNIFE,\n")
    calls = make_calls([("EDP BLD", None, 10, "N", 1.0)] * 5)
    cube = build_cube(calls, rules=rules_in(tmp_path))
    assert list(cube.types["family_source"]) == ["weapon"]
    assert cube.types["family_confidence"].isna().all()
    assert weapon_types(cube.types) == {"EDP BLD"}
    assert assign_family({}, cube.types, "violent", {"crisis_team": 1.0}) == {}


def test_the_cube_keeps_a_suggested_family_and_its_confidence() -> None:
    """Step 02 can show which families are the text model's suggestions, and how sure it is."""
    calls = make_calls([("PRM", "PREMISES CHECK BY OFFICER", 10, "N", 1.0)] * 3)
    row = build_cube(calls).types.iloc[0]
    assert row["family"] == "proactive"
    assert row["family_source"] == "suggested"
    assert 0.5 <= row["family_confidence"] <= 1
