"""``kit run``: workbooks run headless with papermill, saved runs, skipped and failed steps."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from ui_samples import make_workspace, write_calls_csv

from kit import runner
from kit.cli import main
from kit.errors import KitError


def test_parameters_parse_as_literals_or_text() -> None:
    """Numbers, booleans and dicts parse; anything else is kept as text."""
    parsed = runner.parse_parameters(["population=1200", "append=True", "name=Oak Park", "x={}"])
    assert parsed == {"population": 1200, "append": True, "name": "Oak Park", "x": {}}
    with pytest.raises(KitError, match="NAME=VALUE"):
        runner.parse_parameters(["population"])


def test_help_step_lists_types_defaults_and_comments(capsys) -> None:
    """`kit run --help-step 00` shows every parameter of workbook 00 with its comment."""
    assert main(["run", "--help-step", "00"]) == 0
    out = capsys.readouterr().out
    assert "population: int = 0" in out and "residents of the whole jurisdiction" in out
    assert "calls_file: str" in out


def test_unknown_step_is_a_plain_error() -> None:
    """A step number that has no workbook names the steps there are."""
    with pytest.raises(KitError, match="no step '42'"):
        runner.workbook("42")


def test_run_step_00_saves_the_profile_and_imports(tmp_path: Path, capsys) -> None:
    """Papermill runs workbook 00 from parameters; the workspace then holds profile and calls."""
    ws = make_workspace(tmp_path / "ws", with_profile=False)
    calls = write_calls_csv(tmp_path / "calls.csv", rows=120)
    code = main(
        [
            "run",
            str(ws.path),
            "--step",
            "00",
            "-p",
            "name=Lakeside",
            "-p",
            "population=45000",
            "-p",
            "timezone=America/Chicago",
            "-p",
            f"calls_file={calls}",
        ]
    )
    assert code == 0, capsys.readouterr()
    assert ws.profile.name == "Lakeside" and ws.profile.population == 45000
    assert len(ws.calls()) == 120
    runs = list((ws.path / "runs").glob("*/00_set_up.ipynb"))
    assert len(runs) == 1 and nbformat.read(runs[0], as_version=4).cells


def test_failing_step_exits_non_zero_with_its_message(tmp_path: Path, capsys) -> None:
    """A bad parameter stops the run with the step's plain message, not a traceback."""
    ws = make_workspace(tmp_path / "ws")
    code = main(["run", str(ws.path), "--step", "00", "-p", "timezone=Mars/Olympus"])
    err = capsys.readouterr().err
    assert code == 1 and "step 00 failed" in err and "not a known time zone" in err
    assert "Traceback" not in err
    assert ws.profile.timezone == "America/Chicago"


def test_parameter_no_step_takes_is_refused(tmp_path: Path) -> None:
    """A misspelt parameter is caught before anything runs."""
    ws = make_workspace(tmp_path / "ws")
    with pytest.raises(KitError, match="populaton"):
        runner.run_steps(ws, only=["00"], parameters={"populaton": 5})


def test_step_that_lacks_what_it_needs_is_skipped(tmp_path: Path) -> None:
    """A workbook raising StepSkipped is reported as skipped with its reason; later steps run."""
    folder = tmp_path / "books"
    folder.mkdir()
    for name, source in (
        ("01_needs.ipynb", "from kit.ui.base import StepSkipped\nraise StepSkipped('needs calls')"),
        ("02_fine.ipynb", "x = 1"),
    ):
        nb = nbformat.v4.new_notebook()
        nb.cells = [
            nbformat.v4.new_code_cell('workspace: str = ""', metadata={"tags": ["parameters"]}),
            nbformat.v4.new_code_cell(source),
        ]
        nb.metadata["kernelspec"] = {"name": "python3", "language": "python", "display_name": "P"}
        nbformat.write(nb, folder / name)
    ws = make_workspace(tmp_path / "ws")
    results = runner.run_steps(ws, folder=folder)
    assert [(r.step, r.status) for r in results] == [("01", "skipped"), ("02", "ran")]
    assert results[0].message == "needs calls"
