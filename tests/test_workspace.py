"""The workspace folder: creation, opening, profile, safe paths and data files."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kit.data.schema import CALL_COLUMNS
from kit.errors import ConflictError, KitError
from kit.workspace import Area, Profile, Workspace, current_user


def _area(name: str = "North", population: int = 1000) -> Area:
    return Area(name, population, 0.5, 0.2, 0.2, 0.05, 0.05, 52000.0, 0.12)


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    return Workspace.create(tmp_path / "town", name="Town", timezone="America/Chicago")


def test_create_then_open_keeps_name_and_timezone(tmp_path: Path) -> None:
    """A new workspace opens again with the name and time zone it was made with."""
    Workspace.create(tmp_path / "w", name="Riverton", timezone="America/Denver")
    profile = Workspace.open(tmp_path / "w").profile
    assert (profile.name, profile.timezone, profile.population) == ("Riverton", "America/Denver", 0)


def test_create_defaults_to_folder_name_and_utc(tmp_path: Path) -> None:
    """Without a name or zone the folder's name and UTC are used."""
    profile = Workspace.create(tmp_path / "lakeside").profile
    assert (profile.name, profile.timezone) == ("lakeside", "UTC")


def test_create_refuses_a_non_empty_folder(tmp_path: Path) -> None:
    """Creating over existing files is refused, so nothing of the user's is overwritten."""
    (tmp_path / "busy").mkdir()
    (tmp_path / "busy" / "notes.txt").write_text("mine")
    with pytest.raises(KitError, match="not an empty folder"):
        Workspace.create(tmp_path / "busy")


def test_create_refuses_an_unknown_timezone(tmp_path: Path) -> None:
    """Time zones are IANA names; a typo is caught before anything is written."""
    with pytest.raises(KitError, match="not a known time zone"):
        Workspace.create(tmp_path / "w", timezone="America/Chicag")
    assert not (tmp_path / "w").exists()


def test_open_refuses_a_plain_folder(tmp_path: Path) -> None:
    """A folder without the marker file is not taken for a workspace."""
    with pytest.raises(KitError, match="not a kit workspace"):
        Workspace.open(tmp_path)


@pytest.mark.parametrize("path", ["", "  ", "a\x00b"])
def test_unusable_folder_names_are_refused(path: str) -> None:
    """Blank names and NUL bytes get a message, not a traceback."""
    with pytest.raises(KitError, match="not a usable folder name"):
        Workspace.create(path)
    with pytest.raises(KitError, match="not a usable folder name"):
        Workspace.open(path)


def test_profile_round_trip_and_versions(ws: Workspace) -> None:
    """A saved profile comes back equal, and saving on top needs the version it started from."""
    profile = Profile("Town", 1000, "America/Chicago", 7, [_area()])
    assert ws.save_profile(profile) == 1
    assert ws.profile == profile
    assert ws.profile_version == 1
    with pytest.raises(ConflictError, match="'profile' already has version 1"):
        ws.save_profile(profile)
    assert ws.save_profile(profile, base_version=1) == 2


def test_invalid_profile_is_refused_with_every_problem(ws: Workspace) -> None:
    """Validation lists each problem in plain words instead of stopping at the first."""
    bad = Area("North", -5, 0.9, 0.9, 0.0, 0.0, 0.0)
    profile = Profile("", 0, "Mars/Olympus", 13, [bad, _area("north")])
    with pytest.raises(KitError, match="The profile cannot be saved") as caught:
        ws.save_profile(profile)
    message = str(caught.value)
    for fragment in ("name", "population", "time zone", "month", "add up", "twice"):
        assert fragment in message
    assert ws.decisions.latest("profile") is None


def test_residents_of_color_share() -> None:
    """Residents of color are everyone but non-Hispanic white residents."""
    assert _area().share_residents_of_color == pytest.approx(0.5)


def test_profile_from_template_csv(tmp_path: Path) -> None:
    """The areas template is read with comments, percentages and thousands separators."""
    path = tmp_path / "areas.csv"
    path.write_text(
        "# one row per area\n"
        "name,population,share_white_nh,share_black,share_hispanic,share_asian,share_other,"
        "median_household_income,poverty_rate\n"
        '"North, old town","12,000",40%,30%,20%,5%,5%,"$48,500",0.18\n'
        "South,8000,0.6,0.1,0.2,0.05,0.05,,\n"
    )
    base = Profile("Town", 0, "America/Chicago", 7)
    profile = Profile.from_csv(path, base=base)
    assert profile.population == 20000
    assert profile.area_names == ["North, old town", "South"]
    assert profile.areas[0].share_white_nh == pytest.approx(0.4)
    assert profile.areas[0].median_household_income == 48500
    assert profile.areas[1].poverty_rate is None


def test_profile_csv_problems_name_the_line(tmp_path: Path) -> None:
    """A bad cell is reported with its line number so the user can find it."""
    path = tmp_path / "areas.csv"
    path.write_text(
        "name,population,share_white_nh,share_black,share_hispanic,share_asian,share_other\n"
        "North,lots,0.5,0.2,0.2,0.05,0.05\n"
    )
    with pytest.raises(KitError, match="Line 2: population"):
        Profile.from_csv(path)


def test_shipped_template_example_row_is_valid(tmp_path: Path) -> None:
    """The template's commented example row, once uncommented, is a valid area."""
    template = Path(__file__).resolve().parents[1] / "templates" / "areas_template.csv"
    text = template.read_text()
    with pytest.raises(KitError, match="no areas"):
        Profile.from_csv(template)
    example = next(line for line in text.splitlines() if line.startswith("# District"))
    filled = tmp_path / "areas.csv"
    filled.write_text(text + example.removeprefix("# ") + "\n")
    profile = Profile.from_csv(filled, base=Profile("Example", 0, "UTC"))
    assert profile.area_names == ["District 1"] and not profile.problems()


def test_write_data_replaces_given_files_and_keeps_others(ws: Workspace) -> None:
    """Files not named in a write keep their content; named ones are replaced together."""
    ws.write_data({"calls": pd.DataFrame({"n": [1, 2]})}, {"import_report": {"rows": 2}})
    ws.write_data({"budget": pa.table({"amount": [5.0]})})
    assert ws.read_table("calls")["n"].tolist() == [1, 2]
    assert ws.read_json("import_report") == {"rows": 2}
    assert ws.tables() == ["budget", "calls"]
    ws.write_data({"calls": pd.DataFrame({"n": [3]})}, {"import_report": {"rows": 1}})
    assert ws.read_table("calls")["n"].tolist() == [3]
    assert ws.read_json("import_report") == {"rows": 1}
    assert os.listdir(ws.path / ".data") == [os.readlink(ws.path / "data").split("/")[-1]]
    assert ws.decisions.audit(limit=1)[0].action == "data"


def test_write_data_refuses_bad_names_and_values_before_writing(ws: Workspace) -> None:
    """Nothing is written when one of the files is unacceptable."""
    ws.write_data({"calls": pd.DataFrame({"n": [1]})})
    with pytest.raises(KitError, match="table name"):
        ws.write_data({"calls": pd.DataFrame({"n": [2]}), "../evil": pd.DataFrame()})
    with pytest.raises(KitError, match="cannot be saved"):
        ws.write_data({"calls": pd.DataFrame({"n": [2]})}, {"report": {"x": float("nan")}})
    assert ws.read_table("calls")["n"].tolist() == [1]


def test_missing_table_has_a_plain_message(ws: Workspace) -> None:
    """Reading a table that was never imported says what to do."""
    assert not ws.has_table("calls")
    assert ws.read_json("import_report") is None
    with pytest.raises(KitError, match="import it first"):
        ws.read_table("calls")


def test_calls_before_import_is_an_empty_canonical_frame(ws: Workspace) -> None:
    """Steps can run on a new workspace: calls() has the canonical columns and zone."""
    calls = ws.calls()
    assert list(calls.columns) == list(CALL_COLUMNS) and calls.empty
    assert str(calls["received_at"].dt.tz) == "America/Chicago"


def test_copied_workspace_with_real_data_folder_is_repaired(ws: Workspace, tmp_path: Path) -> None:
    """A copy made without symbolic links still opens and keeps its data."""
    import shutil

    ws.write_data({"calls": pd.DataFrame({"n": [7]})})
    copy = tmp_path / "copy"
    shutil.copytree(ws.path, copy, symlinks=False)
    assert not (copy / "data").is_symlink()
    opened = Workspace.open(copy)
    assert (copy / "data").is_symlink()
    assert opened.read_table("calls")["n"].tolist() == [7]
    opened.write_data({"calls": pd.DataFrame({"n": [8]})})
    assert opened.read_table("calls")["n"].tolist() == [8]
    assert ws.read_table("calls")["n"].tolist() == [7]


def test_current_user_prefers_kit_user(monkeypatch: pytest.MonkeyPatch) -> None:
    """KIT_USER names the person when the OS account is shared."""
    monkeypatch.setenv("KIT_USER", "  Dana  ")
    assert current_user() == "Dana"
    monkeypatch.delenv("KIT_USER")
    assert current_user()


def test_marker_records_format(ws: Workspace) -> None:
    """The marker file says which format of workspace this is."""
    marker = json.loads((ws.path / "kit-workspace.json").read_text())
    assert marker["format"] == 1 and marker["name"] == "Town"


def test_failed_write_changes_nothing(ws: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    """If writing the second of two tables fails, neither is replaced and nothing is left over."""
    import pyarrow.parquet as pq

    ws.write_data({"calls": pd.DataFrame({"n": [1]}), "other": pd.DataFrame({"n": [1]})})
    real_write = pq.write_table
    written: list[str] = []

    def failing_write(table: pa.Table, where: object, **kwargs: object) -> None:
        written.append(str(where))
        if len(written) == 2:
            raise OSError(28, "No space left on device")
        real_write(table, where, **kwargs)

    monkeypatch.setattr(pq, "write_table", failing_write)
    with pytest.raises(KitError, match="No space left"):
        ws.write_data({"calls": pd.DataFrame({"n": [2]}), "other": pd.DataFrame({"n": [2]})})
    assert ws.read_table("calls")["n"].tolist() == [1]
    assert ws.read_table("other")["n"].tolist() == [1]
    assert len(os.listdir(ws.path / ".data")) == 1


def test_missing_data_link_is_repaired_on_open(ws: Workspace) -> None:
    """A lost or dangling data link points again at the newest complete version."""
    ws.write_data({"calls": pd.DataFrame({"n": [4]})})
    (ws.path / "data").unlink()
    os.symlink(".data/v999999", ws.path / "data")
    assert Workspace.open(ws.path).read_table("calls")["n"].tolist() == [4]
    (ws.path / "data").unlink()
    assert Workspace.open(ws.path).read_table("calls")["n"].tolist() == [4]


def test_summary_tolerates_a_calls_table_without_areas(ws: Workspace) -> None:
    """kit info still answers when an import had no area column."""
    received = pd.to_datetime(["2024-05-01 10:00"]).tz_localize("America/Chicago")
    ws.write_data({"calls": pd.DataFrame({"received_at": received, "call_type": ["X"]})})
    calls = ws.summary()["calls"]
    assert (calls["rows"], calls["areas"], calls["first"]) == (1, 0, "2024-05-01")


HEADER = "name,population,share_white_nh,share_black,share_hispanic,share_asian,share_other\n"


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        ("name,population\nNorth,5\n", "lacks the column(s) share_white_nh"),
        (HEADER + "North,5,0.5,0.5,0,0,0,extra\n", "more cells than the header"),
        (HEADER + "North,5,0.5,0.5,0,0\n", "share_other is blank"),
        (HEADER + "North,5,0.9,0.5,0,0,0\n", "add up to 1.400"),
        (HEADER + "North,5.5,0.5,0.5,0,0,0\n", "whole number"),
        ("# only a note\n", "no header row"),
        (HEADER.encode("utf-16").decode("latin-1"), "not UTF-8"),
    ],
)
def test_areas_csv_problems_are_plain(tmp_path: Path, content: str, fragment: str) -> None:
    """Each kind of mistake in a filled-in template gets its own plain message."""
    path = tmp_path / "areas.csv"
    path.write_bytes(content.encode("latin-1") if "not UTF-8" in fragment else content.encode())
    with pytest.raises(KitError, match=re.escape(fragment)):
        Profile.from_csv(path)


names = st.text(st.characters(min_codepoint=32, max_codepoint=0x2FFF), min_size=1, max_size=30)
shares = st.lists(st.integers(0, 100), min_size=5, max_size=5).filter(lambda s: sum(s) > 0)


@st.composite
def profiles(draw: st.DrawFn) -> Profile:
    """Valid profiles: unique area names, shares normalised to add up to 1."""
    area_names = draw(st.lists(names.filter(str.strip), max_size=4, unique_by=str.casefold))
    areas = []
    for area_name in area_names:
        raw = draw(shares)
        parts = [x / sum(raw) for x in raw]
        income = draw(st.none() | st.floats(0, 500_000))
        poverty = draw(st.none() | st.floats(0, 1))
        areas.append(Area(area_name, draw(st.integers(1, 10**7)), *parts, income, poverty))
    return Profile(
        draw(names.filter(str.strip)),
        draw(st.integers(1, 10**8)),
        draw(st.sampled_from(["UTC", "America/Chicago", "Pacific/Honolulu"])),
        draw(st.integers(1, 12)),
        areas,
    )


@settings(max_examples=60, deadline=None)
@given(profile=profiles())
def test_profile_document_round_trip(profile: Profile) -> None:
    """What is saved as the profile document comes back as the same profile."""
    assert not profile.problems()
    assert Profile.from_document(json.loads(json.dumps(profile.to_document()))) == profile


def test_an_upload_replaces_the_earlier_one_all_at_once(ws: Workspace) -> None:
    """A page still reading the earlier upload of that name reads all of it, never a mix;
    no partial file is left behind, and the name cannot lead out of the workspace."""
    first = ws.save_upload("calls.csv", b"a,b\n1,2\n")
    with first.open("rb") as reading:
        again = ws.save_upload("calls.csv", b"x,y\n" * 100_000)
        assert reading.read() == b"a,b\n1,2\n"
    assert again == first and again.read_bytes().startswith(b"x,y\n")
    assert [p.name for p in again.parent.iterdir()] == ["calls.csv"]
    with pytest.raises(KitError, match="leads outside the workspace"):
        ws.save_upload("../escape.csv", b"no")
