"""Run every ``bench/bench_*.py`` module's ``main()``; write each result to bench/results/NAME.json.

``python -m bench`` runs them all; ``python -m bench import roles`` runs only those named
(NAME is the module name without ``bench_``). Each result is the dict ``main()`` returns,
measured in one run, so ratios inside one file compare like with like.
"""

from __future__ import annotations

import importlib
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"


def available() -> list[str]:
    """Names of the benchmarks in this folder."""
    return sorted(p.stem.removeprefix("bench_") for p in HERE.glob("bench_*.py"))


def run(names: list[str]) -> int:
    """Run the named benchmarks (all when empty); returns the exit code."""
    known = available()
    unknown = [n for n in names if n not in known]
    if unknown:
        sys.stderr.write(f"unknown benchmark(s): {', '.join(unknown)}; known: {', '.join(known)}\n")
        return 2
    RESULTS.mkdir(exist_ok=True)
    for name in names or known:
        module = importlib.import_module(f"bench.bench_{name}")
        print(f"running {name} ...", flush=True)
        result = module.main()
        path = RESULTS / f"{name}.json"
        path.write_text(json.dumps(result, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        print(f"  wrote {path.relative_to(HERE.parent)}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(run(sys.argv[1:]))
