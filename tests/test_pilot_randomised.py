"""A pilot randomised by shift or day: the sealed draw read in plain words, the rate ratio
against a known value and statsmodels, its interval's coverage over seeded repetitions,
and `kit evaluate --method randomised --draw` on a workspace."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from results_samples import AREAS, RESPONDER, TZ, WEEKS, _workspace, calls_table

from kit.cli import main
from kit.errors import KitError
from kit.pilot.definition import Pilot as Design
from kit.pilot.estimators import RANDOMISATION
from kit.pilot.panel import SHIFTS
from kit.pilot.randomised import WHOLE_DAY, randomised, rate_ratio, read_draw, shift_counts
from kit.pilot.results import choose_method
from kit.ui.pilot.results import ResultsModel
from kit.workspace import Workspace

START = WEEKS[28]
PILOT = ("Area B", "Area E")


def _blocks(units: pd.DataFrame) -> np.ndarray:
    week = units["date"] - pd.to_timedelta(units["date"].dt.day_of_week, unit="D")
    return units.groupby([week, units["shift"]]).ngroup().to_numpy()


def test_the_rate_ratio_is_the_known_value_and_statsmodels_poisson_with_block_effects() -> None:
    """One block, calls 3 and 5 on drawn days and 8 and 8 on the others: half the rate,
    exactly; on random counts, the same estimate and SE as a Poisson GLM with a dummy for
    each block."""
    b, _, _ = rate_ratio(np.array([3.0, 5, 8, 8]), np.array([True, True, False, False]),
                         np.zeros(4, dtype=int))  # fmt: skip
    assert np.expm1(b) == pytest.approx(-0.5, abs=1e-9)
    rng = np.random.default_rng(5)
    block = np.repeat(np.arange(30), 7)
    drawn = rng.random(block.size) < 0.5
    calls = rng.poisson(np.where(drawn, 2.0, 3.0) * (1 + block % 3)).astype(float)
    b, se, _ = rate_ratio(calls, drawn, block)
    exog = np.column_stack([np.eye(30)[block], drawn.astype(float)])
    fit = sm.GLM(calls, exog, family=sm.families.Poisson()).fit()
    assert b == pytest.approx(fit.params[-1], abs=1e-6)
    assert se == pytest.approx(fit.bse[-1], rel=1e-4)


def _draws(rng: np.random.Generator, weeks: int) -> np.ndarray:
    """Three or four of the seven days of each week and shift drawn, as a sealed draw does."""
    keys = rng.random((weeks, len(SHIFTS), 7))
    chosen = rng.integers(3, 5, (weeks, len(SHIFTS), 1))
    return np.argsort(np.argsort(keys, axis=2), axis=2) < chosen


def _units(rng: np.random.Generator, effect: float, weeks: int = 26) -> pd.DataFrame:
    """Calls per shift with weekly swings and overdispersion, thinned on drawn shifts."""
    drawn = _draws(rng, weeks)
    base = np.array([3.0, 4.0, 1.5])[None, :, None] * rng.gamma(20, 1 / 20, (weeks, 1, 1))
    calls = rng.poisson(base * rng.gamma(5, 1 / 5, drawn.shape))
    calls = np.where(drawn, rng.binomial(calls, 1 + effect), calls)
    days = pd.date_range("2025-03-03", periods=weeks * 7, freq="D")
    return pd.DataFrame(
        {
            "area": "A",
            "date": np.repeat(days.to_numpy().reshape(weeks, 1, 7), len(SHIFTS), axis=1).ravel(),
            "shift": np.repeat(np.array(SHIFTS)[None, :, None], 7, axis=2).repeat(weeks, 0).ravel(),
            "calls": calls.ravel(),
            "responder": drawn.ravel(),
        }
    )


def test_the_interval_covers_an_injected_effect_in_about_95_percent_of_repetitions() -> None:
    """200 seeded pilots of 26 weeks, 25% of calls on drawn shifts thinned away: the estimate
    is unbiased and the interval (randomisation over the draw) covers -25% near 95%."""
    rng = np.random.default_rng(11)
    found = [randomised(_units(rng, -0.25), seed=i) for i in range(200)]
    covered = np.mean([e.low <= -0.25 <= e.high for e in found])
    assert 0.925 <= covered <= 0.985
    assert np.mean([e.effect for e in found]) == pytest.approx(-0.25, abs=0.02)
    assert all(e.inference == RANDOMISATION and e.method == "randomised" for e in found)
    null = [randomised(_units(rng, 0.0), seed=i).p_value for i in range(60)]
    assert 0.0 < np.mean(np.asarray(null) < 0.05) <= 0.1


def test_the_draw_is_read_in_plain_words(tmp_path: Path) -> None:
    good = b"Date,Shift,Responder\n2025-03-03,day,yes\n2025-03-03,Night,no\n"
    draw = read_draw(good)
    assert list(draw["shift"]) == [SHIFTS[0], SHIFTS[2]] and list(draw["responder"]) == [1, 0]
    assert (read_draw(b"date,responder\n2025-03-03,1\n2025-03-04,0\n")["shift"] == WHOLE_DAY).all()
    bad = {
        b"day,responder\n2025-03-03,yes\n": "no column date",
        b"date,responder\n03/03/2025,yes\n": "row 2: '03/03/2025' is not a date",
        b"date,shift,responder\n2025-03-03,morning,yes\n": "shift 'morning' is not one of",
        b"date,responder\n2025-03-03,maybe\n": "responder 'maybe' must be yes or no",
        b"date,responder\n2025-03-03,yes\n2025-03-03,no\n": "row 3: that shift is drawn twice",
        b"date,responder\n2025-03-03,yes\n2025-03-04,yes\n": "both with and without",
    }
    for text, message in bad.items():
        with pytest.raises(KitError, match=message):
            read_draw(text)
    with pytest.raises(KitError, match="Could not read"):
        read_draw(tmp_path / "missing.csv")


def test_a_night_call_after_midnight_counts_on_the_shift_that_began_the_evening_before() -> None:
    received = pd.to_datetime(["2025-03-04 02:00", "2025-03-04 08:00"]).tz_localize(TZ)
    calls = pd.DataFrame({"area": ["A", "A"], "received_at": received})
    draw = read_draw(b"date,shift,responder\n2025-03-03,night,yes\n2025-03-04,day,no\n")
    units = shift_counts(calls, ["A"], draw)
    assert units.set_index("shift")["calls"].to_dict() == {SHIFTS[2]: 1, SHIFTS[0]: 1}


def test_a_randomised_design_needs_its_draw() -> None:
    with pytest.raises(KitError, match="sealed draw") as refused:
        choose_method(None, "randomised", staggered=False)
    assert "--draw FILE" in str(refused.value) and "--" not in refused.value.in_app()
    assert choose_method(None, "randomised", staggered=False, drawn=True) == "randomised"


def _randomised_city(tmp_path: Path) -> tuple[Workspace, Path, int]:
    """Crisis-team answers on drawn shifts in two areas (about 30% of their welfare checks):
    the workspace, the sealed draw's file and the pilot's weeks."""
    rng = np.random.default_rng(4)
    table = calls_table(dict.fromkeys(PILOT, START), share=0.0)
    weeks = len(WEEKS) - 28
    days = pd.date_range(START, periods=weeks * 7, freq="D")
    on = _draws(rng, weeks)
    draw = pd.DataFrame(
        {
            "date": np.repeat(
                days.strftime("%Y-%m-%d").to_numpy().reshape(weeks, 1, 7), 3, 1
            ).ravel(),
            "shift": np.repeat(np.array(["day", "evening", "night"])[None, :, None], 7, 2)
            .repeat(weeks, 0)
            .ravel(),
            "responder": np.where(on.ravel(), "yes", "no"),
        }
    )
    draw_file = tmp_path / "draw.csv"
    draw.to_csv(draw_file, index=False)
    units = read_draw(draw_file)
    local = table["received_at"].dt.tz_localize(None)
    began = (local - pd.Timedelta(hours=7)).dt.normalize()
    hour = local.dt.hour
    shift = np.select(
        [(hour >= 7) & (hour < 15), (hour >= 15) & (hour < 23)], SHIFTS[:2], SHIFTS[2]
    )
    keyed = pd.DataFrame({"date": np.where(hour < 7, began, local.dt.normalize()), "shift": shift})
    drawn = keyed.merge(units, on=["date", "shift"], how="left")["responder"].fillna(False)
    pilot = table["call_type"].eq("WELCHK") & table["area"].isin(PILOT) & drawn.to_numpy(bool)
    table.loc[pilot & (rng.random(len(table)) < 0.3), "disposition"] = RESPONDER
    return _workspace(tmp_path / "ws", table), draw_file, weeks


def test_kit_evaluate_analyses_a_pilot_randomised_by_shift(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`kit evaluate --method randomised` finds about 30% fewer police-handled calls, in the
    JSON shape every method prints."""
    ws, draw_file, weeks = _randomised_city(tmp_path)
    areas = [x for a in PILOT for x in ("--area", a)]
    args = ["evaluate", str(ws.path), "--call-type", "WELCHK", *areas, f"--start={START.date()}",
            "--responder-disposition", RESPONDER, "--json", "--no-save"]  # fmt: skip
    assert main([*args, "--method", "randomised", "--draw", str(draw_file)]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert main([*args, "--method", "did"]) == 0
    assert set(doc) == set(json.loads(capsys.readouterr().out))
    assert doc["method"] == "randomised" and doc["inference"] == RANDOMISATION
    assert doc["low"] <= -0.3 <= doc["high"] < 0 and doc["p_value"] < 0.05
    assert (doc["weeks_before"], doc["weeks_after"], doc["comparison_areas"]) == (0, weeks, [])
    assert [row["area"] for row in doc["by_area"]] == list(PILOT)
    assert all(row["effect"] < 0 for row in doc["by_area"])
    assert main([*args, "--method", "randomised"]) == 2
    assert "--draw FILE" in capsys.readouterr().err
    assert AREAS[0] not in doc["areas"]


def test_the_page_takes_the_sealed_draw_and_keeps_it(tmp_path: Path) -> None:
    """Step 04's results part asks for the draw of a pilot randomised by shift, refuses an
    unreadable one without losing the one kept, and estimates from a good one, which the
    workspace keeps for the next page (and a headless run)."""
    ws, draw_file, weeks = _randomised_city(tmp_path)
    design = Design(("WELCHK",), "crisis_team", PILOT, start=START.date(), weeks=weeks,
                    design="randomised")  # fmt: skip
    ws.decisions.save("pilot_design", design.to_document(), base_version=None, step="04")
    model = ResultsModel(ws)
    model.dispositions = [RESPONDER]
    model.estimate_now()
    assert model.needs_draw and "Load the sealed draw" in model.needed and not model.document
    assert model.use_draw(draw_file.read_bytes(), "draw.csv")
    assert not model.use_draw(b"when,who\n2024-01-01,yes\n", "wrong.csv")
    assert "date" in model.draw_error
    again = ResultsModel(ws)
    again.dispositions = [RESPONDER]
    again.estimate_now()
    assert again.needed == "" and again.draw_held.startswith("The sealed draw is loaded")
    assert again.document["method"] == "randomised"
    assert again.document["low"] <= -0.3 <= again.document["high"] < 0
