"""Step 02, delineate police roles: the call-type inventory and who answers each kind of call.

The model (:class:`RolesModel`) holds the ``role_assignments`` decision as traits (the
preset it started from, each call type's split across responders, the screening, take-up
and back-up of each responder, coverage hours, family choices) and the figures computed
from it through :func:`kit.roles.flow`: calls eligible, routed, handled and handled without
police, officer hours freed (and the officers they represent), when the moved calls happen,
what police keep by family, and each area's share beside the city's and its demographics.
The view (:class:`RolesView`) is a preset picker, a sortable, filterable, paged table of
call types, an editor and sliders over the model. ``roles_app`` is the workbook's one call:
under papermill it applies the preset or assignments file given as a parameter, computes
the charter, saves, and shows the same tables as the page.

Every change recomputes from the cube (calls aggregated once by call type x hour of week x
area), so a slider never touches call rows. The role charter takes longer to draw up, so it
is redrawn when the plan is saved or the page opens, not on every move of a slider.
"""

from __future__ import annotations

import html
import json
import math
from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING, Any, Final

import numpy as np
import pandas as pd
import traitlets

from kit.equity import compare_shares
from kit.errors import KitError
from kit.printable import download_link, file_name
from kit.roles import (
    ALTERNATIVES,
    ASSUMPTION_SOURCES,
    DECISION_NAME,
    FLOW_COLUMNS,
    PRODUCTIVE_HOURS_PER_OFFICER,
    RESPONDER_LABELS,
    RESPONDERS,
    SCHEMA_VERSION,
    build_cube,
    check_assumptions,
    check_document,
    flow_values,
)
from kit.roles.assignments import PRODUCTIVE_HOURS_SOURCE, check_split
from kit.roles.charter import build_charter, charter_html, charter_page
from kit.roles.cube import HOURS_OF_WEEK, WEEKDAYS
from kit.roles.presets import apply_preset, describe, preset_ids
from kit.taxonomy import FAMILIES, FAMILY_LABELS
from kit.ui.base import StepApp, StepModel, StepView, launch, plain_message

if TYPE_CHECKING:
    from kit.roles import Cube
    from kit.workspace import Workspace

#: Traits that change the plan's figures.
PLAN_TRAITS: Final = (
    "assignments",
    "assumptions",
    "coverage",
    "officers_per_unit",
    "productive_hours_per_officer",
    "family_overrides",
    "threshold_pp",
)
#: Call types shown per page of the table.
PAGE_SIZE: Final = 20
#: Default gap, in percentage points, above which an area is flagged (the issue's 10 points).
EQUITY_THRESHOLD_PP: Final = 10.0
#: How the call-type table can be sorted: id -> (label, column, descending).
SORTS: Final[dict[str, tuple[str, str, bool]]] = {
    "hours": ("Officer hours a year (most first)", "officer_hours_per_year", True),
    "calls": ("Calls a year (most first)", "calls_per_year", True),
    "freed": ("Officer hours freed (most first)", "freed_hours_per_year", True),
    "moved": ("Calls handled without police (most first)", "without_police_per_year", True),
    "name": ("Call type (A to Z)", "label", False),
    "family": ("Family (A to Z)", "family_label", False),
}
#: Short names of the responders for table headings.
SHORT_LABELS: Final[dict[str, str]] = {
    "police": "Police",
    "co_response": "Co-response",
    "crisis_team": "Crisis team",
    "cso": "Non-sworn staff",
    "online": "Online",
    "other_agency": "Other agency",
    "no_dispatch": "No dispatch",
}
_STAGE_INDEX: Final = {name: i for i, name in enumerate(FLOW_COLUMNS)}
_POLICE: Final = RESPONDERS.index("police")
_CO: Final = RESPONDERS.index("co_response")
_CIVILIAN: Final = [i for i in range(len(RESPONDERS)) if i not in (_POLICE, _CO)]


def _stage(values: np.ndarray, name: str) -> np.ndarray:
    return values[:, :, _STAGE_INDEX[name]]


def _text(value: Any) -> str:
    return "" if value is None or (isinstance(value, float) and math.isnan(value)) else str(value)


def read_assignments_file(workspace: Workspace, name: str) -> dict[str, Any]:
    """A plan from a JSON file in the workspace: a whole ``role_assignments`` document, or
    just ``{call type: {responder: share}}``. Returns the fields the file sets."""
    path = workspace.safe_path(name)
    if not path.is_file():
        raise KitError(
            f"The assignments file {name!r} is not in the workspace folder: copy it there "
            "and give its path inside the workspace."
        )
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise KitError(f"The assignments file {name!r} is not readable JSON: {exc}.") from exc
    if not isinstance(data, dict):
        raise KitError(f"The assignments file {name!r} must hold a JSON object.")
    if "assignments" not in data:
        data = {"assignments": data}
    given = set(data) - {"charter", "schema_version"}
    doc = check_document({"schema_version": SCHEMA_VERSION, **data})
    fields = {key: doc[key] for key in given if key in doc}
    fields.setdefault("preset", "file")
    return fields


class RolesModel(StepModel):
    """The role_assignments decision as traits, and the figures computed from it."""

    step = "02"
    decision = DECISION_NAME
    schema_version = SCHEMA_VERSION

    preset = traitlets.Unicode("none")
    officers_per_unit = traitlets.Float(1.0)
    productive_hours_per_officer = traitlets.Float(PRODUCTIVE_HOURS_PER_OFFICER)
    assumptions = traitlets.Dict()
    coverage = traitlets.Dict()
    assignments = traitlets.Dict()
    family_overrides = traitlets.Dict()
    #: Gap from the citywide share, in percentage points, above which an area is flagged.
    threshold_pp = traitlets.Float(EQUITY_THRESHOLD_PP)
    #: A JSON file in the workspace whose plan a headless run applies (papermill parameter).
    assignments_file = traitlets.Unicode("")

    #: Totals of the plan a year: calls at each stage, officer hours, freed hours and officers.
    summary = traitlets.Dict()
    #: Per family: calls and officer hours a year, hours freed, share police keep.
    families = traitlets.List(traitlets.Dict())
    #: Calls handled without police against all calls, by area, beside the areas' demographics.
    equity = traitlets.Dict()
    #: The role charter of the plan as last drawn up (saved with it).
    charter = traitlets.Dict()
    #: Bumped once every figure is recomputed: the view redraws on it, once per change.
    revision = traitlets.Int(0)

    def __init__(self, workspace: Workspace, **kwargs: Any) -> None:
        super().__init__(workspace, **kwargs)
        self.assumptions = check_assumptions(None)
        self._calls: pd.DataFrame | None = None
        self._cube: Cube | None = None
        self._cube_key: tuple[Any, ...] | None = None
        self._loaded_preset: str | None = None
        self._quiet = False
        self._areas: list[Any] | None = None
        self._labels: dict[str, np.ndarray] = {}
        self._charter_of: dict[str, Any] | None = None
        #: Whether :attr:`charter` was drawn up from the plan as it stands.
        self.charter_current = False
        self._labels_for: Cube | None = None
        #: Per row of ``cube.types``: its calls, officer hours, calls handled without police
        #: and hours freed, a year, under the plan.
        self.type_figures: dict[str, np.ndarray] = {}
        #: Calls handled without police a year, by hour of the week (168, Monday 00:00 first).
        self.moved_by_hour = np.zeros(HOURS_OF_WEEK)
        self.observe(self._plan_changed, names=list(PLAN_TRAITS))

    @classmethod
    def missing(cls, workspace: Workspace) -> str | None:
        """Step 02 needs calls: say so plainly when none were imported."""
        if not workspace.has_table("calls"):
            return "Import the calls for service in step 00 first: step 02 works on them."
        return None

    def forget(self) -> None:
        """The calls or the profile changed elsewhere: read them again when next needed."""
        self._calls = None
        self._cube = None
        self._cube_key = None
        self._areas = None

    # ------------------------------------------------------------------- the data

    @property
    def cube(self) -> Cube:
        """The calls aggregated once; rebuilt only when officers per unit or families change."""
        key = (self.officers_per_unit, tuple(sorted(self.family_overrides.items())))
        if self._cube is None or key != self._cube_key:
            if self._calls is None:
                self._calls = self.workspace.calls()
                if self._calls.empty:
                    raise KitError("This workspace holds no calls yet: import them in step 00.")
            self._cube = build_cube(
                self._calls,
                officers_per_unit=self.officers_per_unit,
                families=self.family_overrides,
                rules=self.workspace.rules(),
            )
            self._cube_key = key
        return self._cube

    @property
    def areas(self) -> list[Any]:
        """The profile's areas, read once per load (they change in step 00, not here)."""
        if self._areas is None:
            self._areas = list(self.workspace.profile.areas)
        return self._areas

    def document(self) -> dict[str, Any]:
        """The plan as a validated ``role_assignments`` document (without the charter)."""
        return check_document(
            {
                "schema_version": SCHEMA_VERSION,
                "preset": self.preset,
                "officers_per_unit": self.officers_per_unit,
                "productive_hours_per_officer": self.productive_hours_per_officer,
                "assumptions": self.assumptions,
                "coverage": self.coverage,
                "assignments": self.assignments,
                "family_overrides": self.family_overrides,
            }
        )

    def state_to_document(self) -> dict[str, Any]:
        doc = self.document()
        self._charter_of = dict(doc)
        self.charter_current = True
        doc["charter"] = build_charter(self.cube, doc)
        self.charter = doc["charter"]
        return doc

    def state_from_document(self, document: dict[str, Any]) -> None:
        doc = check_document({"schema_version": SCHEMA_VERSION, **document})
        self._quiet = True
        try:
            self.preset = doc["preset"]
            self.officers_per_unit = doc["officers_per_unit"]
            self.productive_hours_per_officer = doc["productive_hours_per_officer"]
            self.assumptions = doc["assumptions"]
            self.coverage = {k: v for k, v in doc["coverage"].items() if v is not None}
            self.assignments = doc["assignments"]
            self.family_overrides = doc["family_overrides"]
            self.charter = doc["charter"]
        finally:
            self._quiet = False
        self._loaded_preset = doc["preset"]
        self._areas = None
        self._charter_of = self.document()
        self.charter_current = bool(doc["charter"])

    def draw_up_charter(self) -> None:
        """Draw up the role charter of the plan as it stands (it is also drawn up on save)."""
        doc = self.document()
        self._charter_of = doc
        self.charter_current = True
        self.charter = build_charter(self.cube, doc)

    # ---------------------------------------------------------------- the edits

    def use_preset(self, preset_id: str) -> None:
        """Replace the plan's splits by a preset's (assumptions and families are kept)."""
        plan = apply_preset(preset_id, self.cube.types)
        self.preset = preset_id
        self.assignments = plan
        self.status = f"{describe(preset_id)['title']}: {len(plan)} call types assigned."

    def set_share(self, call_type: str, responder: str, share: float) -> None:
        """Give ``responder`` this share of a call type; police keep what is left."""
        if call_type not in self.cube.type_index:
            raise KitError(f"'{call_type}' is not a call type in this workspace's calls.")
        split = {r: s for r, s in self.assignments.get(call_type, {}).items() if r != "police"}
        if responder == "police":
            raise KitError("Police keep whatever the other responders do not take.")
        split[responder] = share
        split = {r: s for r, s in split.items() if s > 0}
        plan = dict(self.assignments)
        if split:
            checked = check_split(split, call_type)
            plan[call_type] = {r: s for r, s in checked.items() if r != "police"}
        else:
            plan.pop(call_type, None)
        self.assignments = plan

    def set_family(self, call_type: str, family: str | None) -> None:
        """Choose a call type's family by hand (None: back to the rules)."""
        if call_type not in self.cube.type_index:
            raise KitError(f"'{call_type}' is not a call type in this workspace's calls.")
        if family is not None and family not in FAMILIES:
            raise KitError(f"'{family}' is not a family. Use one of: {', '.join(FAMILIES)}.")
        chosen = dict(self.family_overrides)
        if family is None:
            chosen.pop(call_type, None)
        else:
            chosen[call_type] = family
        self.family_overrides = chosen

    def set_assumption(self, responder: str, field: str, value: float) -> None:
        """Change one responder's screening, take-up or back-up."""
        changed = {r: dict(v) for r, v in self.assumptions.items()}
        changed.setdefault(responder, {})[field] = value
        self.assumptions = check_assumptions(changed)

    @traitlets.validate("productive_hours_per_officer")
    def _check_productive_hours(self, proposal: Any) -> float:
        value = float(proposal["value"])
        if not 100 <= value <= 8760:
            raise KitError("Productive hours per officer must be between 100 and 8,760 a year.")
        return value

    @traitlets.validate("threshold_pp")
    def _check_threshold(self, proposal: Any) -> float:
        value = float(proposal["value"])
        if not 0 <= value <= 100:
            raise KitError("The threshold must be between 0 and 100 percentage points.")
        return value

    # -------------------------------------------------------------- the figures

    def _plan_changed(self, _: Any = None) -> None:
        if self._quiet:
            return
        with self.reporting("recomputing the plan"):
            self.recompute()

    def recompute(self) -> None:
        """Work the plan through the flow: totals, call types, families, hours, areas."""
        doc = self.document()
        cube = self.cube
        years = cube.years or 1.0
        args = (cube, doc["assignments"], doc["assumptions"])
        coverage = doc["coverage"]
        groups, found = flow_values(*args, coverage=coverage, by=("call_type",))
        values = np.zeros((len(cube.types), *found.shape[1:]))
        values[groups] = found
        self._type_figures(values, years)
        self._summary(values, years, doc["productive_hours_per_officer"])
        self._families(values, years)
        groups, found = flow_values(*args, coverage=coverage, by=("hour_of_week",))
        moved = _stage(found, "without_police")[:, _CIVILIAN].sum(axis=1) / years
        self.moved_by_hour = np.bincount(groups, weights=moved, minlength=HOURS_OF_WEEK)
        groups, found = flow_values(*args, coverage=coverage, by=("area",))
        self._equity(np.asarray(list(cube.areas or ("",)), dtype=object)[groups], found)
        self.charter_current = doc == self._charter_of
        self.revision += 1

    def type_labels(self) -> dict[str, np.ndarray]:
        """Each call type's names, family and sort ranks, one entry per row of ``cube.types``
        (kept per cube, so a slider move never rebuilds strings)."""
        cube = self.cube
        if self._labels_for is not cube:
            names = [str(t) for t in cube.types["call_type"]]
            desc = [_text(d) for d in cube.types["call_type_desc"]]
            family = [str(f) for f in cube.types["family"]]
            label = [f"{t} ({d})" if d and d != t else t for t, d in zip(names, desc, strict=True)]
            family_label = [FAMILY_LABELS[f] for f in family]

            def rank(texts: list[str]) -> np.ndarray:
                ranks = np.empty(len(texts), dtype=np.int64)
                ranks[np.argsort(np.asarray(texts, dtype=object), kind="stable")] = np.arange(
                    len(texts)
                )
                return ranks

            self._labels = {
                "call_type": np.asarray(names, dtype=object),
                "desc": np.asarray(desc, dtype=object),
                "label": np.asarray(label, dtype=object),
                "search": np.asarray([x.casefold() for x in label], dtype=object),
                "family": np.asarray(family, dtype=object),
                "family_code": np.asarray([FAMILIES.index(f) for f in family], dtype=np.int64),
                "family_label": np.asarray(family_label, dtype=object),
                "unclassified": (cube.types["family_source"] == "none").to_numpy(dtype=bool),
                "label_rank": rank(label),
                "family_rank": rank(
                    [f"{f}\x00{x}" for f, x in zip(family_label, label, strict=True)]
                ),
            }
            self._labels_for = cube
        return self._labels

    def _type_figures(self, values: np.ndarray, years: float) -> None:
        self.type_figures = {
            "calls_per_year": _stage(values, "eligible")[:, _POLICE] / years,
            "officer_hours_per_year": _stage(values, "eligible_hours")[:, _POLICE] / years,
            "without_police_per_year": (
                _stage(values, "without_police")[:, _CIVILIAN].sum(axis=1) / years
            ),
            "freed_hours_per_year": (
                _stage(values, "without_police_hours")[:, _CIVILIAN].sum(axis=1) / years
            ),
        }

    def _summary(self, values: np.ndarray, years: float, productive_hours: float) -> None:
        whole = values.sum(axis=0) / years  # responders x stages, a year
        calls = whole[_POLICE, _STAGE_INDEX["eligible"]]
        hours = whole[_POLICE, _STAGE_INDEX["eligible_hours"]]
        responders = []
        for i, responder in enumerate(RESPONDERS):
            if i == _POLICE or whole[i, _STAGE_INDEX["routed"]] <= 0:
                continue
            row = {stage: float(whole[i, _STAGE_INDEX[stage]]) for stage in FLOW_COLUMNS}
            responders.append({"responder": responder, "label": RESPONDER_LABELS[responder], **row})
        stages = {
            stage: float(whole[1:, _STAGE_INDEX[stage]].sum())
            for stage in ("eligible", "routed", "handled", "outside_coverage")
        }
        stages["without_police"] = float(whole[_CIVILIAN, _STAGE_INDEX["without_police"]].sum())
        freed = float(whole[_CIVILIAN, _STAGE_INDEX["without_police_hours"]].sum())
        self.summary = {
            "calls_per_year": float(calls),
            "officer_hours_per_year": float(hours),
            **{f"{stage}_per_year": value for stage, value in stages.items()},
            "without_police_calls_per_year": stages["without_police"],
            "co_response_calls_per_year": float(whole[_CO, _STAGE_INDEX["handled"]]),
            "freed_hours_per_year": freed,
            "freed_share": freed / hours if hours else 0.0,
            "productive_hours_per_officer": productive_hours,
            "officers_freed": freed / productive_hours,
            "responders": responders,
            "hours_imputed": int(self.cube.types["hours_imputed"].sum()),
            "years": years,
        }

    def _families(self, values: np.ndarray, years: float) -> None:
        table = self.type_figures
        codes = self.type_labels()["family_code"]
        police_hours = (
            _stage(values, "handled_hours")[:, _POLICE] + _stage(values, "handled_hours")[:, _CO]
        )

        def per_family(weights: np.ndarray) -> np.ndarray:
            return np.bincount(codes, weights=weights, minlength=len(FAMILIES))

        calls = per_family(table["calls_per_year"])
        hours = per_family(table["officer_hours_per_year"])
        freed = per_family(table["freed_hours_per_year"])
        kept = per_family(police_hours)
        kept_total = kept.sum()
        rows = [
            {
                "family": family,
                "label": FAMILY_LABELS[family],
                "calls_per_year": float(calls[i]),
                "officer_hours_per_year": float(hours[i]),
                "freed_hours_per_year": float(freed[i]),
                "share_of_police_hours": float(kept[i] / kept_total) if kept_total else 0.0,
            }
            for i, family in enumerate(FAMILIES)
            if calls[i] > 0
        ]
        self.families = sorted(rows, key=lambda r: -r["officer_hours_per_year"])

    def _equity(self, areas: np.ndarray, values: np.ndarray) -> None:
        areas = areas.astype(str)
        calls = _stage(values, "eligible")[:, _POLICE]
        handled = _stage(values, "without_police").copy()
        handled[:, _CO] = _stage(values, "handled")[:, _CO]
        equity = compare_shares(
            list(areas),
            handled[:, _CIVILIAN].sum(axis=1),
            calls,
            self.areas,
            threshold_pp=self.threshold_pp,
        )
        total = float(calls.sum())
        by_responder = {}
        for i, responder in enumerate(RESPONDERS):
            if i == _POLICE or not handled[:, i].any():
                continue
            with np.errstate(divide="ignore", invalid="ignore"):
                shares = np.where(calls > 0, handled[:, i] / calls, np.nan)
            by_responder[responder] = {
                "citywide": float(handled[:, i].sum() / total) if total else 0.0,
                "by_area": {
                    a: (None if math.isnan(s) else float(s))
                    for a, s in zip(areas, shares, strict=True)
                },
            }
        equity["responders"] = by_responder
        equity["years"] = self.cube.years or 1.0
        self.equity = equity

    @property
    def own_type_rules(self) -> bool:
        """Whether this workspace keeps its own call-type rules (see ``kit rules``)."""
        from kit.roles.rules import RULES_DIR
        from kit.taxonomy import CALL_TYPE_RULES

        return (self.workspace.path / RULES_DIR / CALL_TYPE_RULES.name).is_file()

    def unclassified(self) -> list[dict[str, Any]]:
        """Call types no rule recognised, biggest first, with their calls a year."""
        table = self.table(family="unclassified", sort="calls")
        return [
            {"call_type": t, "desc": d, "calls_per_year": float(c)}
            for t, d, c in zip(
                table["call_type"], table["desc"], table["calls_per_year"], strict=True
            )
        ]

    def table_rows(self, *, family: str = "", search: str = "", sort: str = "hours") -> np.ndarray:
        """Rows of ``cube.types`` the table shows, in order: ``family`` keeps one family
        ("" all, "unclassified" those no rule knows), ``search`` keeps types whose code or
        description contains it (any case), ``sort`` is a key of SORTS."""
        if not self.type_figures:
            self.recompute()
        labels, figures = self.type_labels(), self.type_figures
        keep = np.ones(len(labels["call_type"]), dtype=bool)
        if family == "unclassified":
            keep &= labels["unclassified"]
        elif family:
            keep &= labels["family"] == family
        needle = search.strip().casefold()
        if needle:
            keep &= np.fromiter((needle in x for x in labels["search"]), bool, len(keep))
        rows = np.flatnonzero(keep)
        _, column, descending = SORTS.get(sort, SORTS["hours"])
        if column == "label":
            key = labels["label_rank"][rows]
        elif column == "family_label":
            key = labels["family_rank"][rows]
        else:
            key = -figures[column][rows] if descending else figures[column][rows]
        return rows[np.lexsort((labels["label_rank"][rows], key))]

    def columns(self, rows: np.ndarray) -> dict[str, np.ndarray]:
        """The table's columns for these rows of ``cube.types``, in that order."""
        labels = self.type_labels()
        names = ("call_type", "desc", "label", "family", "family_label", "unclassified")
        return {
            **{name: labels[name][rows] for name in names},
            **{name: values[rows] for name, values in self.type_figures.items()},
        }

    def table(self, *, family: str = "", search: str = "", sort: str = "hours") -> pd.DataFrame:
        """The call types with their family and figures a year, filtered and sorted as
        :meth:`table_rows` says."""
        return pd.DataFrame(self.columns(self.table_rows(family=family, search=search, sort=sort)))

    def split_of(self, call_type: str) -> dict[str, float]:
        """A call type's split across every responder, police taking the rest."""
        split = {r: float(s) for r, s in self.assignments.get(call_type, {}).items()}
        split.pop("police", None)
        police = max(0.0, 1.0 - sum(split.values()))
        return {"police": police, **split}

    # ---------------------------------------------------------------- headless

    def apply_parameters(self, **parameters: Any) -> None:
        """Parameters of 0 (officers per unit, productive hours) keep what is saved."""
        for name in ("officers_per_unit", "productive_hours_per_officer"):
            if parameters.get(name) in (0, 0.0):
                parameters.pop(name)
        self._quiet = True
        try:
            super().apply_parameters(**parameters)
        finally:
            self._quiet = False

    def run(self) -> None:
        """Apply an assignments file, or the preset when it is new (or nothing is assigned
        yet), then compute."""
        if self.assignments_file:
            fields = read_assignments_file(self.workspace, self.assignments_file)
            self._quiet = True
            try:
                for name, value in fields.items():
                    setattr(self, name, value)
            finally:
                self._quiet = False
        elif self.preset != self._loaded_preset or not self.assignments:
            self.use_preset(self.preset)
        self.recompute()


# --------------------------------------------------------------------- HTML


def _number(value: float) -> str:
    return f"{value:,.0f}"


def _pct(value: float) -> str:
    return f"{100 * value:.1f}%"


def _share_of(part: float, whole: float) -> str:
    return _pct(part / whole) if whole else "-"


def summary_html(summary: dict[str, Any]) -> str:
    """The plan's live totals: calls at each stage of the path, hours and officers freed."""
    if not summary:
        return ""
    calls = summary["calls_per_year"]
    rows = [
        ("Eligible: in call types the plan moves, not screened", summary["eligible_per_year"]),
        ("Routed to another responder", summary["routed_per_year"]),
        ("Handled by that responder", summary["handled_per_year"]),
        ("Handled without police", summary["without_police_per_year"]),
    ]
    body = "".join(
        f'<tr class="kit-stage"><td>{label}</td><td>{_number(value)}</td>'
        f"<td>{_share_of(value, calls)}</td></tr>"
        for label, value in rows
    )
    per_responder = "".join(
        f"<tr><td>{html.escape(SHORT_LABELS[r['responder']])}</td>"
        f"<td>{_number(r['eligible'])}</td><td>{_number(r['routed'])}</td>"
        f"<td>{_number(r['handled'])}</td><td>{_number(r['without_police'])}</td>"
        f"<td>{_number(r['outside_coverage'])}</td>"
        f"<td>{_number(r['without_police_hours'])}</td></tr>"
        for r in summary["responders"]
    )
    responders = (
        '<table class="kit-table kit-roles-stages"><tr><th>Responder</th><th>Eligible</th>'
        "<th>Routed</th><th>Handled</th><th>Without police</th><th>Outside its hours</th>"
        f"<th>Officer hours freed</th></tr>{per_responder}</table>"
        if per_responder
        else '<p class="kit-note">No call type is assigned to another responder yet.</p>'
    )
    freed = summary["freed_hours_per_year"]
    return (
        '<div class="kit-roles-summary">'
        '<div class="kit-roles-headline">'
        f'<div class="kit-figure"><b class="kit-roles-freed-calls">'
        f"{_number(summary['without_police_per_year'])}</b>"
        f"<span>calls a year handled without police "
        f"({_share_of(summary['without_police_per_year'], calls)} of "
        f"{_number(calls)})</span></div>"
        f'<div class="kit-figure"><b class="kit-roles-freed-hours">{_number(freed)}</b>'
        f"<span>officer hours freed a year ({_pct(summary['freed_share'])} of "
        f"{_number(summary['officer_hours_per_year'])})</span></div>"
        f'<div class="kit-figure"><b class="kit-roles-fte">{summary["officers_freed"]:,.1f}</b>'
        f"<span>full-time officers' time, at {_number(summary['productive_hours_per_officer'])}"
        " productive hours each a year</span></div></div>"
        '<table class="kit-table kit-roles-path"><tr><th>Calls a year</th><th>Calls</th>'
        f"<th>Share of all calls</th></tr>{body}</table>"
        f"{responders}"
        f'<p class="kit-note">{_number(summary["co_response_calls_per_year"])} calls a year are '
        "co-responded: police still attend, so they free no officer hours. "
        f"{summary['hours_imputed']:,} calls in the data had no usable duration and count at "
        "the median time of their call type.</p></div>"
    )


def families_html(rows: list[dict[str, Any]]) -> str:
    """What police keep, family by family."""
    head = (
        "<tr><th>Family</th><th>Calls a year</th><th>Officer hours a year</th>"
        "<th>Hours freed a year</th><th>Share of the hours police keep</th></tr>"
    )
    body = "".join(
        f"<tr><td>{html.escape(r['label'])}</td><td>{_number(r['calls_per_year'])}</td>"
        f"<td>{_number(r['officer_hours_per_year'])}</td>"
        f"<td>{_number(r['freed_hours_per_year'])}</td>"
        f"<td>{_pct(r['share_of_police_hours'])}</td></tr>"
        for r in rows
    )
    return f'<table class="kit-table kit-roles-families">{head}{body}</table>'


def split_text(split: dict[str, float]) -> str:
    """``Police 40%, Crisis team 60%`` (plain text; escape before use in HTML)."""
    return ", ".join(f"{SHORT_LABELS[r]} {100 * s:.0f}%" for r, s in split.items() if s > 0)


def types_html(rows: Mapping[str, Any], splits: dict[str, dict[str, float]]) -> str:
    """One page of the call-type table; every string from the data is escaped."""
    head = (
        "<tr><th>Call type</th><th>Family</th><th>Calls a year</th>"
        "<th>Officer hours a year</th><th>Who answers</th><th>Handled without police a year</th>"
        "<th>Officer hours freed a year</th></tr>"
    )
    body = "".join(
        f'<tr class="kit-roles-type-row"><td>{html.escape(label)}</td>'
        f"<td>{html.escape(family)}{' (no rule)' if unclassified else ''}</td>"
        f"<td>{_number(calls)}</td><td>{_number(hours)}</td>"
        f"<td>{html.escape(split_text(splits[call_type]))}</td>"
        f"<td>{_number(moved)}</td><td>{_number(freed)}</td></tr>"
        for call_type, label, family, unclassified, calls, hours, moved, freed in zip(
            rows["call_type"],
            rows["label"],
            rows["family_label"],
            rows["unclassified"],
            rows["calls_per_year"],
            rows["officer_hours_per_year"],
            rows["without_police_per_year"],
            rows["freed_hours_per_year"],
            strict=True,
        )
    )
    if not body:
        return '<p class="kit-note">No call type matches.</p>'
    return f'<table class="kit-table kit-roles-types">{head}{body}</table>'


def hours_html(moved_by_hour: np.ndarray) -> str:
    """When the moved calls happen: a heat map of calls handled without police a year, by
    hour of day and weekday (an HTML grid, drawn in microseconds and readable offline)."""
    grid = np.asarray(moved_by_hour, dtype=np.float64).reshape(len(WEEKDAYS), 24)
    top = float(grid.max())
    if top <= 0:
        return '<p class="kit-note">No calls are handled without police under this plan.</p>'
    head = "<tr><th></th>" + "".join(f"<th>{h}</th>" for h in range(24)) + "</tr>"
    rows = []
    for day, values in zip(WEEKDAYS, grid, strict=True):
        cells = "".join(
            f'<td style="background:rgba(33,102,172,{0.08 + 0.92 * v / top:.2f});'
            f'color:{"#fff" if v / top > 0.55 else "#111"}" title="{day} {h}:00: '
            f'{v:,.0f} calls a year">{v:,.0f}</td>'
            for h, v in enumerate(values)
        )
        rows.append(f"<tr><th>{day[:3]}</th>{cells}</tr>")
    peak_day, peak_hour = divmod(int(grid.argmax()), 24)
    return (
        '<table class="kit-heatmap kit-roles-hours">'
        f"{head}{''.join(rows)}</table>"
        f'<p class="kit-note">Calls handled without police a year, by hour of day (columns) '
        f"and weekday. The busiest hour is {WEEKDAYS[peak_day]} {peak_hour}:00 to "
        f"{peak_hour + 1}:00 with about {_number(grid.max())} calls a year.</p>"
    )


def equity_html(equity: dict[str, Any]) -> str:
    """Each area's share of calls handled without police (and by each responder) beside the
    city's, in percentage points, flagged past the threshold, beside the area's demographics."""
    if not equity:
        return ""
    responders = list(equity.get("responders", {}))
    citywide = equity["citywide"]
    threshold = equity["threshold_pp"]
    years = equity.get("years") or 1.0

    def cell(value: Any, kind: str) -> str:
        if value is None or value != value:
            return "<td>-</td>"
        if kind == "pct":
            return f"<td>{_pct(float(value))}</td>"
        if kind == "pp":
            return f"<td>{float(value):+.1f}</td>"
        if kind == "money":
            return f"<td>${float(value):,.0f}</td>"
        return f"<td>{_number(float(value))}</td>"

    head = (
        "<tr><th>Area</th><th>Calls a year</th><th>Handled without police</th>"
        "<th>Difference from the city (points)</th>"
        + "".join(f"<th>{html.escape(SHORT_LABELS[r])} share</th>" for r in responders)
        + "<th>Residents of colour</th><th>Median household income</th></tr>"
    )
    city = (
        '<tr class="kit-roles-citywide"><td><b>Whole city</b></td><td></td>'
        + cell(citywide, "pct")
        + "<td></td>"
        + "".join(cell(equity["responders"][r]["citywide"], "pct") for r in responders)
        + "<td></td><td></td></tr>"
    )
    rows = []
    for area in equity["areas"]:
        name = str(area["area"])
        flagged = bool(area.get("flagged"))
        mark = f" &#9873; differs by more than {threshold:g} points" if flagged else ""
        css = ' class="kit-flagged"' if flagged else ""
        rows.append(
            f"<tr{css}><td>{html.escape(name)}"
            f'<span class="kit-flag">{mark}</span></td>'
            + cell(area["denominator"] / years, "n")
            + cell(area["share"], "pct")
            + cell(area["difference_pp"], "pp")
            + "".join(cell(equity["responders"][r]["by_area"].get(name), "pct") for r in responders)
            + cell(area.get("share_residents_of_color"), "pct")
            + cell(area.get("median_household_income"), "money")
            + "</tr>"
        )
    flagged = [a for a in equity["areas"] if a.get("flagged")]
    notes = [
        f"{len(flagged)} of {len(equity['areas'])} areas differ from the citywide share by more "
        f"than {threshold:g} percentage points."
        if flagged
        else f"No area differs from the citywide share by more than {threshold:g} points."
    ]
    for key, words in (
        ("residents_of_color", "the share of residents of colour"),
        ("median_household_income", "median household income"),
    ):
        value = equity["correlations"].get(key)
        if value is not None:
            notes.append(
                f"Correlation (Spearman) across areas with {words}: {value:+.2f} "
                f"({'more' if value > 0 else 'fewer'} calls handled without police where "
                f"{words} is higher)."
            )
    notes.append(
        "A correlation can be strong while the gaps are small: read it with the points column. "
        "Residents of colour are residents other than non-Hispanic white. Co-response counts "
        "calls police attend with a clinician; the other responders' shares are calls handled "
        "without police."
    )
    body = "".join(rows)
    return (
        f'<table class="kit-table kit-roles-equity">{head}{city}{body}</table>'
        f'<p class="kit-note">{" ".join(notes)}</p>'
    )


def unclassified_html(rows: list[dict[str, Any]], limit: int = 15, *, own_rules: bool) -> str:
    """The call types no rule recognised, biggest first (escaped), and whose rules apply."""
    source = (
        "Families come from this workspace's own rules (rules/call_type_rules.csv)."
        if own_rules
        else "Families come from the kit's rules; <code>kit rules WORKSPACE --copy</code> "
        "gives this workspace its own copy to edit (docs/taxonomy.md)."
    )
    note = f'<p class="kit-note kit-roles-rules">{source}</p>'
    if not rows:
        return f'<p class="kit-note">Every call type has a family.</p>{note}'
    items = "".join(
        f"<li>{html.escape(r['call_type'])}"
        + (f" ({html.escape(r['desc'])})" if r["desc"] and r["desc"] != r["call_type"] else "")
        + f": {_number(r['calls_per_year'])} calls a year</li>"
        for r in rows[:limit]
    )
    more = f"<p>and {len(rows) - limit} more.</p>" if len(rows) > limit else ""
    return f'<ul class="kit-roles-unclassified">{items}</ul>{more}{note}'


def charter_link(model: RolesModel) -> str:
    """A link that saves the charter as a page to print (a council packet, a union meeting)."""
    name = model.workspace.profile.name
    document = charter_page(model.charter, jurisdiction=name, printed=date.today())
    return download_link(
        document,
        file_name("role charter", name),
        "Download the charter to print",
        css="kit-roles-charter-link",
    )


def report_html(model: RolesModel) -> str:
    """The step's tables and chart as one HTML document part: what a headless run shows."""
    table = model.columns(model.table_rows())
    splits = {t: model.split_of(t) for t in table["call_type"]}
    return (
        '<div class="kit-roles-report">'
        "<h3>What the plan does</h3>"
        + summary_html(model.summary)
        + families_html(model.families)
        + "<h3>When the moved calls happen</h3>"
        + hours_html(model.moved_by_hour)
        + "<h3>By area</h3>"
        + equity_html(model.equity)
        + "<h3>Call types</h3>"
        + types_html(table, splits)
        + charter_html(model.charter)
        + "</div>"
    )


# --------------------------------------------------------------------- view

_STYLE: Final = """<style>
.kit-roles-headline {display:flex; gap:2em; flex-wrap:wrap; margin:0.5em 0 1em}
.kit-roles-headline .kit-figure {display:flex; flex-direction:column; max-width:16em}
.kit-roles-headline .kit-figure b {font-size:1.8em}
.kit-step-02 .kit-table {border-collapse:collapse; margin:0.4em 0}
.kit-step-02 .kit-table th, .kit-step-02 .kit-table td {padding:2px 8px;
  border-bottom:1px solid #ddd; text-align:right}
.kit-step-02 .kit-table th:first-child, .kit-step-02 .kit-table td:first-child {text-align:left}
.kit-step-02 .kit-roles-types td:nth-child(2), .kit-step-02 .kit-roles-types td:nth-child(5),
.kit-step-02 .kit-roles-types th:nth-child(2), .kit-step-02 .kit-roles-types th:nth-child(5)
  {text-align:left}
.kit-step-02 .kit-roles-types td:nth-child(5) {white-space:nowrap}
.kit-step-02 .kit-warning-text {background:#fff3cd; padding:4px 8px}
.kit-step-02 tr.kit-flagged td {background:#fde0c5}
.kit-step-02 .kit-roles-equity td:first-child {white-space:nowrap}
.kit-step-02 .kit-flag {color:#a63603; font-size:0.85em}
.kit-roles-charter-link {margin-left:1em; line-height:28px}
.kit-roles-hours {border-collapse:collapse; font-size:0.75em}
.kit-roles-hours td {width:2.6em; height:1.7em; text-align:center}
.kit-roles-hours th {padding:0 4px; font-weight:normal}
.kit-step-02 .kit-note {color:#555}
.kit-step-02 .widget-slider .widget-label, .kit-step-02 .widget-dropdown .widget-label,
.kit-step-02 .widget-text .widget-label {min-width:11em}
</style>"""


class RolesView(StepView):
    """Preset, call-type table and editor, assumptions and the figures, linked to the model."""

    def build(self) -> Any:
        import ipywidgets as widgets

        m = self.model
        assert isinstance(m, RolesModel)
        self._syncing = False
        self._page = 0
        intro = widgets.HTML(
            _STYLE + "<p>Which calls should police keep, and which could another responder "
            "answer? Start from a preset, then change any call type's split in the table's "
            "editor. Screening keeps calls with a weapon or violence in progress with police; "
            "take-up is the share of routed calls a responder actually reaches; back-up is "
            "the share it hands back to police. Every figure below follows your changes.</p>"
        ).add_class("kit-help")

        preset = widgets.Dropdown(
            options=[(describe(p)["title"], p) for p in preset_ids()],
            value=m.preset if m.preset in preset_ids() else "none",
            description="Preset",
            layout=widgets.Layout(width="28em"),
        ).add_class("kit-roles-preset")
        self.preset = preset
        preset_note = widgets.HTML().add_class("kit-note")

        def show_preset(_: Any = None) -> None:
            info = describe(preset.value)
            sources = "; ".join(html.escape(str(s.get("title", ""))) for s in info["sources"])
            preset_note.value = f"<p>{html.escape(info['description'])}</p>" + (
                f"<p>Sources: {sources}</p>" if sources else ""
            )

        preset.observe(show_preset, names="value")
        show_preset()
        apply_button = self.action(
            "Apply preset", lambda: m.use_preset(preset.value), css="kit-roles-apply"
        )

        self.summary = widgets.HTML().add_class("kit-roles-summary-box")
        self.families = widgets.HTML()
        self.hours = widgets.HTML().add_class("kit-roles-hours-box")
        self.equity = widgets.HTML().add_class("kit-roles-equity-box")
        self.unclassified = widgets.HTML()
        self.charter = widgets.HTML().add_class("kit-roles-charter-box")
        self.charter_state = widgets.HTML().add_class("kit-roles-charter-state")
        self.charter_download = widgets.HTML().add_class("kit-roles-charter-download")
        self.productive = widgets.BoundedFloatText(
            value=m.productive_hours_per_officer,
            min=100,
            max=8760,
            step=1,
            layout=widgets.Layout(width="7em", min_width="7em"),
        ).add_class("kit-roles-productive")
        self.threshold = widgets.BoundedFloatText(
            value=m.threshold_pp,
            min=0,
            max=100,
            step=1,
            layout=widgets.Layout(width="6em", min_width="6em"),
        ).add_class("kit-roles-threshold")
        self._link_number(self.productive, "productive_hours_per_officer")
        self._link_number(self.threshold, "threshold_pp")

        # The call-type table: filter, search, sort, pages.
        self.family_filter = widgets.Dropdown(
            options=[
                ("All families", ""),
                ("No rule recognised", "unclassified"),
                *((FAMILY_LABELS[f], f) for f in FAMILIES),
            ],
            description="Family",
        ).add_class("kit-roles-filter")
        self.search = widgets.Text(
            description="Search", placeholder="code or words", continuous_update=False
        ).add_class("kit-roles-search")
        self.sort = widgets.Dropdown(
            options=[(label, key) for key, (label, _, _) in SORTS.items()],
            value="hours",
            description="Sort by",
            layout=widgets.Layout(width="28em"),
        ).add_class("kit-roles-sort")
        self.types = widgets.HTML().add_class("kit-roles-types-box")
        self.page_label = widgets.HTML().add_class("kit-roles-page")
        previous = widgets.Button(description="Previous", icon="chevron-left").add_class(
            "kit-roles-previous"
        )
        following = widgets.Button(description="Next", icon="chevron-right").add_class(
            "kit-roles-next"
        )
        self._pager = (previous, following)

        def turn(step: int) -> None:
            self._page += step
            self._draw_table()

        previous.on_click(lambda _: turn(-1))
        following.on_click(lambda _: turn(1))

        def refilter(_: Any = None) -> None:
            self._page = 0
            self._draw_table()

        for control in (self.family_filter, self.search, self.sort):
            control.observe(refilter, names="value")

        # The editor: one call type, a share (in percent) per responder, its family.
        self.call_type = widgets.Dropdown(
            description="Call type", layout=widgets.Layout(width="46em")
        ).add_class("kit-roles-type")
        self.shares: dict[str, widgets.BoundedIntText] = {}
        for responder in ALTERNATIVES:
            box = widgets.BoundedIntText(
                min=0,
                max=100,
                step=5,
                description=f"{SHORT_LABELS[responder]} (%)",
                layout=widgets.Layout(width="17em"),
            ).add_class(f"kit-roles-share-{responder}")
            box.observe(lambda change, r=responder: self._share_moved(r, change), names="value")
            self.shares[responder] = box
        self.police_share = widgets.HTML().add_class("kit-roles-police-share")
        family = widgets.Dropdown(
            options=[(FAMILY_LABELS[f], f) for f in FAMILIES],
            description="Family",
            layout=widgets.Layout(width="28em"),
        ).add_class("kit-roles-family")
        self.family = family
        self.call_type.observe(lambda _: self._show_type(), names="value")
        set_family = self.action(
            "Set family",
            lambda: m.set_family(self.call_type.value, family.value),
            css="kit-roles-set-family",
        )

        # One responder's assumptions at a time: three sliders and their sources.
        self.assumption_responder = widgets.Dropdown(
            options=[(RESPONDER_LABELS[r], r) for r in ALTERNATIVES],
            value="crisis_team",
            description="Responder",
            layout=widgets.Layout(width="36em"),
        ).add_class("kit-roles-assumption-responder")
        self.sliders: dict[str, widgets.FloatSlider] = {}
        self.sources: dict[str, widgets.HTML] = {}
        rows = []
        for field, words in (
            ("screening", "Screening"),
            ("take_up", "Take-up"),
            ("back_up", "Back-up"),
        ):
            slider = widgets.FloatSlider(
                min=0,
                max=1,
                step=0.01,
                description=words,
                readout_format=".0%",
                continuous_update=False,
                layout=widgets.Layout(width="26em", min_width="26em"),
            ).add_class(f"kit-roles-{field}")

            def moved(change: Any, field: str = field) -> None:
                if self._syncing:
                    return
                with m.reporting("changing an assumption"):
                    m.set_assumption(self.assumption_responder.value, field, change["new"])

            slider.observe(moved, names="value")
            self.sliders[field] = slider
            self.sources[field] = widgets.HTML(layout=widgets.Layout(width="44em"))
            rows.append(widgets.HBox([slider, self.sources[field]]))
        self.assumption_responder.observe(lambda _: self._show_assumptions(), names="value")
        assumptions = widgets.VBox([self.assumption_responder, *rows])
        self._show_assumptions()

        m.observe(lambda _: self._draw(), names="revision")
        m.observe(lambda _: self._draw_charter(), names="charter")
        save = self.action("Save the plan", self._save, css="kit-roles-save")
        charter_button = self.action(
            "Draw up the charter again", m.draw_up_charter, css="kit-roles-draw-charter"
        )
        save.button_style = "primary"
        for button in (save, charter_button):
            button.layout.width = "auto"

        def section(title: str, *children: Any, css: str) -> Any:
            return widgets.VBox(
                [widgets.HTML(f"<h3>{html.escape(title)}</h3>"), *children]
            ).add_class(css)

        productive_note = widgets.HTML(
            f'<span class="kit-note">Source: {html.escape(PRODUCTIVE_HOURS_SOURCE)}</span>'
        )
        return widgets.VBox(
            [
                intro,
                section(
                    "Start from a preset",
                    widgets.HBox([preset, apply_button]),
                    preset_note,
                    css="kit-roles-presets",
                ),
                section(
                    "What the plan does",
                    self.summary,
                    widgets.HBox(
                        [
                            widgets.HTML("<b>Productive hours per officer a year</b>"),
                            self.productive,
                            productive_note,
                        ],
                        layout=widgets.Layout(align_items="center", grid_gap="0.6em"),
                    ),
                    self.families,
                    css="kit-roles-figures",
                ),
                section(
                    "Call types",
                    widgets.HBox([self.family_filter, self.search, self.sort]),
                    self.types,
                    widgets.HBox([previous, self.page_label, following]),
                    css="kit-roles-table",
                ),
                section(
                    "Change a call type",
                    self.call_type,
                    widgets.HTML(
                        '<p class="kit-note">Type each responder\'s share of this call '
                        "type's calls, in percent; police keep the rest. The list follows the "
                        "table's filter, search and order.</p>"
                    ),
                    widgets.HBox(
                        list(self.shares.values()), layout=widgets.Layout(flex_flow="row wrap")
                    ),
                    self.police_share,
                    widgets.HBox([family, set_family]),
                    css="kit-roles-editor",
                ),
                section("Assumptions per responder", assumptions, css="kit-roles-assumptions"),
                section("When the moved calls happen", self.hours, css="kit-roles-when"),
                section(
                    "By area",
                    widgets.HBox(
                        [
                            widgets.HTML(
                                "<b>Flag areas whose share differs from the city's by more "
                                "than (percentage points)</b>"
                            ),
                            self.threshold,
                        ],
                        layout=widgets.Layout(align_items="center", grid_gap="0.6em"),
                    ),
                    self.equity,
                    css="kit-roles-areas",
                ),
                section(
                    "Call types no rule recognised",
                    self.unclassified,
                    css="kit-roles-unclassified-box",
                ),
                widgets.VBox(
                    [
                        self.charter_state,
                        self.charter,
                        widgets.HBox([charter_button, self.charter_download]),
                    ]
                ).add_class("kit-roles-charter"),
                widgets.HBox([save]),
                self.history_panel(),
                self.message_box(),
            ]
        )

    def _link_number(self, box: Any, trait: str) -> None:
        """A number box that sets a model trait; a refused value goes back to the model's."""
        m = self.model

        def typed(change: Any) -> None:
            if self._syncing:
                return
            with m.reporting(f"changing {trait}"):
                setattr(m, trait, float(change["new"]))
            if m.error:
                self._syncing = True
                try:
                    box.value = getattr(m, trait)
                finally:
                    self._syncing = False

        box.observe(typed, names="value")

    def _share_moved(self, responder: str, change: Any) -> None:
        if self._syncing or self.call_type.value is None:
            return
        m = self.model
        assert isinstance(m, RolesModel)
        with m.reporting("changing a share"):
            m.set_share(self.call_type.value, responder, int(change["new"]) / 100)
        if m.error:
            self._show_type()
            self.police_share.value = plain_message(m.error) + self.police_share.value

    def _show_type(self) -> None:
        """Put the chosen call type's split and family in the editor."""
        m = self.model
        assert isinstance(m, RolesModel)
        chosen = self.call_type.value
        if chosen is None:
            return
        split = m.split_of(chosen)
        self._syncing = True
        try:
            for responder, box in self.shares.items():
                box.value = round(100 * split.get(responder, 0.0))
            row = m.cube.type_index.get(chosen)
            if row is not None:
                self.family.value = str(m.cube.types["family"].iat[row])
        finally:
            self._syncing = False
        self.police_share.value = (
            f'<p class="kit-note">Police keep <b>{_pct(split["police"])}</b> of '
            f"{html.escape(chosen)}.</p>"
        )

    def _save(self) -> None:
        self.model.save()

    def _show_assumptions(self) -> None:
        """Put the chosen responder's screening, take-up and back-up, with sources, in view."""
        m = self.model
        assert isinstance(m, RolesModel)
        name = self.assumption_responder.value
        self._syncing = True
        try:
            for field, slider in self.sliders.items():
                slider.value = float(m.assumptions[name][field])
                self.sources[
                    field
                ].value = (
                    f'<span class="kit-note">{html.escape(ASSUMPTION_SOURCES[name][field])}</span>'
                )
        finally:
            self._syncing = False

    def _draw_table(self) -> None:
        m = self.model
        assert isinstance(m, RolesModel)
        rows = m.table_rows(
            family=self.family_filter.value, search=self.search.value, sort=self.sort.value
        )
        pages = max(1, math.ceil(len(rows) / PAGE_SIZE))
        self._page = min(max(self._page, 0), pages - 1)
        page = m.columns(rows[self._page * PAGE_SIZE : (self._page + 1) * PAGE_SIZE])
        splits = {t: m.split_of(t) for t in page["call_type"]}
        self.types.value = types_html(page, splits)
        self.page_label.value = (
            f"<span>Page {self._page + 1} of {pages} ({len(rows):,} call types)</span>"
        )
        self._pager[0].disabled = self._page == 0
        self._pager[1].disabled = self._page >= pages - 1
        labels = m.type_labels()
        options = list(zip(labels["label"][rows], labels["call_type"][rows], strict=True))
        if list(self.call_type.options) != options:
            chosen = self.call_type.value
            self._syncing = True
            try:
                self.call_type.options = options
                values = [value for _, value in options]
                if values:
                    self.call_type.value = chosen if chosen in values else values[0]
            finally:
                self._syncing = False
            self._show_type()

    def _draw(self) -> None:
        """Replace every figure after the model recomputed (one redraw per change)."""
        m = self.model
        assert isinstance(m, RolesModel)
        self.summary.value = summary_html(m.summary)
        self.families.value = families_html(m.families)
        self.hours.value = hours_html(m.moved_by_hour)
        self._show_charter_state()
        self.equity.value = equity_html(m.equity)
        self._draw_table()
        self._show_type()

    def _draw_charter(self) -> None:
        m = self.model
        assert isinstance(m, RolesModel)
        self.charter.value = charter_html(m.charter) if m.charter else ""
        self.charter_download.value = charter_link(m) if m.charter else ""
        self._show_charter_state()

    def _show_charter_state(self) -> None:
        m = self.model
        assert isinstance(m, RolesModel)
        self.charter_state.value = (
            ""
            if m.charter_current
            else plain_message(
                "The plan has changed since this charter was drawn up: save the plan, or draw "
                "up the charter again, to bring it up to date.",
                kind="warning",
            )
        )

    def refresh(self) -> None:
        m = self.model
        assert isinstance(m, RolesModel)
        self._syncing = True
        try:
            if m.preset in preset_ids():
                self.preset.value = m.preset
            self.productive.value = m.productive_hours_per_officer
            self.threshold.value = m.threshold_pp
        finally:
            self._syncing = False
        self._show_assumptions()
        m.recompute()
        self.unclassified.value = unclassified_html(m.unclassified(), own_rules=m.own_type_rules)
        if not m.charter:
            m.draw_up_charter()
        self._draw_charter()

    def warm(self) -> None:
        model = self.model
        assert isinstance(model, RolesModel)
        _ = model.cube


def roles_app(
    *,
    workspace: str = "",
    preset: str = "",
    assignments_file: str = "",
    officers_per_unit: float = 0.0,
    productive_hours_per_officer: float = 0.0,
) -> StepApp:
    """Step 02's workbook call: headless it applies ``preset`` or ``assignments_file`` and
    saves, and the kept notebook shows the plan's tables; in Voila, the page."""
    return launch(
        RolesModel,
        RolesView,
        workspace,
        preset=preset,
        assignments_file=assignments_file,
        officers_per_unit=officers_per_unit,
        productive_hours_per_officer=productive_hours_per_officer,
        report=report_html,
    )
