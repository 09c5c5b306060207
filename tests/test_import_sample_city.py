"""Importing the sample city's raw exports: two per-call years and the per-unit year."""

from __future__ import annotations

from pathlib import Path

import pytest

from kit.data.calls import import_calls
from kit.data.report import ImportReport
from kit.workspace import Workspace
from sample_city.generate import TIMEZONE, YEARS, areas, calls_export

CALLS = 2500


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Workspace, list[ImportReport]]:
    folder = tmp_path_factory.mktemp("sample")
    ws = Workspace.create(folder / "ws", timezone=TIMEZONE)
    reports = []
    for i, year in enumerate(YEARS):
        path = folder / f"calls_{year}.csv"
        calls_export(year, rows=CALLS).to_csv(path, index=False)
        reports.append(import_calls(ws, [Path(path)], append=i > 0))
    return ws, reports


def test_every_row_is_accounted_for(imported: tuple[Workspace, list[ImportReport]]) -> None:
    ws, reports = imported
    for report in reports:
        assert report.rows_read == report.calls_added + report.rows_collapsed + report.rows_left_out
    assert reports[-1].calls_held == len(ws.calls()) == sum(r.calls_added for r in reports)
    assert ws.calls()["call_id"].is_unique


def test_the_unit_year_is_collapsed(imported: tuple[Workspace, list[ImportReport]]) -> None:
    _, reports = imported
    layouts = [r.files[0]["layout"] for r in reports]
    assert layouts == ["per_call", "per_call", "per_unit"]
    unit_year = reports[-1]
    assert unit_year.rows_collapsed > 0
    assert unit_year.calls_added == pytest.approx(CALLS, rel=0.02)


def test_the_city_dirt_is_found(imported: tuple[Workspace, list[ImportReport]]) -> None:
    _, reports = imported
    found = {kind for r in reports for kind in r.problems}
    assert {"test_void_duplicate", "exact_duplicate", "placeholder_location"} <= found
    assert "impossible_duration" in found


def test_values_are_canonical(imported: tuple[Workspace, list[ImportReport]]) -> None:
    ws, _ = imported
    calls = ws.calls()
    assert set(calls["area"].dropna()) <= set(areas()["name"])
    assert set(calls["initiated_by"].dropna()) <= {"911", "officer", "alarm", "other"}
    assert calls["initiated_by"].notna().all()
    hours = calls["unit_hours"]
    assert hours.notna().mean() > 0.95
    held = hours.notna()
    # the 8-hour limit is per unit; a call's unit hours sum over its units
    assert (hours[held] >= 0).all() and (hours[held] <= 8 * calls["units"][held]).all()
    assert calls["received_at"].dt.year.isin(YEARS).all()
    assert calls["units"].ge(1).all()
