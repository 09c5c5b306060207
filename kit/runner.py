"""Run workbooks headless with papermill: the same steps the app shows, with no person present.

Each workbook's ``parameters`` cell is its interface: ``kit run`` passes the
workspace and any ``-p NAME=VALUE`` the step declares, papermill executes the
notebook, and the executed copy is kept in the workspace under ``runs/`` as a record
of what was computed. A step that cannot run yet raises
:class:`kit.ui.base.StepSkipped` and is reported as skipped with its reason; any
other failure stops the run with the step's plain message.
"""

from __future__ import annotations

import ast
import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from kit.errors import KitError
from kit.resources import workbooks

if TYPE_CHECKING:
    from kit.workspace import Workspace

_STEP_NAME = re.compile(r"^(\d\d)_[a-z0-9_]+\.ipynb$")
_KIT_ERRORS = {"KitError", "ConflictError"}


@dataclass(frozen=True)
class StepResult:
    """What happened to one step of a run."""

    step: str
    status: Literal["ran", "skipped", "failed"]
    message: str
    notebook: Path | None

    def line(self) -> str:
        """One plain line for the terminal."""
        where = f" (executed notebook: {self.notebook})" if self.notebook else ""
        return f"step {self.step} {self.status}: {self.message}{where}"


def steps(folder: Path | None = None) -> dict[str, Path]:
    """The workbooks by step number ("00" -> 00_set_up.ipynb), in order."""
    found = {}
    for path in sorted((folder or workbooks()).glob("*.ipynb")):
        match = _STEP_NAME.match(path.name)
        if match:
            found[match.group(1)] = path
    return found


def workbook(step: str, folder: Path | None = None) -> Path:
    """The workbook of one step; a plain error naming the steps there are when unknown."""
    known = steps(folder)
    key = str(step).zfill(2)
    if key not in known:
        raise KitError(f"There is no step {step!r}. The steps are: {', '.join(known)}.")
    return known[key]


def step_parameters(step: str, folder: Path | None = None) -> dict[str, dict[str, Any]]:
    """A step's parameters as papermill reads them: name -> type, default and comment."""
    import papermill

    return dict(papermill.inspect_notebook(str(workbook(step, folder))))


def describe_step(step: str, folder: Path | None = None) -> str:
    """The help text of ``kit run --help-step NN``: each parameter's type, default and comment."""
    path = workbook(step, folder)
    lines = [f"Step {str(step).zfill(2)} ({path.stem}) takes these parameters:"]
    for name, info in step_parameters(step, folder).items():
        kind = info.get("inferred_type_name") or "any"
        lines.append(f"  {name}: {kind} = {info.get('default')}")
        if info.get("help"):
            lines.append(f"      {info['help']}")
    return "\n".join(lines)


def parse_parameters(pairs: list[str]) -> dict[str, Any]:
    """Turn ``NAME=VALUE`` pairs into values: Python literals when they parse, text otherwise."""
    values: dict[str, Any] = {}
    for pair in pairs:
        name, sep, raw = pair.partition("=")
        name = name.strip()
        if not sep or not name.isidentifier():
            raise KitError(f"Parameters are written NAME=VALUE; {pair!r} is not.")
        try:
            values[name] = ast.literal_eval(raw)
        except (ValueError, SyntaxError):
            values[name] = raw
    return values


def run_steps(
    ws: Workspace,
    *,
    only: list[str] | None = None,
    parameters: dict[str, Any] | None = None,
    folder: Path | None = None,
    kernel_name: str = "python3",
) -> list[StepResult]:
    """Run the chosen steps (all, in order, when none is named) and stop at the first failure."""
    import papermill
    from papermill.exceptions import PapermillExecutionError

    parameters = dict(parameters or {})
    known = steps(folder)
    chosen = [str(s).zfill(2) for s in only] if only else list(known)
    for key in chosen:
        workbook(key, folder)
    declared = {key: step_parameters(key, folder) for key in chosen}
    unknown = sorted(set(parameters) - {n for names in declared.values() for n in names})
    if unknown:
        raise KitError(
            f"No step chosen takes the parameter(s) {', '.join(unknown)}. "
            "`kit run --help-step NN` lists a step's parameters."
        )
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    results: list[StepResult] = []
    for key in chosen:
        source = known[key]
        output = ws.safe_path("runs", stamp, source.name)
        output.parent.mkdir(parents=True, exist_ok=True)
        given = {k: v for k, v in parameters.items() if k in declared[key]}
        given["workspace"] = str(ws.path.resolve())
        try:
            papermill.execute_notebook(
                str(source),
                str(output),
                parameters=given,
                kernel_name=kernel_name,
                progress_bar=False,
                cwd=str(source.parent),
            )
        except PapermillExecutionError as exc:
            if exc.ename == "StepSkipped":
                results.append(StepResult(key, "skipped", exc.evalue, output))
                continue
            if exc.ename in _KIT_ERRORS:
                message = exc.evalue
            else:
                message = f"it stopped on an unexpected error ({exc.ename}: {exc.evalue})"
            results.append(StepResult(key, "failed", message, output))
            break
        results.append(StepResult(key, "ran", "done", output))
    return results
