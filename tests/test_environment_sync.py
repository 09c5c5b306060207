"""environment.yml (for conda users) must list what pyproject.toml does, with the same bounds."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def _normalise(spec: str) -> tuple[str, str]:
    name, bounds = re.match(r"^\s*([A-Za-z0-9_.\-]+)\s*(.*)$", spec).groups()
    return name.lower().replace("_", "-"), bounds.replace(" ", "")


def _pyproject_requirements() -> dict[str, str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    specs = list(project["dependencies"])
    for extra in project["optional-dependencies"].values():
        specs += [s for s in extra if not s.startswith("rps-kit")]
    return dict(_normalise(s) for s in specs)


def _conda_requirements() -> dict[str, str]:
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    deps = [d for d in env["dependencies"] if isinstance(d, str)]
    pairs = dict(_normalise(d) for d in deps)
    pairs.pop("python", None)
    pairs.pop("pip", None)
    return pairs


def test_environment_yml_matches_pyproject() -> None:
    """Every package and bound in pyproject.toml appears identically in environment.yml."""
    assert _conda_requirements() == _pyproject_requirements()


def test_python_floor_matches() -> None:
    """Both files ask for the same minimum Python."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    floor = project["requires-python"].lstrip(">=")
    assert f"python>={floor}" in env["dependencies"]


def test_constraints_pin_every_direct_dependency() -> None:
    """The lock file the Makefile installs with pins each direct dependency to one version."""
    pins = {}
    for line in (ROOT / "constraints.txt").read_text().splitlines():
        if "==" in line:
            name, version = line.split("==", 1)
            pins[name.lower().replace("_", "-")] = version
    missing = sorted(set(_pyproject_requirements()) - set(pins))
    assert not missing, f"constraints.txt lacks pins for {missing}"
