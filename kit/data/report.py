"""What an import found: calls held, problems by kind, columns dropped.

The report is saved as data/import_report.json next to the calls so that later
steps (and reviewers) can see what was left out and why; its shape is documented
in docs/data_dictionary.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Final

from kit.data.area_names import check_lines

# Kinds whose rows are left out; every other kind keeps its call.
DROPPING: Final[frozenset[str]] = frozenset(
    {
        "malformed_row",
        "unreadable_received_at",
        "missing_received_at",
        "missing_call_type",
        "test_void_duplicate",
        "exact_duplicate",
        "repeated_call_id",
        "repeated_call",
        "already_held",
        "already_held_same_call",
    }
)

PROBLEM_MESSAGES: Final[dict[str, str]] = {
    "malformed_row": "rows with a different number of fields from the header; left out",
    "unreadable_received_at": "received time not a time the kit can read; left out",
    "missing_received_at": (
        "no received time (blank, or a placeholder date such as 1900-01-01 that CAD systems "
        "write for 'no time'); left out"
    ),
    "missing_call_type": "no call type; left out",
    "test_void_duplicate": "marked test, void or duplicate (disposition or call type); left out",
    "exact_duplicate": "exact copies of another row; left out",
    "repeated_call_id": "call id already read from an earlier file in this import; left out",
    "repeated_call": (
        "no call id, and the same received time, call type and block as a call read from an "
        "earlier file in this import; left out"
    ),
    "already_held": "call id already held in the workspace (appending); left out",
    "already_held_same_call": (
        "no call id, and a call with the same received time, call type and block is already "
        "held in the workspace (appending); left out"
    ),
    "impossible_duration": (
        "unit time impossible (cleared before received, negative, or over the limit); call kept, "
        "unit hours left blank to be estimated later"
    ),
    "unreadable_time": "a dispatch, arrival or clear time that is not a time; left blank",
    "placeholder_time": (
        "a dispatch, arrival or clear time written as a placeholder date for 'no time' (such as "
        "1899-12-30, 1900-01-01 or 1970-01-01); left blank"
    ),
    "placeholder_location": (
        "placeholder or redacted coordinates (POINT (0 0), REDACTED, or one point shared by "
        "many rows); left blank"
    ),
    "projected_location": (
        "coordinates in a projected system (state plane or UTM, in feet or metres), not degrees; "
        "left blank: name the system with --crs EPSG:NNNN to convert them"
    ),
    "truncated_text": "text longer than 200 characters; cut to 200",
    "nul_bytes": "NUL bytes in the file; removed",
}


@dataclass
class Problem:
    """One kind of problem: how many rows, a few example row numbers, and what it means."""

    count: int
    examples: list[int]
    message: str

    def to_dict(self) -> dict[str, Any]:
        return {"count": self.count, "examples": list(self.examples), "message": self.message}


@dataclass
class ImportReport:
    """The outcome of ``import_calls``; ``to_dict()`` is data/import_report.json."""

    rows_read: int
    calls_held: int
    problems: dict[str, Problem]
    dropped_columns: dict[str, str]
    mapping: dict[str, str | None]
    # why each column was matched, by role; roles left unmapped for want of a clear candidate
    evidence: dict[str, str] = field(default_factory=dict)
    unmatched: dict[str, list[str]] = field(default_factory=dict)
    calls_added: int = 0
    rows_collapsed: int = 0
    append: bool = False
    limit_hours: float = 8.0
    files: list[dict[str, Any]] = field(default_factory=list)
    #: After-import checks: area names against the profile, missing durations.
    checks: dict[str, Any] = field(default_factory=dict)
    #: First and last day of the calls ``held`` after the import and of those ``added``.
    span: dict[str, list[str] | None] = field(default_factory=dict)

    @property
    def rows_left_out(self) -> int:
        return sum(p.count for kind, p in self.problems.items() if kind in DROPPING)

    def to_dict(self) -> dict[str, Any]:
        return {
            "rows_read": self.rows_read,
            "calls_held": self.calls_held,
            "calls_added": self.calls_added,
            "rows_collapsed": self.rows_collapsed,
            "rows_left_out": self.rows_left_out,
            "append": self.append,
            "limit_hours": self.limit_hours,
            "problems": {kind: p.to_dict() for kind, p in sorted(self.problems.items())},
            "dropped_columns": dict(self.dropped_columns),
            "mapping": dict(self.mapping),
            "evidence": dict(self.evidence),
            "unmatched": {role: list(c) for role, c in self.unmatched.items()},
            "files": list(self.files),
            "checks": dict(self.checks),
            "span": dict(self.span),
        }

    def summary_lines(self) -> list[str]:
        """A short plain summary for the command line and the set-up screen."""
        files = len(self.files)
        lines = [
            f"Calls held: {self.calls_held:,} ({self.calls_added:,} added from {self.rows_read:,} "
            f"rows in {files} file{'s' if files != 1 else ''})."
        ]
        lines.extend(span_lines(self.span))
        if self.rows_collapsed:
            lines.append(
                f"{self.rows_collapsed:,} rows were further units on a call and were collapsed "
                "into it (unit hours summed)."
            )
        lines.extend(self.matching_lines())
        lines.extend(date_order_lines(self.files))
        lines.extend(check_lines(self.checks))
        if self.problems:
            lines.append("Problems:")
            for kind, problem in sorted(self.problems.items(), key=lambda kv: -kv[1].count):
                where = ""
                if problem.examples:
                    where = " (e.g. rows " + ", ".join(str(r) for r in problem.examples[:3]) + ")"
                lines.append(f"  {kind}: {problem.count:,} - {problem.message}{where}")
        else:
            lines.append("Problems: none.")
        personal = {c: r for c, r in self.dropped_columns.items() if r != "not used"}
        unused = len(self.dropped_columns) - len(personal)
        if personal:
            listed = "; ".join(f"{c} ({r})" for c, r in personal.items())
            lines.append(f"Dropped for privacy: {listed}.")
        if unused:
            lines.append(f"{unused} other column{'s' if unused != 1 else ''} not used.")
        return lines

    def matching_lines(self) -> list[str]:
        """Which column fills each role and why, then the roles left for the user to name."""
        lines = []
        matched = [(r, h) for r, h in self.mapping.items() if h]
        if matched:
            lines.append("Columns matched:")
            for role, header in matched:
                why = self.evidence.get(role)
                lines.append(f"  {role} <- {header}" + (f" ({why})" if why else ""))
        for role, candidates in self.unmatched.items():
            listed = ", ".join(candidates)
            lines.append(
                f"Not matched: {role}, several columns could be it ({listed}); "
                f"name one with --map {role}=COLUMN."
            )
        return lines


def span_lines(span: dict[str, list[str] | None]) -> list[str]:
    """The days the calls held now cover, and those the import added."""
    held, added = span.get("held"), span.get("added")
    if not held:
        return []
    line = f"The calls held run from {held[0]} to {held[1]}"
    if added and added != held:
        line += f"; those added from {added[0]} to {added[1]}"
    return [line + "."]


def date_order_lines(files: list[dict[str, Any]]) -> list[str]:
    """How each file's numeric dates were read: day or month first, and why."""
    lines = []
    for entry in files:
        grouped: dict[str, list[tuple[str, str]]] = {}
        for role, order in entry.get("date_orders", {}).items():
            grouped.setdefault(order["order"], []).append((role, order["how"]))
        for order, roles in grouped.items():
            lines.append(
                f"{entry['name']}: dates read {order.replace('-', ' ')} in "
                f"{', '.join(role for role, _ in roles)}: {roles[0][1]}."
            )
    return lines


#: Example row numbers kept per kind of problem when reports are added up.
EXAMPLES_KEPT: Final[int] = 5


def accumulate(previous: dict[str, Any] | None, current: dict[str, Any]) -> dict[str, Any]:
    """The report of everything held after an appending import.

    ``kit info`` and the set-up screen read one report for the calls held, so an
    import that adds a year must not hide the problems found in earlier years:
    counts add up, files are listed in order and the first examples are kept.
    Example row numbers stay per file; each file's own entry in ``files`` says which.
    """
    if not previous or not current.get("append"):
        return current
    merged = dict(current)
    for key in ("rows_read", "rows_collapsed", "rows_left_out"):
        merged[key] = int(previous.get(key, 0)) + int(current.get(key, 0))
    problems = {k: dict(v) for k, v in previous.get("problems", {}).items()}
    for kind, problem in current.get("problems", {}).items():
        if kind in problems:
            old = problems[kind]
            examples = list(old.get("examples", [])) + list(problem.get("examples", []))
            problems[kind] = {
                "count": int(old.get("count", 0)) + int(problem["count"]),
                "examples": examples[:EXAMPLES_KEPT],
                "message": problem["message"],
            }
        else:
            problems[kind] = dict(problem)
    merged["problems"] = dict(sorted(problems.items()))
    merged["dropped_columns"] = {
        **previous.get("dropped_columns", {}),
        **current["dropped_columns"],
    }
    merged["files"] = list(previous.get("files", [])) + list(current.get("files", []))
    return merged
