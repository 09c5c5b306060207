"""After an import: area names checked against the profile and mapped; missing durations said."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import given
from hypothesis import strategies as st

from kit.cli import main
from kit.data.area_names import (
    apply_area_map,
    check_area_map,
    check_areas,
    parse_area_map,
)
from kit.data.calls import import_calls
from kit.errors import KitError
from kit.profile import Area, Profile
from kit.workspace import Workspace

TZ = "America/Chicago"


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    workspace = Workspace.create(tmp_path / "ws", name="Riverton", timezone=TZ)
    areas = [Area(n, 500, 0.5, 0.2, 0.2, 0.05, 0.05) for n in ("North", "South")]
    workspace.save_profile(
        Profile(name="Riverton", population=1000, timezone=TZ, fiscal_year_start=7, areas=areas)
    )
    return workspace


def export(tmp_path: Path, areas: list[str]) -> Path:
    """A public-style export: an id, a received time, a call type and an area, nothing else."""
    frame = pd.DataFrame(
        {
            "Incident Number": [f"C{i}" for i in range(len(areas))],
            "Date Received": [f"2024-03-0{1 + i % 9} 1{i % 10}:15:00" for i in range(len(areas))],
            "Call Type": ["DISTURBANCE"] * len(areas),
            "District": areas,
        }
    )
    path = tmp_path / "export.csv"
    frame.to_csv(path, index=False)
    return path


def test_unmatched_area_names_and_missing_durations_are_reported(
    ws: Workspace, tmp_path: Path
) -> None:
    """The report names the areas matching none of the profile's, most calls first."""
    path = export(tmp_path, ["Dist 1"] * 3 + ["Dist 2"] * 2 + ["north"])
    report = import_calls(ws, [path])
    areas = report.checks["areas"]
    assert areas["unmatched"] == [{"name": "Dist 1", "calls": 3}, {"name": "Dist 2", "calls": 2}]
    assert areas["matched_calls"] == 1
    assert report.checks["durations_missing"] is True
    text = "\n".join(report.summary_lines())
    assert "Dist 1 (3 calls)" in text and "estimated from minutes per call" in text
    assert ws.read_json("import_report")["checks"]["areas"]["unmatched_names"] == 2


def test_the_mapping_is_applied_to_the_calls_and_to_later_imports(
    ws: Workspace, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = export(tmp_path, ["Dist 1"] * 3 + ["Dist 2"] * 2)
    import_calls(ws, [path])
    assert main(["areas", str(ws.path), "--map", "Dist 1=north", "--map", "Dist 2=South"]) == 0
    assert "Every area name" in capsys.readouterr().out
    assert sorted(ws.calls()["area"].unique()) == ["North", "South"]
    assert ws.read_json("import_report")["checks"]["areas"]["unmatched"] == []
    import_calls(ws, [path])
    assert sorted(ws.calls()["area"].unique()) == ["North", "South"]
    assert main(["areas", str(ws.path), "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["map"] == {"Dist 1": "North", "Dist 2": "South"}


def test_a_mapping_to_an_unknown_area_is_refused(ws: Workspace, tmp_path: Path) -> None:
    import_calls(ws, [export(tmp_path, ["Dist 1"])])
    assert main(["areas", str(ws.path), "--map", "Dist 1=Uptown"]) == 2
    with pytest.raises(KitError, match="not one of the profile's areas"):
        check_area_map({"Dist 1": "Uptown"}, ["North"])
    with pytest.raises(KitError, match="is not a mapping"):
        parse_area_map(["Dist 1"])


@given(
    names=st.lists(st.sampled_from(["A", "B", "C", "North", None]), max_size=30),
    mapping=st.dictionaries(st.sampled_from(["A", "B", "C"]), st.sampled_from(["North", "South"])),
)
def test_mapping_keeps_every_call_and_only_renames_mapped_names(
    names: list[str | None], mapping: dict[str, str]
) -> None:
    """Invariant: no call is lost, mapped names become their area, the others are untouched."""
    table = pa.table({"area": pa.array(names, pa.string())})
    renamed = apply_area_map(table, mapping).column("area").to_pylist()
    assert renamed == [mapping.get(n, n) if n is not None else None for n in names]
    check = check_areas(apply_area_map(table, mapping), ["North", "South"])
    assert (
        check["matched_calls"] + sum(n not in ("North", "South") and n is not None for n in renamed)
        == check["calls_with_area"]
    )


def test_step_00_offers_the_unmatched_names_and_maps_them(ws: Workspace, tmp_path: Path) -> None:
    """After an import, step 00 lists each unmatched name with a choice of profile area."""
    from kit.ui.setup import SetUpModel, SetUpView

    model = SetUpModel(ws)
    view = SetUpView(model)
    _ = view.widget
    model.load()
    model.add_calls_file(export(tmp_path, ["Dist 1"] * 3 + ["South"]))
    model.import_calls()
    assert view.area_map_box.layout.display is None
    assert any("Dist 1 (3 calls)" in line for line in model.report_lines())
    with pytest.raises(KitError, match="at least one name"):
        model.map_areas({})
    (choice,) = view.area_choices.children
    assert choice.description == "Dist 1"
    choice.value = "North"
    view.area_apply.click()
    assert model.error == ""
    assert sorted(ws.calls()["area"].unique()) == ["North", "South"]
    assert view.area_map_box.layout.display == "none"
