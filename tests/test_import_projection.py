"""Projected coordinates (state plane, UTM) are converted when named, else left out."""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from corpus import exports as ex

from kit.cli import main
from kit.data.calls import import_calls
from kit.data.projection import check_crs, projected, to_degrees
from kit.errors import KitError
from kit.workspace import Workspace

TZ = "America/Chicago"
# Louisiana South state plane, US feet: the system of New Orleans' MapX and MapY.
LOUISIANA_SOUTH = "EPSG:3452"
MAP = ["--map", "lon=MapX", "--map", "lat=MapY", "--map", "location="]


def _nola_state_plane(n: int = 40) -> pd.DataFrame:
    """New Orleans calls with MapX/MapY in state plane feet around the French Quarter."""
    frame = ex.nola(n).drop(columns=["Location"])
    frame["MapX"] = [3_680_000 + 250 * i for i in range(n)]
    frame["MapY"] = [530_000 + 100 * i for i in range(n)]
    return frame


def test_projected_points_are_told_from_degrees() -> None:
    x = np.array([3_680_000.0, -90.07, 0.0, 512_000.0, np.nan])
    y = np.array([530_000.0, 29.95, 0.0, 4_650_000.0, 1.0])
    assert projected(x, y).tolist() == [True, False, False, True, False]


def test_state_plane_feet_become_degrees_in_new_orleans() -> None:
    lon, lat = to_degrees(np.array([3_680_000.0]), np.array([530_000.0]), LOUISIANA_SOUTH)
    assert lon[0] == pytest.approx(-90.073, abs=1e-3)
    assert lat[0] == pytest.approx(29.951, abs=1e-3)


def test_utm_metres_become_degrees() -> None:
    """UTM zone 18N, metres: a point in Manhattan."""
    lon, lat = to_degrees(np.array([585_000.0]), np.array([4_511_000.0]), "EPSG:32618")
    assert lon[0] == pytest.approx(-73.99, abs=0.01)
    assert lat[0] == pytest.approx(40.75, abs=0.01)


def test_the_proj_database_ships_inside_the_package() -> None:
    """Conversions work offline: PROJ's data is read from the wheel, never downloaded."""
    import pyproj
    from pyproj.network import is_network_enabled

    if os.environ.get("PROJ_DATA") or os.environ.get("PROJ_LIB"):
        pytest.skip("this environment points PROJ at data of its own (as conda does)")
    assert Path(pyproj.datadir.get_data_dir()).is_relative_to(Path(pyproj.__file__).parent)
    assert not is_network_enabled()


def test_an_unknown_system_is_refused_in_plain_words() -> None:
    with pytest.raises(KitError, match=r"'EPSG:1' is not a coordinate system the kit knows"):
        check_crs("EPSG:1")


def test_without_the_system_they_are_left_out_and_counted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ws = tmp_path / "nola"
    assert main(["new", str(ws), "--timezone", TZ]) == 0
    path = ex.write_csv(_nola_state_plane(), tmp_path / "nola.csv")
    assert main(["import", "calls", str(ws), str(path), *MAP]) == 0
    printed = capsys.readouterr().out
    assert "projected_location: 40 - coordinates in a projected system" in printed
    assert "--crs EPSG:NNNN" in printed
    calls = Workspace.open(ws).calls()
    assert len(calls) == 40
    assert calls["lat"].isna().all() and calls["lon"].isna().all()


@pytest.mark.parametrize("how", ["flag", "mapping file", "function"])
def test_with_the_system_they_become_degrees(tmp_path: Path, how: str) -> None:
    ws = tmp_path / "nola"
    assert main(["new", str(ws), "--timezone", TZ]) == 0
    path = ex.write_csv(_nola_state_plane(), tmp_path / "nola.csv")
    if how == "function":
        mapping = {"lon": "MapX", "lat": "MapY", "location": ""}
        report = import_calls(Workspace.open(ws), [path], mapping=mapping, crs=LOUISIANA_SOUTH)
        assert report.files[0]["crs"] == LOUISIANA_SOUTH
    elif how == "flag":
        assert main(["import", "calls", str(ws), str(path), *MAP, "--crs", LOUISIANA_SOUTH]) == 0
    else:
        mapping_file = tmp_path / "mapping.json"
        mapping_file.write_text(
            json.dumps({"lon": "MapX", "lat": "MapY", "location": "", "crs": LOUISIANA_SOUTH})
        )
        assert main(["import", "calls", str(ws), str(path), "--mapping", str(mapping_file)]) == 0
    calls = Workspace.open(ws).calls()
    assert calls["lat"].between(29.9, 30.1).all()
    assert calls["lon"].between(-90.2, -89.9).all()
    assert "projected_location" not in Workspace.open(ws).read_json("import_report")["problems"]


def test_a_bad_system_on_the_command_line_exits_2_before_reading(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ws = tmp_path / "nola"
    assert main(["new", str(ws), "--timezone", TZ]) == 0
    path = ex.write_csv(_nola_state_plane(5), tmp_path / "nola.csv")
    assert main(["import", "calls", str(ws), str(path), *MAP, "--crs", "state plane"]) == 2
    assert "'state plane' is not a coordinate system" in capsys.readouterr().err
    assert not Workspace.open(ws).has_table("calls")


def test_workbook_00_s_crs_parameter_converts_them(tmp_path: Path) -> None:
    from kit.ui.setup import set_up_app

    ws = Workspace.create(tmp_path / "ws", timezone=TZ)
    path = ex.write_csv(_nola_state_plane(), tmp_path / "nola.csv")
    set_up_app(
        workspace=str(ws.path),
        name="New Orleans",
        population=1000,
        calls_file=str(path),
        mapping={"lon": "MapX", "lat": "MapY", "location": ""},
        crs=LOUISIANA_SOUTH,
    )
    assert ws.calls()["lat"].between(29.9, 30.1).all()
