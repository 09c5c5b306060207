"""Step 02's model: the ``role_assignments`` decision as traits, and the figures worked out from it.

The traits are the preset the plan started from, each call type's split across responders,
the screening, take-up and back-up of each responder, coverage hours and family choices. The
figures come from :func:`kit.roles.figures.plan_figures`, over the functions the command
line uses too: calls eligible, routed, handled and handled without
police, officer hours freed (and the officers they represent), when the moved calls happen,
what police keep by family, and each area's share beside the city's and its demographics.

Every change of the plan recomputes from the cube (calls aggregated once by call type x hour
of week x area), so a slider never touches call rows. The role charter takes longer to draw
up, so it is redrawn when the plan is saved or the page opens, not on every move of a slider.
"""

from __future__ import annotations

import contextlib
import json
import math
from typing import TYPE_CHECKING, Any, Final

import numpy as np
import pandas as pd
import traitlets

from kit.equity import DEFAULT_THRESHOLD_PP, check_threshold
from kit.errors import KitError
from kit.roles import (
    DECISION_NAME,
    PRODUCTIVE_HOURS_PER_OFFICER,
    SCHEMA_VERSION,
    build_cube,
    check_assumptions,
    check_document,
)
from kit.roles.assignments import check_split
from kit.roles.charter import build_charter
from kit.roles.cube import HOURS_OF_WEEK
from kit.roles.durations import check_minutes
from kit.roles.figures import plan_figures
from kit.roles.presets import apply_preset, describe
from kit.roles.rules import workspace_rules
from kit.roles.weapons import CIVILIAN_ONLY, check_confirmed, weapon_types
from kit.taxonomy import FAMILIES, FAMILY_LABELS
from kit.ui.base import StepModel

if TYPE_CHECKING:
    from collections.abc import Iterator

    from kit.roles import Cube
    from kit.workspace import Workspace

#: Traits that change the plan's figures.
PLAN_TRAITS: Final = (
    "minutes_per_call",
    "assignments",
    "assumptions",
    "coverage",
    "officers_per_unit",
    "productive_hours_per_officer",
    "family_overrides",
    "threshold_pp",
    "weapon_confirmed",
)
#: Call types shown per page of the table.
PAGE_SIZE: Final = 20
#: How the call-type table can be sorted: id -> (label, column, descending).
SORTS: Final[dict[str, tuple[str, str, bool]]] = {
    "hours": ("Officer hours a year (most first)", "officer_hours_per_year", True),
    "calls": ("Calls a year (most first)", "calls_per_year", True),
    "freed": ("Officer hours freed (most first)", "freed_hours_per_year", True),
    "moved": ("Calls handled without police (most first)", "without_police_per_year", True),
    "name": ("Call type (A to Z)", "label", False),
    "family": ("Family (A to Z)", "family_label", False),
}


#: Where a family came from that a person should check: the text model's suggestion, or nothing.
REVIEW_SOURCES: Final = ("suggested", "none")


def review_note(source: str, confidence: float) -> str:
    """Why a call type's family needs a person's check, in plain words ("" when it does not)."""
    if source == "suggested":
        return f"suggested, {confidence:.0%} sure: check it"
    if source == "none":
        return "no rule: check it"
    return ""


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
    figure_inputs = PLAN_TRAITS

    preset = traitlets.Unicode("none")
    officers_per_unit = traitlets.Float(1.0)
    productive_hours_per_officer = traitlets.Float(PRODUCTIVE_HOURS_PER_OFFICER)
    assumptions = traitlets.Dict()
    coverage = traitlets.Dict()
    assignments = traitlets.Dict()
    family_overrides = traitlets.Dict()
    #: Minutes a unit spends on a call, per family a person changed (exports without durations).
    minutes_per_call = traitlets.Dict()
    #: Call types naming a weapon that a person confirmed may go without police.
    weapon_confirmed = traitlets.List(traitlets.Unicode())
    #: Gap from the citywide share, in percentage points, above which an area is flagged.
    threshold_pp = traitlets.Float(DEFAULT_THRESHOLD_PP)
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
    #: Values typed on the page that the plan refused, by the control they were typed in, with
    #: the reason. While any is left the figures are those of the plan without it, so they
    #: are greyed out (:attr:`blocked`) until the control holds a value the plan takes.
    refused = traitlets.Dict()

    def __init__(self, workspace: Workspace, **kwargs: Any) -> None:
        super().__init__(workspace, **kwargs)
        with self.holding():  # no figures to work out before the calls are read
            self.assumptions = check_assumptions(None)
        self._calls: pd.DataFrame | None = None
        self._cube: Cube | None = None
        self._cube_key: tuple[Any, ...] | None = None
        self._loaded_preset: str | None = None
        self._areas: list[Any] | None = None
        self._labels: dict[str, np.ndarray] = {}
        self._charter_of: dict[str, Any] | None = None
        #: Whether :attr:`charter` was drawn up from the plan as it stands.
        self.charter_current = False
        self._labels_for: Cube | None = None
        self._armed: set[str] = set()
        self._armed_for: Cube | None = None
        #: Per row of ``cube.types``: its calls, officer hours, calls handled without police
        #: and hours freed, a year, under the plan.
        self.type_figures: dict[str, np.ndarray] = {}
        #: Calls handled without police a year, by hour of the week (168, Monday 00:00 first).
        self.moved_by_hour = np.zeros(HOURS_OF_WEEK)

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
        # A charter drawn up on the calls held before is not this workspace's any more.
        self._charter_of = None
        self.charter_current = False
        self.charter = {}

    # ------------------------------------------------------------------- the data

    @property
    def cube(self) -> Cube:
        """The calls aggregated once; rebuilt only when officers per unit or families change."""
        key = (
            self.officers_per_unit,
            tuple(sorted(self.family_overrides.items())),
            tuple(sorted(self.minutes_per_call.items())),
        )
        if self._cube is None or key != self._cube_key:
            if self._calls is None:
                self._calls = self.workspace.calls()
                if self._calls.empty:
                    raise KitError("This workspace holds no calls yet: import them in step 00.")
            self._cube = build_cube(
                self._calls,
                officers_per_unit=self.officers_per_unit,
                families=self.family_overrides,
                rules=workspace_rules(self.workspace),
                minutes_per_call=self.minutes_per_call,
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
                "minutes_per_call": self.minutes_per_call,
                "weapon_confirmed": self.weapon_confirmed,
            }
        )

    def state_to_document(self) -> dict[str, Any]:
        doc = self.document()
        doc["equity_threshold_pp"] = self.threshold_pp
        self._charter_of = dict(doc)
        self.charter_current = True
        doc["charter"] = build_charter(self.cube, doc, self.workspace.small_count)
        self.charter = doc["charter"]
        return doc

    def state_from_document(self, document: dict[str, Any]) -> None:
        doc = check_document({"schema_version": SCHEMA_VERSION, **document})
        with self.holding():
            self.preset = doc["preset"]
            self.officers_per_unit = doc["officers_per_unit"]
            self.productive_hours_per_officer = doc["productive_hours_per_officer"]
            self.assumptions = doc["assumptions"]
            self.coverage = {k: v for k, v in doc["coverage"].items() if v is not None}
            self.assignments = doc["assignments"]
            self.family_overrides = doc["family_overrides"]
            self.minutes_per_call = doc["minutes_per_call"]
            self.weapon_confirmed = doc["weapon_confirmed"]
            self.charter = doc["charter"]
            self.threshold_pp = doc["equity_threshold_pp"]
            self._loaded_preset = doc["preset"]
            self._areas = None
            self._charter_of = self.document()
            self.charter_current = bool(doc["charter"])

    def draw_up_charter(self) -> None:
        """Draw up the role charter of the plan as it stands (it is also drawn up on save)."""
        doc = self.document()
        self._charter_of = doc
        self.charter_current = True
        self.charter = build_charter(self.cube, doc, self.workspace.small_count)

    # ---------------------------------------------------------------- the edits

    def use_preset(self, preset_id: str) -> None:
        """Replace the plan's splits by a preset's (assumptions and families are kept)."""
        plan = apply_preset(preset_id, self.cube.types)
        self.preset = preset_id
        self.assignments = plan
        self.status = f"{describe(preset_id)['title']}: {len(plan)} call types assigned."

    @contextlib.contextmanager
    def typed(self, control: str) -> Iterator[None]:
        """An edit typed in ``control``: refused, it greys the figures out with the reason
        (the error still reaches the caller); taken, it withdraws the control's refusal."""
        try:
            yield
        except KitError as exc:
            self.refused = {**self.refused, control: str(exc)}
            raise
        self.withdraw(control)

    def withdraw(self, control: str) -> None:
        """Forget a refused value once its control shows the plan's value again."""
        if control in self.refused:
            self.refused = {k: v for k, v in self.refused.items() if k != control}

    @traitlets.validate("blocked")
    def _refusal_blocks(self, proposal: Any) -> str:
        return next(iter(self.refused.values()), "") or proposal["value"]

    @traitlets.observe("refused")
    def _refusals_changed(self, _: Any) -> None:
        self.blocked = self.error if self.pending else ""

    def set_share(self, call_type: str, responder: str, share: float) -> None:
        """Give ``responder`` this share of a call type; police keep what is left."""
        if responder == "police":
            raise KitError("Police keep whatever the other responders do not take.")
        split = {r: s for r, s in self.assignments.get(call_type, {}).items() if r != "police"}
        self.set_shares(call_type, {**split, responder: share})

    def set_shares(self, call_type: str, shares: dict[str, float]) -> None:
        """Give each responder its share of a call type at once (as the editor's boxes hold
        them); police keep what is left."""
        if call_type not in self.cube.type_index:
            raise KitError(f"'{call_type}' is not a call type in this workspace's calls.")
        if "police" in shares:
            raise KitError("Police keep whatever the other responders do not take.")
        split = {r: s for r, s in shares.items() if s > 0}
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

    def set_minutes(self, family: str, minutes: float) -> None:
        """Change the minutes a unit spends on a call of a family (estimated hours only)."""
        chosen = {**self.minutes_per_call, family: minutes}
        check_minutes(chosen)
        self.minutes_per_call = {f: float(m) for f, m in chosen.items()}

    def names_weapon(self, call_type: str) -> bool:
        """Whether a call type names a weapon (weapons first: police keep it unless confirmed)."""
        cube = self.cube
        if self._armed_for is not cube:
            self._armed = weapon_types(cube.types)
            self._armed_for = cube
        return call_type in self._armed

    def needs_confirmation(self, call_type: str) -> bool:
        """Whether the plan sends a call type naming a weapon to a responder without police,
        which is saved only with a person's confirmation."""
        split = self.assignments.get(call_type, {})
        return self.names_weapon(call_type) and any(split.get(r, 0) > 0 for r in CIVILIAN_ONLY)

    def confirm_weapon(self, call_type: str, confirmed: bool) -> None:
        """Record (or withdraw) a person's confirmation that a call type naming a weapon
        may go to a responder without police."""
        if confirmed and not self.names_weapon(call_type):
            raise KitError(f"'{call_type}' names no weapon: there is nothing to confirm.")
        chosen = set(self.weapon_confirmed)
        if confirmed:
            chosen.add(call_type)
        else:
            chosen.discard(call_type)
        self.weapon_confirmed = check_confirmed(chosen)

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
        return check_threshold(proposal["value"])

    # -------------------------------------------------------------- the figures

    def work_out(self) -> None:
        """Work the plan through the flow: totals, call types, families, hours, areas."""
        doc = self.document()
        figures = plan_figures(self.cube, doc, self.areas, threshold_pp=self.threshold_pp)
        self.type_figures = figures.type_figures
        self.moved_by_hour = figures.moved_by_hour
        self.summary = figures.summary
        self.families = figures.families
        self.equity = figures.equity
        self.charter_current = doc == self._charter_of

    def recompute(self) -> None:
        """Work the figures out, then tell the view once, when they are all current."""
        super().recompute()
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
                "family_label": np.asarray(family_label, dtype=object),
                "unclassified": cube.types["family_source"].isin(REVIEW_SOURCES).to_numpy(bool),
                "suggested": (cube.types["family_source"] == "suggested").to_numpy(bool),
                "check": np.asarray(
                    [
                        review_note(source, confidence)
                        for source, confidence in zip(
                            cube.types["family_source"],
                            cube.types["family_confidence"],
                            strict=True,
                        )
                    ],
                    dtype=object,
                ),
                "label_rank": rank(label),
                "family_rank": rank(
                    [f"{f}\x00{x}" for f, x in zip(family_label, label, strict=True)]
                ),
            }
            self._labels_for = cube
        return self._labels

    @property
    def own_type_rules(self) -> bool:
        """Whether this workspace keeps its own call-type rules (see ``kit rules``)."""
        from kit.roles.rules import RULES_DIR
        from kit.taxonomy import CALL_TYPE_RULES

        return (self.workspace.path / RULES_DIR / CALL_TYPE_RULES.name).is_file()

    def unclassified(self) -> list[dict[str, Any]]:
        """Call types no rule recognised, biggest first, with their calls a year and why they
        need a check: a family the text model suggested, or none at all (``other``)."""
        table = self.table(family="unclassified", sort="calls")
        return [
            {
                "call_type": t,
                "desc": d,
                "calls_per_year": float(c),
                "family": f,
                "check": n,
                "suggested": bool(s),
            }
            for t, d, c, f, n, s in zip(
                table["call_type"],
                table["desc"],
                table["calls_per_year"],
                table["family_label"],
                table["check"],
                table["suggested"],
                strict=True,
            )
        ]

    def table_rows(self, *, family: str = "", search: str = "", sort: str = "hours") -> np.ndarray:
        """Rows of ``cube.types`` the table shows, in order: ``family`` keeps one family
        ("" all, "unclassified" those no rule knows, to check), ``search`` keeps types whose code or
        description contains it (any case), ``sort`` is a key of SORTS."""
        self.up_to_date()
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
        names = (
            "call_type",
            "desc",
            "label",
            "family",
            "family_label",
            "unclassified",
            "suggested",
            "check",
        )
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
        with self.holding():
            super().apply_parameters(**parameters)

    def run(self) -> None:
        """Apply an assignments file, or the preset when it is new (or nothing is assigned
        yet), then compute."""
        if self.assignments_file:
            fields = read_assignments_file(self.workspace, self.assignments_file)
            with self.holding():
                for name, value in fields.items():
                    setattr(self, name, value)
        elif self.preset != self._loaded_preset or not self.assignments:
            self.use_preset(self.preset)
        self.up_to_date()
