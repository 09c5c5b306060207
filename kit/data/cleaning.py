"""Turning one export's text columns into canonical calls, counting every problem.

Everything here works on whole columns (Arrow compute and pandas), never row by
row, so that a million-row export imports in seconds. Every input row ends up in
exactly one place: held as a call, collapsed into a held call (one row per
responding unit), or counted under a problem kind that leaves rows out.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Final

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from kit.data.blocks import coarsen_block
from kit.data.date_order import Setting, file_setting, setting_for
from kit.data.mapping import SOURCE_VALUES
from kit.data.projection import projected, to_degrees
from kit.data.schema import CALL_COLUMNS
from kit.data.times import ParsedTimes, parse_times

# CPSM police operations studies treat records over 8 hours as errors.
DEFAULT_LIMIT_HOURS: Final[float] = 8.0
MAX_TEXT: Final[int] = 200
_WORKERS: Final[int] = min(4, os.cpu_count() or 1)
EXAMPLES: Final[int] = 5

TEXT_ROLES: Final[tuple[str, ...]] = (
    "call_id", "call_type", "call_type_desc", "priority", "area", "block", "disposition",
)  # fmt: skip
_TEST_DISPOSITION = r"(?i)\b(test|void|voided|duplicate|dup|duplicated)\b"
_TEST_TYPE = r"(?i)^\W*test(\s+(call|incident|event))?\W*$"
_YES = ("y", "yes", "true", "t", "1")
_NO = ("n", "no", "false", "f", "0")
_NUMBER = r"-?\d+(?:\.\d+)?"


@dataclass
class Found:
    """Rows affected by one problem kind: how many and the first few row numbers."""

    count: int = 0
    examples: list[int] = field(default_factory=list)

    def add(self, rows: np.ndarray) -> None:
        self.count += len(rows)
        room = EXAMPLES - len(self.examples)
        if room > 0:
            self.examples.extend(int(r) for r in rows[:room])


@dataclass
class Cleaned:
    """One file's canonical calls and what was found on the way."""

    calls: pa.Table  # CALL_COLUMNS plus "_row", the first source row of each call
    problems: dict[str, Found]
    rows_read: int
    rows_collapsed: int
    layout: str  # "per_call" or "per_unit"
    time_formats: dict[str, list[str]]
    #: Per time column read with numeric dates: the day and month order and how it was decided.
    date_orders: dict[str, dict[str, str]] = field(default_factory=dict)
    #: A few received times that are not times, as written in the file.
    unreadable_received: list[str] = field(default_factory=list)


# Roles whose columns repeat a few values: text work is done once per distinct value.
FEW_VALUES: Final[frozenset[str]] = frozenset(
    {"call_type", "call_type_desc", "priority", "area", "block", "disposition",
     "disposition_code", "initiated_by", "self_initiated", "unit_id"}
)  # fmt: skip


def per_distinct(values: pa.Array, fn: Callable[[pa.Array], pa.Array]) -> pa.Array:
    """``fn`` applied once per distinct value of a dictionary column (else to every value)."""
    if pa.types.is_dictionary(values.type):
        return pc.take(fn(values.dictionary), values.indices)
    return fn(values)


def _combined(column: pa.ChunkedArray) -> pa.Array:
    """One array from a column's chunks (dictionary chunks share one dictionary first)."""
    if pa.types.is_dictionary(column.type) and column.num_chunks > 1:
        column = column.unify_dictionaries()
        indices = pa.concat_arrays([chunk.indices for chunk in column.chunks])
        return pa.DictionaryArray.from_arrays(indices, column.chunk(0).dictionary)
    return column.combine_chunks()


def _trimmed(values: pa.Array) -> pa.Array:
    """Values without surrounding white space; blank values become null."""
    padded = [f(values, c) for f in (pc.starts_with, pc.ends_with) for c in (" ", "\t")]
    if not any(pc.any(p).as_py() for p in padded):
        return values  # exports seldom pad their cells: skip the copies
    values = pc.utf8_trim_whitespace(values)
    return pc.if_else(pc.equal(values, ""), pa.scalar(None, pa.string()), values)


def _text(table: pa.Table, header: str, role: str) -> tuple[pa.Array, pa.DictionaryArray | None]:
    """A column trimmed, with blanks as null, and its dictionary form for roles of few values."""
    column = table.column(header)
    if not pa.types.is_dictionary(column.type):
        column = column.cast(pa.string())  # a column of only blanks may arrive untyped
        if role not in FEW_VALUES:
            return _trimmed(column), None  # chunks kept: no copy
    col = _combined(column)
    if not pa.types.is_dictionary(col.type):
        col = pc.dictionary_encode(col)
    encoded = pa.DictionaryArray.from_arrays(col.indices, _trimmed(col.dictionary))
    return pc.take(encoded.dictionary, encoded.indices), encoded


def _numbers(values: pa.Array | None) -> pa.Array | None:
    """Numeric values of a text column; text that is not a number becomes null."""
    if values is None:
        return None
    try:
        return pc.cast(values, pa.float64())  # the common case: every value is a number
    except pa.ArrowInvalid:
        pass
    ok = pc.fill_null(pc.match_substring_regex(values, f"^{_NUMBER}$"), False)
    return pc.cast(pc.if_else(ok, values, pa.scalar(None, pa.string())), pa.float64())


def _lower_in(values: pa.Array, options: tuple[str, ...]) -> pa.Array:
    return pc.fill_null(pc.is_in(pc.utf8_lower(values), pa.array(options)), False)


def round_coordinate(values: np.ndarray) -> np.ndarray:
    """Round degrees to 3 decimals: about 100 m, enough for maps by area, not for a house."""
    return np.round(values, 3)


def initiated_by(source: pa.Array | None, self_flag: pa.Array | None, n: int) -> pa.Array:
    """How each call started: from a source column, else a yes/no officer-initiated flag."""
    result = pa.nulls(n, pa.string())
    if self_flag is not None:
        result = per_distinct(self_flag, _from_flag)
    if source is not None:
        result = pc.coalesce(per_distinct(source, _from_source), result)
    return result


def _from_flag(flag: pa.Array) -> pa.Array:
    none = pa.nulls(len(flag), pa.string())
    return pc.if_else(
        _lower_in(flag, _YES), "officer", pc.if_else(_lower_in(flag, _NO), "911", none)
    )


def _from_source(source: pa.Array) -> pa.Array:
    words = pc.replace_substring_regex(pc.utf8_lower(source), r"[^a-z0-9]+", " ")
    keys = pc.utf8_trim(words, " ")
    found = pc.index_in(keys, pa.array(list(SOURCE_VALUES)))
    mapped = pc.take(pa.array(list(SOURCE_VALUES.values())), found)
    return pc.if_else(pc.is_valid(source), pc.coalesce(mapped, "other"), None)


def _placeholder_points(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """Rows at (0, 0), out of range, or at one point shared by very many rows (a stand-in)."""
    bad = ~np.isfinite(lat) | ~np.isfinite(lon)
    bad |= (np.abs(lat) < 1e-9) & (np.abs(lon) < 1e-9)
    bad |= (np.abs(lat) > 90) | (np.abs(lon) > 180)
    ok = ~bad
    if ok.sum() >= 50:
        # one integer per point at 1e-5 degrees, so counting points is a fast integer count;
        # the most common point is found on a systematic sample of at most 200,000 rows
        lat_i = np.round(lat[ok] * 1e5).astype(np.int64) + 9_000_000
        lon_i = np.round(lon[ok] * 1e5).astype(np.int64) + 18_000_000
        keys = pd.Series(lat_i * 40_000_000 + lon_i)
        step = max(1, len(keys) // 200_000)
        counts = keys.iloc[::step].value_counts() * step
        top = counts.iloc[0]
        second = counts.iloc[1] if len(counts) > 1 else 0
        if top >= max(20, 0.02 * ok.sum()) and top >= 10 * max(second, 1):
            shared = np.zeros(len(lat), dtype=bool)
            shared[np.flatnonzero(ok)] = (keys == counts.index[0]).to_numpy()
            return bad | shared
    return bad


def _point_xy(point: pa.Array) -> tuple[pa.Array, pa.Array]:
    """Longitude and latitude from WKT "POINT (lon lat)" or "(lat, lon)" text."""
    prefix = "POINT ("
    if pc.all(pc.starts_with(point, prefix)).as_py() and pc.all(pc.ends_with(point, ")")).as_py():
        # the common case, without regular expressions: "POINT (x y)" everywhere
        inner = pc.utf8_slice_codeunits(point, len(prefix), -1)
        parts = pc.split_pattern(inner, " ", max_splits=1)
        try:
            return (
                pc.cast(pc.list_element(parts, 0), pa.float64()),
                pc.cast(pc.list_element(parts, 1), pa.float64()),
            )
        except (pa.ArrowInvalid, IndexError):
            pass
    wkt = pc.extract_regex(point, rf"(?i)^POINT\s*\(\s*(?P<x>{_NUMBER})\s+(?P<y>{_NUMBER})\s*\)$")
    pair = pc.extract_regex(point, rf"^\(\s*(?P<y>{_NUMBER})\s*,\s*(?P<x>{_NUMBER})\s*\)$")
    x = pc.coalesce(pc.struct_field(wkt, "x"), pc.struct_field(pair, "x"))
    y = pc.coalesce(pc.struct_field(wkt, "y"), pc.struct_field(pair, "y"))
    return pc.cast(x, pa.float64()), pc.cast(y, pa.float64())


def _coordinates(
    lat_text: pa.Array | None,
    lon_text: pa.Array | None,
    point: pa.Array | None,
    n: int,
    crs: str | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Latitude and longitude in degrees (NaN when missing), and two masks of rows.

    The masks: present values that were placeholders, and projected coordinates left
    out for want of their system (``crs``; with it they are converted instead).
    """
    lat = np.full(n, np.nan)
    lon = np.full(n, np.nan)
    given = np.zeros(n, dtype=bool)
    if lat_text is not None and lon_text is not None:
        lat = pc.fill_null(_numbers(lat_text), np.nan).to_numpy(zero_copy_only=False)
        lon = pc.fill_null(_numbers(lon_text), np.nan).to_numpy(zero_copy_only=False)
        given = (pc.is_valid(lat_text).to_numpy(zero_copy_only=False)) | (
            pc.is_valid(lon_text).to_numpy(zero_copy_only=False)
        )
    if point is not None:
        x, y = _point_xy(point)
        px = pc.fill_null(x, np.nan).to_numpy(zero_copy_only=False)
        py = pc.fill_null(y, np.nan).to_numpy(zero_copy_only=False)
        use = np.isnan(lat) & np.isnan(lon)
        lat = np.where(use, py, lat)
        lon = np.where(use, px, lon)
        given |= use & pc.is_valid(point).to_numpy(zero_copy_only=False)
    far = projected(lon, lat)
    if far.any():
        if crs is not None:
            lon, lat = lon.copy(), lat.copy()
            lon[far], lat[far] = to_degrees(lon[far], lat[far], crs)
            far[:] = False
        else:
            lat, lon = np.where(far, np.nan, lat), np.where(far, np.nan, lon)
    placeholder = _placeholder_points(lat, lon)
    lat = np.where(placeholder, np.nan, round_coordinate(lat))
    lon = np.where(placeholder, np.nan, round_coordinate(lon))
    return lat, lon, placeholder & given & ~far, far


def _truncate(values: pa.Array, distinct: pa.Array, found: Found, rows: np.ndarray) -> pa.Array:
    long = per_distinct(distinct, lambda d: pc.greater(pc.utf8_length(d), MAX_TEXT))
    long = pc.fill_null(long, False)
    if pc.any(long).as_py():
        found.add(rows[long.to_numpy(zero_copy_only=False)])
        return pc.if_else(long, pc.utf8_slice_codeunits(values, 0, MAX_TEXT), values)
    return values


def clean_export(
    table: pa.Table,
    mapping: dict[str, str | None],
    timezone: str,
    *,
    row_numbers: np.ndarray | None = None,
    limit_hours: float = DEFAULT_LIMIT_HOURS,
    date_order: Setting | None = None,
    crs: str | None = None,
) -> Cleaned:
    """Canonical calls from one export's text columns, with every problem counted.

    ``mapping`` maps roles (see kit.data.mapping.ROLES) to this table's headers.
    ``row_numbers`` are the rows' 1-based numbers in the file (header = 1).
    ``date_order`` reads numeric dates whose values leave day and month open;
    ``crs`` names the system of projected coordinates (else they are left out).
    """
    n = table.num_rows
    rows = row_numbers if row_numbers is not None else np.arange(2, n + 2)
    problems: dict[str, Found] = {}

    def found(kind: str) -> Found:
        return problems.setdefault(kind, Found())

    col: dict[str, pa.Array] = {}
    encoded: dict[str, pa.DictionaryArray] = {}
    # Arrow compute releases the GIL: independent columns are worked on in parallel
    used_roles = [role for role, header in mapping.items() if header]
    with ThreadPoolExecutor(max_workers=_WORKERS) as pool:
        texts = list(pool.map(lambda role: _text(table, mapping[role], role), used_roles))
    for role, (values, dictionary_form) in zip(used_roles, texts, strict=True):
        col[role] = values
        if dictionary_form is not None:
            encoded[role] = dictionary_form

    def distinct_form(role: str) -> pa.Array:
        return encoded.get(role, col[role])

    for role in TEXT_ROLES:
        if role in col:
            cut = _truncate(col[role], distinct_form(role), found("truncated_text"), rows)
            if cut is not col[role]:
                col[role] = cut
                encoded.pop(role, None)
    formats: dict[str, list[str]] = {}
    orders: dict[str, dict[str, str]] = {}
    times: dict[str, pa.Array] = {}
    time_roles = [
        r for r in ("received_at", "dispatched_at", "arrived_at", "cleared_at") if r in col
    ]
    with ThreadPoolExecutor(max_workers=_WORKERS) as pool:
        # the coordinates are worked out beside the times, rather than after them
        located = pool.submit(
            _coordinates, col.get("lat"), col.get("lon"), col.get("location"), n, crs
        )
        parsed_all = dict(
            zip(
                time_roles,
                pool.map(lambda r: parse_times(col[r], timezone, setting=date_order), time_roles),
                strict=True,
            )
        )
        lat, lon, placeholder, far = located.result()
    _align_orders(parsed_all, col, timezone, date_order or setting_for(timezone))
    for role in ("received_at", "dispatched_at", "arrived_at", "cleared_at"):
        if role not in col:
            times[role] = pa.nulls(n, pa.timestamp("us", tz=timezone))
            continue
        parsed = parsed_all[role]
        times[role] = parsed.values
        formats[role] = list(parsed.formats)
        if parsed.order is not None:
            orders[role] = parsed.order.to_dict()
        if role != "received_at":
            for kind, mask in (
                ("unreadable_time", parsed.unreadable),
                ("placeholder_time", parsed.placeholder),
            ):
                hit = mask.to_numpy(zero_copy_only=False)
                if hit.any():
                    found(kind).add(rows[hit])

    # rows left out, each counted under the first reason that applies
    keep = np.ones(n, dtype=bool)

    def leave_out(kind: str, mask: np.ndarray) -> None:
        nonlocal keep
        hit = mask & keep
        if hit.any():
            found(kind).add(rows[hit])
            keep &= ~hit

    unread = np.zeros(n, dtype=bool)
    unread_examples: list[str] = []
    if "received_at" in parsed_all:
        unread = parsed_all["received_at"].unreadable.to_numpy(zero_copy_only=False)
        unread_examples = col["received_at"].filter(pa.array(unread))[:EXAMPLES].to_pylist()
    leave_out("unreadable_received_at", unread)
    leave_out(
        "missing_received_at", pc.is_null(times["received_at"]).to_numpy(zero_copy_only=False)
    )
    call_type = col.get("call_type")
    if call_type is None:
        call_type = col.get("call_type_desc")
    elif "call_type_desc" in col:
        call_type = pc.coalesce(call_type, col["call_type_desc"])
    assert call_type is not None  # checked by the caller
    leave_out("missing_call_type", pc.is_null(call_type).to_numpy(zero_copy_only=False))
    marked = np.zeros(n, dtype=bool)
    for role in ("disposition", "disposition_code"):
        if role in col:
            hit = per_distinct(
                distinct_form(role), lambda d: pc.match_substring_regex(d, _TEST_DISPOSITION)
            )
            marked |= pc.fill_null(hit, False).to_numpy(zero_copy_only=False)
    for role in ("call_type", "call_type_desc"):
        if role in col:
            hit = per_distinct(
                distinct_form(role), lambda d: pc.match_substring_regex(d, _TEST_TYPE)
            )
            marked |= pc.fill_null(hit, False).to_numpy(zero_copy_only=False)
    leave_out("test_void_duplicate", marked)

    # exact duplicates: identical in every column the import reads
    used = sorted({h for h in mapping.values() if h})
    source = table.select(used)
    call_id = col.get("call_id")
    shares_id = _shared_ids(call_id) if call_id is not None else np.zeros(n, dtype=bool)
    repeated = (shares_id if call_id is not None else np.ones(n, dtype=bool)) & keep
    if repeated.any():
        idx = np.flatnonzero(repeated)
        subset = source.take(pa.array(idx)).to_pandas()
        dup = subset.duplicated().to_numpy()
        mask = np.zeros(n, dtype=bool)
        mask[idx[dup]] = True
        leave_out("exact_duplicate", mask)

    if (placeholder & keep).any():
        found("placeholder_location").add(rows[placeholder & keep])
    if (far & keep).any():
        found("projected_location").add(rows[far & keep])

    origin = initiated_by(
        distinct_form("initiated_by") if "initiated_by" in col else None,
        distinct_form("self_initiated") if "self_initiated" in col else None,
        n,
    )
    block = distinct_form("block") if "block" in col else None
    units_given = _numbers(col.get("units"))
    units = (
        np.clip(pc.fill_null(units_given, 1.0).to_numpy(zero_copy_only=False), 1, None)
        if units_given is not None
        else np.ones(n)
    )
    nulls = pa.nulls(n, pa.string())
    table = pa.table(
        {
            "call_id": call_id if call_id is not None else nulls,
            "received_at": times["received_at"],
            "call_type": call_type,
            "call_type_desc": col.get("call_type_desc", nulls),
            "priority": col.get("priority", nulls),
            "area": col.get("area", nulls),
            "block": per_distinct(block, coarsen_block) if block is not None else nulls,
            "dispatched_at": times["dispatched_at"],
            "arrived_at": times["arrived_at"],
            "cleared_at": times["cleared_at"],
            "disposition": col.get("disposition", nulls),
            "initiated_by": origin,
            "lat": lat,
            "lon": lon,
            "_row": rows,
            "units": units,
            "_unit": col.get("unit_id", nulls),
            "_shares_id": shares_id,
        }
    )
    minutes = _minutes(col)
    if not keep.all():
        table = table.filter(pa.array(keep))
        minutes = minutes[keep] if minutes is not None else None
    hours, impossible = _row_hours(table, minutes, limit_hours)
    if impossible.any():
        found("impossible_duration").add(table.column("_row").to_numpy()[impossible])
    calls, collapsed = _collapse(table, hours, impossible)
    layout = "per_unit" if collapsed else "per_call"
    problems = {kind: f for kind, f in problems.items() if f.count}
    return Cleaned(
        calls.select([*CALL_COLUMNS, "_row"]),
        problems,
        n,
        collapsed,
        layout,
        formats,
        orders,
        unread_examples,
    )


def _align_orders(
    parsed: dict[str, ParsedTimes], col: dict[str, pa.Array], timezone: str, setting: Setting
) -> None:
    """Read again, in the order the file's other time columns show, columns left to the setting."""
    shown = file_setting([p.order for p in parsed.values()], setting)
    if shown is None:
        return
    for role, times in list(parsed.items()):
        left_open = times.order is not None and not times.order.from_values
        if left_open and times.order.order != shown.order:
            parsed[role] = parse_times(col[role], timezone, setting=shown)


def _shared_ids(call_id: pa.Array) -> np.ndarray:
    """Which rows share their call id with another row (a null id shares nothing)."""
    n = len(call_id)
    if n > 1 and call_id.null_count == 0:
        before, after = call_id.slice(0, n - 1), call_id.slice(1)
        if pc.all(pc.greater_equal(after, before)).as_py():
            # ids in order (as most exports are): repeats are neighbours, no hashing needed
            same = pc.equal(before, after).to_numpy(zero_copy_only=False)
            shares = np.zeros(n, dtype=bool)
            shares[:-1] |= same
            shares[1:] |= same
            return shares
    if isinstance(call_id, pa.ChunkedArray):
        call_id = call_id.combine_chunks()
    codes = pc.fill_null(pc.dictionary_encode(call_id).indices, -1)
    codes = codes.to_numpy(zero_copy_only=False)
    counts = np.bincount(codes[codes >= 0], minlength=1)
    return (codes >= 0) & (counts[np.maximum(codes, 0)] > 1)


def _minutes(col: dict[str, pa.Array]) -> np.ndarray | None:
    """Exported unit minutes (travel plus on scene), when the export has them."""
    scene = _numbers(col.get("on_scene_minutes"))
    if scene is None:
        return None
    minutes = pc.fill_null(scene, np.nan).to_numpy(zero_copy_only=False).astype(float)
    travel = _numbers(col.get("travel_minutes"))
    if travel is not None:
        minutes = minutes + pc.fill_null(travel, 0.0).to_numpy(zero_copy_only=False)
    return minutes


def _row_hours(
    table: pa.Table, minutes: np.ndarray | None, limit_hours: float
) -> tuple[np.ndarray, np.ndarray]:
    """Each row's unit time in hours (NaN when unknown or impossible) and whether it is impossible.

    Clear minus dispatch; without a dispatch time, clear minus received for
    officer-initiated calls, else clear minus arrival; without a clear time, the
    exported travel and on-scene minutes.
    """
    received, cleared = table.column("received_at"), table.column("cleared_at")
    officer = pc.fill_null(pc.equal(table.column("initiated_by"), "officer"), False)
    start = table.column("dispatched_at")
    start = pc.if_else(pc.and_(pc.is_null(start), officer), received, start)
    start = pc.coalesce(start, table.column("arrived_at"))
    micros = pc.cast(pc.subtract(cleared, start), pa.int64())
    hours = pc.fill_null(pc.cast(micros, pa.float64()), np.nan).to_numpy(zero_copy_only=False)
    hours = hours / 3_600_000_000.0
    if minutes is not None:
        hours = np.where(np.isnan(hours), minutes / 60.0, hours)
    before = pc.fill_null(pc.less(cleared, received), False).to_numpy(zero_copy_only=False)
    with np.errstate(invalid="ignore"):
        impossible = before | (hours < 0) | (hours > limit_hours)
    return np.where(impossible, np.nan, hours), impossible


def _collapse(table: pa.Table, hours: np.ndarray, impossible: np.ndarray) -> tuple[pa.Table, int]:
    """One call per call id: unit rows collapsed, unit time summed (blank if any is impossible).

    Only rows whose id repeats go through pandas; a per-call export stays in Arrow.
    """
    candidates = np.flatnonzero(table.column("_shares_id").to_numpy(zero_copy_only=False))
    repeated = np.zeros(table.num_rows, dtype=bool)
    if len(candidates):
        ids = table.column("call_id").take(pa.array(candidates)).to_pandas()
        repeated[candidates[ids.duplicated(keep=False).to_numpy()]] = True
    units = table.column("units").to_numpy(zero_copy_only=False)
    single = table.filter(pa.array(~repeated)) if repeated.any() else table
    single_units = units[~repeated]
    single = single.set_column(
        single.schema.get_field_index("units"), "units", pa.array(single_units.astype("int32"))
    ).append_column("unit_hours", pa.array(hours[~repeated] * single_units))
    if not repeated.any():
        return single, 0
    multi = table.filter(pa.array(repeated)).to_pandas()
    multi["_hours"] = hours[repeated]
    multi["_impossible"] = impossible[repeated]
    grouped = multi.groupby("call_id", sort=False)
    firsts = grouped[
        ["call_type", "call_type_desc", "priority", "area", "block", "disposition",
         "initiated_by", "lat", "lon", "_row"]
    ].first()  # fmt: skip
    agg = pd.DataFrame(
        {
            "received_at": grouped["received_at"].min(),
            "dispatched_at": grouped["dispatched_at"].min(),
            "arrived_at": grouped["arrived_at"].min(),
            "cleared_at": grouped["cleared_at"].max(),
            "unit_hours": grouped["_hours"].sum(min_count=1),
            "_bad": grouped["_impossible"].any(),
            "_rows": grouped.size(),
            "_units": grouped["_unit"].nunique(),
        }
    )
    agg = agg.join(firsts)
    agg.loc[agg["_bad"], "unit_hours"] = np.nan
    agg["units"] = np.where(agg["_units"] > 0, agg["_units"], agg["_rows"]).astype("int32")
    collapsed = int(agg["_rows"].sum() - len(agg))
    columns = [*CALL_COLUMNS, "_row"]
    schema = single.select(columns).schema
    merged = pa.Table.from_pandas(agg.reset_index()[columns], schema=schema, preserve_index=False)
    out = pa.concat_tables([single.select(columns), merged])
    return out.take(pc.sort_indices(out, [("_row", "ascending")])), collapsed
