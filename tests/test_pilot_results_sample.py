"""On the sample city: the weeks after a pilot are appended with a known share of the pilot's
calls thinned out in the pilot areas, and ``kit evaluate --json`` recovers the reduction."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from kit.cli import main
from kit.pilot.results import DECISION_NAME
from sample_city import generate
from sample_city.build import sample_workspace

PILOT = ("Old Harbor", "Tanner Flats", "Eastgate")
TYPES = ("WELCHK", "MNTL")
START = "2026-03-02"
REDUCTION = 0.3


def _after_the_pilot(path: Path, seed: int = 11) -> Path:
    """The first half of 2026 in the city's own export layout, with REDUCTION of the pilot's
    calls in the pilot areas left out from the start: calls police no longer handled."""
    frame = generate.calls_export(2026, layout="call")
    received = pd.to_datetime(frame["TimeCreate"], format="%m/%d/%Y %I:%M:%S %p")
    frame, received = frame[received < "2026-07-01"], received[received < "2026-07-01"]
    pilot = frame["District"].isin(PILOT) & frame["Type"].isin(TYPES) & (received >= START)
    thinned = pilot & (np.random.default_rng(seed).random(len(frame)) < REDUCTION)
    generate.write_export(frame[~thinned.to_numpy()], path)
    return path


@pytest.mark.slow
@pytest.mark.timeout(600)
def test_evaluate_recovers_a_reduction_injected_after_the_history(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Appended like any later export, the thinned weeks read as about 30% fewer calls, with
    the true reduction inside the 95% interval, against the seven other areas."""
    ws = sample_workspace(tmp_path / "city")
    export = _after_the_pilot(tmp_path / "calls_2026.csv")
    assert main(["import", "calls", str(ws.path), str(export), "--append"]) == 0
    assert "The calls held run from 2023-01-01 to 2026-06-30" in capsys.readouterr().out
    areas = [x for area in PILOT for x in ("--area", area)]
    types = ["--call-type", "CHECK WELFARE", "--call-type", "MNTL"]
    assert main(["evaluate", str(ws.path), *types, *areas, "--start", START, "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["method"] == "did" and doc["inference"] == "randomisation inference"
    assert doc["low"] <= -REDUCTION <= doc["high"] < 0
    assert doc["p_value"] < 0.05
    assert len(doc["comparison_areas"]) == 7 and not set(PILOT) & set(doc["comparison_areas"])
    assert doc["weeks_after"] == 17 and doc["weeks_before"] > 150
    assert doc["reading"].startswith("Police handled about")
    assert ws.decisions.latest(DECISION_NAME) is not None
