"""Step 00's model: the profile being edited, the calls files, the column mapping and the
last import's report.

It saves the profile as the ``profile`` decision and imports calls with
:func:`kit.data.calls.import_calls`; under papermill it saves the profile given as
parameters and imports the calls file.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
from pathlib import Path
from typing import Any

import traitlets

from kit.data.area_names import check_lines
from kit.data.form_values import column_samples, rows_as_read
from kit.data.report import APP_PROBLEM_MESSAGES, date_order_lines
from kit.errors import KitError
from kit.profile import Area, Profile, read_areas_csv
from kit.ui.base import StepModel

MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
#: Roles shown first in the mapping, because every later step needs them.
KEY_ROLES = ("received_at", "call_type", "call_type_desc", "area", "call_id", "priority")
#: Fields an import cannot do without (a call type in words can stand in for the code).
NEEDED = ("received_at", "call_type")
_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")
_MAX_FILE_NAME = 100


def _words(kind: str) -> str:
    """A snake_case problem kind as words ("missing_time" -> "Missing time")."""
    return kind.replace("_", " ").strip().capitalize()


class SetUpModel(StepModel):
    """The profile form, the calls files and their mapping, and what the last import found."""

    step = "00"
    decision = "profile"

    name = traitlets.Unicode("")
    population = traitlets.Int(0)
    timezone = traitlets.Unicode("UTC")
    fiscal_year_start = traitlets.Int(1)
    #: Areas as dicts with the fields of :class:`kit.profile.Area`.
    areas = traitlets.List(traitlets.Dict())

    #: Calls files on the server (uploads are written into the workspace first).
    calls_files = traitlets.List(traitlets.Unicode())
    #: Headers of the first calls file, offered in the mapping dropdowns.
    headers = traitlets.List(traitlets.Unicode())
    #: Role -> header of the export (None: not in the export), as suggested then edited.
    mapping = traitlets.Dict()
    #: The roles the person changed: role -> header ("" for no column), applied to every file.
    overrides = traitlets.Dict()
    #: A few values of each column of the first file, as the form may show them.
    samples = traitlets.Dict()
    #: Why each role has the column it has: the kit's evidence, or the person's choice.
    evidence = traitlets.Dict()
    append = traitlets.Bool(False)
    #: "day-first" or "month-first" for this import whatever the values say; "": decided per column.
    date_order = traitlets.Unicode("")
    #: The EPSG code of projected coordinates in the export ("": none, they are left out).
    crs = traitlets.Unicode("")

    progress = traitlets.Float(0.0)
    progress_text = traitlets.Unicode("")
    #: data/import_report.json of the last import ({} before any).
    report = traitlets.Dict()
    calls_held = traitlets.Int(0)

    #: The first rows of the first calls file (None: no file chosen).
    _first_rows: Any = None

    # ----------------------------------------------------------------- profile

    def profile(self) -> Profile:
        """The profile as the form holds it (not yet validated)."""
        return Profile(
            name=self.name.strip(),
            population=self.population,
            timezone=self.timezone.strip(),
            fiscal_year_start=self.fiscal_year_start,
            areas=[Area(**area) for area in self.areas],
        )

    def state_to_document(self) -> dict[str, Any]:
        document = self.profile().to_document()
        document.pop("schema_version", None)
        return document

    def state_from_document(self, document: dict[str, Any]) -> None:
        self._show_profile(Profile.from_document(document))

    def _show_profile(self, profile: Profile) -> None:
        self.name = profile.name
        self.population = profile.population
        self.timezone = profile.timezone
        self.fiscal_year_start = profile.fiscal_year_start
        self.areas = [dict(vars(area)) for area in profile.areas]

    def load(self) -> bool:
        """Show what the workspace holds now: its profile, and the last import's report."""
        ws = self.workspace
        self.catch_up()
        self._show_profile(ws.profile)
        self.base_version = ws.profile_version
        self.report = ws.read_json("import_report") or {}
        self.calls_held = int(self.report.get("calls_held", 0)) if ws.has_table("calls") else 0
        return self.base_version is not None

    def save(self, *, user: str | None = None) -> int:
        """Validate and save the profile; a plain error lists every problem with it."""
        from kit.workspace import current_user

        with self.writing():
            version = self.workspace.save_profile(
                self.profile(),
                step=self.step,
                user=user or current_user(),
                base_version=self.base_version,
            )
        self.base_version = version
        self.status = f"Profile saved (version {version})."
        return version

    def load_areas_csv(self, path: Path) -> None:
        """Replace the areas with those of a filled-in copy of the areas template."""
        areas = read_areas_csv(path)
        self.areas = [dict(vars(area)) for area in areas]
        if self.population <= 0:
            self.population = sum(area.population for area in areas)
        self.status = f"Read {len(areas)} areas from {path.name}; save to keep them."

    def set_area(self, area: dict[str, Any]) -> None:
        """Add an area, or replace the one with the same name."""
        checked = Area(**area)
        problems = checked.problems()
        if problems:
            raise KitError(" ".join(problems))
        others = [a for a in self.areas if a["name"].casefold() != checked.name.casefold()]
        self.areas = [*others, dict(vars(checked))]

    def remove_area(self, name: str) -> None:
        """Remove the area of that name (nothing happens when there is none)."""
        self.areas = [a for a in self.areas if a["name"] != name]

    # ----------------------------------------------------------------- calls

    def add_calls_file(self, path: str | Path) -> None:
        """Add a calls file on the server; the first one's headers drive the mapping."""
        from kit.data.calls import preview

        candidate = Path(path).expanduser()
        if not candidate.is_absolute():
            candidate = self.workspace.path / candidate
        if not candidate.is_file():
            raise KitError(f"There is no file at {candidate}; check the path on the server.")
        if str(candidate) in self.calls_files:
            return
        if not self.calls_files:
            seen = preview(candidate)
            self._first_rows = seen.rows
            self.samples = column_samples(seen.rows)
            self.evidence = seen.matching.evidence() if seen.matching else {}
            self.headers = list(seen.headers)
            self.mapping = dict(seen.mapping)
            self.overrides = {}
        self.calls_files = [*self.calls_files, str(candidate)]
        self.status = f"{len(self.calls_files)} calls file(s) ready to import."

    def add_upload(self, name: str, content: bytes) -> Path:
        """Keep an uploaded file in the workspace's uploads folder and add it."""
        clean = _SAFE_NAME.sub("_", Path(name).name).strip("._")[:_MAX_FILE_NAME] or "calls.csv"
        target = self.workspace.save_upload(clean, content)
        self.add_calls_file(target)
        return target

    def clear_calls_files(self) -> None:
        """Forget the chosen files (the imported calls stay)."""
        self.calls_files = []
        self._first_rows = None
        self.mapping = {}  # first, so the lists are hidden before their columns go
        self.overrides = {}
        self.samples = {}
        self.evidence = {}
        self.headers = []

    def set_mapping(self, role: str, header: str | None) -> None:
        """Say which header fills a role (None: the export has no such column)."""
        if role not in self.mapping:
            raise KitError(f"{role!r} is not a column the kit reads.")
        if header is not None and header not in self.headers:
            raise KitError(f"The export has no column {header!r}.")
        self.evidence = {**self.evidence, role: "chosen on this page"}
        self.mapping = {**self.mapping, role: header}
        self.overrides = {**self.overrides, role: header or ""}

    def rows_as_read(self) -> list[dict[str, str]]:
        """The first rows of the first file by field, as the mapping now reads them."""
        if self._first_rows is None:
            return []
        return rows_as_read(self._first_rows, self.mapping)

    def import_calls(self) -> None:
        """Import the chosen files into the workspace, reporting progress as it goes."""
        from kit.data.calls import import_calls

        if not self.calls_files:
            raise KitError("Choose a calls file first: upload one or give its path on the server.")
        if self.base_version is None:
            raise KitError("Save the profile first: the time zone tells how to read the times.")
        self.progress, self.progress_text = 0.0, "Starting the import"
        with self.writing():
            report = import_calls(
                self.workspace,
                [Path(p) for p in self.calls_files],
                append=self.append,
                mapping=dict(self.overrides) or None,
                progress=self._on_progress,
                date_order=self.date_order or None,
                crs=self.crs or None,
            )
        self.progress, self.progress_text = 1.0, "Import finished"
        self.report = report.to_dict()
        self.calls_held = int(report.calls_held)
        self.status = f"Imported {report.calls_held:,} calls."

    def _on_progress(self, fraction: float, message: str) -> None:
        self.progress = min(max(float(fraction), 0.0), 1.0)
        self.progress_text = message

    def report_lines(self) -> list[str]:
        """The quality report in plain words, one line per finding (not escaped), with how the
        day/month order of each file's dates was decided, so a misread is never silent."""
        report = self.report
        if not report:
            return ["No calls have been imported yet."]
        held, read = report.get("calls_held", 0), report.get("rows_read", 0)
        added = report.get("calls_added", held)
        lines = [f"Calls held: {held:,}. The last import read {read:,} rows, adding {added:,}."]
        for kind, problem in (report.get("problems") or {}).items():
            examples = ", ".join(str(x) for x in list(problem.get("examples", []))[:5])
            where = f" Example rows: {examples}." if examples else ""
            count = problem.get("count", 0)
            message = APP_PROBLEM_MESSAGES.get(kind, str(problem.get("message", "")).strip())
            lines.append(f"{_words(kind)}: {count:,} rows ({message}).{where}")
        lines.extend(date_order_lines(report.get("files") or []))
        for column, reason in (report.get("dropped_columns") or {}).items():
            lines.append(f"Column {column!r} was not kept: {reason}")
        return [*lines, *check_lines(report.get("checks"))]

    def map_areas(self, mapping: dict[str, str]) -> None:
        """Map the export's area names to the profile's areas, in the calls held and later."""
        from kit.data.area_names import map_areas

        if not mapping:
            raise KitError("Choose the profile area of at least one name first.")
        check = map_areas(self.workspace, mapping)
        self.report = self.workspace.read_json("import_report") or {}
        left = check["unmatched_names"]
        self.status = f"Area names mapped; {left:,} name{'s' if left != 1 else ''} still unmatched."

    @property
    def unmatched_areas(self) -> list[str]:
        """The export's area names (the most frequent few) that match no profile area."""
        areas = (self.report.get("checks") or {}).get("areas") or {}
        return [str(u["name"]) for u in areas.get("unmatched", [])]

    def data_fingerprint(self) -> tuple[int, int, int] | None:
        """Identifies the calls held (None: none), so unchanged data is not charted twice."""
        calls = self.workspace.path / "data" / "calls.parquet"
        try:
            found = os.stat(os.path.realpath(calls))
        except FileNotFoundError:
            return None
        return (found.st_ino, found.st_size, found.st_mtime_ns)

    def first_look(self) -> dict[str, Any]:
        """The aggregated frames of the first look (empty when no calls are held)."""
        from kit import charts

        ws = self.workspace
        if not ws.has_table("calls"):
            return {}
        calls = ws.read_table(
            "calls", columns=["received_at", "call_type", "call_type_desc", "area"]
        )
        return {
            "month": charts.calls_by_month(calls),
            "hour": charts.calls_by_hour_and_weekday(calls),
            "types": charts.top_call_types(calls),
            "areas": charts.calls_by_area(calls, ws.profile.areas),
        }

    def first_look_pictures(self) -> dict[str, Any]:
        """The first look drawn as SVG charts and a table of top call types ({}: no calls).

        Drawing takes seconds on a large city, so the result is kept in the workspace's
        cache/ folder for the data and profile it was drawn from: every page opened
        afterwards (and every preheated kernel) reuses it.
        """
        fingerprint = self.data_fingerprint()
        if fingerprint is None:
            return {}
        key = [*fingerprint, self.base_version]
        cache = self.workspace.safe_path("cache", "first_look.json")
        with contextlib.suppress(OSError, ValueError):
            kept = json.loads(cache.read_text(encoding="utf-8"))
            if kept.get("key") == key:
                return kept
        from kit import charts

        frames = self.first_look()
        drawn = {
            "key": key,
            "svgs": [
                charts.to_svg(charts.month_chart(frames["month"])),
                charts.to_svg(charts.hour_weekday_chart(frames["hour"])),
                charts.to_svg(charts.call_types_chart(frames["types"])),
                charts.to_svg(charts.area_chart(frames["areas"])),
            ],
            "types": [
                [str(t), int(n)]
                for t, n in zip(frames["types"]["call_type"], frames["types"]["calls"], strict=True)
            ],
        }
        cache.parent.mkdir(exist_ok=True)
        partial = cache.with_suffix(f".{os.getpid()}.tmp")
        partial.write_text(json.dumps(drawn), encoding="utf-8")
        os.replace(partial, cache)
        return drawn

    # ----------------------------------------------------------------- headless

    def apply_parameters(self, **parameters: Any) -> None:
        """Apply the workbook's parameters; empty values and zeros keep what is saved."""
        for key in ("name", "timezone"):
            if parameters.get(key):
                setattr(self, key, str(parameters[key]))
        for key in ("population", "fiscal_year_start"):
            if parameters.get(key):
                setattr(self, key, int(parameters[key]))
        if parameters.get("areas_file"):
            self.load_areas_csv(Path(parameters["areas_file"]).expanduser())
        self.append = bool(parameters.get("append", False))
        self.date_order = str(parameters.get("date_order") or "")
        self.crs = str(parameters.get("crs") or "")
        files = str(parameters.get("calls_file") or "")
        for path in [p.strip() for p in files.split(";") if p.strip()]:
            self.add_calls_file(path)
        for role, header in dict(parameters.get("mapping") or {}).items():
            self.set_mapping(str(role), None if header in (None, "") else str(header))

    def run_headless(self) -> None:
        """Save the profile when it changed or was never saved, then import any calls files."""
        saved = self.workspace.decisions.latest(self.decision)
        if saved is None or self.state_to_document() != {
            k: v for k, v in saved.document.items() if k != "schema_version"
        }:
            self.save()
        if self.calls_files:
            self.import_calls()
