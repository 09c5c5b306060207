"""Versioned decisions with drafts and an audit log, stored in SQLite.

A decision (the profile, a step's assignments, a funding scenario) is a JSON
document. Every save makes a new version; nothing is overwritten, so any earlier
version can be listed and restored (a restore is itself a new version). Saves
name the version they started from: when someone else saved in between, the save
is refused with :class:`~kit.errors.ConflictError` and the document is kept as a
draft, so nothing typed is lost.

:class:`DecisionStore` is the small interface the rest of the kit uses;
:class:`SqliteDecisionStore` is the embedded implementation. A server database
can replace it for a team by implementing the same methods.

SQLite runs in WAL mode with ``synchronous=FULL``; every write runs in a
``BEGIN IMMEDIATE`` transaction (writers queue behind a busy timeout) and the
compare-and-set on the version happens inside that transaction.
"""

from __future__ import annotations

import getpass
import json
import math
import os
import re
import sqlite3
from collections.abc import Callable, Iterator, Mapping
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final, Protocol, TypeVar

from kit.errors import ConflictError, KitError

DEFAULT_SCHEMA_VERSION: Final = 1
STORE_FORMAT: Final = 1
BUSY_TIMEOUT_MS: Final = 30_000
MAX_NAME_LENGTH: Final = 64
MAX_STEP_LENGTH: Final = 40
MAX_USER_LENGTH: Final = 80
NAME_PATTERN: Final = re.compile(r"[a-z][a-z0-9_]*(?:[.-][a-z0-9_]+)*")

_T = TypeVar("_T")


def current_user() -> str:
    """Who is saving: ``KIT_USER`` if set, else the operating-system user."""
    name = os.environ.get("KIT_USER", "").strip()
    if name:
        return name
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "unknown"


def check_name(name: object) -> str:
    """Return ``name`` if it is a safe decision name (e.g. ``roles`` or ``funding.scenario-b``)."""
    if not isinstance(name, str) or len(name) > MAX_NAME_LENGTH or not NAME_PATTERN.fullmatch(name):
        raise KitError(
            f"{name!r} is not a valid decision name: use lower-case letters, digits and "
            f"underscores (dots or hyphens between them), starting with a letter, at most "
            f"{MAX_NAME_LENGTH} characters."
        )
    return name


def check_schema(document: object, version: int, what: str, step: str) -> Mapping[str, Any]:
    """``document`` if it is a JSON object of this kit's ``version``; else a KitError saying
    which step saves ``what`` again (documents from another version of the kit)."""
    if not isinstance(document, Mapping):
        raise KitError(f"{what[0].upper()}{what[1:]} must be a JSON object.")
    found = document.get("schema_version", version)
    if found != version:
        raise KitError(
            f"{what[0].upper()}{what[1:]} uses schema version {found}; this kit reads version "
            f"{version}. Save it again from step {step}."
        )
    return document


def _clean_label(value: object, what: str, limit: int) -> str:
    if not isinstance(value, str) or any(ord(ch) < 32 for ch in value) or len(value) > limit:
        raise KitError(f"The {what} {value!r} must be plain text of at most {limit} characters.")
    return value


def to_json_value(value: Any, where: str) -> Any:
    """A JSON-safe copy of ``value``; tuples become lists, numpy values plain numbers and lists."""
    if value is None or isinstance(value, bool | str | int):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise KitError(f"{where} is {value}, which cannot be saved; use a number or null.")
        return value
    if isinstance(value, Mapping):
        out: dict[str, Any] = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise KitError(f"{where} has the key {key!r}; keys must be text.")
            out[key] = to_json_value(item, f"{where}[{key!r}]")
        return out
    if isinstance(value, list | tuple):
        return [to_json_value(item, f"{where}[{i}]") for i, item in enumerate(value)]
    tolist = getattr(value, "tolist", None)
    if callable(tolist) and type(value).__module__ == "numpy":
        return to_json_value(tolist(), where)
    raise KitError(
        f"{where} is a {type(value).__name__}, which cannot be saved; "
        "decisions hold only text, numbers, true/false, null, lists and mappings."
    )


def encode_document(name: str, document: object) -> str:
    """Serialise a decision document, adding ``schema_version`` when it has none."""
    if not isinstance(document, Mapping):
        raise KitError(
            f"Decision {name!r} must be a mapping (a dict), not {type(document).__name__}."
        )
    clean = to_json_value(document, f"Decision {name!r}")
    clean.setdefault("schema_version", DEFAULT_SCHEMA_VERSION)
    return json.dumps(clean, ensure_ascii=False, allow_nan=False, separators=(",", ":"))


@dataclass(frozen=True)
class Decision:
    """One saved version of a decision."""

    name: str
    version: int
    document: dict[str, Any]
    saved_at: datetime
    user: str
    step: str
    restored_from: int | None = None


@dataclass(frozen=True)
class Draft:
    """A document whose save was refused because someone else saved first."""

    id: int
    name: str
    base_version: int | None
    latest_version: int | None
    document: dict[str, Any]
    saved_at: datetime
    user: str
    step: str


@dataclass(frozen=True)
class AuditEntry:
    """One line of the audit log: who did what, when, from which step.

    ``action`` is ``save``, ``restore``, ``conflict`` (a refused save kept as a draft)
    or ``data`` (tables written to the workspace).
    """

    id: int
    at: datetime
    user: str
    step: str
    action: str
    name: str
    version: int | None
    detail: str


class DecisionStore(Protocol):
    """What the kit needs from a decision store (SQLite here; a server database later)."""

    def save(
        self,
        name: str,
        document: Mapping[str, Any],
        *,
        base_version: int | None,
        step: str,
        user: str | None = None,
    ) -> int: ...
    def latest(self, name: str) -> Decision | None: ...
    def get(self, name: str, version: int) -> Decision: ...
    def versions(self, name: str) -> list[Decision]: ...
    def restore(self, name: str, version: int, *, step: str, user: str | None = None) -> int: ...
    def drafts(self, name: str | None = None) -> list[Draft]: ...
    def discard_draft(self, draft_id: int) -> None: ...
    def names(self) -> dict[str, int]: ...
    def audit(self, limit: int | None = None) -> list[AuditEntry]: ...
    def record(
        self, action: str, name: str, detail: str, *, step: str, user: str | None = None
    ) -> None: ...
    def check(self) -> None: ...


_SCHEMA: Final = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS decisions (
    name TEXT NOT NULL,
    version INTEGER NOT NULL,
    document TEXT NOT NULL,
    saved_at TEXT NOT NULL,
    user TEXT NOT NULL,
    step TEXT NOT NULL,
    restored_from INTEGER,
    PRIMARY KEY (name, version)
);
CREATE TABLE IF NOT EXISTS drafts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    base_version INTEGER,
    latest_version INTEGER,
    document TEXT NOT NULL,
    saved_at TEXT NOT NULL,
    user TEXT NOT NULL,
    step TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS audit (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    user TEXT NOT NULL,
    step TEXT NOT NULL,
    action TEXT NOT NULL,
    name TEXT NOT NULL,
    version INTEGER,
    detail TEXT NOT NULL
);
"""


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


def _decision(row: sqlite3.Row) -> Decision:
    return Decision(
        name=row["name"],
        version=row["version"],
        document=json.loads(row["document"]),
        saved_at=datetime.fromisoformat(row["saved_at"]),
        user=row["user"],
        step=row["step"],
        restored_from=row["restored_from"],
    )


def _draft(row: sqlite3.Row) -> Draft:
    return Draft(
        id=row["id"],
        name=row["name"],
        base_version=row["base_version"],
        latest_version=row["latest_version"],
        document=json.loads(row["document"]),
        saved_at=datetime.fromisoformat(row["saved_at"]),
        user=row["user"],
        step=row["step"],
    )


class SqliteDecisionStore:
    """Decisions, drafts and the audit log in one SQLite file.

    Each call opens its own short-lived connection, so a store object can be
    shared freely and used from forked processes.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)

    @classmethod
    def create(cls, path: str | Path) -> SqliteDecisionStore:
        """Create the database (WAL mode, tables) and return the store."""
        store = cls(path)
        with closing(store._connect()) as conn:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.executescript(
                f"BEGIN IMMEDIATE; {_SCHEMA} INSERT OR IGNORE INTO meta (key, value)"
                f" VALUES ('format', '{STORE_FORMAT}'); COMMIT;"
            )
        return store

    def check(self) -> None:
        """Raise KitError unless the file is a decision store this kit can read."""
        if not self.path.is_file():
            raise KitError(f"The decision store {self.path.name} is missing from the workspace.")
        try:
            with closing(self._connect()) as conn:
                row = conn.execute("SELECT value FROM meta WHERE key = 'format'").fetchone()
        except sqlite3.DatabaseError as exc:
            raise KitError(
                f"The decision store {self.path.name} cannot be read ({exc}); restore the "
                "workspace from a backup."
            ) from exc
        if row is None or int(row["value"]) > STORE_FORMAT:
            raise KitError(
                f"The decision store {self.path.name} was written by a newer kit; upgrade the kit."
            )

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        conn.row_factory = sqlite3.Row
        conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA synchronous=FULL")
        return conn

    @contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        with closing(self._connect()) as conn:
            yield conn

    @staticmethod
    def _begin(conn: sqlite3.Connection) -> None:
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise KitError(
                f"The workspace is busy or read-only ({exc}); try again in a moment."
            ) from exc

    def _write(self, work: Callable[[sqlite3.Connection], _T]) -> _T:
        """Run ``work`` in one BEGIN IMMEDIATE transaction (writers queue for the lock)."""
        with closing(self._connect()) as conn:
            self._begin(conn)
            try:
                result = work(conn)
            except BaseException:
                conn.rollback()
                raise
            conn.commit()
            return result

    @staticmethod
    def _latest_version(conn: sqlite3.Connection, name: str) -> int | None:
        row = conn.execute(
            "SELECT MAX(version) AS v FROM decisions WHERE name = ?", (name,)
        ).fetchone()
        return row["v"]

    @staticmethod
    def _audit(
        conn: sqlite3.Connection,
        *,
        at: str,
        user: str,
        step: str,
        action: str,
        name: str,
        version: int | None,
        detail: str,
    ) -> None:
        conn.execute(
            "INSERT INTO audit (at, user, step, action, name, version, detail)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (at, user, step, action, name, version, detail),
        )

    def save(
        self,
        name: str,
        document: Mapping[str, Any],
        *,
        base_version: int | None,
        step: str,
        user: str | None = None,
    ) -> int:
        """Save a new version of ``name`` on top of ``base_version`` (None: the first).

        Returns the new version number. Raises ConflictError, keeping the document
        as a draft, when the latest version is not ``base_version``.
        """
        check_name(name)
        if base_version is not None and (
            isinstance(base_version, bool) or not isinstance(base_version, int)
        ):
            raise KitError(f"base_version must be a version number or None, not {base_version!r}.")
        step = _clean_label(step, "step", MAX_STEP_LENGTH)
        who = _clean_label(user if user is not None else current_user(), "user", MAX_USER_LENGTH)
        text = encode_document(name, document)

        def work(conn: sqlite3.Connection) -> int | tuple[int, int | None, sqlite3.Row]:
            now = _now()
            latest = self._latest_version(conn, name)
            if latest != base_version:
                cursor = conn.execute(
                    "INSERT INTO drafts (name, base_version, latest_version, document, saved_at,"
                    " user, step) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (name, base_version, latest, text, now, who, step),
                )
                draft_id = int(cursor.lastrowid or 0)
                self._audit(
                    conn,
                    at=now,
                    user=who,
                    step=step,
                    action="conflict",
                    name=name,
                    version=latest,
                    detail=f"kept as draft {draft_id} (started from {base_version})",
                )
                winner = conn.execute(
                    "SELECT * FROM decisions WHERE name = ? AND version = ?", (name, latest)
                ).fetchone()
                return draft_id, latest, winner
            version = (latest or 0) + 1
            conn.execute(
                "INSERT INTO decisions (name, version, document, saved_at, user, step)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (name, version, text, now, who, step),
            )
            self._audit(
                conn,
                at=now,
                user=who,
                step=step,
                action="save",
                name=name,
                version=version,
                detail="",
            )
            return version

        outcome = self._write(work)
        if isinstance(outcome, int):
            return outcome
        draft_id, latest, winner = outcome
        if latest is None or (base_version is not None and base_version > latest):
            told = f"the decision {name!r} has no version {base_version}"
        elif winner is None or base_version is None:
            told = f"{name!r} already has version {latest}"
        else:
            told = (
                f"{winner['user']} saved {name!r} as version {latest} (step {winner['step']}) "
                f"after you opened version {base_version}"
            )
        raise ConflictError(
            f"Not saved: {told}. Your changes are kept as draft {draft_id} (under Earlier "
            "versions in the app, or `kit drafts`): open the latest version and re-apply them, "
            "or bring the draft back.",
            draft_id=draft_id,
        )

    def latest(self, name: str) -> Decision | None:
        """The newest version of ``name``, or None if it was never saved."""
        check_name(name)
        with self._read() as conn:
            row = conn.execute(
                "SELECT * FROM decisions WHERE name = ? ORDER BY version DESC LIMIT 1", (name,)
            ).fetchone()
        return None if row is None else _decision(row)

    def get(self, name: str, version: int) -> Decision:
        """One version of ``name``; KitError if there is no such version."""
        check_name(name)
        with self._read() as conn:
            row = conn.execute(
                "SELECT * FROM decisions WHERE name = ? AND version = ?", (name, version)
            ).fetchone()
        if row is None:
            raise KitError(f"Decision {name!r} has no version {version}; list its versions first.")
        return _decision(row)

    def versions(self, name: str) -> list[Decision]:
        """Every version of ``name``, oldest first."""
        check_name(name)
        with self._read() as conn:
            rows = conn.execute(
                "SELECT * FROM decisions WHERE name = ? ORDER BY version", (name,)
            ).fetchall()
        return [_decision(row) for row in rows]

    def restore(self, name: str, version: int, *, step: str, user: str | None = None) -> int:
        """Save an earlier version's document again as the newest version; returns it."""
        check_name(name)
        step = _clean_label(step, "step", MAX_STEP_LENGTH)
        who = _clean_label(user if user is not None else current_user(), "user", MAX_USER_LENGTH)

        def work(conn: sqlite3.Connection) -> int:
            row = conn.execute(
                "SELECT document FROM decisions WHERE name = ? AND version = ?", (name, version)
            ).fetchone()
            if row is None:
                raise KitError(f"Decision {name!r} has no version {version} to restore.")
            new = (self._latest_version(conn, name) or 0) + 1
            now = _now()
            conn.execute(
                "INSERT INTO decisions (name, version, document, saved_at, user, step,"
                " restored_from) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (name, new, row["document"], now, who, step, version),
            )
            self._audit(
                conn,
                at=now,
                user=who,
                step=step,
                action="restore",
                name=name,
                version=new,
                detail=f"restored version {version}",
            )
            return new

        return self._write(work)

    def drafts(self, name: str | None = None) -> list[Draft]:
        """Refused saves kept as drafts (of one decision, or all), oldest first."""
        with self._read() as conn:
            if name is None:
                rows = conn.execute("SELECT * FROM drafts ORDER BY id").fetchall()
            else:
                check_name(name)
                rows = conn.execute(
                    "SELECT * FROM drafts WHERE name = ? ORDER BY id", (name,)
                ).fetchall()
        return [_draft(row) for row in rows]

    def discard_draft(self, draft_id: int) -> None:
        """Delete a draft once its changes were re-applied (or are not wanted)."""
        self._write(lambda conn: conn.execute("DELETE FROM drafts WHERE id = ?", (draft_id,)))

    def names(self) -> dict[str, int]:
        """Every saved decision with its latest version number, by name."""
        with self._read() as conn:
            rows = conn.execute(
                "SELECT name, MAX(version) AS v FROM decisions GROUP BY name ORDER BY name"
            ).fetchall()
        return {row["name"]: row["v"] for row in rows}

    def audit(self, limit: int | None = None) -> list[AuditEntry]:
        """The audit log, newest first (at most ``limit`` entries)."""
        with self._read() as conn:
            rows = conn.execute(
                "SELECT * FROM audit ORDER BY id DESC LIMIT ?", (-1 if limit is None else limit,)
            ).fetchall()
        return [
            AuditEntry(
                id=row["id"],
                at=datetime.fromisoformat(row["at"]),
                user=row["user"],
                step=row["step"],
                action=row["action"],
                name=row["name"],
                version=row["version"],
                detail=row["detail"],
            )
            for row in rows
        ]

    def record(
        self, action: str, name: str, detail: str, *, step: str, user: str | None = None
    ) -> None:
        """Add an audit entry for something other than a decision (e.g. imported data)."""
        step = _clean_label(step, "step", MAX_STEP_LENGTH)
        who = _clean_label(user if user is not None else current_user(), "user", MAX_USER_LENGTH)
        self._write(
            lambda conn: self._audit(
                conn,
                at=_now(),
                user=who,
                step=step,
                action=action,
                name=name,
                version=None,
                detail=detail,
            )
        )
