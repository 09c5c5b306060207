"""The workbooks: clean in git, runnable by nbval, and by papermill on the sample city."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import nbformat
import papermill
from ui_samples import make_workspace, write_calls_csv

from kit.data.calls import import_calls
from kit.runner import steps
from kit.ui.roles import RolesModel

ROOT = Path(__file__).resolve().parent.parent
WORKBOOKS = ROOT / "workbooks"


def test_workbooks_are_committed_without_outputs() -> None:
    """Each workbook has a tagged parameters cell first and no stored outputs."""
    books = steps(WORKBOOKS)
    assert "00" in books
    for path in books.values():
        nb = nbformat.read(path, as_version=4)
        assert "parameters" in nb.cells[0].metadata.get("tags", []), path.name
        for cell in nb.cells:
            if cell.cell_type == "code":
                assert cell.outputs == [] and cell.execution_count is None, path.name


def test_every_workbook_runs_under_nbval(tmp_path: Path) -> None:
    """`pytest --nbval-lax workbooks` passes against a workspace named by the environment."""
    ws = make_workspace(tmp_path / "ws")
    import_calls(ws, [write_calls_csv(tmp_path / "calls.csv")])
    roles = RolesModel(ws)  # a plan that moves calls off police, for step 04's pilot
    roles.use_preset("convening")
    roles.save()
    env = {**os.environ, "KIT_WORKSPACE": str(ws.path)}
    env.pop("VOILA_PREHEAT", None)
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:randomly",
         "--nbval-lax", str(WORKBOOKS), "-o", "addopts=", "--rootdir", str(tmp_path)],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert " passed" in done.stdout


def test_papermill_sets_up_the_sample_city(tmp_path: Path) -> None:
    """Workbook 00 run by papermill on the sample city saves the parameters it was given."""
    from sample_city.build import sample_workspace

    ws = sample_workspace(tmp_path / "city")
    held = int(ws.read_json("import_report")["calls_held"])
    out = tmp_path / "00.ipynb"
    papermill.execute_notebook(
        str(WORKBOOKS / "00_set_up.ipynb"),
        str(out),
        parameters={"workspace": str(ws.path), "population": 262000, "fiscal_year_start": 10},
        kernel_name="python3",
        progress_bar=False,
    )
    profile = ws.profile
    assert (profile.population, profile.fiscal_year_start) == (262000, 10)
    assert profile.name == "Port Calder" and len(profile.areas) == 10
    assert ws.decisions.latest("profile").step == "00"
    assert int(ws.read_json("import_report")["calls_held"]) == held
