"""Step 00's model: profile round trip, calls import with mapping, report and first look."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest
from markupsafe import escape
from ui_samples import HOSTILE, live_fields, make_workspace, write_calls_csv

from kit import charts
from kit.errors import KitError
from kit.ui.setup import SetUpModel, SetUpView
from kit.workspace import Workspace


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    return make_workspace(tmp_path / "ws")


@pytest.fixture
def calls_csv(tmp_path: Path) -> Path:
    return write_calls_csv(tmp_path / "calls.csv")


def test_profile_save_and_restore(tmp_path: Path) -> None:
    """Traits set on the form are saved as the profile and come back in a new model."""
    ws = make_workspace(tmp_path / "fresh", with_profile=False)
    model = SetUpModel(ws)
    assert model.load() is False
    model.name, model.population, model.timezone = "Riverton", 120000, "America/Denver"
    model.set_area(
        {
            "name": "Ward 1",
            "population": 120000,
            "share_white_nh": 0.5,
            "share_black": 0.2,
            "share_hispanic": 0.2,
            "share_asian": 0.05,
            "share_other": 0.05,
        }
    )
    version = model.save(user="tester")
    again = SetUpModel(ws)
    assert again.load() is True
    assert (again.name, again.population, again.timezone) == ("Riverton", 120000, "America/Denver")
    assert [a["name"] for a in again.areas] == ["Ward 1"] and again.base_version == version
    assert ws.profile.name == "Riverton"


def test_invalid_profile_is_refused_in_plain_words(ws: Workspace) -> None:
    """A bad time zone and a zero population are both named; nothing is saved."""
    model = SetUpModel(ws)
    model.load()
    model.timezone, model.population = "Mars/Olympus", 0
    with pytest.raises(KitError, match="time zone") as caught:
        model.save()
    assert "population" in str(caught.value)
    assert ws.profile_version == 1


def test_areas_from_the_csv_template(ws: Workspace, tmp_path: Path) -> None:
    """A filled-in template replaces the areas, percentages read as fractions."""
    sheet = tmp_path / "areas.csv"
    sheet.write_text(
        "# notes\nname,population,share_white_nh,share_black,share_hispanic,share_asian,"
        'share_other,median_household_income,poverty_rate\nEast,"12,000",40%,30%,20%,5%,5%,,\n',
        encoding="utf-8",
    )
    model = SetUpModel(ws)
    model.load()
    model.load_areas_csv(sheet)
    assert model.areas == [model.areas[0]] and model.areas[0]["share_black"] == pytest.approx(0.3)


def test_import_with_a_changed_mapping(ws: Workspace, calls_csv: Path) -> None:
    """The suggestion is shown, a changed role is used, and the report and first look follow."""
    model = SetUpModel(ws)
    model.load()
    model.add_calls_file(calls_csv)
    assert model.mapping["received_at"] == "TimeCreate"
    assert model.mapping["area"] == "District"
    model.set_mapping("priority", None)
    seen: list[float] = []
    model.observe(lambda change: seen.append(change["new"]), names="progress")
    model.import_calls()
    assert model.calls_held == 240 and seen[-1] == 1.0
    calls = ws.calls()
    assert len(calls) == 240 and calls["priority"].isna().all()
    assert model.report_lines()[0].startswith("Calls held: 240. The last import read 240 rows")
    look = model.first_look()
    assert int(look["month"]["calls"].sum()) == 240 and len(look["hour"]) == 168
    assert set(look["areas"]["area"]) == {"North", "South", HOSTILE}


def test_mapping_to_a_header_that_is_not_there_is_refused(ws: Workspace, calls_csv: Path) -> None:
    """A widget value naming a column the export lacks is rejected, not trusted."""
    model = SetUpModel(ws)
    model.add_calls_file(calls_csv)
    with pytest.raises(KitError, match="no column"):
        model.set_mapping("area", "../../etc/passwd")


def test_upload_names_cannot_leave_the_workspace(ws: Workspace, calls_csv: Path) -> None:
    """An uploaded file's name is reduced to a plain file name inside uploads/."""
    model = SetUpModel(ws)
    kept = model.add_upload("../../evil name.csv", calls_csv.read_bytes())
    assert kept.parent == ws.path / "uploads" and kept.name == "evil_name.csv"


def test_import_before_a_profile_is_saved_says_what_to_do(tmp_path: Path, calls_csv: Path) -> None:
    """Times cannot be read without the time zone, so the profile comes first."""
    model = SetUpModel(make_workspace(tmp_path / "new", with_profile=False))
    model.load()
    model.add_calls_file(calls_csv)
    with pytest.raises(KitError, match="Save the profile first"):
        model.import_calls()


def test_view_shows_hostile_data_as_text(ws: Workspace, calls_csv: Path) -> None:
    """Call types and area names that are HTML reach the page escaped."""
    model = SetUpModel(ws)
    model.load()
    view = SetUpView(model)
    root = view.widget
    assert "kit-step-00" in root._dom_classes
    assert live_fields(root) == []
    model.add_calls_file(calls_csv)
    dropdowns = view.dropdowns
    area = next(d for d in dropdowns if "kit-map-area" in d._dom_classes)
    assert area.value == "District"
    area.value = "BLOCK_ADDRESS"
    assert model.mapping["area"] == "BLOCK_ADDRESS" and model.overrides == {"area": "BLOCK_ADDRESS"}
    area.value = "District"
    model.import_calls()
    view.refresh()
    texts = [child.value for child in view.first_look.children]
    assert any("&lt;img src=x onerror=alert(1)&gt;" in t for t in texts)
    assert not any(HOSTILE in t for t in texts)
    assert HOSTILE not in view.areas_table.value


def test_first_look_without_calls_says_what_to_do(ws: Workspace) -> None:
    """Before any import the first look asks for calls instead of drawing empty charts."""
    view = SetUpView(SetUpModel(ws))
    _ = view.widget
    view.refresh()
    assert "Import calls to see them here." in view.first_look.children[0].value


def test_first_look_is_drawn_once_per_data(ws: Workspace, calls_csv: Path, monkeypatch) -> None:
    """A second model on the same data reuses the drawing kept in the workspace's cache."""
    model = SetUpModel(ws)
    model.load()
    model.add_calls_file(calls_csv)
    model.import_calls()
    drawn = model.first_look_pictures()
    assert len(drawn["svgs"]) == 4 and (ws.path / "cache" / "first_look.json").is_file()
    monkeypatch.setattr(charts, "to_svg", lambda chart: pytest.fail("drawn again"))
    again = SetUpModel(ws)
    again.load()
    assert again.first_look_pictures() == drawn


def test_import_report_downloads_as_a_page_to_print(ws: Workspace) -> None:
    """Once calls are imported the report can be downloaded; a column name holding markup
    stays text in the page and in the download."""
    model = SetUpModel(ws)
    model.load()
    view = SetUpView(model)
    _ = view.widget
    assert "download=" not in view.report.value
    model.report = {"calls_held": 5, "rows_read": 6, "dropped_columns": {HOSTILE: "not used"}}
    view.show_report()
    assert 'download="import-report-testville.html"' in view.report.value
    encoded = view.report.value.split("base64,")[1].split('"')[0]
    printed = base64.b64decode(encoded).decode()
    assert "<h1>What the import found</h1>" in printed and "Calls held: 5." in printed
    assert HOSTILE not in printed and escape(repr(HOSTILE)) in printed


def test_the_date_order_parameter_reads_ambiguous_dates_and_the_report_says_how(
    ws: Workspace, tmp_path: Path
) -> None:
    """Workbook 00's ``date_order`` reaches the import, and the quality report states the
    order each time column was read in and why, so a misread is never silent."""
    path = tmp_path / "uk.csv"
    kinds = ("21,TRAFFIC INCIDENT", "62A,BURGLAR ALARM", "103,DISTURBANCE")
    rows = [
        f"A{i},{kinds[i % 3]},{1 + i % 12:02d}/05/2024 07:12:00 AM,{('North', 'South')[i % 2]}"
        for i in range(36)
    ]
    path.write_text(
        "Item_Number,Type,TypeText,TimeCreate,District\n" + "\n".join(rows) + "\n",
        encoding="utf-8",
    )
    model = SetUpModel(ws)
    model.load()
    model.apply_parameters(
        calls_file=str(path),
        date_order="day-first",
        crs="",
        mapping={"call_type": "Type", "call_type_desc": "TypeText"},
    )
    assert model.date_order == "day-first" and model.crs == ""
    model.import_calls()
    received = ws.calls()["received_at"]
    assert received.dt.month.eq(5).all()
    assert sorted(received.dt.day.unique()) == list(range(1, 13))
    said = [line for line in model.report_lines() if "dates read" in line]
    assert said and said[0].startswith("uk.csv: dates read day first in received_at")
    view = SetUpView(model)
    _ = view.widget
    view.show_report()
    assert "uk.csv: dates read day first in received_at" in view.report.value
