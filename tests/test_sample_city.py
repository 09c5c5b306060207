"""The sample city is reproducible and calibrated to the published figures it cites."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from kit.cli import main
from kit.errors import KitError
from kit.workspace import Workspace
from sample_city import generate as g
from sample_city.build import build, sample_workspace

# sha256 of calls_export(..., rows=5_000) as CSV; change these only with the generator.
CHECKSUMS = {
    "call": "98ec0fd81f889303fee859c25af81f805028f373cef3951ebe41be70e5cf6efd",
    "unit": "f0f5b1dd88f64e5710cea2e36e37a6838d7ef523481e2ed5989fa937927a63f1",
}


def _digest(frame: pd.DataFrame) -> str:
    return hashlib.sha256(frame.to_csv(index=False).encode()).hexdigest()


@pytest.fixture(scope="module")
def truth() -> pd.DataFrame:
    """One simulated year, one row per responding unit, with its call-type parameters."""
    units = g.simulate(2024)
    types = g.call_types().set_index("code")
    return units.join(types[["group"]], on="type")


@pytest.fixture(scope="module")
def calls(truth: pd.DataFrame) -> pd.DataFrame:
    """The same year with one row per call."""
    return truth.groupby("call").agg(
        type=("type", "first"),
        group=("group", "first"),
        officer=("officer", "first"),
        priority=("priority", "first"),
        area=("area", "first"),
        created=("created", "first"),
        units=("units", "first"),
    )


@pytest.fixture(scope="module")
def unit_year() -> pd.DataFrame:
    return g.calls_export(g.UNIT_YEAR, rows=40_000)


@pytest.fixture(scope="module")
def call_year() -> pd.DataFrame:
    return g.calls_export(2023, rows=40_000)


@pytest.mark.parametrize("layout", ["call", "unit"])
def test_same_seed_same_calls(layout: str) -> None:
    """Same seed and environment, same bytes: the checksum of a small export is pinned."""
    year = 2023 if layout == "call" else g.UNIT_YEAR
    frame = g.calls_export(year, layout=layout, rows=5_000)  # type: ignore[arg-type]
    assert _digest(frame) == CHECKSUMS[layout]


def test_another_seed_gives_other_calls() -> None:
    """The seed is what makes the city: another seed, another export."""
    first = g.calls_export(2023, rows=2_000)
    other = g.calls_export(2023, rows=2_000, seed=g.SEED + 1)
    assert _digest(first) != _digest(other)


def test_export_layouts_match_the_contract(
    call_year: pd.DataFrame, unit_year: pd.DataFrame
) -> None:
    """Headers and time formats are those of the New Orleans and Cincinnati/Seattle exports."""
    assert tuple(call_year.columns) == g.CALL_LAYOUT_COLUMNS
    assert tuple(unit_year.columns) == g.UNIT_LAYOUT_COLUMNS
    assert call_year["TimeCreate"].str.fullmatch(r"\d\d/\d\d/\d{4} \d\d:\d\d:\d\d [AP]M").all()
    iso = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d"
    assert unit_year["CREATE_TIME_INCIDENT"].str.fullmatch(iso).all()
    names = set(g.areas()["name"])
    assert set(call_year["District"]) == names
    assert set(unit_year["DISTRICT"]) == names


def test_city_has_ten_areas_and_a_quarter_million_residents() -> None:
    """Ten areas that differ in population, race and ethnicity, income and poverty."""
    areas = g.areas()
    assert len(areas) == 10
    assert 240_000 <= areas["population"].sum() <= 260_000
    shares = areas[
        ["share_white_nh", "share_black", "share_hispanic", "share_asian", "share_other"]
    ]
    assert np.allclose(shares.sum(axis=1), 1.0)
    assert areas["share_white_nh"].max() - areas["share_white_nh"].min() > 0.4
    assert areas["median_household_income"].max() > 2.5 * areas["median_household_income"].min()
    assert areas["poverty_rate"].max() > 5 * areas["poverty_rate"].min()


def test_yearly_volume_is_in_range() -> None:
    """About 150,000-200,000 calls a year over about 60 call types."""
    assert all(150_000 <= n <= 200_000 for n in g.CALLS_PER_YEAR.values())
    assert 55 <= len(g.call_types()) <= 75


def test_call_types_read_like_a_cad_table() -> None:
    """Unique short codes, upper-case descriptions, shares and parameters in range."""
    types = g.call_types()
    assert types["code"].is_unique
    assert types["code"].str.fullmatch(r"[A-Z0-9]{2,6}").all()
    assert (types["description"] == types["description"].str.upper()).all()
    assert types["officer_initiated"].between(0, 1).all()
    assert types["priority"].isin([1, 2, 3, 4]).all()
    assert set(types["hours"]) <= set(g._HOURS)
    assert set(types["outcome"]) <= set(g._OUTCOMES)


def test_officer_initiated_share(calls: pd.DataFrame) -> None:
    """About half the records are officer-initiated (New Orleans: the majority)."""
    assert 0.40 <= calls["officer"].mean() <= 0.55


def test_low_priority_share_of_public_calls(calls: pd.DataFrame) -> None:
    """CAP and LEAP: 23-39% of calls are low priority or non-urgent."""
    public = calls[~calls["officer"]]
    assert 0.23 <= (public["priority"] == 4).mean() <= 0.39


def test_call_mix_matches_published_shares(calls: pd.DataFrame) -> None:
    """NICJR Seattle: about 80% non-criminal, about 2% serious violent."""
    share = calls["group"].value_counts(normalize=True)
    non_criminal = share[["noncriminal", "traffic", "medical", "unknown"]].sum()
    assert 0.75 <= non_criminal <= 0.87
    assert 0.01 <= share["violent"] <= 0.03


def test_officer_time_shares(truth: pd.DataFrame) -> None:
    """Upshot: about 4% of officer time on violent crime; traffic takes a larger share."""
    hours = (truth["cleared"] - truth["dispatched"]).dt.total_seconds() / 3600
    share = hours.groupby(truth["group"]).sum() / hours.sum()
    assert 0.03 <= share["violent"] <= 0.07
    assert 0.12 <= share["traffic"] <= 0.23


def test_alternative_response_types_are_present(calls: pd.DataFrame) -> None:
    """Types that civilian responders take make up a visible share of calls."""
    share = calls["type"].value_counts(normalize=True)
    for code in ("WELCHK", "MNTL", "HMLSS", "INTOX", "NOISE", "PKGCMP", "ACCPDO", "ALMRES"):
        assert share[code] > 0.004, code
    assert share[["WELCHK", "MNTL", "SUICID", "HMLSS", "INTOX", "NOISE"]].sum() > 0.08


def test_most_volume_is_classifiable(calls: pd.DataFrame) -> None:
    """At least 90% of calls fall in types with a clear meaning (not MISC/INFO/details)."""
    assert (calls["group"] != "unknown").mean() >= 0.90


def test_time_patterns(calls: pd.DataFrame) -> None:
    """Calls peak in the afternoon, on Fridays and Saturdays, and in summer."""
    by_hour = calls["created"].dt.hour.value_counts()
    assert by_hour[16] > 2 * by_hour[5]
    by_day = calls["created"].dt.day_of_week.value_counts()
    assert by_day[4] > by_day[1]
    by_month = calls["created"].dt.month.value_counts()
    assert by_month[7] > 1.1 * by_month[1]


def test_area_rates_differ(calls: pd.DataFrame) -> None:
    """Calls per resident differ between areas and follow poverty more than population."""
    areas = g.areas()
    counts = calls["area"].value_counts().sort_index().to_numpy()
    rate = counts / areas["population"].to_numpy()
    assert rate.max() > 2.5 * rate.min()
    assert np.corrcoef(rate, areas["poverty_rate"])[0, 1] > 0.5


def test_some_calls_have_several_units(calls: pd.DataFrame) -> None:
    """Many calls bring more than one unit, violent calls the most."""
    assert 0.15 <= (calls["units"] > 1).mean() <= 0.40
    mean_units = calls.groupby("group")["units"].mean()
    assert mean_units["violent"] > mean_units["noncriminal"]


def test_unit_year_repeats_event_numbers(unit_year: pd.DataFrame) -> None:
    """The per-unit year has one row per unit: calls with several units repeat their number."""
    per_event = unit_year.groupby("EVENT_NUMBER")["UNIT_ID"].nunique()
    assert (per_event > 1).mean() > 0.15
    assert set(unit_year["CALL_SOURCE"]) == {
        "911",
        "ONVIEW",
        "TELEPHONE OTHER NOT 911",
        "ALARM CALL",
    }


def test_dirt_is_present_in_small_amounts(call_year: pd.DataFrame) -> None:
    """Each kind of documented dirt occurs, none in more than a small share of rows."""
    n = len(call_year)
    duplicates = call_year.duplicated().sum()
    assert 0 < duplicates < 0.005 * n
    junk = call_year["Disposition"].isin(["TST", "VOD", "DUP"]).sum()
    assert 0 < junk < 0.01 * n
    nowhere = (call_year["Location"] == "POINT (0 0)").sum()
    assert 0 < nowhere < 0.02 * n
    fmt = "%m/%d/%Y %I:%M:%S %p"
    created = pd.to_datetime(call_year["TimeCreate"], format=fmt)
    closed = pd.to_datetime(call_year["TimeClosed"], format=fmt)
    assert 0 < (closed < created).sum() < 0.002 * n
    assert 0 < (closed - created > pd.Timedelta(hours=8)).sum() < 0.005 * n
    public = call_year["SelfInitiated"] == "N"
    missing = (call_year.loc[public, "TimeArrive"] == "").mean()
    assert 0.09 <= missing <= 0.15


def test_disposition_case_differs_between_years() -> None:
    """Disposition text is upper case one year and title case the next (as in New Orleans)."""
    odd = g.calls_export(2023, rows=500)["DispositionText"]
    even = g.calls_export(2024, rows=500)["DispositionText"]
    assert odd.str.isupper().all()
    assert even.str.contains("Necessary Action Taken").any()


def test_rows_sets_the_size_for_benchmarks() -> None:
    """``rows`` sets the number of calls, so a benchmark can ask for a million."""
    frame = g.calls_export(2023, rows=3_000)
    assert 3_000 <= len(frame) <= 3_030
    with pytest.raises(ValueError, match="positive number of calls"):
        g.calls_export(2023, rows=0)


@pytest.mark.parametrize("year", g.YEARS)
def test_raw_files_are_what_the_checksum_covers(year: int, tmp_path: Path) -> None:
    """The fast CSV writer gives the same bytes as pandas' ``to_csv``."""
    frame = g.calls_export(year, rows=1_000)
    path = tmp_path / "calls.csv"
    g.write_export(frame, path)
    assert path.read_bytes() == frame.to_csv(index=False).encode()


def test_budget_lines_and_headcount() -> None:
    """Budget lines per fiscal year and the sworn headcount, about $160k per officer."""
    budget = g.budget()
    assert set(budget["category"]) == {
        "salaries",
        "benefits",
        "overtime",
        "civilian",
        "equipment",
        "other",
        "sworn_headcount",
    }
    for _, year in budget.groupby("fiscal_year"):
        sworn = year.loc[year["category"] == "sworn_headcount", "amount"].sum()
        money = year.loc[year["category"] != "sworn_headcount", "amount"].sum()
        assert 130_000 <= money / sworn <= 200_000


def test_survey_responses() -> None:
    """About 1,500 responses with 1-5 ratings; priorities differ between poorer and richer areas."""
    survey = g.survey()
    assert len(survey) == g.SURVEY_RESPONSES
    ratings = survey.filter(like="rating_")
    assert ratings.stack().between(1, 5).all()
    assert set(survey["area"]) == set(g.areas()["name"])
    assert (survey["comment"] != "").mean() > 0.4
    by_area = survey.groupby("area")["rating_violent_crime"].mean()
    assert by_area["Old Harbor"] > by_area["Lakeview"] + 0.3
    scores = survey.filter(like="score_")
    assert list(scores) == [f"score_{name}" for name in g.SURVEY_SCORES]
    assert scores.stack().between(0, 10).all()
    trust = survey.groupby("area")["score_police_respect"].mean()
    assert trust["Old Harbor"] < trust["Cedar Heights"] - 1


def test_survey_has_a_loud_minority() -> None:
    """One area's organised campaign: a quarter of the responses from under a tenth of the
    residents, nearly all White and all of one mind about enforcement."""
    survey = g.survey()
    areas = g.areas().set_index("name")["population"]
    share = (survey["area"] == g.LOUD_AREA).mean()
    assert share > 2.5 * areas[g.LOUD_AREA] / areas.sum()
    loud = survey.tail(g.LOUD_RESPONSES)
    assert (loud["area"] == g.LOUD_AREA).all()
    assert (loud["demographic_group"] == "White").mean() > 0.8
    assert loud["rating_property_crime"].mean() > survey["rating_property_crime"].mean() + 0.5


# The assembled workspace: built once (cached, file-locked) and copied per test.


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    """A copy of the sample city, made by the same call ``kit new --sample`` makes."""
    return sample_workspace(tmp_path_factory.mktemp("sample") / "city")


@pytest.mark.slow
def test_kit_new_sample_gives_a_ready_city(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    """`kit new PATH --sample`, then `kit info --json`: 250,000 people, 10 areas, 3 years."""
    path = tmp_path / "workshop"
    assert main(["new", str(path), "--sample", "--name", "Workshop City"]) == 0
    capsys.readouterr()
    assert main(["info", str(path), "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["name"] == "Workshop City"
    assert 240_000 <= info["population"] <= 260_000
    assert info["areas"] == 10
    calls = info["calls"]
    assert 450_000 <= calls["rows"] <= 600_000
    assert (calls["first"], calls["last"]) == ("2023-01-01", "2025-12-31")
    assert calls["areas"] == 10
    assert calls["call_types"] == len(g.call_types())


@pytest.mark.slow
def test_sample_city_data_is_on_the_canonical_schema(city: Workspace) -> None:
    """Areas match the profile; calls come by 911, officer and alarm; some bring several units."""
    calls = city.calls()
    assert set(calls["area"].dropna()) == set(city.profile.area_names)
    by = calls["initiated_by"].value_counts(normalize=True)
    assert 0.40 <= by["officer"] <= 0.55
    # Only the per-unit year says how a call came in (CALL_SOURCE) and how many units
    # went; New Orleans' layout has the officer-initiated flag and one row per call.
    unit_year = calls[calls["received_at"].dt.year == g.UNIT_YEAR]
    assert unit_year["initiated_by"].eq("alarm").mean() > 0.04
    assert (unit_year["units"] > 1).mean() > 0.15
    assert calls["unit_hours"].isna().mean() < 0.01


@pytest.mark.slow
def test_sample_city_reports_its_dirt(city: Workspace) -> None:
    """The import's quality report finds the documented dirt."""
    problems = city.read_json("import_report")["problems"]
    assert {"exact_duplicate", "test_void_duplicate", "impossible_duration"} <= set(problems)


@pytest.mark.slow
def test_sample_city_holds_budget_and_survey(city: Workspace) -> None:
    """Budget lines and survey responses are tables of the workspace."""
    budget = city.read_table("budget")
    assert set(budget["fiscal_year"]) == set(g.YEARS)
    survey = city.read_table("survey")
    assert len(survey) == g.SURVEY_RESPONSES
    assert set(survey["area"]) == set(city.profile.area_names)
    assert city.profile.fiscal_year_start == g.FISCAL_YEAR_START


@pytest.mark.slow
def test_sample_city_survey_weighs_out_of_the_box(
    city: Workspace, capsys: pytest.CaptureFixture[str]
) -> None:
    """`kit community` on a fresh copy: the loud area is weighted down and trust in police,
    which its campaign rated high, comes out lower weighted than unweighted."""
    assert main(["community", str(city.path), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["respondents"] == g.SURVEY_RESPONSES
    loud = next(a for a in doc["participation"]["areas"] if a["area"] == g.LOUD_AREA)
    assert loud["share_of_respondents"] > 2.5 * loud["share_of_residents"]
    respect = next(s for s in doc["scores"] if s["score"] == "police_respect")
    assert respect["mean"] < respect["mean_unweighted"] - 0.3
    assert respect["low"] < respect["mean"] < respect["high"]


@pytest.mark.slow
def test_copies_are_independent(city: Workspace, tmp_path: Path) -> None:
    """Each copy is its own workspace: renaming one leaves the others as they were."""
    other = sample_workspace(tmp_path / "other", name="Participant 7")
    assert other.profile.name == "Participant 7"
    assert city.profile.name == g.CITY_NAME
    assert Workspace.open(other.path).profile.name == "Participant 7"


def test_sample_copy_refuses_a_folder_in_use(tmp_path: Path) -> None:
    """A folder that already holds files is never overwritten."""
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(KitError, match="not an empty folder"):
        sample_workspace(tmp_path)
    assert (tmp_path / "notes.txt").read_text() == "mine"


@pytest.mark.slow
def test_kit_sample_build_is_a_no_op_when_current(
    city: Workspace, capsys: pytest.CaptureFixture
) -> None:
    """`kit sample build` reports the cached build without redoing it."""
    before = {p: p.stat().st_mtime_ns for p in build().rglob("*.parquet")}
    assert main(["sample", "build"]) == 0
    assert "Sample city ready" in capsys.readouterr().out
    assert {p: p.stat().st_mtime_ns for p in build().rglob("*.parquet")} == before


def test_unwritable_cache_says_what_to_set(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A cache folder that cannot be made gives a plain message naming KIT_SAMPLE_BUILD."""
    (tmp_path / "file").write_text("not a folder")
    monkeypatch.setenv("KIT_SAMPLE_BUILD", str(tmp_path / "file" / "cache"))
    with pytest.raises(KitError, match="set KIT_SAMPLE_BUILD"):
        sample_workspace(tmp_path / "city")
    assert not (tmp_path / "city").exists()
