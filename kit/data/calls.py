"""Importing calls-for-service exports into a workspace.

``preview`` shows a file's columns and the suggested match for each canonical
column (what the set-up screen offers in its dropdowns); ``import_calls`` reads one
or more exports, cleans them onto the canonical schema, and writes
data/calls.parquet and data/import_report.json together through
``Workspace.write_data``, so a failed import leaves the workspace as it was.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Final

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from kit.data.appending import Known, check_same_columns, span
from kit.data.area_names import AREA_MAP, apply_area_map, check_areas, durations_missing
from kit.data.cleaning import DEFAULT_LIMIT_HOURS, Cleaned, Found, clean_export
from kit.data.date_order import Setting, setting_for
from kit.data.headers import personal_reason
from kit.data.mapping import (
    ROLES,
    Match,
    Matching,
    looks_like_source,
    match_columns,
    suggest_mapping,
)
from kit.data.projection import check_crs
from kit.data.reading import DELIMITER_NAMES, RawTable, open_export
from kit.data.report import PROBLEM_MESSAGES, ImportReport, Problem, accumulate
from kit.data.schema import CALL_COLUMNS, arrow_schema
from kit.data.split_times import split_name, with_joined
from kit.data.times import detect_formats
from kit.errors import KitError

if TYPE_CHECKING:
    from kit.workspace import Workspace

__all__ = [
    "ImportReport",
    "Preview",
    "Problem",
    "import_calls",
    "personal_reason",
    "preview",
    "suggest_mapping",
]

SAMPLE_ROWS: Final[int] = 1000
# Above this share of a file's rows with a received time that cannot be read, the import
# stops: the file is probably read with the wrong column or the wrong date order.
UNREADABLE_LIMIT: Final[float] = 0.02


@dataclass
class Preview:
    """The first rows of an export and the suggested match of each role to a header.

    ``matching`` holds why each column was suggested and the roles the kit was unsure of;
    ``mapping`` is its plain role -> header form, which the set-up screen's dropdowns use.
    """

    headers: list[str]
    rows: pd.DataFrame
    mapping: dict[str, str | None]
    encoding: str
    delimiter: str | None
    format: str
    matching: Matching | None = None

    @property
    def delimiter_name(self) -> str | None:
        return DELIMITER_NAMES.get(self.delimiter or "")

    def options(self) -> list[str]:
        """Dropdown choices for any role: no column, every header, then joined date + time pairs."""
        pairs = list(self.matching.pairs) if self.matching is not None else []
        return ["", *self.headers, *pairs]


def preview(path: Path | str, *, rows: int = 20) -> Preview:
    """Read an export and suggest how its headers match the canonical columns."""
    export = open_export(Path(path))
    sample = export.head(max(rows, SAMPLE_ROWS))
    matching = match_columns(export.headers, sample)
    return Preview(
        headers=export.headers,
        rows=sample.head(rows),
        mapping=matching.mapping,
        matching=matching,
        encoding=export.encoding,
        delimiter=export.delimiter,
        format=export.format,
    )


_ROLE_NAMES: Final[dict[str, str]] = {
    "received_at": "the time each call was received",
    "call_type": "the call type",
}


def resolve_mapping(
    name: str, headers: list[str], sample: pd.DataFrame, overrides: dict[str, str] | None
) -> Matching:
    """The suggested matching with the user's overrides applied and checked against the file.

    A required role the kit is unsure of stops here, naming the candidate columns,
    unless the user has picked one.
    """
    matching = match_columns(headers, sample)
    for role, header in (overrides or {}).items():
        if role not in ROLES:
            raise KitError(
                f"Unknown column {role!r} in the mapping. Known columns: {', '.join(ROLES)}."
            )
        if header in (None, ""):
            matching.matches[role] = Match(None, "left out in the mapping")
            continue
        pair = split_name(header, headers)
        if header not in headers and pair is None:
            raise KitError(
                f"{name}: there is no column {header!r} to use as {role}. "
                f"The file's columns are: {', '.join(headers[:40])}. "
                "A date and a time in two columns are named DATE+TIME."
            )
        if pair is not None:
            matching.pairs[header] = pair
        for other, match in matching.matches.items():
            if match.header == header and other != role and other not in (overrides or {}):
                matching.matches[other] = Match(None)
        matching.matches[role] = Match(header, "chosen in the mapping")
    unsure = matching.required_unsure()
    if unsure:
        role, candidates = next(iter(unsure.items()))
        listed = ", ".join(repr(c) for c in candidates)
        raise KitError(
            f"{name}: more than one column could be {_ROLE_NAMES[role]} ({listed}). "
            f"Pick one with --map {role}={candidates[0]} (or another of them)."
        )
    return matching


def _check_usable(
    name: str,
    headers: list[str],
    sample: pd.DataFrame,
    raw: RawTable,
    mapping: dict[str, str | None],
    timezone: str,
) -> None:
    """Stop with a message when the file has no usable time or call-type column."""
    if mapping["received_at"] is None:
        raise KitError(
            f"{name}: no column looks like the time each call was received. "
            "Name it with --map received_at=HEADER "
            "(for example TimeCreate or Original Time Queued)."
        )
    received = raw.table.column(mapping["received_at"]).combine_chunks().cast(pa.string())
    times = pc.drop_null(pc.utf8_trim_whitespace(received))[:SAMPLE_ROWS]
    if len(times) and not detect_formats(times, timezone):
        example = times[0].as_py()[:40]
        raise KitError(
            f"{name}: the column {mapping['received_at']!r} does not hold times (for example "
            f"{example!r}). Map the time each call was received with --map received_at=HEADER."
        )
    type_header = mapping["call_type"] or mapping["call_type_desc"]
    if type_header is None:
        raise KitError(
            f"{name}: no column looks like the call type. "
            "Name it with --map call_type=HEADER (for example Type, Final Call Type or callcode)."
        )
    distinct = pc.unique(raw.table.column(type_header).cast(pa.string()))
    if len(distinct) <= 12 and looks_like_source(distinct.to_pandas()):
        others = [h for h in headers if h != type_header]
        better = suggest_mapping(others, sample[others])["call_type"]
        hint = f" Try --map call_type={better!r}." if better else ""
        raise KitError(
            f"{name}: the column {type_header!r} holds how calls came in "
            f"({', '.join(str(v) for v in distinct.to_pylist()[:5])}), not the kind of call. "
            f"Map the kind of call instead, and use this column as initiated_by.{hint}"
        )


def _dropped(headers: list[str], mapping: dict[str, str | None]) -> dict[str, str]:
    used = {part for h in mapping.values() if h for part in split_name(h, headers) or (h,)}
    dropped: dict[str, str] = {}
    for header in headers:
        reason = personal_reason(header)
        if reason is not None:
            dropped[header] = reason
        elif header not in used:
            dropped[header] = "not used"
    return dropped


@dataclass(frozen=True)
class ReadOptions:
    """How every file of one import is read, beyond its column mapping."""

    timezone: str
    limit_hours: float
    date_order: Setting
    accept_unreadable: bool = False
    crs: str | None = None  # the system of projected coordinates, e.g. "EPSG:3452"


def _check_readable(name: str, cleaned: Cleaned, mapping: dict[str, str | None]) -> None:
    """Stop when too many received times cannot be read, rather than import what happened to."""
    unread = cleaned.problems.get("unreadable_received_at")
    if unread is None or unread.count <= UNREADABLE_LIMIT * cleaned.rows_read:
        return
    examples = ", ".join(repr(v) for v in cleaned.unreadable_received[:3])
    order = cleaned.date_orders.get("received_at")
    read_as = f" Dates were read {order['order']} ({order['how']})." if order else ""
    raise KitError(
        f"{name}: the received time of {unread.count:,} of {cleaned.rows_read:,} rows "
        f"({unread.count / cleaned.rows_read:.1%}) cannot be read as a time, for example "
        f"{examples} (rows {', '.join(map(str, unread.examples[:3]))}).{read_as} "
        f"Nothing was imported. Check the column used as received_at ({mapping['received_at']!r}; "
        "change it with --map received_at=HEADER) and the order of day and month (--dayfirst "
        "or --monthfirst); to import anyway and leave those rows out, add --accept-unreadable."
    )


def _read_one(
    path: Path, overrides: dict[str, str] | None, options: ReadOptions
) -> tuple[Cleaned, RawTable, Matching, dict[str, str]]:
    export = open_export(path)
    sample = export.head(SAMPLE_ROWS)
    matching = resolve_mapping(path.name, export.headers, sample, overrides)
    mapping = matching.mapping
    personal = {h for h in export.headers if personal_reason(h)}
    for role, header in mapping.items():
        if header in personal and role not in ("block",):
            mapping[role] = None  # personal data is never kept, even if mapped
    # only the columns used are parsed; a date + time pair is read as its two columns
    used = [h for h in mapping.values() if h]
    parts = {p for h in used for p in split_name(h, export.headers) or (h,)}
    raw = export.read({h: pa.string() for h in parts})
    raw.table = with_joined(raw.table, used)
    _check_usable(path.name, export.headers, sample, raw, mapping, options.timezone)
    numbers = (
        raw.row_numbers.to_numpy(zero_copy_only=False) if raw.row_numbers is not None else None
    )
    cleaned = clean_export(
        raw.table,
        mapping,
        options.timezone,
        row_numbers=numbers,
        limit_hours=options.limit_hours,
        date_order=options.date_order,
        crs=options.crs,
    )
    if not options.accept_unreadable:
        _check_readable(path.name, cleaned, mapping)
    for kind, problem in raw.problems.items():
        cleaned.problems[kind] = Found(problem.count, list(problem.examples))
        if kind == "malformed_row":
            cleaned.rows_read += problem.count
    return cleaned, raw, matching, _dropped(export.headers, mapping)


def _merge(problems: dict[str, Problem], kind: str, found: Found) -> None:
    if found.count == 0:
        return
    current = problems.get(kind)
    if current is None:
        problems[kind] = Problem(found.count, list(found.examples), PROBLEM_MESSAGES[kind])
    else:
        current.count += found.count
        current.examples = (current.examples + found.examples)[:5]


def import_calls(
    ws: Workspace,
    files: list[Path],
    *,
    append: bool = False,
    mapping: dict[str, str] | None = None,
    progress: Callable[[float, str], None] | None = None,
    limit_hours: float = DEFAULT_LIMIT_HOURS,
    date_order: str | None = None,
    accept_unreadable: bool = False,
    crs: str | None = None,
) -> ImportReport:
    """Import CAD exports into ``ws``; replace the calls held unless ``append``.

    ``mapping`` overrides the automatic match (role -> header; "" for no column).
    ``date_order`` ("day-first" or "month-first") reads every numeric date in that
    order, whatever the values suggest; without it each column's values decide, else
    the workspace's setting. A file whose received times cannot be read on more than 2% of its rows
    stops the import unless ``accept_unreadable``. ``crs`` (an EPSG code) converts
    projected coordinates to degrees; without it they are left out and counted.
    The workspace's area mapping (data/area_map.json, see :mod:`kit.data.area_names`) renames
    the export's areas, and the report's ``checks`` say which area names still match no
    profile area and whether durations are missing.
    Writes data/calls.parquet and data/import_report.json together.
    """
    if not files:
        raise KitError("Name at least one calls file to import.")
    timezone = ws.profile.timezone
    options = ReadOptions(
        timezone,
        limit_hours,
        setting_for(timezone, ws.date_order, date_order),
        accept_unreadable,
        check_crs(crs) if crs else None,
    )

    def report_progress(fraction: float, message: str) -> None:
        if progress is not None:
            progress(fraction, message)

    problems: dict[str, Problem] = {}
    frames: list[pa.Table] = []
    dropped: dict[str, str] = {}
    details: list[dict[str, object]] = []
    used_mapping: dict[str, str | None] = dict.fromkeys(ROLES)
    evidence: dict[str, str] = {}
    unmatched: dict[str, list[str]] = {}
    rows_read = rows_collapsed = 0
    seen = Known([], [])
    for i, path in enumerate(map(Path, files)):
        report_progress(i / (len(files) + 1), f"Reading {path.name}")
        cleaned, raw, matching, file_dropped = _read_one(path, mapping, options)
        file_mapping = matching.mapping
        file_problems: dict[str, Problem] = {}
        for kind, found in cleaned.problems.items():
            _merge(file_problems, kind, found)
        calls, found = seen.drop_from(cleaned.calls, ("repeated_call_id", "repeated_call"))
        for kind, rows in found.items():
            _merge(file_problems, kind, rows)
        seen.extend(Known.of(calls))
        for kind, problem in file_problems.items():
            _merge(problems, kind, Found(problem.count, problem.examples))
        frames.append(calls)
        rows_read += cleaned.rows_read
        rows_collapsed += cleaned.rows_collapsed
        dropped.update(file_dropped)
        for role, header in file_mapping.items():
            used_mapping[role] = used_mapping[role] or header
        for role, why in matching.evidence().items():
            evidence.setdefault(role, why)
        for role, candidates in matching.unsure().items():
            unmatched.setdefault(role, candidates)
        details.append(
            {
                "name": path.name,
                "format": raw.format,
                "encoding": raw.encoding,
                "delimiter": DELIMITER_NAMES.get(raw.delimiter or ""),
                "layout": cleaned.layout,
                "rows_read": cleaned.rows_read,
                "calls": calls.num_rows,
                "time_formats": cleaned.time_formats,
                "date_orders": cleaned.date_orders,
                "crs": options.crs,
                "mapping": {k: v for k, v in file_mapping.items() if v},
                "evidence": matching.evidence(),
                "unmatched": matching.unsure(),
                "problems": {k: p.to_dict() for k, p in sorted(file_problems.items())},
            }
        )
    report_progress(len(files) / (len(files) + 1), "Saving the calls")
    new = pa.concat_tables(frames) if len(frames) > 1 else frames[0]
    if append and ws.has_table("calls"):
        held = ws.read_arrow("calls")
        check_same_columns(held, new, [Path(f).name for f in files])
        new, found = Known.of(held).drop_from(new, ("already_held", "already_held_same_call"))
        for kind, rows in found.items():
            _merge(problems, kind, rows)
        table = pa.concat_tables([_to_arrow(held, timezone), _to_arrow(new, timezone)])
    else:
        table = _to_arrow(new, timezone)
    added = new.num_rows
    if added == 0 and not append:
        counts = ", ".join(f"{k}: {p.count:,}" for k, p in problems.items())
        raise KitError(
            f"No call could be read from {', '.join(Path(f).name for f in files)} ({counts}). "
            "Check the column mapping (kit import calls --map ...) and the file."
        )
    table = apply_area_map(table, (ws.read_json(AREA_MAP) or {}).get("map") or {})
    checks = {
        "areas": check_areas(table, ws.profile.area_names),
        "durations_missing": durations_missing(table),
    }
    report = ImportReport(
        rows_read=rows_read,
        calls_held=table.num_rows,
        problems=problems,
        dropped_columns=dropped,
        mapping=used_mapping,
        evidence=evidence,
        unmatched={r: c for r, c in unmatched.items() if used_mapping[r] is None},
        calls_added=added,
        rows_collapsed=rows_collapsed,
        append=append,
        limit_hours=limit_hours,
        files=details,
        checks=checks,
        span={"held": span(table), "added": span(new)},
    )
    saved = accumulate(ws.read_json("import_report") if append else None, report.to_dict())
    ws.write_data({"calls": table}, {"import_report": saved})
    report_progress(1.0, "Done")
    return report


def _to_arrow(calls: pa.Table, timezone: str) -> pa.Table:
    """The canonical calls with the workspace's schema (held calls, read back, included)."""
    return calls.select(list(CALL_COLUMNS)).cast(arrow_schema(timezone))
