"""A jurisdiction's workspace: one folder with its profile, imported data and decisions.

Layout::

    WORKSPACE/
      kit-workspace.json   marks the folder as a workspace (format, creation time, name, zone)
      decisions.sqlite     versioned decisions, drafts and the audit log (see kit.decisions)
      data -> .data/v000007  the current data version (a symlink swapped atomically)
      .data/v000007/       calls.parquet, import_report.json, other tables
      .data.lock           held while a writer swaps the data link

Writing data must never leave a half-written set of files behind (calls from one
import next to the report of another), so :meth:`Workspace.write_data` builds a
complete new version folder, links the unchanged files into it, and then swaps the
``data`` symlink with one ``os.replace``; readers see the old version or the new
one, never a mix. Leftovers of a crash are removed the next time the workspace is
opened. This needs symbolic links (Linux, macOS; Windows only with developer mode).
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import secrets
import shutil
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, suppress
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any, Final

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from kit.data.date_order import check_date_order
from kit.data.schema import arrow_schema
from kit.decisions import (
    AuditEntry,
    Decision,
    DecisionStore,
    Draft,
    SqliteDecisionStore,
    current_user,
    to_json_value,
)
from kit.errors import KitError
from kit.profile import (
    DEFAULT_TIMEZONE,
    Area,
    Profile,
    check_timezone,
    read_areas_csv,
)
from kit.steps import step_keeping
from kit.suppression import DEFAULT_SMALL_COUNT, check_threshold

__all__ = [
    "Area",
    "AuditEntry",
    "Decision",
    "DecisionStore",
    "Draft",
    "Profile",
    "Workspace",
    "current_user",
    "read_areas_csv",
]

MARKER: Final = "kit-workspace.json"
DECISIONS_FILE: Final = "decisions.sqlite"
DATA_LINK: Final = "data"
DATA_STORE: Final = ".data"
DATA_LOCK: Final = ".data.lock"
UPLOADS_DIR: Final = "uploads"  # files uploaded in the app
LOCK_TIMEOUT_S: Final = 30.0
WORKSPACE_FORMAT: Final = 1
PROFILE_DECISION: Final = "profile"
TABLE_NAME: Final = re.compile(r"[a-z][a-z0-9_]{0,63}")

_VERSION_DIR: Final = re.compile(r"v(\d{6,})")
_SAMPLE_ROWS: Final = 10_000  # rows that show whether a text column repeats
_TEMP_ENTRY: Final = re.compile(r"(?:tmp|link)-(\d+)-[0-9a-f]+")
# Readers resolve the data link, then open; a swap in between can remove the old file.
_READ_ATTEMPTS: Final = 3


def _check_table_name(name: object) -> str:
    if not isinstance(name, str) or not TABLE_NAME.fullmatch(name):
        raise KitError(
            f"{name!r} is not a valid table name: use lower-case letters, digits and "
            "underscores, starting with a letter."
        )
    return name


def _fsync_dir(path: Path) -> None:
    """Make a rename or new entry in ``path`` durable (no-op where unsupported)."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        with suppress(OSError):
            os.fsync(fd)
    finally:
        os.close(fd)


def _write_file_durably(path: Path, data: bytes) -> None:
    with open(path, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def _atomic_write(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` so a crash leaves either the old or the new file."""
    temp = path.with_name(f".{path.name}.tmp-{os.getpid()}-{secrets.token_hex(4)}")
    try:
        _write_file_durably(temp, data)
        os.replace(temp, path)
    finally:
        with suppress(FileNotFoundError):
            temp.unlink()
    _fsync_dir(path.parent)


def _link_or_copy(source: Path, target: Path) -> None:
    """Carry an unchanged file into the new version (a hard link costs no space)."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)
        with open(target, "rb+") as handle:
            os.fsync(handle.fileno())


@contextmanager
def _exclusive(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``path`` (released by the OS if the process dies)."""
    with open(path, "a+b") as handle:
        deadline = time.monotonic() + LOCK_TIMEOUT_S
        while True:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise KitError(
                        "Another program has been writing this workspace's data for over "
                        f"{LOCK_TIMEOUT_S:.0f} seconds; wait for it to finish and try again."
                    ) from None
                time.sleep(0.01)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def _pid_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _to_arrow(name: str, table: pa.Table | pd.DataFrame) -> pa.Table:
    if isinstance(table, pa.Table):
        return table
    if isinstance(table, pd.DataFrame):
        try:
            return pa.Table.from_pandas(table, preserve_index=False)
        except (pa.ArrowException, TypeError, ValueError) as exc:
            raise KitError(f"Table {name!r} cannot be stored as Parquet: {exc}") from exc
    raise KitError(f"Table {name!r} must be a pandas DataFrame or a pyarrow Table.")


def parquet_options(table: pa.Table) -> dict[str, Any]:
    """Dictionary pages for text that repeats, min/max statistics for all but text.

    Why: on a million calls, hashing unique text (call ids) into dictionaries that then
    overflow, and min/max statistics of text columns that nothing reads, took about half
    of the write. Whether text repeats is judged on its first rows.
    """
    repeating, ranked = [], []
    for field in table.schema:
        kind = field.type
        if pa.types.is_dictionary(kind):
            repeating.append(field.name)
        elif pa.types.is_string(kind) or pa.types.is_large_string(kind):
            head = table.column(field.name).slice(0, _SAMPLE_ROWS)
            if pc.count_distinct(head).as_py() <= len(head) // 2:
                repeating.append(field.name)
        else:
            ranked.append(field.name)
    return {"use_dictionary": repeating, "write_statistics": ranked}


def _folder(path: str | os.PathLike[str]) -> Path:
    """A workspace folder given by a person, as an absolute path."""
    text = os.fspath(path)
    if not isinstance(text, str) or not text.strip() or "\x00" in text:
        raise KitError(f"{text!r} is not a usable folder name.")
    return Path(text).expanduser().absolute()


class Workspace:
    """One jurisdiction's folder; open it with :meth:`open` or make one with :meth:`create`."""

    def __init__(self, path: Path, marker: dict[str, Any]) -> None:
        self.path = path
        self._marker = marker
        self.decisions: DecisionStore = SqliteDecisionStore(path / DECISIONS_FILE)

    def __repr__(self) -> str:
        return f"Workspace({str(self.path)!r})"

    # ----------------------------------------------------------------- create / open

    @classmethod
    def create(
        cls,
        path: str | os.PathLike[str],
        *,
        name: str | None = None,
        timezone: str | None = None,
        date_order: str | None = None,
        small_count: int | None = None,
    ) -> Workspace:
        """Make a new, empty workspace at ``path`` (which must not exist or be empty).

        ``name`` defaults to the folder's name and ``timezone`` to UTC; both become the
        default profile until a profile is saved. ``date_order`` (day-first or
        month-first) reads dates whose values leave it open; without it, the time
        zone's usual order does. ``small_count`` is the threshold below which counts are
        not published (default :data:`~kit.suppression.DEFAULT_SMALL_COUNT`).
        """
        root = _folder(path)
        if root.exists() and (not root.is_dir() or any(root.iterdir())):
            raise KitError(
                f"{root} already exists and is not an empty folder; choose a new folder name."
            )
        timezone = check_timezone(timezone if timezone is not None else DEFAULT_TIMEZONE)
        name = root.name if name is None else name
        if date_order is not None:
            check_date_order(date_order, "--date-order")
        if small_count is not None:
            check_threshold(small_count)
        problems = Profile(name=name, population=1, timezone=timezone).problems()
        if problems:
            raise KitError(problems[0])
        try:
            root.mkdir(parents=True, exist_ok=True)
            root = root.resolve()
            SqliteDecisionStore.create(root / DECISIONS_FILE)
            first = root / DATA_STORE / "v000001"
            first.mkdir(parents=True)
            os.symlink(os.path.join(DATA_STORE, first.name), root / DATA_LINK)
            marker = {
                "format": WORKSPACE_FORMAT,
                "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
                "name": name,
                "timezone": timezone,
            }
            if date_order is not None:
                marker["date_order"] = date_order
            if small_count is not None:
                marker["small_count"] = small_count
            # Written last: a folder with the marker is a complete workspace.
            _atomic_write(root / MARKER, (json.dumps(marker, indent=2) + "\n").encode())
        except OSError as exc:
            raise KitError(
                f"Cannot create the workspace at {root}: {exc.strerror or exc}."
            ) from exc
        return cls(root, marker)

    @classmethod
    def open(cls, path: str | os.PathLike[str]) -> Workspace:
        """Open an existing workspace, tidying what an interrupted write left behind."""
        root = _folder(path)
        marker_path = root / MARKER
        if not marker_path.is_file():
            raise KitError(
                f"{root} is not a kit workspace (it has no {MARKER}); create one with "
                f"`kit new {root.name}`."
            )
        try:
            marker = json.loads(marker_path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise KitError(f"{MARKER} in {root} cannot be read ({exc}).") from exc
        if not isinstance(marker, dict) or not isinstance(marker.get("format"), int):
            raise KitError(f"{MARKER} in {root} is damaged; restore the workspace from a backup.")
        if marker["format"] > WORKSPACE_FORMAT:
            raise KitError(f"The workspace {root.name} was made by a newer kit; upgrade the kit.")
        workspace = cls(root.resolve(), marker)
        workspace.decisions.check()
        workspace._tidy_data()
        return workspace

    # ----------------------------------------------------------------- profile

    @property
    def profile(self) -> Profile:
        """The latest saved profile, or a default one (population 0, no areas) before that."""
        saved = self.decisions.latest(PROFILE_DECISION)
        if saved is not None:
            return Profile.from_document(saved.document)
        return Profile(
            name=str(self._marker.get("name") or self.path.name),
            population=0,
            timezone=str(self._marker.get("timezone") or DEFAULT_TIMEZONE),
        )

    @property
    def date_order(self) -> str | None:
        """The day and month order set when the workspace was created (None: the zone's)."""
        order = self._marker.get("date_order")
        return order if isinstance(order, str) else None

    @property
    def small_count(self) -> int:
        """Counts from 1 to this minus 1 are hidden in everything printed or exported."""
        value = self._marker.get("small_count")
        return value if isinstance(value, int) and value >= 1 else DEFAULT_SMALL_COUNT

    def set_small_count(self, threshold: int) -> None:
        """Change the small-count threshold; pages made from now on follow it."""
        check_threshold(threshold)
        self._update_marker(small_count=threshold)

    @property
    def sample_copy(self) -> str | None:
        """What this workspace is a copy of (e.g. the sample city's name), or None."""
        value = self._marker.get("sample_copy")
        return value if isinstance(value, str) else None

    def mark_sample_copy(self, of: str) -> None:
        """Record that this workspace was made as a copy of ``of``, so it can be reset to it."""
        self._update_marker(sample_copy=of)

    def _update_marker(self, **fields: Any) -> None:
        with _exclusive(self.path / DATA_LOCK):
            # Read again under the lock, so a change made meanwhile elsewhere is kept.
            saved = json.loads((self.path / MARKER).read_text(encoding="utf-8"))
            marker = {**saved, **fields}
            _atomic_write(self.path / MARKER, (json.dumps(marker, indent=2) + "\n").encode())
        self._marker = marker

    @property
    def profile_version(self) -> int | None:
        """Version of the saved profile (pass it as ``base_version`` when saving on top)."""
        saved = self.decisions.latest(PROFILE_DECISION)
        return None if saved is None else saved.version

    def save_profile(
        self,
        profile: Profile,
        *,
        step: str | None = None,
        user: str | None = None,
        base_version: int | None = None,
    ) -> int:
        """Validate and save the profile as a new version of the ``profile`` decision.

        The audit log names ``step``, else the step that keeps the profile (kit.steps).
        """
        profile.validate()
        step = step_keeping("decision", PROFILE_DECISION) if step is None else step
        return self.decisions.save(
            PROFILE_DECISION, profile.to_document(), base_version=base_version, step=step, user=user
        )

    # ----------------------------------------------------------------- paths

    def safe_path(self, *parts: str | os.PathLike[str]) -> Path:
        """``parts`` joined under the workspace; KitError if that would lead outside it.

        Absolute paths, drive letters, ``..`` components, NUL bytes and symbolic links
        that point outside the workspace are all refused.
        """
        for part in parts:
            text = os.fspath(part)
            if not isinstance(text, str):
                raise KitError("Paths in a workspace must be text.")
            if "\x00" in text:
                raise KitError("A path in the workspace cannot contain a NUL character.")
            posix, windows = PurePosixPath(text), PureWindowsPath(text)
            if posix.is_absolute() or windows.anchor:
                raise KitError(f"{text!r} is an absolute path; give a path inside the workspace.")
            if ".." in posix.parts or ".." in windows.parts:
                raise KitError(f"{text!r} leads outside the workspace ('..' is not allowed).")
        candidate = self.path.joinpath(*parts)
        try:
            resolved = candidate.resolve()
        except (OSError, RuntimeError, ValueError) as exc:
            raise KitError(f"{os.fspath(candidate)!r} cannot be resolved: {exc}.") from exc
        if not resolved.is_relative_to(self.path):
            raise KitError(
                f"{os.path.join(*map(os.fspath, parts))!r} leads outside the workspace "
                "(through a symbolic link)."
            )
        return candidate

    # ----------------------------------------------------------------- data: reading

    def _data_file(self, name: str, suffix: str) -> Path:
        return self.safe_path(DATA_LINK, f"{_check_table_name(name)}{suffix}")

    def has_table(self, name: str) -> bool:
        """Whether data/NAME.parquet exists."""
        return self._data_file(name, ".parquet").is_file()

    def read_table(self, name: str, columns: list[str] | None = None) -> pd.DataFrame:
        """data/NAME.parquet as a DataFrame (optionally only some columns)."""
        return self.read_arrow(name, columns).to_pandas()

    def read_arrow(self, name: str, columns: list[str] | None = None) -> pa.Table:
        """data/NAME.parquet as an Arrow table (optionally only some columns)."""
        path = self._data_file(name, ".parquet")
        attempt = 1
        while True:
            try:
                with open(os.path.realpath(path), "rb") as handle:
                    return pq.read_table(handle, columns=columns)
            except FileNotFoundError:
                if attempt < _READ_ATTEMPTS and path.is_file():
                    attempt += 1
                    continue
                raise KitError(
                    f"The workspace has no {name!r} table yet; import it first "
                    "(for calls: `kit import calls WORKSPACE FILE`)."
                ) from None
            except (pa.ArrowException, OSError) as exc:
                raise KitError(
                    f"The {name!r} table cannot be read ({exc}); import it again."
                ) from exc

    def columns(self, name: str) -> list[str]:
        """The column names of data/NAME.parquet, read from its footer only."""
        path = self._data_file(name, ".parquet")
        try:
            return list(pq.read_schema(os.path.realpath(path)).names)
        except FileNotFoundError:
            raise KitError(f"The workspace has no {name!r} table yet; import it first.") from None
        except (pa.ArrowException, OSError) as exc:
            raise KitError(f"The {name!r} table cannot be read ({exc}); import it again.") from exc

    def read_json(self, name: str) -> dict[str, Any] | None:
        """data/NAME.json as a dict, or None when there is no such file."""
        path = self._data_file(name, ".json")
        attempt = 1
        while True:
            try:
                with open(os.path.realpath(path), "rb") as handle:
                    value = json.loads(handle.read().decode("utf-8"))
                break
            except FileNotFoundError:
                if attempt < _READ_ATTEMPTS and path.is_file():
                    attempt += 1
                    continue
                return None
            except (UnicodeDecodeError, json.JSONDecodeError) as exc:
                raise KitError(f"data/{name}.json cannot be read ({exc}); import again.") from exc
        if not isinstance(value, dict):
            raise KitError(f"data/{name}.json does not hold a JSON object; import again.")
        return value

    def data_version(self) -> str | None:
        """The version of the imported data in use (a new one on every import; None: none)."""
        return self._current_name()

    def state_key(self) -> tuple[str | None, tuple[tuple[str, int], ...]]:
        """What the workspace holds, in a form cheap to compare: the data version and
        each decision's latest version. A page warmed in advance compares it with the
        key it was drawn from to know whether it must re-read anything."""
        return self._current_name(), tuple(sorted(self.decisions.names().items()))

    def save_upload(self, name: str, content: bytes) -> Path:
        """Keep an uploaded file as uploads/NAME, replacing any earlier one all at once.

        Written beside it first and then renamed, so a page reading the earlier file (two
        people uploading at once) never sees half of the new one.
        """
        target = self.safe_path(UPLOADS_DIR, name)
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(f".{target.name}.{os.getpid()}-{secrets.token_hex(4)}")
        try:
            partial.write_bytes(content)
            os.replace(partial, target)
        except OSError as exc:
            raise KitError(f"Cannot keep the uploaded file: {exc.strerror or exc}.") from exc
        finally:
            partial.unlink(missing_ok=True)
        return target

    def calls(self) -> pd.DataFrame:
        """The imported calls, or an empty frame with the canonical columns before import."""
        if self.has_table("calls"):
            return self.read_table("calls")
        return arrow_schema(self.profile.timezone).empty_table().to_pandas()

    def tables(self) -> list[str]:
        """Names of the tables held in data/."""
        folder = Path(os.path.realpath(self.path / DATA_LINK))
        if not folder.is_dir():
            return []
        return sorted(p.stem for p in folder.glob("*.parquet") if TABLE_NAME.fullmatch(p.stem))

    def summary(self) -> dict[str, Any]:
        """What the workspace holds, in the shape of ``kit info --json`` (docs/workspace.md).

        Only three columns of the calls are read, so this stays quick on large imports.
        """
        profile = self.profile
        calls: dict[str, Any] = {"rows": 0, "first": None, "last": None, "call_types": 0}
        calls |= {"areas": 0, "problems": {}}
        if self.has_table("calls"):
            wanted = [c for c in ("received_at", "call_type", "area") if c in self.columns("calls")]
            frame = self.read_table("calls", columns=wanted).reindex(
                columns=["received_at", "call_type", "area"]
            )
            frame = frame[frame["received_at"].notna()]
            calls["rows"] = len(frame)
            if len(frame):
                times = pd.DatetimeIndex(frame["received_at"])
                times = (
                    times.tz_localize(profile.timezone)
                    if times.tz is None
                    else times.tz_convert(profile.timezone)
                )
                calls["first"] = times.min().date().isoformat()
                calls["last"] = times.max().date().isoformat()
            calls["call_types"] = int(frame["call_type"].nunique(dropna=True))
            calls["areas"] = int(frame["area"].nunique(dropna=True))
        report = self.read_json("import_report") or {}
        problems = report.get("problems")
        if isinstance(problems, dict):
            calls["problems"] = {
                str(kind): int(item["count"] if isinstance(item, dict) else item)
                for kind, item in problems.items()
            }
        return {
            "name": profile.name,
            "population": int(profile.population),
            "areas": len(profile.areas),
            "calls": calls,
            "decisions": self.decisions.names(),
        }

    # ----------------------------------------------------------------- data: writing

    def write_data(
        self,
        tables: Mapping[str, pa.Table | pd.DataFrame],
        json_files: Mapping[str, Mapping[str, Any]] | None = None,
        *,
        step: str | None = None,
        user: str | None = None,
    ) -> None:
        """Replace the given tables and JSON files all together, or not at all.

        Files not named keep their current content. The new files are written to a
        fresh version folder outside any lock; the short swap is serialised with
        other writers through a lock file (.data.lock). The audit log names ``step``,
        else the step that keeps the first table named (kit.steps).
        """
        json_files = json_files or {}
        if not tables and not json_files:
            return
        arrow = {_check_table_name(n): _to_arrow(n, t) for n, t in tables.items()}
        encoded = {
            _check_table_name(n): json.dumps(
                to_json_value(doc, f"data/{n}.json"), indent=2, ensure_ascii=False, allow_nan=False
            ).encode("utf-8")
            for n, doc in json_files.items()
        }
        store = self.path / DATA_STORE
        token = f"{os.getpid()}-{secrets.token_hex(6)}"
        build = store / f"tmp-{token}"
        link = store / f"link-{token}"
        try:
            build.mkdir()
            for name, table in arrow.items():
                with open(build / f"{name}.parquet", "wb") as handle:
                    pq.write_table(table, handle, **parquet_options(table))
                    handle.flush()
                    os.fsync(handle.fileno())
            for name, data in encoded.items():
                _write_file_durably(build / f"{name}.json", data)
            with _exclusive(self.path / DATA_LOCK):
                current = self._repair_link()
                for old in current.iterdir():
                    if not (build / old.name).exists():
                        _link_or_copy(old, build / old.name)
                _fsync_dir(build)
                version = self._next_version()
                final = store / f"v{version:06d}"
                os.rename(build, final)
                _fsync_dir(store)
                os.symlink(os.path.join(DATA_STORE, final.name), link)
                os.replace(link, self.path / DATA_LINK)
                _fsync_dir(self.path)
                self._remove_old_versions(keep=final.name)
        except OSError as exc:
            raise KitError(f"Cannot write the workspace's data: {exc.strerror or exc}.") from exc
        finally:
            shutil.rmtree(build, ignore_errors=True)
            with suppress(FileNotFoundError):
                link.unlink()
        files = [f"{n}.parquet" for n in arrow] + [f"{n}.json" for n in encoded]
        if step is None:
            step = step_keeping("table", next(iter(arrow), next(iter(encoded), "")))
        self.decisions.record(
            "data", "data", f"version {version}: {', '.join(files)}", step=step, user=user
        )

    # ----------------------------------------------------------------- data: housekeeping

    def _versions(self) -> list[str]:
        store = self.path / DATA_STORE
        if not store.is_dir():
            return []
        return sorted(p.name for p in store.iterdir() if _VERSION_DIR.fullmatch(p.name))

    def _next_version(self) -> int:
        versions = self._versions()
        return int(versions[-1][1:]) + 1 if versions else 1

    def _current_name(self) -> str | None:
        """The version folder the data link points to, if it is a valid one."""
        link = self.path / DATA_LINK
        if not link.is_symlink():
            return None
        target = PurePosixPath(os.readlink(link))
        if (
            target.parent != PurePosixPath(DATA_STORE)
            or not _VERSION_DIR.fullmatch(target.name)
            or not (self.path / DATA_STORE / target.name).is_dir()
        ):
            return None
        return target.name

    def _repair_link(self) -> Path:
        """Make ``data`` a link to a version folder and return that folder (under the lock).

        A copied workspace whose link became a real folder is moved into a version;
        a missing or dangling link points to the newest complete version.
        """
        store = self.path / DATA_STORE
        store.mkdir(exist_ok=True)
        name = self._current_name()
        if name is not None:
            return store / name
        link = self.path / DATA_LINK
        if link.is_dir() and not link.is_symlink():
            name = f"v{self._next_version():06d}"
            os.rename(link, store / name)
        else:
            versions = self._versions()
            name = versions[-1] if versions else f"v{self._next_version():06d}"
            (store / name).mkdir(exist_ok=True)
        temp = store / f"link-{os.getpid()}-{secrets.token_hex(6)}"
        os.symlink(os.path.join(DATA_STORE, name), temp)
        os.replace(temp, link)
        _fsync_dir(self.path)
        return store / name

    def _remove_old_versions(self, *, keep: str) -> None:
        store = self.path / DATA_STORE
        for entry in store.iterdir():
            stale_temp = _TEMP_ENTRY.fullmatch(entry.name)
            if stale_temp and _pid_alive(int(stale_temp.group(1))):
                continue
            if entry.name == keep:
                continue
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry, ignore_errors=True)
            else:
                with suppress(FileNotFoundError):
                    entry.unlink()

    def _needs_tidy(self) -> bool:
        current = self._current_name()
        if current is None:
            return True
        store = self.path / DATA_STORE
        for entry in store.iterdir():
            stale_temp = _TEMP_ENTRY.fullmatch(entry.name)
            if entry.name != current and (
                not stale_temp or not _pid_alive(int(stale_temp.group(1)))
            ):
                return True
        return False

    def _tidy_data(self) -> None:
        """Remove what an interrupted write left behind (checked cheaply, fixed under the lock)."""
        if not self._needs_tidy():
            return
        try:
            with _exclusive(self.path / DATA_LOCK):
                current = self._repair_link()
                self._remove_old_versions(keep=current.name)
        except OSError as exc:
            raise KitError(f"Cannot tidy the workspace's data folder: {exc}.") from exc
