"""Separate processes saving at once, and processes killed mid-save.

Processes, not threads: SQLite locking and the data-folder swap must hold between
independent programs (two browser sessions, a papermill batch next to the app).
"""

from __future__ import annotations

import multiprocessing
import os
import random
import signal
import sqlite3
from multiprocessing.synchronize import Barrier, Event
from pathlib import Path

import pyarrow as pa
import pytest

from kit.errors import ConflictError
from kit.workspace import Workspace

# fork keeps each child cheap (pandas and pyarrow are already imported); POSIX only, like the kit.
CTX = multiprocessing.get_context("fork")
WRITERS = 4
KILLS = 35


def _save_from_version_1(path: str, index: int, barrier: Barrier, results) -> None:
    workspace = Workspace.open(path)
    barrier.wait()
    try:
        version = workspace.decisions.save(
            "roles", {"by": index}, base_version=1, step="02", user=f"user{index}"
        )
        results.put(("saved", index, version))
    except ConflictError as exc:
        results.put(("conflict", index, exc.draft_id))


def test_simultaneous_saves_one_wins_the_rest_become_drafts(tmp_path: Path) -> None:
    """Writers starting from the same version: exactly one saves, every other is a draft."""
    workspace = Workspace.create(tmp_path / "ws")
    workspace.decisions.save("roles", {"by": "start"}, base_version=None, step="02")
    barrier, results = CTX.Barrier(WRITERS), CTX.Queue()
    procs = [
        CTX.Process(target=_save_from_version_1, args=(str(workspace.path), i, barrier, results))
        for i in range(WRITERS)
    ]
    for proc in procs:
        proc.start()
    outcomes = [results.get(timeout=60) for _ in procs]
    for proc in procs:
        proc.join(timeout=60)
        assert proc.exitcode == 0
    saved = [o for o in outcomes if o[0] == "saved"]
    conflicts = [o for o in outcomes if o[0] == "conflict"]
    assert len(saved) == 1 and saved[0][2] == 2
    assert len(conflicts) == WRITERS - 1
    winner = saved[0][1]
    assert workspace.decisions.latest("roles").document["by"] == winner
    drafts = workspace.decisions.drafts("roles")
    assert sorted(d.document["by"] for d in drafts) == sorted(o[1] for o in conflicts)
    assert sorted(d.id for d in drafts) == sorted(o[2] for o in conflicts)
    assert all(d.base_version == 1 and d.latest_version == 2 for d in drafts)


def _write_one_table(path: str, index: int, barrier: Barrier) -> None:
    workspace = Workspace.open(path)
    barrier.wait()
    workspace.write_data({f"t{index}": pa.table({"n": [index] * 100})}, {f"j{index}": {"n": index}})


def test_simultaneous_data_writes_lose_nothing(tmp_path: Path) -> None:
    """Writers of different tables at once: every table ends up in the data folder."""
    workspace = Workspace.create(tmp_path / "ws")
    barrier = CTX.Barrier(WRITERS)
    procs = [
        CTX.Process(target=_write_one_table, args=(str(workspace.path), i, barrier))
        for i in range(WRITERS)
    ]
    for proc in procs:
        proc.start()
    for proc in procs:
        proc.join(timeout=60)
        assert proc.exitcode == 0
    assert workspace.tables() == [f"t{i}" for i in range(WRITERS)]
    for i in range(WRITERS):
        assert workspace.read_table(f"t{i}")["n"].tolist() == [i] * 100
        assert workspace.read_json(f"j{i}") == {"n": i}
    assert len(os.listdir(workspace.path / ".data")) == 1


def _save_forever(path: str, started: Event) -> None:
    """Save a counter decision and then a matching set of data files, in a loop."""
    workspace = Workspace.open(path)
    while True:
        latest = workspace.decisions.latest("counter")
        base = None if latest is None else latest.version
        n = (base or 0) + 1
        workspace.decisions.save(
            "counter", {"n": n, "pad": "x" * 4000}, base_version=base, step="t"
        )
        workspace.write_data(
            {"big": pa.table({"n": [n] * 5_000}), "small": pa.table({"n": [n]})},
            {"meta": {"n": n}},
        )
        # After one full round, so every child makes progress however loaded the machine is.
        started.set()


def _check_consistent(path: Path) -> tuple[int, int]:
    """Open after a kill; return (decision version, data version) after checking both."""
    workspace = Workspace.open(path)
    with sqlite3.connect(path / "decisions.sqlite") as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    versions = workspace.decisions.versions("counter")
    assert [d.version for d in versions] == list(range(1, len(versions) + 1))
    assert all(d.document["n"] == d.version for d in versions)
    data_n = 0
    if workspace.has_table("big"):
        big = set(workspace.read_table("big")["n"])
        small = workspace.read_table("small")["n"].tolist()
        meta = workspace.read_json("meta")
        assert len(big) == 1 and small == list(big) and meta == {"n": small[0]}
        data_n = small[0]
    else:
        assert not workspace.has_table("small") and workspace.read_json("meta") is None
    assert len(os.listdir(path / ".data")) == 1, "leftovers of the killed write remain"
    return len(versions), data_n


@pytest.mark.slow
def test_killed_writer_leaves_the_last_good_state(tmp_path: Path) -> None:
    """SIGKILL at random moments while saving: the store opens, consistent, every time."""
    path = Workspace.create(tmp_path / "ws").path
    rng = random.Random(20240601)
    last_decision, last_data = 0, 0
    for _ in range(KILLS):
        started = CTX.Event()
        proc = CTX.Process(target=_save_forever, args=(str(path), started))
        proc.start()
        assert started.wait(timeout=60)
        proc.join(timeout=rng.uniform(0.0, 0.03))
        os.kill(proc.pid, signal.SIGKILL)
        proc.join(timeout=30)
        assert proc.exitcode == -signal.SIGKILL
        decision, data = _check_consistent(path)
        assert decision >= last_decision and data >= last_data
        assert data <= decision
        last_decision, last_data = decision, data
    assert last_data >= KILLS
