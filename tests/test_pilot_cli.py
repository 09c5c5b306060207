"""`kit pilot` on the sample city, and the DiD recovering injected effects (point 6)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from kit import key_figures
from kit.cli import main, pilot_cmds
from kit.pilot import estimators as est
from kit.pilot import power
from kit.pilot.panel import workspace_panel
from kit.workspace import Workspace
from sample_city.build import sample_workspace

TYPES = ["WELCHK", "MENTAL SUBJ - CRISIS"]  # a code and a description


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    return sample_workspace(tmp_path_factory.mktemp("pilot") / "ws")


def _args(workspace: Workspace, *extra: str) -> list[str]:
    types = [a for t in TYPES for a in ("--call-type", t)]
    return ["pilot", str(workspace.path), *types, *extra]


def test_the_command_line_spells_out_the_designs_of_the_power_module() -> None:
    """`kit --help` does not load the statistics, so the CLI lists the designs itself."""
    assert pilot_cmds.DESIGNS == power.DESIGNS
    assert pilot_cmds.FULL_SIMS == power.FULL_SIMS


@pytest.mark.slow
def test_pilot_json_has_the_issues_shape(
    workspace: Workspace, capsys: pytest.CaptureFixture[str]
) -> None:
    """The primary metric at the top, every other metric under metrics."""
    argv = _args(workspace, "--area", "Eastgate", "--area", "Old Harbor", "--weeks", "12")
    assert main([*argv, "--sims", "10", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["design"] == "did"
    assert out["inference"] == est.RANDOMISATION
    assert 0 < out["mde"] < 0.6
    assert 0 < out["mde_analytic"] < 0.6
    assert isinstance(out["bias"], float) and 0 <= out["coverage"] <= 1
    assert set(out["metrics"]) == {"response_time", "repeat_calls"}
    assert {"mde", "mde_analytic", "bias", "coverage"} <= set(out["metrics"]["response_time"])


@pytest.mark.slow
def test_pilot_save_keeps_the_design_with_its_power(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--save stores the call types, areas, weeks and design with the printed power figures,
    which the batch summary's detectable effect then reads."""
    ws = sample_workspace(tmp_path / "ws")
    argv = _args(ws, "--area", "Eastgate", "--area", "Old Harbor", "--weeks", "12")
    assert main([*argv, "--sims", "10", "--json", "--save", "--responder", "crisis_team"]) == 0
    printed = json.loads(capsys.readouterr().out)
    saved = ws.decisions.latest("pilot_design")
    assert saved is not None
    assert (saved.document["areas"], saved.document["weeks"]) == (["Eastgate", "Old Harbor"], 12)
    assert (saved.document["design"], saved.document["responder"]) == (
        printed["design"],
        "crisis_team",
    )
    assert saved.document["power"] == printed
    assert key_figures.detectable_effect(ws) == pytest.approx(printed["mde"])


@pytest.mark.slow
def test_pilot_text_names_the_inference_and_what_one_area_cannot_show(
    workspace: Workspace, capsys: pytest.CaptureFixture[str]
) -> None:
    """One pilot area of ten: model-based only, said in plain words."""
    argv = _args(workspace, "--area", "Eastgate", "--weeks", "8", "--design", "did")
    assert main([*argv, "--sims", "10"]) == 0
    text = capsys.readouterr().out
    assert "police-handled calls: detectable reduction" in text
    assert "cannot support a confident conclusion" in text


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--call-type", "NOPE", "--area", "Eastgate", "--weeks", "8"], "No call type 'NOPE'"),
        (["--call-type", "WELCHK", "--area", "Atlantis", "--weeks", "8"], "No area Atlantis"),
        (["--call-type", "WELCHK", "--area", "Eastgate", "--weeks", "155"], "too little"),
    ],
)
def test_pilot_refuses_bad_input_in_plain_words(
    workspace: Workspace, capsys: pytest.CaptureFixture[str], extra: list[str], message: str
) -> None:
    """Unknown type or area, too little history: exit 2 with one line, no traceback."""
    assert main(["pilot", str(workspace.path), *extra, "--sims", "10"]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


@pytest.mark.slow
def test_did_recovers_injected_effects_on_the_sample_city(workspace: Workspace) -> None:
    """1,000 placebo pilots in Port Calder's history with 20% of calls thinned away.

    The estimate recovers the effect and the 95% interval covers it at least 93% of the
    time: randomisation inference here is conservative, its scale never below the model's.
    """
    panel = workspace_panel(workspace, TYPES)
    plan = power.Plan("did", 12, ("Eastgate", "Old Harbor"), tuple(TYPES))
    result = power.recover(panel, plan, 0.2, sims=1000, seed=7)
    assert len(result.effect) == 1000
    assert float(np.mean(result.effect)) == pytest.approx(-0.2, abs=0.01)
    assert 0.93 <= result.coverage <= 1.0
    assert float(np.mean(result.high - result.low)) < 0.35
