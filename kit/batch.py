"""Many headless runs at once: every workspace of a folder, or one workspace over a grid.

``kit run-many`` runs each jurisdiction of a folder through the steps and ``kit sweep`` runs
one jurisdiction once per combination of parameter values; both go through
:func:`kit.runner.run_steps` (what ``kit run`` does) and tabulate
:func:`kit.key_figures.key_figures`, one row per run. A run that fails is recorded with
its reason in plain words and the others carry on.

The runs go to a pool of threads on this machine (each step runs in its own kernel
process, so threads are enough to keep the cores busy), or with a scheduler address to
a Dask distributed cluster, whose workers must have the kit installed and see the
workspaces at the same paths (a shared file system). No job runner of the kit's own.
"""

from __future__ import annotations

import itertools
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from functools import partial
from pathlib import Path
from typing import Any, Final

import pandas as pd

from kit import runner
from kit.errors import KitError
from kit.key_figures import KEY_FIGURES, key_figures
from kit.tables import csv_text
from kit.workspace import MARKER, Workspace

#: A sweep's grid is refused above this many runs: each is a whole headless run.
MAX_SWEEP_RUNS: Final = 50
#: Seconds to wait for a Dask scheduler to answer before saying it cannot be reached.
CONNECT_TIMEOUT: Final = 20

OK: Final = "ok"
SKIPPED: Final = "skipped steps"
FAILED: Final = "failed"

Row = dict[str, Any]
Task = Callable[[Any], Row]


def find_workspaces(folder: Path) -> list[Path]:
    """The workspaces directly inside ``folder`` (hidden folders left out), by name."""
    if not folder.is_dir():
        raise KitError(f"{folder} is not a folder: name the folder that holds the workspaces.")
    found = sorted(
        path
        for path in folder.iterdir()
        if path.is_dir() and not path.name.startswith(".") and (path / MARKER).is_file()
    )
    if not found:
        raise KitError(
            f"{folder} holds no workspace (a folder with {MARKER}); "
            "make them with `kit new` or point to the folder that holds them."
        )
    return found


def _blank_row(name: str, path: Path) -> Row:
    return {"name": name, "workspace": str(path), "status": OK, "reason": ""} | dict.fromkeys(
        KEY_FIGURES
    )


def _failed(row: Row, reason: str) -> Row:
    return row | {"status": FAILED, "reason": reason}


def _unexpected(exc: BaseException) -> str:
    return f"it stopped on an unexpected error ({type(exc).__name__}: {exc})"


def run_jurisdiction(
    path: str | Path,
    parameters: dict[str, Any] | None = None,
    *,
    only: Sequence[str] | None = None,
    folder: Path | None = None,
) -> Row:
    """Run one workspace through the steps and return its summary row; never raises.

    ``status`` is "ok", "skipped steps" (a step lacked what it needs: the reason says
    which and why) or "failed" (the reason says where and why, and the figures are
    left blank rather than shown from before the failure).
    """
    path = Path(path)
    row = _blank_row(path.name, path)
    try:
        workspace = Workspace.open(path)
        row["name"] = workspace.profile.name
        results = runner.run_steps(
            workspace, only=list(only or []), parameters=parameters, folder=folder
        )
    except KitError as exc:
        return _failed(row, str(exc))
    except Exception as exc:  # one jurisdiction's failure must not stop the batch
        return _failed(row, _unexpected(exc))
    failed = [r for r in results if r.status == "failed"]
    if failed:
        return _failed(row, "; ".join(f"step {r.step} failed: {r.message}" for r in failed))
    reasons = [f"step {r.step} skipped: {r.message}" for r in results if r.status == "skipped"]
    try:
        row |= key_figures(workspace)
    except KitError as exc:
        reasons.append(f"no figures: {exc}")
    except Exception as exc:  # recorded as its failure, like any other
        return _failed(row, f"the figures could not be worked out: {_unexpected(exc)}")
    return row | {"status": SKIPPED if reasons else OK, "reason": "; ".join(reasons)}


def sweep_run(
    source: str | Path,
    parameters: dict[str, Any],
    *,
    only: Sequence[str] | None = None,
    folder: Path | None = None,
) -> Row:
    """One run of a sweep on a temporary copy of ``source``, which is only read.

    The copy (without the executed notebooks of earlier runs) is removed afterwards, so
    nothing of the run is saved anywhere.
    """
    source = Path(source)
    with tempfile.TemporaryDirectory(prefix="kit-sweep-") as temp:
        copy = Path(temp) / source.name
        try:
            shutil.copytree(source, copy, symlinks=True, ignore=shutil.ignore_patterns("runs"))
        except OSError as exc:
            row = _failed(_blank_row(source.name, source), f"cannot copy it: {exc}")
        else:
            row = run_jurisdiction(copy, parameters, only=only, folder=folder)
    return {"run": 0, **parameters, **row, "workspace": str(source)}


def sweep_grid(pairs: Iterable[str]) -> list[dict[str, Any]]:
    """Every combination of the values given, a ``NAME=VALUE`` per value, in the order given."""
    values: dict[str, list[Any]] = {}
    for pair in pairs:
        for name, value in runner.parse_parameters([pair]).items():
            values.setdefault(name, []).append(value)
    if not values:
        raise KitError("Give the values to sweep, e.g. -p target_minutes=15 -p target_minutes=20.")
    size = 1
    for chosen in values.values():
        size *= len(chosen)
    if size > MAX_SWEEP_RUNS:
        raise KitError(
            f"That grid has {size:,} runs; a sweep runs at most {MAX_SWEEP_RUNS}. "
            "Give fewer values, or sweep one parameter at a time."
        )
    return [dict(zip(values, combo, strict=True)) for combo in itertools.product(*values.values())]


def steps_from_first_taking(names: Iterable[str], folder: Path | None = None) -> list[str]:
    """The steps from the first that takes one of ``names`` to the last: what a sweep runs.

    Earlier steps cannot change with the values swept, so they are not run again; a name
    no step takes is refused before anything runs.
    """
    known = list(runner.steps(folder))
    declared = {step: runner.step_parameters(step, folder) for step in known}
    wanted = set(names)
    unknown = sorted(wanted - {name for params in declared.values() for name in params})
    if unknown:
        raise KitError(
            f"No step takes the parameter(s) {', '.join(unknown)}. "
            "`kit run --help-step NN` lists a step's parameters."
        )
    first = next(i for i, step in enumerate(known) if wanted & set(declared[step]))
    return known[first:]


def run_all(
    task: Task,
    items: Sequence[Any],
    *,
    jobs: int,
    scheduler: str | None = None,
    progress: bool = True,
    label: str = "runs",
) -> list[Row]:
    """``task`` over ``items`` in parallel with a progress bar; rows in the order of ``items``.

    ``scheduler`` sends the tasks to a Dask distributed cluster at that address instead of
    ``jobs`` threads here.
    """
    from tqdm import tqdm

    rows: dict[int, Row] = {}
    # papermill runs each workbook in the workbooks' folder by changing this process's
    # working folder, which runs at the same time can leave changed: put it back.
    here = os.getcwd()
    try:
        with tqdm(total=len(items), desc=label, disable=not progress, file=sys.stderr) as bar:
            for index, row in (_on_cluster if scheduler else _here)(task, items, jobs, scheduler):
                rows[index] = row
                bar.update()
    finally:
        os.chdir(here)
    return [rows[i] for i in range(len(items))]


def _here(task: Task, items: Sequence[Any], jobs: int, _scheduler: str | None) -> Iterable:
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        futures = {pool.submit(task, item): i for i, item in enumerate(items)}
        for future in as_completed(futures):
            yield futures[future], future.result()


def _on_cluster(task: Task, items: Sequence[Any], _jobs: int, scheduler: str | None) -> Iterable:
    try:
        from distributed import Client
        from distributed import as_completed as completed
    except ImportError as exc:
        raise KitError(
            "--scheduler needs Dask distributed: install the kit with "
            "`pip install 'rps-kit[distributed]'`."
        ) from exc
    try:
        client = Client(scheduler, timeout=CONNECT_TIMEOUT)
    except (OSError, TimeoutError, ValueError) as exc:
        raise KitError(
            f"Cannot reach the Dask scheduler at {scheduler} ({exc}); check the address and "
            "that the scheduler is running."
        ) from exc
    with client:
        futures = client.map(task, list(items), pure=False)
        index = {future.key: i for i, future in enumerate(futures)}
        for future in completed(futures):
            i = index[future.key]
            try:
                row = future.result()
            except Exception as exc:  # a lost worker fails its runs only
                row = _failed(_blank_row(str(items[i]), Path(str(items[i]))), _unexpected(exc))
            yield i, row


def run_many(
    folder: Path,
    parameters: dict[str, Any] | None = None,
    *,
    jobs: int,
    scheduler: str | None = None,
    progress: bool = True,
    workbooks: Path | None = None,
) -> list[Row]:
    """Every workspace of ``folder`` through the steps; a row each (:func:`run_jurisdiction`)."""
    paths = [str(p.resolve()) for p in find_workspaces(folder)]
    if parameters:
        steps_from_first_taking(parameters, workbooks)  # a misspelt name stops it before any run
    task = partial(_jurisdiction_task, parameters=parameters or {}, folder=workbooks)
    return run_all(
        task, paths, jobs=jobs, scheduler=scheduler, progress=progress, label="workspaces"
    )


def sweep(
    workspace: Path,
    pairs: Iterable[str],
    *,
    jobs: int,
    scheduler: str | None = None,
    progress: bool = True,
    workbooks: Path | None = None,
) -> list[Row]:
    """One run per combination of the values in ``pairs``, each on a temporary copy."""
    source = Workspace.open(workspace).path
    grid = sweep_grid(pairs)
    only = steps_from_first_taking(grid[0], workbooks)
    task = partial(_sweep_task, source=str(source), only=only, folder=workbooks)
    rows = run_all(task, grid, jobs=jobs, scheduler=scheduler, progress=progress, label="runs")
    return [row | {"run": i} for i, row in enumerate(rows, start=1)]


def _jurisdiction_task(path: str, *, parameters: dict[str, Any], folder: Path | None) -> Row:
    return run_jurisdiction(path, parameters, folder=folder)


def _sweep_task(
    parameters: dict[str, Any], *, source: str, only: list[str], folder: Path | None
) -> Row:
    return sweep_run(source, parameters, only=only, folder=folder)


def summary_frame(rows: list[Row]) -> pd.DataFrame:
    """The rows as a table, key figures rounded as a summary shows them."""
    frame = pd.DataFrame(rows)
    numbers = frame.select_dtypes("number").columns.difference(["run", "detectable_effect"])
    frame[numbers] = frame[numbers].round(2)
    return frame


def write_csv(frame: pd.DataFrame, out: Path | None) -> None:
    """The table as CSV to ``out``, or to standard output when none is given.

    Written by :func:`kit.tables.csv_text`, so a jurisdiction or scenario named like a
    formula opens in a spreadsheet as text, not as a formula that runs.
    """
    text = csv_text(
        frame.astype(object).where(frame.notna(), None).to_dict("records"),
        [(column, column) for column in frame.columns],
    )
    if out is None:
        sys.stdout.write(text)
        return
    try:
        out.write_text(text, encoding="utf-8", newline="")
    except OSError as exc:
        raise KitError(f"Cannot write {out}: {exc.strerror or exc}.") from exc
