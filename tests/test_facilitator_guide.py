"""The facilitator guide's answers are the sample city's figures, worked out here by the kit.

Each answer in docs/facilitator_guide.md is a table row ``| answer | figure |``; this test
works every figure out on a fresh copy of Port Calder, as a participant following the
exercise would see it, and checks the guide says exactly that, and that the guide has no
answer row this test does not check.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from kit import funding
from kit.equity import DEFAULT_THRESHOLD_PP
from kit.key_figures import key_figures
from kit.labels import WEEKDAYS, money
from kit.roles import DECISION_NAME, check_document, new_document
from kit.roles.figures import plan_figures
from kit.roles.presets import apply_preset
from kit.workspace import Workspace
from sample_city.build import sample_workspace

GUIDE = Path(__file__).resolve().parents[1] / "docs" / "facilitator_guide.md"
ANSWER_TABLE = "| answer | figure on Port Calder |"


def whole(value: float) -> str:
    return f"{value:,.0f}"


def preset_plan(cube: Any, preset: str) -> dict[str, Any]:
    """Step 02's plan after "apply preset" in the app (kit.ui.roles uses the same call)."""
    doc = new_document(preset)
    doc["assignments"] = apply_preset(preset, cube.types)
    return check_document(doc)


def step_00_and_01(ws: Workspace, cube: Any) -> dict[str, str]:
    report = ws.read_json("import_report")
    calls = ws.calls()
    problems = report["problems"]
    busiest = int(np.bincount(cube.hour_of_week, weights=cube.calls, minlength=168).argmax())
    counts = calls["area"].value_counts()
    rates = {
        a.name: counts.get(a.name, 0) / a.population * 1000 / cube.years for a in ws.profile.areas
    }
    top = max(rates, key=rates.__getitem__)
    return {
        "rows read": whole(report["rows_read"]),
        "calls kept": whole(report["calls_held"]),
        "rows marked test, void or duplicate": whole(problems["test_void_duplicate"]["count"]),
        "exact duplicates": whole(problems["exact_duplicate"]["count"]),
        "calls kept with an impossible duration": whole(problems["impossible_duration"]["count"]),
        "share of calls officer-initiated": f"{(calls['initiated_by'] == 'officer').mean():.0%}",
        "busiest hour of the week": f"{WEEKDAYS[busiest // 24]} {busiest % 24:02d}:00",
        "area with the most calls a year per 1,000 residents": f"{top} ({rates[top]:,.0f})",
        "survey responses": whole(len(ws.read_table("survey"))),
    }


def step_02(ws: Workspace, cube: Any) -> dict[str, str]:
    found = {}
    for preset, label in (("convening", "convening"), ("crisis_response", "crisis response")):
        plan = preset_plan(cube, preset)
        summary = plan_figures(
            cube, plan, ws.profile.areas, threshold_pp=DEFAULT_THRESHOLD_PP
        ).summary
        found |= {
            f"{label}: calls eligible a year": whole(summary["eligible_per_year"]),
            f"{label}: calls routed a year": whole(summary["routed_per_year"]),
            f"{label}: calls handled without police a year": whole(
                summary["without_police_per_year"]
            ),
            f"{label}: officer hours freed a year": whole(summary["freed_hours_per_year"]),
            f"{label}: officers' worth freed": f"{summary['officers_freed']:.1f}",
        }
    return found


def step_03(ws: Workspace, cube: Any) -> dict[str, str]:
    """After the crisis response plan is saved in step 02, as exercise 3 ends."""
    ws.decisions.save(
        DECISION_NAME, preset_plan(cube, "crisis_response"), base_version=None, step="02"
    )
    row = key_figures(ws)
    return {
        "step 03 scenario": row["scenario"],
        "calls a year": whole(row["calls_per_year"]),
        "officer hours moved a year": whole(row["officer_hours_moved_per_year"]),
        "officers' worth freed": f"{row['officers_freed_fte']:.1f}",
        "crisis teams at the busiest hour": str(row["teams_at_peak_crisis_team"]),
        "service cost a year": money(row["service_cost_per_year"]),
        "net a year if the hours are redeployed": money(row["net_per_year_if_redeployed"]),
        "net a year if positions are not refilled": money(row["net_per_year_if_not_refilled"]),
    }


@pytest.fixture(scope="module")
def answers(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    ws = sample_workspace(tmp_path_factory.mktemp("guide") / "port-calder")
    cube = funding.load_inputs(ws).cube
    return step_00_and_01(ws, cube) | step_02(ws, cube) | step_03(ws, cube)


def guide_answers(text: str) -> dict[str, str]:
    """The rows of every answer table in the guide, answer -> figure."""
    rows: dict[str, str] = {}
    for table in text.split(ANSWER_TABLE)[1:]:
        for line in table.strip().splitlines()[1:]:
            cells = re.fullmatch(r"\| (.+?) \| (.+?) \|", line.strip())
            if cells is None:
                break
            rows[cells.group(1)] = cells.group(2)
    return rows


@pytest.mark.slow
def test_every_answer_in_the_guide_is_the_sample_citys_figure(answers: dict[str, str]) -> None:
    stated = guide_answers(GUIDE.read_text(encoding="utf-8"))
    assert stated == answers


def test_answer_tables_are_read_row_by_row() -> None:
    """The reader stops at a table's end, so prose after a table is never taken as an answer."""
    text = f"{ANSWER_TABLE}\n|---|---|\n| a | 1 |\n| b | -$2 |\n\nprose | x | y |\n"
    assert guide_answers(text) == {"a": "1", "b": "-$2"}
