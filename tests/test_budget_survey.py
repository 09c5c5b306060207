"""Budget and survey tables: the templates read back, and mistakes come back as plain messages."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kit.data.budget import (
    BUDGET_COLUMNS,
    budget_summary,
    check_budget,
    read_budget,
    read_filled_template,
)
from kit.data.survey import check_survey, rating_columns, read_survey, score_columns
from kit.errors import KitError
from sample_city import generate

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def _write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def test_budget_template_header_is_what_the_reader_wants() -> None:
    """The blank template has the reader's columns and no data rows (notes are skipped)."""
    frame = read_filled_template(TEMPLATES / "budget_template.csv", "the budget file")
    assert tuple(frame.columns) == BUDGET_COLUMNS
    assert frame.empty


def test_budget_reads_money_with_dollar_signs_and_commas(tmp_path: Path) -> None:
    """Amounts as people type them ("$1,250,000") are read as numbers; categories any case."""
    path = _write(
        tmp_path / "budget.csv",
        "# a note\nfiscal_year,category,item,amount\n"
        '2025,Salaries,Sworn pay,"$1,250,000"\n'
        "2025,sworn headcount,Sworn FTE,10\n",
    )
    budget = read_budget(path)
    assert budget["amount"].tolist() == [1_250_000.0, 10.0]
    assert budget["category"].tolist() == ["salaries", "sworn_headcount"]


def test_budget_problems_name_the_row(tmp_path: Path) -> None:
    """Each bad cell is reported with its row and what is allowed."""
    path = _write(
        tmp_path / "budget.csv",
        "fiscal_year,category,item,amount\n"
        "FY25,salaries,Pay,100\n"
        "2025,bonuses,Pay,100\n"
        "2025,overtime,OT,-5\n",
    )
    with pytest.raises(KitError, match="The budget file has problems") as err:
        read_budget(path)
    message = str(err.value)
    assert "row 1: fiscal_year 'FY25'" in message
    assert "row 2: category 'bonuses' is not one of" in message
    assert "row 3: amount '-5'" in message


def test_budget_needs_a_headcount_per_year() -> None:
    """Without the sworn headcount the cost per officer cannot be worked out."""
    frame = pd.DataFrame(
        {"fiscal_year": ["2025"], "category": ["salaries"], "item": ["Pay"], "amount": ["10"]}
    )
    with pytest.raises(KitError, match="no sworn_headcount row for fiscal year"):
        check_budget(frame)


def test_budget_missing_column_points_to_the_template() -> None:
    """A file without the template's header says which column is missing."""
    with pytest.raises(KitError, match=r"lacks the column.*amount.*budget_template\.csv"):
        check_budget(pd.DataFrame({"fiscal_year": [], "category": [], "item": []}))


def test_budget_summary_of_the_sample_city(tmp_path: Path) -> None:
    """The sample budget round-trips through CSV; cost per officer is about $160k."""
    path = tmp_path / "budget.csv"
    generate.budget().to_csv(path, index=False)
    summary = budget_summary(read_budget(path))
    assert list(summary.index) == list(generate.YEARS)
    assert summary["cost_per_sworn"].between(140_000, 190_000).all()
    assert (summary["sworn_cost_per_officer"] < summary["cost_per_sworn"]).all()
    assert (summary["total"] > 60_000_000).all()


@settings(max_examples=100, deadline=None)
@given(
    amounts=st.lists(st.integers(min_value=0, max_value=10**9), min_size=1, max_size=6),
    sworn=st.integers(min_value=1, max_value=5_000),
)
def test_budget_summary_adds_up(amounts: list[int], sworn: int) -> None:
    """The total is the sum of the money lines and the headcount is never counted as money."""
    rows = [(2024, "equipment", f"line {i}", f"${a:,}") for i, a in enumerate(amounts)]
    rows.append((2024, "sworn_headcount", "Sworn", str(sworn)))
    frame = pd.DataFrame(rows, columns=list(BUDGET_COLUMNS)).astype(str)
    summary = budget_summary(check_budget(frame))
    assert summary.loc[2024, "total"] == sum(amounts)
    assert summary.loc[2024, "cost_per_sworn"] == pytest.approx(sum(amounts) / sworn)


def test_survey_template_header_is_what_the_reader_wants() -> None:
    """The blank template has the required columns, eight rating and three score columns."""
    frame = read_filled_template(TEMPLATES / "survey_template.csv", "the survey file")
    assert {"response_id", "area", "comment"} <= set(frame.columns)
    assert len(rating_columns(frame)) == 8
    assert score_columns(frame) == [
        "score_feel_safe",
        "score_police_respect",
        "score_police_listen",
    ]


def test_sample_survey_reads_back_against_the_profile_areas(tmp_path: Path) -> None:
    """The sample city's survey passes validation with its own area names."""
    path = tmp_path / "survey.csv"
    generate.survey().to_csv(path, index=False)
    names = generate.areas()["name"].tolist()
    survey = read_survey(path, areas=names)
    assert len(survey) == generate.SURVEY_RESPONSES
    assert set(survey["area"]) == set(names)
    assert str(survey["rating_violent_crime"].dtype) == "Int64"


def test_survey_matches_area_spelling_and_keeps_skipped_ratings(tmp_path: Path) -> None:
    """Area case is made the profile's; a blank rating stays blank; Windows-1252 is read."""
    path = _write(
        tmp_path / "survey.csv",
        "response_id,area,rating_safety,comment\n"
        "a,old harbor,5,Café on the corner\n"
        "b,Old Harbor,,\n",
        encoding="cp1252",
    )
    survey = read_survey(path, areas=["Old Harbor"])
    assert survey["area"].tolist() == ["Old Harbor", "Old Harbor"]
    assert survey["rating_safety"].isna().tolist() == [False, True]
    assert survey["comment"][0] == "Café on the corner"


def test_survey_problems_name_the_row(tmp_path: Path) -> None:
    """Out-of-range ratings, duplicate ids and unknown areas are each reported by row."""
    path = _write(
        tmp_path / "survey.csv",
        "response_id,area,rating_safety\na,North,7\na,North,3\nc,Elsewhere,2.5\n",
    )
    with pytest.raises(KitError, match="The survey file has problems") as err:
        read_survey(path, areas=["North"])
    message = str(err.value)
    assert "row 1: rating_safety is '7'" in message
    assert "row 2: response_id 'a' appears more than once" in message
    assert "row 3: area 'Elsewhere' is not one of the profile's areas" in message
    assert "row 3: rating_safety is '2.5'" in message


@settings(max_examples=20, deadline=None)
@given(
    ratings=st.lists(st.one_of(st.none(), st.integers(min_value=1, max_value=5)), min_size=1),
)
def test_valid_ratings_read_back_unchanged(ratings: list[int | None]) -> None:
    """Any whole ratings 1-5, with skipped answers, come back as the same numbers."""
    frame = pd.DataFrame(
        {
            "response_id": [f"r{i}" for i in range(len(ratings))],
            "area": "North",
            "rating_safety": ["" if r is None else str(r) for r in ratings],
        }
    )
    survey = check_survey(frame, areas=["North"])
    assert [None if pd.isna(v) else int(v) for v in survey["rating_safety"]] == ratings


def test_survey_without_ratings_is_refused() -> None:
    """A file with no rating column cannot say anything about priorities."""
    with pytest.raises(KitError, match="at least one rating_"):
        check_survey(pd.DataFrame({"response_id": ["a"], "area": ["x"]}))


def test_empty_file_says_what_to_do(tmp_path: Path) -> None:
    """An empty file gets a message, not a traceback."""
    with pytest.raises(KitError, match="is empty"):
        read_survey(_write(tmp_path / "s.csv", ""))
