"""``kit run-many`` and ``kit sweep``: rows from the saved decisions, failures recorded, exit codes,
the grid's limit, and a sweep that never writes into the workspace."""

from __future__ import annotations

import io
import json
import math
import multiprocessing
import re
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from ui_samples import free_port, make_workspace, write_calls_csv

from kit import batch, runner
from kit.cli import main
from kit.data.calls import import_calls
from kit.errors import KitError
from kit.key_figures import KEY_FIGURES, PILOT_DECISION, key_figures
from kit.pilot.definition import Pilot, read_pilot_calls, save_pilot, type_names
from kit.workspace import MARKER, Workspace


def tiny_workbooks(folder: Path, *sources: str) -> Path:
    """Workbooks that run in a moment: one per source, numbered 00, 01, ...; each takes
    ``workspace`` and ``shift`` as parameters."""
    folder.mkdir(parents=True, exist_ok=True)
    for number, source in enumerate(sources or ("x = 1",)):
        nb = nbformat.v4.new_notebook()
        nb.cells = [
            nbformat.v4.new_code_cell(
                'workspace: str = ""\nshift: int = 0', metadata={"tags": ["parameters"]}
            ),
            nbformat.v4.new_code_cell(source),
        ]
        nb.metadata["kernelspec"] = {"name": "python3", "language": "python", "display_name": "P"}
        nbformat.write(nb, folder / f"{number:02d}_tiny.ipynb")
    return folder


def city_with_calls(path: Path, *, rows: int = 240) -> Workspace:
    """The tiny jurisdiction of the app's tests with its calls imported."""
    ws = make_workspace(path)
    import_calls(ws, [write_calls_csv(path.parent / f"{path.name}-calls.csv", rows=rows)])
    return ws


def files_of(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (links as their target's name) by relative path."""
    found = {}
    for path in sorted(folder.rglob("*")):
        key = str(path.relative_to(folder))
        if path.is_symlink():
            found[key] = str(path.readlink()).encode()
        elif path.is_file():
            found[key] = path.read_bytes()
    return found


# ----------------------------------------------------------------------------- key figures


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    return city_with_calls(tmp_path_factory.mktemp("batch") / "city")


def test_key_figures_are_what_kit_funding_prints(city: Workspace, capsys) -> None:
    """The row's figures are step 03's for the saved (here: default) scenario, unchanged."""
    assert main(["funding", str(city.path), "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    row = key_figures(city)
    assert set(row) == set(KEY_FIGURES)
    assert row["scenario"] == printed["scenario"]
    for column, key in (
        ("officer_hours_moved_per_year", "hours_freed"),
        ("officers_freed_fte", "fte_freed"),
        ("service_cost_per_year", "service_cost"),
        ("net_per_year_if_redeployed", "net_if_redeployed"),
        ("net_per_year_if_not_refilled", "net_if_not_refilled"),
    ):
        assert row[column] == pytest.approx(printed[key]), column
    for name, figures in printed["responders"].items():
        assert row[f"teams_at_peak_{name}"] == figures["teams_at_peak"]
    assert row["calls_per_year"] == pytest.approx(240 / printed["years"])


def test_detectable_effect_reads_the_saved_pilot_design(tmp_path: Path) -> None:
    """Blank until a pilot design is saved with its power figures; then the design's own."""
    ws = city_with_calls(tmp_path / "ws", rows=60)
    assert key_figures(ws)["detectable_effect"] is None
    types = tuple(type_names(read_pilot_calls(ws)))[:1]
    pilot = Pilot(types, "crisis_team", tuple(ws.profile.area_names[:1]), weeks=8, design="its")
    save_pilot(ws, pilot)
    assert key_figures(ws)["detectable_effect"] is None
    save_pilot(ws, pilot, power={"design": "its", "mde": 0.18, "mde_analytic": None})
    assert ws.decisions.latest(PILOT_DECISION).document["power"]["mde"] == 0.18
    assert key_figures(ws)["detectable_effect"] == pytest.approx(0.18)


def test_the_summary_csv_keeps_a_formula_named_jurisdiction_as_text(tmp_path: Path) -> None:
    """A name a spreadsheet would run gets a leading quote; numbers, negatives too, stay numbers."""
    name = '=HYPERLINK("http://example.com","click")'
    frame = batch.summary_frame(
        [{"name": name, "status": "ok", "net_per_year_if_redeployed": -1250.5, "run": None}]
    )
    out = tmp_path / "summary.csv"
    batch.write_csv(frame, out)
    written = pd.read_csv(out, keep_default_na=False)
    assert written.loc[0, "name"] == "'" + name
    assert written.loc[0, "net_per_year_if_redeployed"] == pytest.approx(-1250.5)
    assert written.loc[0, "run"] == ""


# ----------------------------------------------------------------------------- the grid


def test_grid_is_every_combination_in_the_order_given() -> None:
    """A parameter repeated once per value; values parse as `kit run`'s do."""
    grid = batch.sweep_grid(["a=1", "b=x", "a=2", "b=y"])
    assert grid == [
        {"a": 1, "b": "x"},
        {"a": 1, "b": "y"},
        {"a": 2, "b": "x"},
        {"a": 2, "b": "y"},
    ]


@given(st.lists(st.integers(min_value=1, max_value=8), min_size=1, max_size=4))
def test_grid_size_is_the_product_of_the_counts_or_refused(counts: list[int]) -> None:
    """Every combination once, or a plain refusal above the limit."""
    pairs = [f"p{i}={v}" for i, count in enumerate(counts) for v in range(count)]
    size = math.prod(counts)
    if size > batch.MAX_SWEEP_RUNS:
        with pytest.raises(KitError, match=f"{size:,} runs; a sweep runs at most 50"):
            batch.sweep_grid(pairs)
        return
    grid = batch.sweep_grid(pairs)
    assert len(grid) == size == len({tuple(sorted(g.items())) for g in grid})


def test_a_sweep_needs_values_and_names_a_step_takes(tmp_path: Path) -> None:
    with pytest.raises(KitError, match="Give the values to sweep"):
        batch.sweep_grid([])
    with pytest.raises(KitError, match=r"No step takes the parameter\(s\) shfit"):
        batch.steps_from_first_taking(["shfit"])
    assert batch.steps_from_first_taking(["target_minutes"]) == ["03", *_after("03")]


def _after(step: str) -> list[str]:
    return [s for s in runner.steps() if s > step]


# ----------------------------------------------------------------------------- run-many


def test_a_folder_without_workspaces_exits_2(tmp_path: Path, capsys) -> None:
    (tmp_path / "notes").mkdir()
    assert main(["run-many", str(tmp_path), "--quiet"]) == 2
    assert "holds no workspace" in capsys.readouterr().err
    assert main(["run-many", str(tmp_path / "missing"), "--quiet"]) == 2


def test_a_failing_jurisdiction_is_recorded_and_the_rest_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    """Exit 1; the damaged workspace's row says why; the good ones carry their figures."""
    books = tiny_workbooks(tmp_path / "books")
    monkeypatch.setattr(runner, "workbooks", lambda: books)
    folder = tmp_path / "clients"
    good = city_with_calls(folder / "riverton", rows=80)
    Workspace.create(folder / "leeds", name="Leeds")
    (folder / "damaged").mkdir()
    (folder / "damaged" / MARKER).write_text("{not json", encoding="utf-8")
    (folder / ".hidden").mkdir()
    monkeypatch.chdir(tmp_path)
    code = main(["run-many", "clients", "--jobs", "2", "--out", "summary.csv", "--quiet"])
    captured = capsys.readouterr()
    # Runs at once never leave the working folder changed, nor the summary elsewhere.
    assert Path.cwd() == tmp_path
    out = tmp_path / "summary.csv"
    assert code == 1, captured
    assert "damaged failed" in captured.err and "Traceback" not in captured.err
    table = pd.read_csv(out).set_index("name")
    assert list(table.index) == ["damaged", "Leeds", "Testville"]
    assert table.loc["damaged", "status"] == "failed"
    assert "cannot be read" in table.loc["damaged", "reason"]
    assert table.loc["Leeds", "status"] == "skipped steps"
    assert "no calls" in table.loc["Leeds", "reason"].lower()
    assert table.loc["Testville", "status"] == "ok", table.loc["Testville", "reason"]
    expected = key_figures(good)
    assert table.loc["Testville", "officers_freed_fte"] == pytest.approx(
        expected["officers_freed_fte"], abs=0.01
    )
    assert table.loc["Testville", "calls_per_year"] == pytest.approx(
        expected["calls_per_year"], abs=0.01
    )


def test_every_jurisdiction_run_exits_0_even_with_skipped_steps(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    skip = "from kit.ui.base import StepSkipped\nraise StepSkipped('needs a survey')"
    books = tiny_workbooks(tmp_path / "books", skip)
    monkeypatch.setattr(runner, "workbooks", lambda: books)
    city_with_calls(tmp_path / "dir" / "a", rows=40)
    assert main(["run-many", str(tmp_path / "dir"), "--quiet"]) == 0
    table = pd.read_csv(io.StringIO(capsys.readouterr().out))
    assert table.loc[0, "status"] == "skipped steps"
    assert table.loc[0, "reason"] == "step 00 skipped: needs a survey"


def test_a_step_that_fails_fails_its_jurisdiction_with_blank_figures(tmp_path: Path) -> None:
    books = tiny_workbooks(tmp_path / "books", "raise ValueError('bad sheet')")
    city_with_calls(tmp_path / "dir" / "a", rows=40)
    (row,) = batch.run_many(tmp_path / "dir", jobs=1, progress=False, workbooks=books)
    assert row["status"] == "failed"
    assert (
        row["reason"] == "step 00 failed: it stopped on an unexpected error (ValueError: bad sheet)"
    )
    assert row["calls_per_year"] is None


def test_a_misspelt_parameter_stops_the_batch_before_any_run(tmp_path: Path) -> None:
    city_with_calls(tmp_path / "dir" / "a", rows=40)
    with pytest.raises(KitError, match="shfit"):
        batch.run_many(tmp_path / "dir", {"shfit": 2}, jobs=1, progress=False)
    assert not (tmp_path / "dir" / "a" / "runs").exists()


# ----------------------------------------------------------------------------- sweep


@pytest.mark.slow
def test_sweep_runs_the_grid_on_copies_and_leaves_the_workspace_as_it_was(
    tmp_path: Path, capsys
) -> None:
    """The real step 03 over two targets: a stricter one needs as many teams or more, and
    not one byte of the workspace changes."""
    ws = city_with_calls(tmp_path / "city")
    before = files_of(ws.path)
    out = tmp_path / "sweep.csv"
    args = ["sweep", str(ws.path), "-p", "target_minutes=12", "-p", "target_minutes=30"]
    assert main([*args, "--out", str(out), "--quiet", "--jobs", "2"]) == 0, capsys.readouterr()
    assert files_of(ws.path) == before
    table = pd.read_csv(out)
    assert list(table["run"]) == [1, 2] and list(table["target_minutes"]) == [12, 30]
    assert set(table["status"]) <= {"ok", "skipped steps"}
    assert not table["reason"].astype(str).str.contains("step 03").any()
    assert table["teams_at_peak_crisis_team"].iloc[0] >= table["teams_at_peak_crisis_team"].iloc[1]
    assert table["service_cost_per_year"].iloc[0] >= table["service_cost_per_year"].iloc[1]


def test_a_sweep_over_the_limit_is_refused_before_anything_runs(tmp_path: Path, capsys) -> None:
    ws = make_workspace(tmp_path / "city")
    pairs = [f"-ptarget_minutes={m}" for m in range(10, 61)]
    assert main(["sweep", str(ws.path), *pairs, "--quiet"]) == 2
    assert "51 runs; a sweep runs at most 50" in capsys.readouterr().err


# ----------------------------------------------------------------------------- on a cluster


def in_fresh_process(target, *args):
    """``target(*args)`` in a fresh interpreter. Dask leaves an event-loop thread running in
    the process that used it, and a test process that forks later with that thread alive can
    hang (another test's writers, the browser driver's exit), so the cluster never runs here."""
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        return pool.apply_async(target, args).get(timeout=200)


def cluster_run(tmp: str) -> dict:
    """Both batches on a local cluster, and what its scheduler saw."""
    from distributed import LocalCluster

    tmp_path = Path(tmp)
    books = tiny_workbooks(tmp_path / "books")
    for name in ("a", "b"):
        city_with_calls(tmp_path / "dir" / name, rows=40)
    with LocalCluster(
        n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None
    ) as cluster:
        address = cluster.scheduler_address
        rows = batch.run_many(
            tmp_path / "dir", jobs=1, scheduler=address, progress=False, workbooks=books
        )
        swept = batch.sweep(
            tmp_path / "dir" / "a",
            ["shift=1", "shift=2"],
            jobs=1,
            scheduler=address,
            progress=False,
            workbooks=books,
        )
        ran = set(cluster.scheduler.task_prefixes)
    here = batch.run_jurisdiction(tmp_path / "dir" / "a", folder=books)
    return {"rows": rows, "swept": swept, "ran": ran, "here": here}


@pytest.mark.timeout(240)
def test_run_many_and_sweep_go_to_a_dask_cluster(tmp_path: Path) -> None:
    """The same rows come back from a local Dask cluster's workers, which ran the tasks."""
    run = in_fresh_process(cluster_run, str(tmp_path))
    rows, swept = run["rows"], run["swept"]
    assert {"jurisdiction_task", "sweep_task"} <= run["ran"]  # Dask names a task by its function
    assert [r["status"] for r in rows + swept] == ["ok"] * 4
    assert [r["shift"] for r in swept] == [1, 2]
    assert {k: rows[0][k] for k in KEY_FIGURES} == {k: run["here"][k] for k in KEY_FIGURES}


def unreachable_run(tmp: str, port: int) -> str:
    """The message a batch gives when its scheduler does not answer."""
    batch.CONNECT_TIMEOUT = 1
    make_workspace(Path(tmp) / "dir" / "a")
    try:
        batch.run_many(
            Path(tmp) / "dir", jobs=1, scheduler=f"tcp://127.0.0.1:{port}", progress=False
        )
    except KitError as exc:
        return str(exc)
    return "no error"


@pytest.mark.timeout(240)
def test_an_unreachable_scheduler_is_a_plain_error(tmp_path: Path) -> None:
    message = in_fresh_process(unreachable_run, str(tmp_path), free_port())
    assert re.match(r"Cannot reach the Dask scheduler at tcp://127\.0\.0\.1:", message), message
