"""The kit installed from its wheel works with no source tree: the workbooks, templates,
presets, rules and cost defaults travel inside it, and the sample city is cached outside
the installed package."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BUDGET_SECONDS = 120

pytestmark = [pytest.mark.slow, pytest.mark.timeout(2 * BUDGET_SECONDS)]


def _run(*command: str | Path, cwd: Path, env: dict[str, str]) -> str:
    done = subprocess.run(
        [str(c) for c in command], cwd=cwd, env=env, capture_output=True, text=True, timeout=110
    )
    assert done.returncode == 0, f"{command} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict[str, str]]:
    """A fresh environment holding only the kit's wheel; the project's installed packages
    (not its source) are reached through a .pth file. Returns (bin, elsewhere, env)."""
    base = tmp_path_factory.mktemp("wheel")
    env = {k: v for k, v in os.environ.items() if k not in {"KIT_SAMPLE_BUILD", "PYTHONPATH"}}
    env["XDG_CACHE_HOME"] = str(base / "cache")
    start = time.monotonic()
    build = ["-m", "pip", "wheel", "--no-build-isolation", "--no-deps", "-q", "-w"]
    _run(sys.executable, *build, base / "dist", ROOT, cwd=base, env=env)
    wheel = next((base / "dist").glob("rps_kit-*.whl"))
    venv = base / "venv"
    _run(sys.executable, "-m", "venv", "--without-pip", venv, cwd=base, env=env)
    where = "import sysconfig; print(sysconfig.get_path('purelib'))"
    site = Path(_run(venv / "bin/python", "-c", where, cwd=base, env=env).strip())
    # Lines of a .pth add folders to the path; .pth files inside them (the checkout's
    # editable install) are not read, so the source tree stays out of reach.
    (site / "project-packages.pth").write_text(sysconfig.get_path("purelib") + "\n")
    install = ["-m", "pip", "--python", venv / "bin/python", "install", "--no-deps", "-q"]
    _run(sys.executable, *install, wheel, cwd=base, env=env)
    elsewhere = base / "elsewhere"
    elsewhere.mkdir()
    assert time.monotonic() - start < BUDGET_SECONDS / 2
    return venv / "bin", elsewhere, env


def test_kit_runs_from_the_wheel(installed: tuple[Path, Path, dict[str, str]]) -> None:
    """`kit new --sample`, `kit inventory`, `kit run --help-step` and `kit templates` work from
    another folder, in time,
    on the installed copy of the kit, and the sample city's cache is in the user cache."""
    bin_dir, elsewhere, env = installed
    start = time.monotonic()
    where = _run(
        bin_dir / "python", "-c", "import kit; print(kit.__file__)", cwd=elsewhere, env=env
    )
    assert Path(where.strip()).is_relative_to(bin_dir.parent)
    _run(bin_dir / "kit", "new", "city", "--sample", cwd=elsewhere, env=env)
    assert any((Path(env["XDG_CACHE_HOME"]) / "rps-kit" / "sample-city").iterdir())
    inventory = json.loads(
        _run(bin_dir / "kit", "inventory", "city", "--json", cwd=elsewhere, env=env)
    )
    assert {row["family"] for row in inventory} > {"proactive"}
    assert sum(row["calls"] for row in inventory) > 100_000
    help_step = _run(bin_dir / "kit", "run", "--help-step", "02", cwd=elsewhere, env=env)
    assert "preset" in help_step  # the workbooks travel in the wheel
    _run(bin_dir / "kit", "templates", "forms", cwd=elsewhere, env=env)
    assert (elsewhere / "forms" / "areas_template.csv").is_file()
    assert time.monotonic() - start < BUDGET_SECONDS


@pytest.mark.xfail(
    strict=True,
    reason="kit/funding.py still finds templates/funding/ beside the source tree; switch its "
    "TEMPLATES to kit.resources.template('funding') and drop this mark",
)
def test_funding_runs_from_the_wheel(installed: tuple[Path, Path, dict[str, str]]) -> None:
    """`kit funding` on a copy of the sample city reads the cost defaults from the wheel."""
    bin_dir, elsewhere, env = installed
    _run(bin_dir / "kit", "new", "town", "--sample", cwd=elsewhere, env=env)
    figures = json.loads(_run(bin_dir / "kit", "funding", "town", "--json", cwd=elsewhere, env=env))
    assert figures["hours_freed"] > 0
