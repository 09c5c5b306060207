"""Benchmark of importing a one-million-call CAD export, against reading it with pyarrow.

The file is the sample city's New-Orleans-shaped export (``sample_city.generate``) with
1,000,000 calls and its usual dirt (exact duplicate rows, test and void records,
placeholder points, impossible times). Each measurement runs in a fresh Python process so
that its peak memory (the process's maximum resident set) is its own. The targets: the
whole import (reading, matching, cleaning and writing the workspace) takes at most 3 times
``pyarrow.csv.read_csv`` of the same file, and peaks under 2 GB.

Beside the import, a floor is measured: the least work any import of the file must do
(read the used columns as text, turn the four time columns into zoned times, write Parquet),
so that the target can be judged against what the machine allows. CPU seconds (all threads)
are kept too: on a shared machine they vary less than wall time.

The parsing engines are compared on the same file, each reading every column as text
(which is what the import needs: times and codes are interpreted per column afterwards):
pyarrow's CSV reader, pandas' C parser, and polars and DuckDB when they are importable
(they are not dependencies of the kit; install them next to it to include them).
"""

from __future__ import annotations

import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

CALLS = 1_000_000
YEAR = 2024
TARGET_RATIO = 3.0
TARGET_PEAK_MB = 2048.0
ENGINES = ("pyarrow", "pandas", "polars", "duckdb")
REPEATS = 3
ZONE = "America/Chicago"
# the time columns of the sample city's (New-Orleans-shaped) export
TIME_COLUMNS = ("TimeCreate", "TimeDispatch", "TimeArrive", "TimeClosed")


def _peak_mb() -> float:
    """This process's peak resident memory (VmHWM: its own, not inherited from a parent)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024.0
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def _engine_read(engine: str, path: Path) -> int:
    """Read every column of ``path`` as text with one engine; returns the rows read."""
    if engine == "pyarrow":
        import pyarrow as pa
        import pyarrow.csv as pacsv

        header = path.open(encoding="utf-8").readline().rstrip("\n").split(",")
        types = dict.fromkeys(header, pa.string())
        convert = pacsv.ConvertOptions(column_types=types)
        return pacsv.read_csv(path, convert_options=convert).num_rows
    if engine == "pandas":
        import pandas as pd

        return len(pd.read_csv(path, dtype=str, keep_default_na=False, engine="c"))
    if engine == "polars":
        import polars as pl

        return pl.read_csv(path, infer_schema=False).height
    if engine == "duckdb":
        import duckdb

        query = "SELECT count(*) FROM (SELECT * FROM read_csv(?, all_varchar = true))"
        return int(duckdb.execute(query, [str(path)]).fetchone()[0])
    raise ValueError(engine)


def _cpu_seconds() -> float:
    """User plus system time of this process so far (all its threads)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _floor(path: Path, folder: Path) -> int:
    """The least any import of this file does: read the used columns as text, turn the four
    time columns into times in the jurisdiction's zone, write Parquet as the workspace does.
    No cleaning at all."""
    from concurrent.futures import ThreadPoolExecutor

    import pyarrow as pa
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    from kit.data.times import parse_times
    from kit.workspace import parquet_options

    header = path.open(encoding="utf-8").readline().rstrip("\n").split(",")
    convert = pacsv.ConvertOptions(column_types=dict.fromkeys(header, pa.string()))
    table = pacsv.read_csv(path, convert_options=convert)
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        parsed = list(pool.map(lambda c: parse_times(table.column(c), ZONE).values, TIME_COLUMNS))
    for name, values in zip(TIME_COLUMNS, parsed, strict=True):
        table = table.set_column(table.schema.get_field_index(name), name, values)
    folder.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, folder / "calls.parquet", **parquet_options(table))
    return table.num_rows


def _floor_duckdb(path: Path, folder: Path) -> int:
    """The same floor with DuckDB reading the file and parsing the times (in parallel)."""
    import duckdb
    import pyarrow.parquet as pq

    from kit.workspace import parquet_options

    con = duckdb.connect()
    con.execute(f"SET TimeZone = '{ZONE}'")
    fmt = "%m/%d/%Y %I:%M:%S %p"
    times = ", ".join(f"try_strptime({c}, '{fmt}')::TIMESTAMPTZ AS {c}" for c in TIME_COLUMNS)
    query = f"SELECT * REPLACE ({times}) FROM read_csv(?, all_varchar = true)"
    table = con.execute(query, [str(path)]).to_arrow_table()
    folder.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, folder / "calls.parquet", **parquet_options(table))
    return table.num_rows


def child(kind: str, path: Path, workspace: Path | None) -> dict[str, Any]:
    """One measurement (or making the file), run in its own process."""
    start = time.perf_counter()
    cpu = _cpu_seconds()
    if kind == "make":
        from sample_city.generate import calls_export

        calls_export(YEAR, rows=CALLS).to_csv(path, index=False)
        return {"seconds": round(time.perf_counter() - start, 3)}
    if kind == "baseline":
        import pyarrow.csv as pacsv

        rows = pacsv.read_csv(path).num_rows
        extra: dict[str, Any] = {}
    elif kind == "import":
        from kit.data.calls import import_calls
        from kit.workspace import Workspace

        assert workspace is not None
        ws = Workspace.create(workspace, timezone=ZONE)
        start, cpu = time.perf_counter(), _cpu_seconds()
        report = import_calls(ws, [path])
        rows = report.rows_read
        extra = {"calls_held": report.calls_held, "rows_collapsed": report.rows_collapsed}
        extra["problems"] = {k: p.count for k, p in report.problems.items()}
    elif kind in ("floor", "floor_duckdb"):
        assert workspace is not None
        rows, extra = (_floor if kind == "floor" else _floor_duckdb)(path, workspace), {}
    else:
        rows = _engine_read(kind, path)
        extra = {}
    seconds = time.perf_counter() - start
    return {
        "seconds": round(seconds, 3),
        "cpu_seconds": round(_cpu_seconds() - cpu, 3),
        "peak_mb": round(_peak_mb(), 1),
        "rows": rows,
        **extra,
    }


def _measure(kind: str, path: Path, workspace: Path | None = None) -> dict[str, Any] | None:
    command = [sys.executable, "-m", "bench.bench_import", "--child", kind, str(path)]
    if workspace is not None:
        command.append(str(workspace))
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        if "ModuleNotFoundError" in done.stderr:
            return None  # an optional engine that is not installed
        raise RuntimeError(f"{kind} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> dict[str, Any]:
    """Make the file, measure the import and the engines, and return the figures."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "calls.csv"
        _measure("make", path)
        size_mb = path.stat().st_size / 1e6
        load = os.getloadavg()[0]
        # alternate the two, and keep each one's fastest run, so that a busy moment on a
        # shared machine does not land on one side of the ratio only
        baselines, imports, floors = [], [], []
        for i in range(REPEATS):
            baselines.append(_measure("baseline", path))
            imports.append(_measure("import", path, Path(folder) / f"ws{i}"))
            floors.append(_measure("floor", path, Path(folder) / f"floor{i}"))
        engines = {name: _measure(name, path) for name in ENGINES}
        duck_floor = _measure("floor_duckdb", path, Path(folder) / "floor_duckdb")
    baseline = min((b for b in baselines if b), key=lambda r: r["seconds"])
    imported = min((m for m in imports if m), key=lambda r: r["seconds"])
    floor = min((f for f in floors if f), key=lambda r: r["seconds"])
    ratio = imported["seconds"] / baseline["seconds"]
    return {
        "file": {"calls": CALLS, "rows": baseline["rows"], "megabytes": round(size_mb, 1)},
        "baseline_pyarrow_read_csv": baseline,
        "import": imported,
        "runs_seconds": {
            "baseline": [b["seconds"] for b in baselines if b],
            "import": [m["seconds"] for m in imports if m],
            "floor": [f["seconds"] for f in floors if f],
        },
        "ratio_import_to_pyarrow": round(ratio, 2),
        "floor_read_times_write": floor,
        "ratio_floor_to_pyarrow": round(floor["seconds"] / baseline["seconds"], 2),
        "floor_with_duckdb": duck_floor,
        "ratio_cpu_import_to_pyarrow": round(imported["cpu_seconds"] / baseline["cpu_seconds"], 2),
        "target_ratio": TARGET_RATIO,
        "ratio_met": ratio <= TARGET_RATIO,
        "peak_mb_met": imported["peak_mb"] < TARGET_PEAK_MB,
        "target_peak_mb": TARGET_PEAK_MB,
        "engines_read_all_text": {k: v for k, v in engines.items() if v is not None},
        "engines_not_installed": [k for k, v in engines.items() if v is None],
        "machine": {
            "cpus": os.cpu_count(),
            "load_average_at_start": round(load, 2),
            "python": platform.python_version(),
        },
    }


if __name__ == "__main__":
    if len(sys.argv) >= 4 and sys.argv[1] == "--child":
        ws = Path(sys.argv[4]) if len(sys.argv) > 4 else None
        print(json.dumps(child(sys.argv[2], Path(sys.argv[3]), ws)))
    else:
        print(json.dumps(main(), indent=2))
