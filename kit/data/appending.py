"""Adding calls to those held: which calls are already held, and whether an export's
columns match theirs.

An appending import (``kit import calls --append``, the weeks after a pilot started) must
not count a call twice, and must measure the weeks it adds as the calls held were measured.
A call is known by its id; a call without one by its received time, call type and block.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from kit.data.cleaning import Found
from kit.data.schema import CALL_COLUMNS, COLUMN_WORDS
from kit.errors import KitError


def same_call_keys(calls: pa.Table) -> pa.Array:
    """One text per call of its received time (to the microsecond), call type and block.

    Calls without an id are told apart by these three: an export read twice gives the
    same keys, two calls of one type on one block at the same second are rare enough.
    """
    received = pc.cast(calls.column("received_at"), pa.timestamp("us"), safe=False)
    parts = [
        pc.cast(pc.cast(received, pa.int64()), pa.string()),
        calls.column("call_type"),
        pc.fill_null(calls.column("block"), ""),
    ]
    return pc.binary_join_element_wise(*parts, "\x1f").combine_chunks()


@dataclass
class Known:
    """The calls already read: their ids, and the keys of those without one."""

    ids: list[pa.Array]
    keys: list[pa.Array]

    @classmethod
    def of(cls, calls: pa.Table) -> Known:
        """What ``calls`` adds: every id, and the same-call key of the calls with no id."""
        missing = pc.is_null(calls.column("call_id"))
        return cls(
            list(pc.drop_null(calls.column("call_id")).chunks),
            [same_call_keys(calls.filter(missing))],
        )

    def extend(self, other: Known) -> None:
        self.ids.extend(other.ids)
        self.keys.extend(other.keys)

    def drop_from(
        self, calls: pa.Table, kinds: tuple[str, str]
    ) -> tuple[pa.Table, dict[str, Found]]:
        """``calls`` without those already read, and the rows left out by kind: by id
        (``kinds[0]``) or, for calls without one, by time, type and block (``kinds[1]``)."""
        ids = pa.chunked_array(self.ids, pa.string()).combine_chunks()
        keys = pa.chunked_array(self.keys, pa.string()).combine_chunks()
        by_id = pc.fill_null(pc.is_in(calls.column("call_id"), value_set=ids), False)
        by_key = pc.and_(
            pc.is_null(calls.column("call_id")),
            pc.is_in(same_call_keys(calls), value_set=keys),
        )
        drop = np.zeros(calls.num_rows, bool)
        rows = calls.column("_row").to_numpy()
        found: dict[str, Found] = {}
        for kind, hit in zip(kinds, (by_id, by_key), strict=True):
            mask = hit.to_numpy(zero_copy_only=False)
            if mask.any():
                found[kind] = Found(int(mask.sum()), [int(r) for r in rows[mask][:5]])
            drop |= mask
        return (calls.filter(pa.array(~drop)) if drop.any() else calls), found


# Canonical columns an appended export must fill exactly when the calls held do, so that
# the weeks before and after a change are measured alike. Ids may be missing (calls are then
# matched by time, type and block); coordinates only place calls on maps; units and unit hours
# are always worked out.
COMPARED: Final[tuple[str, ...]] = tuple(
    c
    for c in CALL_COLUMNS
    if c not in ("call_id", "received_at", "call_type", "units", "unit_hours", "lat", "lon")
)


def _filled(table: pa.Table) -> set[str]:
    return {c for c in COMPARED if table.column(c).null_count < table.num_rows}


def check_same_columns(held: pa.Table, new: pa.Table, names: list[str]) -> None:
    """Refuse an appended export whose columns do not match those of the calls held."""
    if not held.num_rows or not new.num_rows:
        return
    had, has = _filled(held), _filled(new)
    for columns, found, fix, option in (
        (had - has, "the calls held have {listed}, but no column of this export fills {it}",
         "Name the export's column with {options}", "--map {}=HEADER"),
        (has - had, "this export has {listed}, which the calls held do not have",
         "Leave {it} out with {options}, or import the earlier calls again with {it}", "--map {}="),
    ):  # fmt: skip
        if columns:
            ordered = sorted(columns, key=COMPARED.index)
            words = {
                "listed": _listed(ordered),
                "it": "it" if len(ordered) == 1 else "them",
                "options": " ".join(option.format(c) for c in ordered),
            }
            raise KitError(
                f"{', '.join(names)}: {found.format(**words)}; the weeks added must be measured "
                f"as the calls held were. {fix.format(**words)}. Nothing was imported."
            )


def _listed(columns: list[str]) -> str:
    return ", ".join(f"{c} ({COLUMN_WORDS[c]})" for c in columns)


def span(calls: pa.Table) -> list[str] | None:
    """The first and last day calls were received (local dates, ISO), or None for no calls."""
    received = calls.column("received_at")
    if received.null_count == len(received):
        return None
    bounds = pc.min_max(received).as_py()
    return [bounds["min"].date().isoformat(), bounds["max"].date().isoformat()]
