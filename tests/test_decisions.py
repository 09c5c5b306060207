"""The decision store: versions, conflicts kept as drafts, restore, audit, and safe paths."""

from __future__ import annotations

import math
import os
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kit.decisions import SqliteDecisionStore
from kit.errors import ConflictError, KitError
from kit.workspace import Workspace

json_scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20)
)
json_values = st.recursive(
    json_scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
documents = st.dictionaries(st.text(max_size=8), json_values, max_size=5)


@pytest.fixture
def store(tmp_path: Path) -> SqliteDecisionStore:
    return SqliteDecisionStore.create(tmp_path / "decisions.sqlite")


def test_first_save_is_version_1_with_schema_version(store: SqliteDecisionStore) -> None:
    """A document without a schema version gets version 1 of the schema."""
    assert store.save("roles", {"a": 1}, base_version=None, step="02", user="ana") == 1
    saved = store.latest("roles")
    assert saved is not None
    assert saved.document == {"a": 1, "schema_version": 1}
    assert (saved.version, saved.user, saved.step) == (1, "ana", "02")
    assert saved.saved_at.tzinfo is not None


def test_schema_version_given_is_kept(store: SqliteDecisionStore) -> None:
    """A step that versions its own documents keeps its number."""
    store.save("roles", {"schema_version": 3}, base_version=None, step="02")
    assert store.get("roles", 1).document == {"schema_version": 3}


def test_conflict_keeps_the_document_as_a_draft(store: SqliteDecisionStore) -> None:
    """A stale save is refused with a message naming who saved, and the work is kept."""
    store.save("roles", {"v": 1}, base_version=None, step="02", user="ana")
    store.save("roles", {"v": 2}, base_version=1, step="02", user="ben")
    with pytest.raises(ConflictError, match="ben saved 'roles' as version 2") as caught:
        store.save("roles", {"v": "mine"}, base_version=1, step="02", user="cy")
    drafts = store.drafts("roles")
    assert [d.id for d in drafts] == [caught.value.draft_id]
    assert drafts[0].document == {"v": "mine", "schema_version": 1}
    assert (drafts[0].base_version, drafts[0].latest_version, drafts[0].user) == (1, 2, "cy")
    assert store.latest("roles").version == 2
    assert [e.action for e in store.audit()] == ["conflict", "save", "save"]
    store.discard_draft(drafts[0].id)
    assert store.drafts() == []


def test_first_save_twice_conflicts(store: SqliteDecisionStore) -> None:
    """Two people both starting from nothing cannot both create version 1."""
    store.save("goals", {}, base_version=None, step="01")
    with pytest.raises(ConflictError, match="already has version 1"):
        store.save("goals", {"x": 1}, base_version=None, step="01")


def test_base_version_must_be_a_number_and_not_ahead(store: SqliteDecisionStore) -> None:
    """A mistaken base version is refused plainly instead of silently conflicting."""
    with pytest.raises(KitError, match="version number or None"):
        store.save("roles", {}, base_version="1", step="02")  # type: ignore[arg-type]
    store.save("roles", {}, base_version=None, step="02")
    with pytest.raises(ConflictError, match="has no version 5"):
        store.save("roles", {}, base_version=5, step="02")


def test_restore_is_a_new_version(store: SqliteDecisionStore) -> None:
    """Restoring never rewrites history: it saves the old document on top."""
    for n in range(3):
        store.save("plan", {"n": n}, base_version=n or None, step="05")
    assert store.restore("plan", 1, step="05", user="dee") == 4
    latest = store.latest("plan")
    assert latest.document == {"n": 0, "schema_version": 1}
    assert latest.restored_from == 1
    assert [d.version for d in store.versions("plan")] == [1, 2, 3, 4]
    assert store.audit(limit=1)[0].detail == "restored version 1"
    with pytest.raises(KitError, match="no version 9"):
        store.restore("plan", 9, step="05")


def test_names_lists_latest_versions(store: SqliteDecisionStore) -> None:
    """names() maps each decision to its newest version."""
    store.save("b", {}, base_version=None, step="00")
    store.save("a", {}, base_version=None, step="00")
    store.save("a", {}, base_version=1, step="00")
    assert store.names() == {"a": 2, "b": 1}


def test_user_comes_from_kit_user(
    store: SqliteDecisionStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without an explicit user the audit shows KIT_USER."""
    monkeypatch.setenv("KIT_USER", "Facilitator 2")
    store.save("x", {}, base_version=None, step="00")
    assert store.audit()[0].user == "Facilitator 2"


@pytest.mark.parametrize("name", ["", "Roles", "../x", "a b", "1st", "a\x00", "x" * 65, "a..b"])
def test_unsafe_names_are_refused(store: SqliteDecisionStore, name: str) -> None:
    """Decision names follow one safe pattern."""
    with pytest.raises(KitError, match="not a valid decision name"):
        store.save(name, {}, base_version=None, step="00")


@pytest.mark.parametrize(
    ("document", "fragment"),
    [
        ({"x": {1, 2}}, "is a set"),
        ({"x": math.nan}, "cannot be saved"),
        ({"x": {3: "a"}}, "keys must be text"),
        ({"x": object()}, "is a object"),
        (["not", "a", "dict"], "must be a mapping"),
    ],
)
def test_unserialisable_documents_are_refused(
    store: SqliteDecisionStore, document: Any, fragment: str
) -> None:
    """A document that JSON cannot hold is refused with a plain message and nothing saved."""
    with pytest.raises(KitError, match=fragment):
        store.save("roles", document, base_version=None, step="02")
    assert store.names() == {}


def test_numpy_scalars_and_tuples_are_accepted(store: SqliteDecisionStore) -> None:
    """Numbers and arrays straight out of pandas are saved as plain numbers and lists."""
    document = {"n": np.int64(3), "f": np.float64(0.5), "t": (1, 2), "a": np.array([[1, 2]])}
    store.save("x", document, base_version=None, step="")
    saved = store.latest("x").document
    assert saved == {"n": 3, "f": 0.5, "t": [1, 2], "a": [[1, 2]], "schema_version": 1}


def test_get_missing_version_and_latest_of_nothing(store: SqliteDecisionStore) -> None:
    """Asking for what was never saved answers plainly."""
    assert store.latest("nothing") is None
    assert store.versions("nothing") == []
    with pytest.raises(KitError, match="no version 1"):
        store.get("nothing", 1)


def test_a_damaged_store_is_reported(tmp_path: Path) -> None:
    """A workspace whose database is not SQLite fails to open with advice."""
    ws = Workspace.create(tmp_path / "w")
    (ws.path / "decisions.sqlite").write_bytes(b"not a database at all" * 100)
    for suffix in ("-wal", "-shm"):
        (ws.path / f"decisions.sqlite{suffix}").unlink(missing_ok=True)
    with pytest.raises(KitError, match="cannot be read"):
        Workspace.open(ws.path)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    docs=st.lists(documents, min_size=1, max_size=5),
    ops=st.lists(
        st.tuples(st.sampled_from(["save", "stale", "restore"]), st.integers(0, 10)), max_size=8
    ),
)
def test_versions_increase_and_restore_is_exact(
    docs: list[dict], ops: list[tuple[str, int]]
) -> None:
    """Versions go up by one per save or restore, conflicts add none, and restores are exact."""
    with tempfile.TemporaryDirectory() as folder:
        store = SqliteDecisionStore.create(Path(folder) / "d.sqlite")
        history: list[dict] = []
        for kind, pick in ops or [("save", 0)]:
            latest = len(history) or None
            if kind == "save" or not history:
                doc = docs[pick % len(docs)]
                assert store.save("d", doc, base_version=latest, step="00") == len(history) + 1
                history.append({"schema_version": 1, **doc})
            elif kind == "stale":
                with pytest.raises(ConflictError, match="Not saved"):
                    store.save("d", docs[0], base_version=pick % len(history) or None, step="00")
                assert len(store.versions("d")) == len(history)
            else:
                source = pick % len(history) + 1
                assert store.restore("d", source, step="00") == len(history) + 1
                history.append(history[source - 1])
        versions = store.versions("d")
        assert [d.version for d in versions] == list(range(1, len(history) + 1))
        assert [d.document for d in versions] == history


@pytest.fixture(scope="module")
def walled(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    """A workspace with a symbolic link inside it that points outside."""
    base = tmp_path_factory.mktemp("walled")
    ws = Workspace.create(base / "ws")
    (base / "outside").mkdir()
    os.symlink(base / "outside", ws.path / "escape")
    os.symlink("..", ws.path / "up")
    (ws.path / "inside").mkdir()
    return ws


path_pieces = st.sampled_from(
    ["..", ".", "a", "/", "//", "\\", "..\\", "escape", "up", "inside", "\x00", "~", "C:", "data"]
)


@settings(max_examples=200, deadline=None)
@given(
    parts=st.lists(
        st.one_of(st.text(max_size=12), st.lists(path_pieces, max_size=6).map("/".join)), max_size=3
    )
)
def test_safe_path_never_escapes(walled: Workspace, parts: list[str]) -> None:
    """Whatever the strings, safe_path refuses or returns a path that stays inside."""
    try:
        path = walled.safe_path(*parts)
    except KitError:
        return
    assert path.resolve().is_relative_to(walled.path)
    assert os.path.realpath(path).startswith(str(walled.path))


@pytest.mark.parametrize(
    ("parts", "why"),
    [
        (("..",), r"'\.\.' is not allowed"),
        (("../x",), r"'\.\.' is not allowed"),
        (("/etc/passwd",), "is an absolute path"),
        (("a", "/etc"), "is an absolute path"),
        (("escape", "f"), "through a symbolic link"),
        (("up",), "through a symbolic link"),
        (("a\x00b",), "NUL character"),
    ],
)
def test_safe_path_refuses_known_escapes(
    walled: Workspace, parts: tuple[str, ...], why: str
) -> None:
    """The classic ways out are each refused, each with its own reason."""
    with pytest.raises(KitError, match=why):
        walled.safe_path(*parts)


def test_safe_path_allows_ordinary_paths(walled: Workspace) -> None:
    """Ordinary relative names are joined under the workspace."""
    assert walled.safe_path("runs", "02 roles.ipynb") == walled.path / "runs" / "02 roles.ipynb"
    assert walled.safe_path("inside/./x") == walled.path / "inside" / "x"
