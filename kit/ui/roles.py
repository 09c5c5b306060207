"""Step 02, delineate police roles: the call-type inventory and who answers each kind of call.

The model (:class:`RolesModel`) holds the ``role_assignments`` decision as traits (the
preset it started from, each call type's split across responders, the screening, take-up
and back-up of each responder, coverage hours, family choices) and the figures computed
from it through :func:`kit.roles.flow`: officer hours freed, what police keep by family,
the split by area next to the areas' demographics, and the role charter. The view
(:class:`RolesView`) is a preset picker, a call-type editor and sliders over the model.
``roles_app`` is the workbook's one call: under papermill it applies the preset given as a
parameter (when it differs from the saved one), computes the charter and saves.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

import pandas as pd
import traitlets

from kit.equity import compare_areas
from kit.errors import KitError
from kit.roles import (
    ALTERNATIVES,
    ASSUMPTION_SOURCES,
    DECISION_NAME,
    PRODUCTIVE_HOURS_PER_OFFICER,
    RESPONDER_LABELS,
    SCHEMA_VERSION,
    build_cube,
    check_assumptions,
    check_document,
    flow,
    totals,
)
from kit.roles.assignments import check_split
from kit.roles.charter import build_charter, charter_html
from kit.roles.presets import apply_preset, describe, preset_ids
from kit.taxonomy import FAMILIES, FAMILY_LABELS
from kit.ui.base import StepApp, StepModel, StepView, launch

if TYPE_CHECKING:
    from kit.roles import Cube
    from kit.workspace import Workspace

#: Traits that change the plan's figures.
PLAN_TRAITS = ("assignments", "assumptions", "coverage", "officers_per_unit", "family_overrides")
#: Call types offered in the editor, by officer hours.
EDITOR_TYPES = 60


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

    #: Totals of the plan a year: calls, officer hours, freed hours and officers, co-response.
    summary = traitlets.Dict()
    #: Per family: calls and officer hours a year, hours freed, share police keep.
    families = traitlets.List(traitlets.Dict())
    #: Calls handled without police against all calls, by area, beside the areas' demographics.
    equity = traitlets.Dict()
    #: The role charter of the plan as it stands (saved with it).
    charter = traitlets.Dict()

    def __init__(self, workspace: Workspace, **kwargs: Any) -> None:
        super().__init__(workspace, **kwargs)
        self.assumptions = check_assumptions(None)
        self._calls: pd.DataFrame | None = None
        self._cube: Cube | None = None
        self._cube_key: tuple[Any, ...] | None = None
        self._loaded_preset: str | None = None
        self._quiet = False
        self.observe(self._plan_changed, names=list(PLAN_TRAITS))

    @classmethod
    def missing(cls, workspace: Workspace) -> str | None:
        """Step 02 needs calls: say so plainly when none were imported."""
        if not workspace.has_table("calls"):
            return "Import the calls for service in step 00 first: step 02 works on them."
        return None

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
            )
            self._cube_key = key
        return self._cube

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

    # -------------------------------------------------------------- the figures

    def _plan_changed(self, _: Any = None) -> None:
        if self._quiet:
            return
        with self.reporting("recomputing the plan"):
            self.recompute()

    def recompute(self) -> None:
        """Work the plan through the flow: totals, families, areas."""
        doc = self.document()
        cube = self.cube
        years = cube.years or 1.0
        by_family = totals(
            flow(
                cube,
                doc["assignments"],
                doc["assumptions"],
                coverage=doc["coverage"],
                by=("family",),
            ),
            ("family",),
        )
        whole = by_family.drop(columns="family").sum()
        police_hours = float(whole["police_hours"] + whole["co_response_hours"])
        self.families = [
            {
                "family": str(row.family),
                "label": FAMILY_LABELS[str(row.family)],
                "calls_per_year": row.calls / years,
                "officer_hours_per_year": row.officer_hours / years,
                "freed_hours_per_year": row.freed_hours / years,
                "share_of_police_hours": (
                    (row.police_hours + row.co_response_hours) / police_hours
                    if police_hours
                    else 0.0
                ),
            }
            for row in by_family.sort_values("officer_hours", ascending=False).itertuples()
        ]
        freed = float(whole["freed_hours"]) / years
        self.summary = {
            "calls_per_year": float(whole["calls"]) / years,
            "officer_hours_per_year": float(whole["officer_hours"]) / years,
            "freed_hours_per_year": freed,
            "freed_share": float(whole["freed_hours"] / whole["officer_hours"])
            if whole["officer_hours"]
            else 0.0,
            "officers_freed": freed / doc["productive_hours_per_officer"],
            "without_police_calls_per_year": float(whole["without_police_calls"]) / years,
            "co_response_calls_per_year": float(whole["co_response_calls"]) / years,
            "hours_imputed": int(cube.types["hours_imputed"].sum()),
            "years": years,
        }
        by_area = totals(
            flow(
                cube, doc["assignments"], doc["assumptions"], coverage=doc["coverage"], by=("area",)
            ),
            ("area",),
        ).set_index("area")
        areas = self.workspace.profile.areas
        self.equity = compare_areas(
            by_area["without_police_calls"], by_area["calls"], areas
        ).to_dict()

    def unclassified(self) -> list[dict[str, Any]]:
        """Call types no rule recognised, biggest first, with their calls a year."""
        types = self.cube.types
        left = types[types["family_source"] == "none"].sort_values("calls", ascending=False)
        years = self.cube.years or 1.0
        return [
            {
                "call_type": str(t),
                "desc": "" if d is None or d != d else str(d),
                "calls_per_year": c / years,
            }
            for t, d, c in zip(
                left["call_type"], left["call_type_desc"], left["calls"], strict=True
            )
        ]

    def type_rows(self, limit: int = EDITOR_TYPES) -> list[dict[str, Any]]:
        """The call types with the most officer hours (and every unclassified or assigned one),
        with their family and current split."""
        ranked = self.cube.types.sort_values("officer_hours", ascending=False)
        keep = (
            (pd.RangeIndex(len(ranked)) < limit)
            | (ranked["family_source"] == "none").to_numpy()
            | ranked["call_type"].isin(list(self.assignments)).to_numpy()
        )
        types = ranked[keep]
        years = self.cube.years or 1.0
        rows = []
        for t, d, fam, hours in zip(
            types["call_type"],
            types["call_type_desc"],
            types["family"],
            types["officer_hours"],
            strict=True,
        ):
            desc = "" if d is None or d != d else str(d)
            rows.append(
                {
                    "call_type": str(t),
                    "label": f"{t} ({desc})" if desc and desc != str(t) else str(t),
                    "family": str(fam),
                    "officer_hours_per_year": hours / years,
                    "split": dict(self.assignments.get(str(t), {})),
                }
            )
        return rows

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
        """Apply the preset when it is new (or nothing is assigned yet), then compute."""
        if self.preset != self._loaded_preset or not self.assignments:
            self.use_preset(self.preset)
        self.recompute()


# --------------------------------------------------------------------- HTML


def _number(value: float) -> str:
    return f"{value:,.0f}"


def _pct(value: float) -> str:
    return f"{100 * value:.1f}%"


def summary_html(summary: dict[str, Any]) -> str:
    """The plan's headline figures in plain words."""
    if not summary:
        return ""
    return (
        '<div class="kit-roles-summary">'
        f"<p>Police spend about <b>{_number(summary['officer_hours_per_year'])}</b> officer "
        f"hours a year on <b>{_number(summary['calls_per_year'])}</b> calls. This plan hands "
        f"about <b>{_number(summary['without_police_calls_per_year'])}</b> calls a year to "
        f"responders without police, freeing <b>{_number(summary['freed_hours_per_year'])}</b> "
        f"officer hours a year ({_pct(summary['freed_share'])}), about "
        f"<b>{summary['officers_freed']:,.1f}</b> officers' time. "
        f"{_number(summary['co_response_calls_per_year'])} calls a year would be co-responded "
        "(police still attend).</p>"
        f'<p class="kit-note">{summary["hours_imputed"]:,} calls had no usable duration; '
        "they count at the median time of their call type.</p></div>"
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


def equity_html(equity: dict[str, Any]) -> str:
    """Calls handled without police by area, beside each area's demographics."""
    if not equity:
        return ""
    head = (
        "<tr><th>Area</th><th>Calls</th><th>Handled without police</th>"
        "<th>Difference from the city (points)</th><th>Residents of colour</th>"
        "<th>Median household income</th></tr>"
    )

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

    rows = []
    for area in equity["areas"]:
        css = ' class="kit-flagged"' if area.get("flagged") else ""
        rows.append(
            f"<tr{css}><td>{html.escape(str(area['area']))}</td>"
            + cell(area["denominator"], "n")
            + cell(area["share"], "pct")
            + cell(area["difference_pp"], "pp")
            + cell(area.get("share_residents_of_color"), "pct")
            + cell(area.get("median_household_income"), "money")
            + "</tr>"
        )
    notes = []
    for key, words in (
        ("residents_of_color", "the share of residents of colour"),
        ("median_household_income", "median household income"),
    ):
        value = equity["correlations"].get(key)
        if value is not None:
            notes.append(f"Correlation across areas with {words}: {value:+.2f}.")
    note = f'<p class="kit-note">{" ".join(notes)}</p>' if notes else ""
    return f'<table class="kit-table kit-roles-equity">{head}{"".join(rows)}</table>{note}'


def unclassified_html(rows: list[dict[str, Any]], limit: int = 15) -> str:
    """The call types no rule recognised, biggest first (escaped)."""
    if not rows:
        return '<p class="kit-note">Every call type has a family.</p>'
    items = "".join(
        f"<li>{html.escape(r['call_type'])}"
        + (f" ({html.escape(r['desc'])})" if r["desc"] and r["desc"] != r["call_type"] else "")
        + f": {_number(r['calls_per_year'])} calls a year</li>"
        for r in rows[:limit]
    )
    more = f"<p>and {len(rows) - limit} more.</p>" if len(rows) > limit else ""
    return f'<ul class="kit-roles-unclassified">{items}</ul>{more}'


# --------------------------------------------------------------------- view


class RolesView(StepView):
    """Preset, call-type editor, assumptions, and the figures, all linked to the model."""

    def build(self) -> Any:
        import ipywidgets as widgets

        m = self.model
        assert isinstance(m, RolesModel)
        intro = widgets.HTML(
            "<p>Which calls should police keep, and which could another responder answer? "
            "Start from a preset, then change any call type's split. Screening keeps calls "
            "with a weapon or violence in progress with police; take-up is the share of "
            "routed calls a responder actually reaches; back-up is the share it hands back.</p>"
        ).add_class("kit-help")

        preset = widgets.Dropdown(
            options=[(describe(p)["title"], p) for p in preset_ids()],
            value=m.preset if m.preset in preset_ids() else "none",
        ).add_class("kit-roles-preset")
        self.preset = preset
        self.sliders: dict[tuple[str, str], widgets.FloatSlider] = {}
        self._syncing = False
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
        self.equity = widgets.HTML()
        self.unclassified = widgets.HTML()
        self.charter = widgets.HTML().add_class("kit-roles-charter-box")

        self.call_type = widgets.Dropdown(description="Call type").add_class("kit-roles-type")
        responder = widgets.Dropdown(
            options=[(RESPONDER_LABELS[r], r) for r in ALTERNATIVES], description="Responder"
        ).add_class("kit-roles-responder")
        share = widgets.FloatSlider(
            min=0,
            max=1,
            step=0.05,
            description="Share",
            readout_format=".0%",
            continuous_update=False,
        ).add_class("kit-roles-share")
        family = widgets.Dropdown(
            options=[(FAMILY_LABELS[f], f) for f in FAMILIES], description="Family"
        ).add_class("kit-roles-family")

        def pick(_: Any = None) -> None:
            if self.call_type.value is None:
                return
            share.value = float(
                m.assignments.get(self.call_type.value, {}).get(responder.value, 0.0)
            )
            family.value = str(
                m.cube.types.set_index("call_type").at[self.call_type.value, "family"]
            )

        self.call_type.observe(pick, names="value")
        responder.observe(pick, names="value")
        set_share = self.action(
            "Set share",
            lambda: m.set_share(self.call_type.value, responder.value, share.value),
            css="kit-roles-set-share",
        )
        set_family = self.action(
            "Set family",
            lambda: m.set_family(self.call_type.value, family.value),
            css="kit-roles-set-family",
        )

        assumption_boxes = []
        for name in ALTERNATIVES:
            sliders = []
            for field in ("screening", "take_up", "back_up"):
                slider = widgets.FloatSlider(
                    value=float(m.assumptions[name][field]),
                    min=0,
                    max=1,
                    step=0.01,
                    description=field.replace("_", "-"),
                    readout_format=".0%",
                    continuous_update=False,
                ).add_class(f"kit-roles-{name}-{field}")

                def moved(change: Any, name: str = name, field: str = field) -> None:
                    if self._syncing:
                        return
                    with m.reporting("changing an assumption"):
                        m.set_assumption(name, field, change["new"])

                slider.observe(moved, names="value")
                self.sliders[(name, field)] = slider
                source = widgets.HTML(
                    f'<span class="kit-note">{html.escape(ASSUMPTION_SOURCES[name][field])}</span>'
                )
                sliders.append(widgets.HBox([slider, source]))
            assumption_boxes.append(widgets.VBox(sliders))
        assumptions = widgets.Accordion(children=assumption_boxes)
        for i, name in enumerate(ALTERNATIVES):
            assumptions.set_title(i, RESPONDER_LABELS[name])

        def redraw(_: Any = None) -> None:
            self.refresh()

        m.observe(redraw, names=["summary", "families", "equity", "charter", "family_overrides"])
        save = self.action("Save the plan", self._save, css="kit-roles-save")

        def section(title: str, *children: Any, css: str) -> Any:
            return widgets.VBox(
                [widgets.HTML(f"<h3>{html.escape(title)}</h3>"), *children]
            ).add_class(css)

        return widgets.VBox(
            [
                intro,
                section(
                    "Start from a preset",
                    widgets.HBox([preset, apply_button]),
                    preset_note,
                    css="kit-roles-presets",
                ),
                section("What the plan does", self.summary, self.families, css="kit-roles-figures"),
                section(
                    "Change a call type",
                    self.call_type,
                    widgets.HBox([responder, share, set_share]),
                    widgets.HBox([family, set_family]),
                    css="kit-roles-editor",
                ),
                section(
                    "Call types without a family",
                    self.unclassified,
                    css="kit-roles-unclassified-box",
                ),
                section("Assumptions per responder", assumptions, css="kit-roles-assumptions"),
                section("By area", self.equity, css="kit-roles-areas"),
                widgets.VBox([self.charter]).add_class("kit-roles-charter"),
                widgets.HBox([save]),
                self.message_box(),
            ]
        )

    def _save(self) -> None:
        self.model.save()
        self.refresh()

    def refresh(self) -> None:
        m = self.model
        assert isinstance(m, RolesModel)
        if not m.summary:
            m.recompute()
        rows = m.type_rows()
        options = [(r["label"], r["call_type"]) for r in rows]
        if list(self.call_type.options) != options:
            chosen = self.call_type.value
            self.call_type.options = options
            values = [value for _, value in options]
            if values:
                self.call_type.value = chosen if chosen in values else values[0]
        self._syncing = True
        try:
            for (name, field), slider in self.sliders.items():
                slider.value = float(m.assumptions[name][field])
            if m.preset in preset_ids():
                self.preset.value = m.preset
        finally:
            self._syncing = False
        self.summary.value = summary_html(m.summary)
        self.families.value = families_html(m.families)
        self.equity.value = equity_html(m.equity)
        self.unclassified.value = unclassified_html(m.unclassified())
        doc = m.document()
        self.charter.value = charter_html(build_charter(m.cube, doc))

    def warm(self) -> None:
        model = self.model
        assert isinstance(model, RolesModel)
        _ = model.cube


def roles_app(
    *,
    workspace: str = "",
    preset: str = "",
    officers_per_unit: float = 0.0,
    productive_hours_per_officer: float = 0.0,
) -> StepApp:
    """Step 02's workbook call: headless it applies ``preset`` and saves; in Voila, the page."""
    return launch(
        RolesModel,
        RolesView,
        workspace,
        preset=preset,
        officers_per_unit=officers_per_unit,
        productive_hours_per_officer=productive_hours_per_officer,
    )
