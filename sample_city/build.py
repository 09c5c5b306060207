"""Assemble the sample city into a ready workspace, once, and hand out copies of it.

The template workspace is built by the same path a city's staff take (create the
workspace, save the profile from the areas CSV, import each year's CAD export, add
the budget and survey tables), so the sample exercises the real import and its
quality report. Building takes a while, so the result is cached in the user's cache
folder (``~/.cache/rps-kit/sample-city/KEY/`` on Linux; ``KIT_SAMPLE_BUILD`` names
another), never inside the installed package, which may be read-only. KEY hashes the
generator's source, the seed and the kit modules the build runs (import, workspace):
a change to any of them rebuilds it. Test workers and workshop participants build at
the same time, so the build runs under a file lock and is published by renaming a
finished folder into place.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Final

from platformdirs import user_cache_dir

import kit
from kit.community.survey import import_survey
from kit.data.budget import read_budget
from kit.data.calls import import_calls
from kit.errors import KitError
from kit.profile import Profile
from kit.workspace import Workspace
from sample_city import generate

BUILD_ENV: Final = "KIT_SAMPLE_BUILD"
# The kit's code a build runs: a change there can change the workspace it makes.
_KIT_SOURCES: Final[tuple[str, ...]] = (
    "data/*.py",
    "community/survey.py",
    "community/scrub.py",
    "workspace.py",
    "steps.py",
    "profile.py",
    "decisions.py",
    "errors.py",
)
_APP_NAME: Final = "rps-kit"
_READY: Final = "workspace"
_LOCK: Final = ".lock"

Progress = Callable[[str], None]


def build_dir() -> Path:
    """Where builds are cached: ``$KIT_SAMPLE_BUILD``, else the user's cache folder."""
    chosen = os.environ.get(BUILD_ENV)
    if chosen:
        return Path(chosen).expanduser()
    return Path(user_cache_dir(_APP_NAME, appauthor=False)) / "sample-city"


@contextmanager
def _locked(folder: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``folder`` (one builder at a time, across processes)."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle = open(folder / _LOCK, "a+")  # noqa: SIM115 - closed below, after the unlock
    except OSError as exc:
        raise KitError(
            f"Cannot write the sample city's cache in {folder} ({exc.strerror or exc}); set "
            f"{BUILD_ENV} to a folder you can write to."
        ) from exc
    with handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _assemble(raw: dict[str, Path], target: Path, progress: Progress) -> None:
    """Build the template workspace at ``target`` from the raw files, as a user would."""
    workspace = Workspace.create(target, name=generate.CITY_NAME, timezone=generate.TIMEZONE)
    profile = Profile.from_csv(raw["areas"], base=workspace.profile)
    workspace.save_profile(replace(profile, fiscal_year_start=generate.FISCAL_YEAR_START))
    for i, year in enumerate(generate.YEARS):
        progress(f"importing the {year} calls")
        import_calls(workspace, [raw[f"calls_{year}"]], append=i > 0)
    workspace.write_data({"budget": read_budget(raw["budget"])})
    import_survey(workspace, raw["survey"])


def build_key() -> str:
    """The cache key: the generator's digest and the source of the kit code a build runs."""
    digest = hashlib.sha256(generate.source_digest().encode())
    root = Path(kit.__file__).resolve().parent
    for pattern in _KIT_SOURCES:
        for path in sorted(root.glob(pattern)):
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _build_locked(folder: Path, force: bool, say: Progress) -> Path:
    key = build_key()
    home = folder / key
    ready = home / _READY
    if ready.is_dir() and not force:
        return ready
    for old in folder.iterdir():
        if old.is_dir() and old.name != key:
            shutil.rmtree(old, ignore_errors=True)
    shutil.rmtree(home, ignore_errors=True)
    say("generating the raw files")
    raw = generate.write_raw(home / "raw")
    staging = home / f"staging-{os.getpid()}"
    _assemble(raw, staging, say)
    os.replace(staging, ready)
    return ready


def build(*, force: bool = False, progress: Progress | None = None) -> Path:
    """The cached template workspace of the sample city, built first if needed.

    ``force`` rebuilds even when a build for this generator and seed exists. Older
    builds (other keys) are removed. Returns the template's folder: copy it, never
    open it for writing.
    """
    folder = build_dir()
    with _locked(folder):
        return _build_locked(folder, force, progress or (lambda _message: None))


def sample_workspace(dest: str | os.PathLike[str], *, name: str | None = None) -> Workspace:
    """A ready copy of the sample city at ``dest`` (which must not exist or be empty).

    ``name`` renames the copy's jurisdiction (the profile's name), e.g. a workshop
    participant's own copy. The copy is taken under the build lock, so a rebuild in
    another process cannot remove the template half-way through.
    """
    target = Path(dest).expanduser().absolute()
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise KitError(
            f"{target} already exists and is not an empty folder; choose a new folder name."
        )
    folder = build_dir()
    with _locked(folder):
        template = _build_locked(folder, False, lambda _message: None)
        if target.exists():
            target.rmdir()
        try:
            shutil.copytree(template, target, symlinks=True)
        except OSError as exc:
            shutil.rmtree(target, ignore_errors=True)
            raise KitError(
                f"Cannot copy the sample city to {target}: {exc.strerror or exc}."
            ) from exc
    workspace = Workspace.open(target)
    workspace.mark_sample_copy(generate.CITY_NAME)
    if name is not None and name != workspace.profile.name:
        workspace.save_profile(
            replace(workspace.profile, name=name), base_version=workspace.profile_version
        )
    return workspace
