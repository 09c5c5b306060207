"""Step 02's model and view: edits recompute the plan, state round-trips, papermill saves."""

from __future__ import annotations

import base64
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ui_samples import live_fields

from kit.equity import DEFAULT_THRESHOLD_PP
from kit.errors import KitError
from kit.pages.roles import summary_html
from kit.roles import DECISION_NAME, flow, totals
from kit.roles.charter import build_charter
from kit.roles.rules import copy_rules
from kit.steps import BASIS_KEY, basis
from kit.ui.base import StepSkipped
from kit.ui.roles import (
    PAGE_SIZE,
    RolesModel,
    RolesView,
    report_html,
    roles_app,
)
from kit.workspace import Workspace

TZ = "America/Chicago"
HOSTILE = "<img src=x onerror=alert(1)>"


def _calls() -> pd.DataFrame:
    rows = (
        [("WELCHK", "CHECK WELFARE", 10, "North", 1.0)] * 40
        + [("ALMRES", "ALM/BURG-RES", 3, "South", 0.5)] * 30
        + [("XSS", HOSTILE, 12, "North", 2.0)] * 20
        + [("ACCPDO", "ACC-PDO NO INJ", 17, "South", 1.0)] * 25
        + [("FIGHT", "FIGHT IP", 22, "South", 1.5)] * 10
    )
    frame = pd.DataFrame(rows, columns=["call_type", "call_type_desc", "how", "area", "unit_hours"])
    frame["received_at"] = pd.Timestamp("2024-01-01", tz=TZ) + pd.to_timedelta(
        frame.pop("how") + 24 * (frame.index % 60), unit="h"
    )
    frame["initiated_by"] = "911"
    frame["disposition"] = "REPORT TO FOLLOW"
    return frame


@pytest.fixture
def workspace(tmp_path: Path) -> Workspace:
    ws = Workspace.create(tmp_path / "ws", name="Test", timezone=TZ)
    ws.write_data({"calls": _calls()})
    return ws


def test_presets_and_edits_recompute_the_plan(workspace: Workspace) -> None:
    """Applying a preset frees hours; a share or an assumption change moves the totals."""
    model = RolesModel(workspace)
    model.recompute()
    assert model.summary["freed_hours_per_year"] == 0
    model.use_preset("crisis_response")
    assert model.assignments["WELCHK"] == {"crisis_team": 1.0}
    freed = model.summary["freed_hours_per_year"]
    assert freed > 0
    model.set_assumption("crisis_team", "take_up", 0.9)
    assert model.summary["freed_hours_per_year"] == pytest.approx(freed * 0.9 / 0.45)
    model.set_share("ACCPDO", "cso", 1.0)
    assert model.assignments["ACCPDO"] == {"cso": 1.0}
    model.set_share("ACCPDO", "cso", 0.0)
    assert "ACCPDO" not in model.assignments
    assert {row["family"] for row in model.families} >= {"behavioral_health", "alarm", "traffic"}
    assert sum(row["share_of_police_hours"] for row in model.families) == pytest.approx(1)
    areas = {row["area"] for row in model.equity["areas"]}
    assert areas == {"North", "South"}


def test_bad_edits_are_plain_errors(workspace: Workspace) -> None:
    """Unknown call types, families, over-full splits and police shares are refused."""
    model = RolesModel(workspace)
    with pytest.raises(KitError, match="not a call type"):
        model.set_share("NOPE", "cso", 0.5)
    with pytest.raises(KitError, match="not a family"):
        model.set_family("XSS", "crime")
    model.set_share("XSS", "cso", 0.7)
    with pytest.raises(KitError, match="exceed 100%"):
        model.set_share("XSS", "online", 0.5)
    with pytest.raises(KitError, match="Police keep"):
        model.set_share("XSS", "police", 0.5)
    with model.reporting("testing"):
        model.set_assumption("cso", "take_up", 2.0)
    assert "between 0 and 1" in model.error


def test_family_choice_reaches_the_figures(workspace: Workspace) -> None:
    """Choosing a family by hand moves the type's hours to that family."""
    model = RolesModel(workspace)
    model.recompute()
    assert any(row["call_type"] == "XSS" for row in model.unclassified())
    model.set_family("XSS", "medical")
    assert not any(row["call_type"] == "XSS" for row in model.unclassified())
    medical = next(row for row in model.families if row["family"] == "medical")
    assert medical["calls_per_year"] > 0
    model.set_family("XSS", None)
    assert "XSS" not in model.family_overrides


def test_state_round_trip_with_charter(workspace: Workspace) -> None:
    """What is saved (with its charter) is what a new model loads."""
    model = RolesModel(workspace)
    model.use_preset("convening")
    model.set_family("XSS", "administrative")
    model.set_assumption("cso", "back_up", 0.1)
    model.coverage = {"crisis_team": list(range(10, 18))}
    version = model.save(user="tester")
    saved = workspace.decisions.latest(DECISION_NAME)
    assert saved is not None and saved.version == version
    assert saved.document["charter"]["moves"]
    again = RolesModel(workspace)
    assert again.load()
    assert again.state_to_document() == model.state_to_document()
    assert again.base_version == version


def test_an_earlier_plan_comes_back_with_its_figures(workspace: Workspace) -> None:
    """Bringing back version 1 restores its split, and the page's totals and charter follow."""
    model = RolesModel(workspace)
    view = RolesView(model)
    _ = view.widget
    model.set_share("WELCHK", "crisis_team", 0.6)
    model.save(user="ana")
    first = (view.summary.value, view.charter.value)
    model.set_share("WELCHK", "crisis_team", 1.0)
    model.save(user="ben")
    assert view.summary.value != first[0]
    model.restore(1)
    view.refresh()
    assert model.split_of("WELCHK") == {"police": pytest.approx(0.4), "crisis_team": 0.6}
    assert (view.summary.value, view.charter.value) == first
    assert model.base_version == 3 and model.charter_current


def test_headless_run_applies_the_preset_and_saves(workspace: Workspace, monkeypatch) -> None:
    """Under papermill the workbook's preset parameter is applied and the plan saved."""
    monkeypatch.delenv("VOILA_PREHEAT", raising=False)
    app = roles_app(workspace=str(workspace.path), preset="crisis_response", officers_per_unit=2.0)
    assert app.model is not None
    saved = workspace.decisions.latest(DECISION_NAME)
    assert saved is not None
    assert saved.document["preset"] == "crisis_response"
    assert saved.document["officers_per_unit"] == 2.0
    assert saved.document["assignments"]["WELCHK"] == {"crisis_team": 1.0}
    # A second run with no preset keeps the saved plan, edits included.
    model = RolesModel(workspace)
    model.load()
    model.set_share("ACCPDO", "online", 0.5)
    model.save()
    roles_app(workspace=str(workspace.path))
    latest = workspace.decisions.latest(DECISION_NAME)
    assert latest is not None
    assert latest.document["assignments"]["ACCPDO"] == {"police": 0.5, "online": 0.5}
    assert latest.document["officers_per_unit"] == 2.0


def test_step_is_skipped_without_calls(tmp_path: Path, monkeypatch) -> None:
    """With no calls imported the workbook says to import them first."""
    monkeypatch.delenv("VOILA_PREHEAT", raising=False)
    ws = Workspace.create(tmp_path / "empty", name="Empty", timezone=TZ)
    with pytest.raises(StepSkipped, match="step 00"):
        roles_app(workspace=str(ws.path))


def test_view_builds_and_escapes_call_types(workspace: Workspace) -> None:
    """The page builds, lists call types, and shows hostile text as text."""
    model = RolesModel(workspace)
    model.use_preset("convening")
    model.set_share("XSS", "cso", 1.0)
    view = RolesView(model)
    widget = view.widget
    view.refresh()
    assert "kit-step-02" in widget._dom_classes
    assert live_fields(widget) == []
    assert "XSS" in [value for _, value in view.call_type.options]
    pages = [view.summary.value, view.unclassified.value, view.charter.value, view.equity.value]
    assert all("<img" not in page for page in pages)
    assert "&lt;img" in view.charter.value
    link = view.charter_download.value
    assert 'download="role-charter-' in link and "<img" not in link
    printed = base64.b64decode(link.split("base64,")[1].split('"')[0]).decode()
    assert "&lt;img" in printed and "<img" not in printed
    assert "officer hours freed a year" in view.summary.value
    view.search.value = "xss"
    assert "&lt;img" in view.types.value and "<img" not in view.types.value
    report = report_html(model)
    assert "&lt;img" in report and "<img" not in report
    assert "the kit's rules" in view.unclassified.value
    copy_rules(workspace)
    view.refresh()
    assert "this workspace's own rules" in view.unclassified.value


@pytest.mark.slow
def test_workbook_runs_headless_with_kit_run(workspace: Workspace, capsys) -> None:
    """`kit run --step 02` with a preset, then with an assignments file, saves the plan and
    keeps the same tables and chart as the page in the executed notebook (text escaped)."""
    import json

    import nbformat

    from kit.cli import main

    code = main(["run", str(workspace.path), "--step", "02", "-p", "preset=convening"])
    assert code == 0, capsys.readouterr()
    saved = workspace.decisions.latest(DECISION_NAME)
    assert saved is not None
    assert saved.document["preset"] == "convening"
    assert saved.step == "02"
    assert "ALMRES" in saved.document["assignments"]

    plan = {"assignments": {"XSS": {"cso": 0.5}}, "assumptions": {"cso": {"take_up": 0.6}}}
    (workspace.path / "plan.json").write_text(json.dumps(plan), encoding="utf-8")
    code = main(["run", str(workspace.path), "--step", "02", "-p", "assignments_file=plan.json"])
    assert code == 0, capsys.readouterr()
    saved = workspace.decisions.latest(DECISION_NAME)
    assert saved is not None
    assert saved.document["assignments"] == {"XSS": {"police": 0.5, "cso": 0.5}}
    assert saved.document["assumptions"]["cso"]["take_up"] == 0.6
    model = RolesModel(workspace)
    model.load()
    model.recompute()
    assert {**model.state_to_document(), BASIS_KEY: basis(workspace, DECISION_NAME)} == (
        saved.document
    )
    runs = sorted(workspace.path.glob("runs/*/02_delineate_roles.ipynb"))
    nb = nbformat.read(runs[-1], as_version=4)
    shown = "".join(
        str(output.get("data", {}).get("text/html", ""))
        for cell in nb.cells
        for output in cell.get("outputs", [])
    )
    for part in ("kit-roles-summary", "kit-roles-types", "kit-roles-hours", "kit-roles-equity"):
        assert part in shown
    assert "&lt;img" in shown and "<img" not in shown
    assert summary_html(model.summary) in shown


def test_view_follows_a_reloaded_model(workspace: Workspace) -> None:
    """When the model is reloaded (a preheated page), sliders and preset show the saved plan."""
    saved = RolesModel(workspace)
    saved.use_preset("crisis_response")
    saved.set_assumption("crisis_team", "take_up", 0.7)
    saved.save()
    model = RolesModel(workspace)
    view = RolesView(model)
    _ = view.widget
    assert view.sliders["take_up"].value == pytest.approx(0.45)
    model.load()
    view.refresh()
    assert view.sliders["take_up"].value == pytest.approx(0.7)
    assert view.preset.value == "crisis_response"
    view.assumption_responder.value = "cso"
    assert "Planning assumption" in view.sources["back_up"].value
    view.sliders["back_up"].value = 0.2
    assert model.assumptions["cso"]["back_up"] == pytest.approx(0.2)


def _many_types(n: int = 320) -> pd.DataFrame:
    """Calls of ``n`` call types in two areas (a city with a long tail of types)."""
    rows = [
        (
            f"T{i:03d}",
            "WELFARE CHECK" if i % 7 == 0 else f"CODE {i}",
            i % 168,
            ("North", "South")[i % 2],
        )
        for i in range(n)
        for _ in range(1 + i % 4)
    ]
    frame = pd.DataFrame(rows, columns=["call_type", "call_type_desc", "how", "area"])
    frame["unit_hours"] = 1.0
    frame["received_at"] = pd.Timestamp("2024-01-01", tz=TZ) + pd.to_timedelta(
        frame.pop("how") + 168 * (frame.index % 50), unit="h"
    )
    frame["initiated_by"] = "911"
    return frame


def test_type_table_sorts_filters_and_pages_many_types(tmp_path: Path) -> None:
    """Over 300 call types: every one is reachable by page, filter, search and sort."""
    ws = Workspace.create(tmp_path / "many", name="Many", timezone=TZ)
    ws.write_data({"calls": _many_types()})
    model = RolesModel(ws)
    view = RolesView(model)
    _ = view.widget
    view.refresh()
    assert len(model.table()) == 320
    assert f"Page 1 of {-(-320 // PAGE_SIZE)}" in view.page_label.value
    assert view.types.value.count('class="kit-roles-type-row"') == PAGE_SIZE
    seen = set()
    for _page in range(-(-320 // PAGE_SIZE)):
        seen |= {t for t in model.table()["call_type"] if f">{t} (" in view.types.value}
        view.pager[1].click()
    assert len(seen) == 320 and view.pager[1].disabled
    by_hours = model.table(sort="hours")["officer_hours_per_year"].to_numpy()
    assert (by_hours[:-1] >= by_hours[1:]).all()
    assert list(model.table(sort="name")["label"]) == sorted(model.table()["label"])
    view.family_filter.value = "behavioral_health"
    welfare = model.table(family="behavioral_health")
    assert len(welfare) == len(range(0, 320, 7)) and set(welfare["desc"]) == {"WELFARE CHECK"}
    assert "Page 1 of 3" in view.page_label.value
    assert [v for _, v in view.call_type.options] == list(welfare["call_type"])
    view.search.value = "t007 "
    assert [v for _, v in view.call_type.options] == ["T007"]
    view.shares["crisis_team"].value = 60
    assert model.assignments["T007"] == {"crisis_team": 0.6}
    assert "Crisis team 60%" in view.types.value and "Police 40%" in view.types.value
    assert "Police keep <b>40.0%</b>" in view.police_share.value


def test_totals_follow_the_path_of_a_call(workspace: Workspace) -> None:
    """Eligible >= routed >= handled >= without police; hours freed become officers at the
    productive hours given, and a change of either redraws the figures."""
    model = RolesModel(workspace)
    view = RolesView(model)
    _ = view.widget
    view.refresh()
    model.use_preset("crisis_response")
    s = model.summary
    assert s["eligible_per_year"] >= s["routed_per_year"] >= s["handled_per_year"]
    assert s["handled_per_year"] >= s["without_police_per_year"] > 0
    assert s["officers_freed"] == pytest.approx(s["freed_hours_per_year"] / 1849.0)
    before = view.summary.value
    view.productive.value = 1000
    assert model.summary["officers_freed"] == pytest.approx(s["freed_hours_per_year"] / 1000)
    assert view.summary.value != before and "at 1,000 productive hours" in view.summary.value
    view.productive.value = 50  # below the box's minimum: clamped to 100 by the widget
    assert model.productive_hours_per_officer == 100
    moved = model.moved_by_hour.sum()
    assert moved == pytest.approx(s["without_police_per_year"])
    assert "busiest hour" in view.hours.value
    revision = model.revision
    view.assumption_responder.value = "crisis_team"
    view.sliders["take_up"].value = 0.9
    assert model.revision == revision + 1
    assert model.summary["without_police_per_year"] > s["without_police_per_year"]
    assert "has changed since this charter" in view.charter_state.value
    model.save()
    assert view.charter_state.value == "" and model.charter["totals"]
    again = RolesModel(workspace)
    again.load()
    again.recompute()
    assert again.charter_current


def test_equity_flags_areas_past_the_threshold(workspace: Workspace) -> None:
    """Default 10 points; each responder's share by area; the user's threshold is used."""
    model = RolesModel(workspace)
    assert model.threshold_pp == DEFAULT_THRESHOLD_PP == 10
    model.use_preset("crisis_response")  # WELCHK (North only) to the crisis team
    equity = model.equity
    north = next(a for a in equity["areas"] if a["area"] == "North")
    assert north["difference_pp"] > 10 and north["flagged"]
    crisis = equity["responders"]["crisis_team"]
    assert crisis["by_area"]["South"] == 0 and crisis["by_area"]["North"] > 0
    view = RolesView(model)
    _ = view.widget
    view.refresh()
    assert "kit-flagged" in view.equity.value and "Crisis team" in view.equity.value
    view.threshold.value = 99
    assert not any(a["flagged"] for a in model.equity["areas"])
    assert "kit-flagged" not in view.equity.value


def test_equity_threshold_is_saved_with_the_plan(workspace: Workspace) -> None:
    """The threshold the user settles on comes back on the next load, not the default."""
    model = RolesModel(workspace)
    model.threshold_pp = 15
    model.save()
    assert workspace.decisions.latest(DECISION_NAME).document["equity_threshold_pp"] == 15
    again = RolesModel(workspace)
    again.load()
    assert again.threshold_pp == 15
    with pytest.raises(KitError, match="between 0 and 100 percentage points"):
        again.threshold_pp = 101


def test_headless_run_applies_an_assignments_file(workspace: Workspace, monkeypatch) -> None:
    """A plan file in the workspace is applied and saved; a file outside is refused."""
    import json

    monkeypatch.delenv("VOILA_PREHEAT", raising=False)
    (workspace.path / "plan.json").write_text(
        json.dumps({"ACCPDO": {"online": 0.4}, "XSS": {"cso": 1}}), encoding="utf-8"
    )
    app = roles_app(workspace=str(workspace.path), assignments_file="plan.json", preset="none")
    saved = workspace.decisions.latest(DECISION_NAME)
    assert saved is not None and saved.document["preset"] == "file"
    assert saved.document["assignments"]["ACCPDO"] == {"police": 0.6, "online": 0.4}
    html = report_html(app.model)
    assert "kit-roles-types" in html and "kit-roles-hours" in html and "kit-roles-equity" in html
    with pytest.raises(KitError, match="absolute path"):
        roles_app(workspace=str(workspace.path), assignments_file="/etc/passwd")
    (workspace.path / "bad.json").write_text('{"ACCPDO": {"online": 1.5}}', encoding="utf-8")
    with pytest.raises(KitError, match="between 0 and 1"):
        roles_app(workspace=str(workspace.path), assignments_file="bad.json")


@settings(max_examples=40, deadline=None)
@given(
    counts=st.lists(st.tuples(st.integers(0, 200), st.integers(0, 200)), min_size=1, max_size=8),
    threshold=st.floats(0, 30),
)
def test_fast_area_comparison_matches_compare_areas(counts, threshold) -> None:
    """The page's NumPy comparison gives exactly what compare_areas gives."""
    from kit.equity import compare_areas, compare_shares

    names = [f"Area {i}" for i in range(len(counts))][::-1]
    den = np.array([a + b for a, b in counts], dtype=float)
    num = np.array([a for a, _ in counts], dtype=float)
    demo = pd.DataFrame(
        {
            "area": names,
            "share_white_nh": np.linspace(0.1, 0.9, len(names)),
            "median_household_income": np.linspace(30_000, 90_000, len(names))[::-1],
        }
    )
    slow = compare_areas(
        pd.Series(num, index=names), pd.Series(den, index=names), demo, threshold_pp=threshold
    ).to_dict()
    fast = compare_shares(names, num, den, demo, threshold_pp=threshold)
    assert fast["correlations"] == slow["correlations"]
    assert fast["threshold_pp"] == slow["threshold_pp"]
    assert (fast["citywide"] == slow["citywide"]) or (
        np.isnan(fast["citywide"]) and np.isnan(slow["citywide"])
    )
    assert len(fast["areas"]) == len(slow["areas"])
    for mine, theirs in zip(fast["areas"], slow["areas"], strict=True):
        for key, value in theirs.items():
            if isinstance(value, float) and np.isnan(value):
                assert mine[key] is None, key
            else:
                assert mine[key] == pytest.approx(value), key


def test_a_warmed_page_reads_calls_imported_since(workspace: Workspace) -> None:
    """A page drawn before new calls were imported shows the new calls once it is opened."""
    model = RolesModel(workspace)
    model.load()
    model.recompute()
    before = model.summary["calls_per_year"]
    more = pd.concat([_calls(), _calls()], ignore_index=True)
    workspace.write_data({"calls": more})  # someone re-imports in step 00
    model.load()  # what opening the preheated page does
    model.recompute()
    assert model.summary["calls_per_year"] == pytest.approx(2 * before)


def test_the_page_s_totals_are_kit_roles_totals(workspace: Workspace) -> None:
    """What the page shows (plan and call types) is what kit.roles.totals gives the command
    line, and what the charter prints, for the same plan."""
    model = RolesModel(workspace)
    model.use_preset("convening")
    model.set_assumption("crisis_team", "take_up", 0.7)
    doc = model.document()
    cube = model.cube
    years = cube.years
    whole = totals(flow(cube, doc["assignments"], doc["assumptions"], coverage=doc["coverage"]))
    summary = model.summary
    assert summary["freed_hours_per_year"] > 0
    for page_key, domain_key in (
        ("calls_per_year", "calls"),
        ("officer_hours_per_year", "officer_hours"),
        ("without_police_calls_per_year", "without_police_calls"),
        ("co_response_calls_per_year", "co_response_calls"),
        ("freed_hours_per_year", "freed_hours"),
    ):
        assert summary[page_key] == pytest.approx(whole[domain_key].iat[0] / years)
    charter = build_charter(cube, doc)["totals"]
    assert charter["officer_hours_freed_per_year"] == pytest.approx(
        summary["freed_hours_per_year"], abs=0.1
    )
    by_type = totals(
        flow(cube, doc["assignments"], doc["assumptions"], by=("call_type",)), by=("call_type",)
    ).set_index("call_type")
    table = model.table().set_index("call_type")
    for page_key, domain_key in (
        ("calls_per_year", "calls"),
        ("freed_hours_per_year", "freed_hours"),
        ("without_police_per_year", "without_police_calls"),
    ):
        expected = by_type[domain_key].reindex(table.index).to_numpy() / years
        assert table[page_key].to_numpy() == pytest.approx(expected)


def test_step_02_refuses_to_save_a_weapon_type_sent_to_the_crisis_team(tmp_path: Path) -> None:
    """Through step 02's model: the crisis preset gives "MENTAL W/ GUN" to co-response, and a
    person's own move of it to the crisis team is not saved without a confirmation."""
    calls = _calls()
    armed = calls.iloc[:10].assign(call_type="MWG", call_type_desc="MENTAL W/ GUN")
    ws = Workspace.create(tmp_path / "armed", name="Test", timezone=TZ)
    ws.write_data({"calls": pd.concat([calls, armed], ignore_index=True)})
    model = RolesModel(ws)
    model.use_preset("crisis_response")
    assert model.assignments["MWG"] == {"co_response": 1.0}
    model.save(user="tester")
    model.set_share("MWG", "co_response", 0.0)
    model.set_share("MWG", "crisis_team", 1.0)
    with pytest.raises(
        KitError, match=r"'MWG' names a weapon.*confirm that this is meant; nothing was saved"
    ):
        model.save(user="tester")
    assert ws.decisions.latest(DECISION_NAME).document["assignments"]["MWG"] == {"co_response": 1.0}
