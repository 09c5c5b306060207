"""Step 03, identify funding: hours and money freed, teams by hour, costs, scenarios, sources.

The model (:class:`FundingModel`) holds the ``funding_scenarios`` decision as traits (the
scenario shown, the response target, shift length, service times, officer cost, the reverse
scenario's cut and the funding sources) and the figures computed from it by
:mod:`kit.funding`. The view (:class:`FundingView`) is sliders and tables over it; every
change of an assumption recomputes the scenario (the shift plan is cached per need, so
this stays interactive). ``funding_app`` is the workbook's one call: under papermill it
applies the parameters, computes everything and saves the decision.
"""

from __future__ import annotations

import math
from datetime import date
from typing import TYPE_CHECKING, Any

import traitlets

from kit import funding, funding_figures
from kit.errors import KitError
from kit.funding_figures import RESPONDER_NAMES, FundingFigures
from kit.pages import download_link, tag
from kit.pages.funding import (
    by_area_html,
    checklist_html,
    comparison_html,
    funding_html,
    funding_page,
    gap_html,
    headline_html,
    plan_note_html,
    reverse_html,
    sources_html,
    team_hours_html,
    teams_html,
    tornado_html,
)
from kit.printable import file_name
from kit.ui.base import StepApp, StepModel, StepView, launch

if TYPE_CHECKING:
    from kit.workspace import Workspace

#: Traits that change the figures of the scenario shown.
ASSUMPTIONS = (
    "active",
    "target_minutes",
    "target_share",
    "travel_minutes",
    "shift_hours",
    "minutes_per_call",
    "officer_cost_from",
    "officer_annual_cost",
    "costs",
    "scenarios",
)
FIELD_RESPONDERS = ("crisis_team", "cso", "co_response")
#: The page's own table and note styles, scoped to step 03 so no other page changes.
PAGE_STYLE = """<style>
.kit-step-03 .kit-table {border-collapse:collapse; margin:0.4em 0 1em; font-size:13px}
.kit-step-03 .kit-table th, .kit-step-03 .kit-table td {padding:4px 12px; text-align:left;
  vertical-align:top; border-bottom:1px solid #e0e0e0; line-height:1.4}
.kit-step-03 .kit-table th {background:#f2f4f5; border-bottom:2px solid #b8bec2}
.kit-step-03 .kit-table tr:nth-child(even) td {background:#fafbfb}
.kit-step-03 .kit-table .kit-num {text-align:right; font-variant-numeric:tabular-nums;
  white-space:nowrap}
.kit-step-03 .kit-funding-checklist td:nth-child(2) {max-width:36em}
.kit-step-03 .kit-funding-note {background:#fff8e1; border-left:4px solid #f0b400;
  padding:6px 12px; margin:0.5em 0}
.kit-step-03 .kit-funding-source-note {color:#555; font-size:12px}
.kit-step-03 .kit-funding-print-link {margin-left:1em; line-height:28px}
</style>"""


class FundingModel(StepModel):
    """The funding_scenarios decision as traits, and the figures computed from it."""

    step = "03"
    decision = funding.DECISION_NAME
    schema_version = funding.SCHEMA_VERSION
    figure_inputs = ASSUMPTIONS

    active = traitlets.Unicode("")
    scenarios = traitlets.List(traitlets.Dict())
    target_minutes = traitlets.Float(20.0)
    target_share = traitlets.Float(0.9)
    travel_minutes = traitlets.Float(10.0)
    shift_hours = traitlets.Int(8)
    #: Entered service times by field responder (minutes); a missing one comes from the data.
    minutes_per_call = traitlets.Dict()
    #: "budget", "default" or "entered".
    officer_cost_from = traitlets.Unicode("budget")
    officer_annual_cost = traitlets.Float(0.0)
    budget_cut = traitlets.Float(0.05)
    costs = traitlets.Dict()
    funding_sources = traitlets.List(traitlets.Dict())
    years = traitlets.List(traitlets.Int())

    #: Figures of the scenario shown (:meth:`kit.funding.Evaluation.summary`), {} before any.
    summary = traitlets.Dict()
    #: All scenarios side by side, one dict per scenario.
    comparison = traitlets.List(traitlets.Dict())
    #: Sensitivity rows (tornado data).
    tornado = traitlets.List(traitlets.Dict())
    #: The reverse scenario's figures ({} before it is run).
    reverse = traitlets.Dict()
    #: Year by year: cost, money secured and pending, gap.
    gap = traitlets.List(traitlets.Dict())
    #: Per area: officer hours, hours freed and their share beside the area's demographics.
    by_area = traitlets.List(traitlets.Dict())

    def __init__(self, workspace: Workspace, **kwargs: Any) -> None:
        super().__init__(workspace, **kwargs)
        self._inputs: funding.Inputs | None = None
        self._evaluation: funding.Evaluation | None = None
        self._area_key: str | None = None
        # The reverse scenario (and the side by side, which shows it) follow the cut.
        self.observe(lambda _: self.inputs_changed(), names=["budget_cut"])

    def forget(self) -> None:
        """Calls, step 02's plan or the budget changed elsewhere: read and work them out again."""
        self._inputs = None
        self._evaluation = None
        self._area_key = None

    def inputs_changed(self) -> None:
        """Drop side-by-side, sensitivity and reverse figures worked out under other
        assumptions, so they are never shown beside figures they do not match."""
        self.comparison = []
        self.tornado = []
        self.reverse = {}

    def affects_figures(self, change: dict[str, Any]) -> bool:
        if change["name"] == "officer_annual_cost" and self.officer_cost_from != "entered":
            return False  # the model is showing the cost in use, not taking a new one
        # A slider sends a value back with float rounding: that changes nothing.
        old, new = change["old"], change["new"]
        return not (isinstance(old, float) and math.isclose(old, new))

    @classmethod
    def missing(cls, workspace: Workspace) -> str | None:
        if not workspace.has_table("calls"):
            return "Step 03 needs calls for service: import them in step 00 first."
        return None

    # ----------------------------------------------------------------- state

    @property
    def inputs(self) -> funding.Inputs:
        """The cube, step 02's plan and the budget, read once per page."""
        if self._inputs is None:
            self._inputs = funding.load_inputs(self.workspace)
        return self._inputs

    def state_to_document(self) -> dict[str, Any]:
        document = {
            "active": self.active,
            "scenarios": [dict(s) for s in self.scenarios],
            "target": {
                "minutes": self.target_minutes,
                "share": self.target_share,
                "travel_minutes": self.travel_minutes,
            },
            "shift_hours": self.shift_hours,
            "minutes_per_call": dict(self.minutes_per_call),
            "costs": dict(self.costs),
            "officer_cost": (
                {"from": "entered", "annual_cost_per_officer": self.officer_annual_cost}
                if self.officer_cost_from == "entered"
                else {"from": self.officer_cost_from}
            ),
            "reverse": {"budget_cut": self.budget_cut},
            "funding_sources": [dict(s) for s in self.funding_sources],
            "years": list(self.years),
        }
        checked = funding.check_document(document)
        checked.pop("schema_version", None)
        return checked

    def state_from_document(self, document: dict[str, Any]) -> None:
        doc = funding.check_document(document)
        with self.holding():
            self.scenarios = doc["scenarios"]
            self.active = doc["active"]
            self.target_minutes = doc["target"]["minutes"]
            self.target_share = doc["target"]["share"]
            self.travel_minutes = doc["target"]["travel_minutes"]
            self.shift_hours = doc["shift_hours"]
            self.minutes_per_call = doc["minutes_per_call"]
            self.costs = doc["costs"]
            self.officer_cost_from = doc["officer_cost"].get("from", "budget")
            if self.officer_cost_from == "entered":
                self.officer_annual_cost = float(doc["officer_cost"]["annual_cost_per_officer"])
            # Otherwise the field keeps showing the cost in use, which :meth:`work_out` sets.
            self.budget_cut = float(doc["reverse"]["budget_cut"])
            self.funding_sources = doc["funding_sources"]
            self.years = doc["years"] or self.default_years()

    def load(self) -> bool:
        """Restore the saved decision, or start from the defaults (step 02's plan if saved)."""
        if super().load():
            return True
        self.state_from_document(funding.document_for(self.workspace, self.inputs))
        return False

    def default_years(self) -> list[int]:
        """The next three fiscal years (named by the calendar year each ends in)."""
        return funding_figures.default_years(int(self.workspace.profile.fiscal_year_start or 1))

    def settings(self) -> funding.Settings:
        """The step 03 settings the traits stand for."""
        return funding.settings_from_document(
            {"schema_version": funding.SCHEMA_VERSION, **self.state_to_document()}, self.inputs
        )

    # ----------------------------------------------------------------- figures

    def work_out(self) -> None:
        """Figures of the scenario shown, and the funding gap against its cost."""
        doc = {"schema_version": funding.SCHEMA_VERSION, **self.state_to_document()}
        settings = self.settings()
        result = funding.evaluate_scenario(self.inputs, doc, settings)
        self._evaluation = result
        if self.officer_cost_from != "entered":
            # Show the cost in use (from the budget or the default) in the disabled field.
            self.officer_annual_cost = float(round(settings.costs.officer_annual_cost))
        self.summary = result.summary()
        key = funding.plan_key(result.plan)
        if key != self._area_key:  # only the plan decides the hours freed by area
            self.by_area = funding_figures.area_rows(result, self.workspace.profile.areas)
            self._area_key = key
        self.recompute_gap()

    def set_minutes(self, responder: str, minutes: float) -> None:
        """Enter a responder's minutes per call (travel included); 0 takes them from the data."""
        if responder not in FIELD_RESPONDERS:
            raise KitError(f"Service times are for {', '.join(FIELD_RESPONDERS)}.")
        entered = dict(self.minutes_per_call)
        if minutes:
            if not 1 <= minutes <= 24 * 60:
                raise KitError("Minutes per call must be between 1 and 1,440 (or 0 for the data).")
            entered[responder] = float(minutes)
        else:
            entered.pop(responder, None)
        self.minutes_per_call = entered

    def set_coverage(self, responder: str, hours: list[int] | None) -> None:
        """Cover ``responder`` in these hours of the week (None: around the clock) in the
        scenario shown, in place of step 02's coverage; calls outside stay with police."""
        scenarios = [dict(s) for s in self.scenarios]
        for scenario in scenarios:
            if scenario["name"] == self.active:
                coverage = dict(scenario.get("coverage") or {})
                coverage[responder] = None if hours is None else sorted(hours)
                scenario["coverage"] = coverage
        self.scenarios = [funding.check_scenario(s) for s in scenarios]

    def set_cost(self, path: list[Any], value: float) -> None:
        """Change one cost figure (see :func:`kit.funding.cost_figures`)."""
        self.costs = funding.with_cost(self.costs, path, value)

    def recompute_gap(self) -> None:
        """Year by year: the service's cost against the money entered."""
        if not self.summary:
            return
        years = self.years or self.default_years()
        self.gap = funding_figures.gap_rows(self.inputs, self.summary, self.funding_sources, years)

    def compare(self) -> None:
        """Every scenario side by side."""
        doc = {"schema_version": funding.SCHEMA_VERSION, **self.state_to_document()}
        self.comparison = funding_figures.comparison_rows(self.inputs, doc, self.settings())

    def run_sensitivity(self) -> None:
        """Net effect at the ends of each assumption's range, for the scenario shown."""
        self.up_to_date()
        assert self._evaluation is not None
        self.tornado = funding_figures.sensitivity_rows(
            self.inputs, self._evaluation, self.settings()
        )

    def has_police_budget(self) -> bool:
        """Whether the budget table gives a police budget (the reverse scenario needs one)."""
        return funding_figures.police_budget(self.inputs) is not None

    def run_reverse(self) -> None:
        """What must move, with what staffing, to keep service with a smaller police budget."""
        self.reverse = funding_figures.reverse_figures(
            self.inputs, self.settings(), self.budget_cut
        )

    def add_source(
        self,
        *,
        kind: str,
        name: str,
        year: int,
        amount: float,
        status: str = "idea",
        start: date | None = None,
        end: date | None = None,
    ) -> None:
        """Add money for one year to a source (a new one, or one of the same kind and name).

        ``start`` and ``end`` are when the money can be spent (a grant's period, say); given
        dates replace the source's, missing ones keep them.
        """
        dates = {
            key: value.isoformat()
            for key, value in (("start", start), ("end", end))
            if value is not None
        }
        entries = [dict(s) for s in self.funding_sources]
        for entry in entries:
            if entry["kind"] == kind and entry["name"] == (name or kind):
                amounts = {**entry["amounts"], str(int(year)): float(amount)}
                checked = funding.FundingSource.from_dict(
                    {**entry, **dates, "amounts": amounts, "status": status}
                )
                entry.update(checked.to_dict())
                break
        else:
            checked = funding.FundingSource.from_dict(
                {
                    "kind": kind,
                    "name": name,
                    "amounts": {str(year): amount},
                    "status": status,
                    **dates,
                }
            )
            entries.append(checked.to_dict())
        self.funding_sources = entries
        self.recompute_gap()

    def remove_source(self, index: int) -> None:
        """Remove one funding source by its position in the list."""
        entries = list(self.funding_sources)
        if not 0 <= index < len(entries):
            raise KitError("There is no such funding source to remove.")
        del entries[index]
        self.funding_sources = entries
        self.recompute_gap()

    # ----------------------------------------------------------------- headless

    def apply_parameters(self, **parameters: Any) -> None:
        """Apply the workbook's parameters; empty values and zeros keep what is saved."""
        if parameters.get("scenario"):
            chosen = funding_figures.choose_scenario(
                {"scenarios": self.scenarios}, parameters["scenario"]
            )
            self.active = chosen["active"]
        for key in ("target_minutes", "target_share", "travel_minutes", "budget_cut"):
            if parameters.get(key):
                setattr(self, key, float(parameters[key]))
        if parameters.get("shift_hours"):
            self.shift_hours = int(parameters["shift_hours"])

    def run(self) -> None:
        """Everything the page shows, computed without a person (papermill)."""
        self.complete()

    def complete(self) -> None:
        """Work out what the page leaves to a button, so that a page to print lacks nothing."""
        self.up_to_date()
        if not self.comparison:
            self.compare()
        if not self.tornado:
            self.run_sensitivity()
        if not self.reverse and self.has_police_budget():
            self.run_reverse()

    def figures(self) -> FundingFigures:
        """What the page shows now, as the page to print and the command line take it."""
        return FundingFigures(
            document=funding.check_document(
                {"schema_version": funding.SCHEMA_VERSION, **self.state_to_document()}
            ),
            roles_saved=self.inputs.roles_saved,
            summary=self.summary,
            by_area=self.by_area,
            gap=self.gap,
            comparison=self.comparison,
            tornado=self.tornado,
            reverse=self.reverse,
        )


# --------------------------------------------------------------------- view


class FundingView(StepView):
    """The funding page: assumptions, headline figures, teams chart, comparison, sources."""

    model: FundingModel

    def build(self) -> Any:
        import ipywidgets as w

        m = self.model
        self._headline = w.HTML().add_class("kit-funding-headline")
        self._teams = w.HTML().add_class("kit-funding-teams")
        self._team_hours = w.HTML().add_class("kit-funding-team-hours")
        self._comparison = w.HTML().add_class("kit-funding-comparison")
        self._tornado = w.HTML().add_class("kit-funding-tornado")
        self._reverse = w.HTML().add_class("kit-funding-reverse")
        self._sources = w.HTML().add_class("kit-funding-sources")
        self._gap = w.HTML().add_class("kit-funding-gap")
        self._plan_note = w.HTML().add_class("kit-funding-plan-note")
        self._checklist = w.HTML().add_class("kit-funding-checklist-box")
        self._print_link = w.HTML().add_class("kit-funding-print-box")
        m.observe(
            lambda _: setattr(self._print_link, "value", ""),
            names=["summary", "comparison", "tornado", "reverse", "gap", "by_area"],
        )

        style = {"description_width": "14em"}
        layout = w.Layout(width="34em")
        scenario = w.Dropdown(description="Scenario", style=style, layout=layout).add_class(
            "kit-funding-scenario"
        )

        def names(_: Any = None) -> None:
            scenario.options = [s["name"] for s in m.scenarios]
            scenario.value = m.active if m.active in scenario.options else None

        m.observe(names, names=["scenarios"])
        names()
        w.link((m, "active"), (scenario, "value"))
        minutes = w.FloatSlider(
            description="Reach calls within (min)",
            min=5,
            max=60,
            step=1,
            readout_format=".0f",
            continuous_update=False,
            style=style,
            layout=layout,
        ).add_class("kit-funding-target-minutes")
        share = w.FloatSlider(
            description="Share reached in time",
            min=0.5,
            max=0.99,
            step=0.01,
            readout_format=".0%",
            continuous_update=False,
            style=style,
            layout=layout,
        ).add_class("kit-funding-target-share")
        travel = w.FloatSlider(
            description="Travel time (min)",
            min=0,
            max=30,
            step=1,
            readout_format=".0f",
            continuous_update=False,
            style=style,
            layout=layout,
        ).add_class("kit-funding-travel")
        shifts = w.ToggleButtons(
            description="Shift length (h)", options=[8, 10, 12], style=style
        ).add_class("kit-funding-shift")
        officer_from = w.Dropdown(
            description="Officer cost from",
            options=[
                ("the budget table", "budget"),
                ("the default", "default"),
                ("entered", "entered"),
            ],
            style=style,
            layout=layout,
        ).add_class("kit-funding-officer-from")
        officer_cost = w.BoundedFloatText(
            description="Officer cost a year ($)", min=0, max=1e7, step=1000, style=style
        ).add_class("kit-funding-officer-cost")
        traitlets.dlink(
            (m, "officer_cost_from"), (officer_cost, "disabled"), lambda source: source != "entered"
        )
        for trait, widget in (
            ("target_minutes", minutes),
            ("target_share", share),
            ("travel_minutes", travel),
            ("shift_hours", shifts),
            ("officer_cost_from", officer_from),
            ("officer_annual_cost", officer_cost),
        ):
            w.link((m, trait), (widget, "value"))

        m.observe(lambda _: self._show_summary(), names=["summary"])
        m.observe(lambda _: self._show_comparison(), names=["comparison"])
        m.observe(lambda _: self._show_tornado(), names=["tornado"])
        m.observe(lambda _: self._show_reverse(), names=["reverse"])
        m.observe(lambda _: self._show_sources(), names=["funding_sources", "gap"])

        service = []
        for responder in FIELD_RESPONDERS:
            field = w.BoundedFloatText(
                description=RESPONDER_NAMES[responder],
                min=0,
                max=24 * 60,
                step=5,
                value=float(m.minutes_per_call.get(responder, 0.0)),
                style={"description_width": "17em"},
                layout=w.Layout(width="27em"),
            ).add_class(f"kit-funding-minutes-{responder.replace('_', '-')}")

            def entered(change: dict[str, Any], responder: str = responder) -> None:
                with m.reporting("changing a service time"):
                    m.set_minutes(responder, float(change["new"] or 0.0))

            field.observe(entered, names="value")
            service.append(field)
        self._service = dict(zip(FIELD_RESPONDERS, service, strict=True))

        cover_who = w.Dropdown(
            description="Responder",
            options=[(RESPONDER_NAMES[r], r) for r in (*FIELD_RESPONDERS, "online")],
            style=style,
            layout=layout,
        ).add_class("kit-funding-cover-who")
        around = w.Checkbox(value=True, description="Around the clock").add_class(
            "kit-funding-cover-247"
        )
        hours = w.IntRangeSlider(
            description="From / to (hour)",
            min=0,
            max=24,
            value=(10, 18),
            continuous_update=False,
            style=style,
            layout=layout,
        ).add_class("kit-funding-cover-hours")
        weekdays = w.Checkbox(value=False, description="Weekdays only").add_class(
            "kit-funding-cover-weekdays"
        )

        def cover() -> None:
            start, end = hours.value
            if not around.value and start == end:
                raise KitError("Choose covered hours: the start and end hour are the same.")
            days = range(5) if weekdays.value else range(7)
            m.set_coverage(
                cover_who.value,
                None if around.value else funding.hours_between(start, end % 24, days),
            )

        coverage_box = w.VBox(
            [
                w.HTML(
                    "<p>Hours the responder covers in this scenario (in place of step 02's). "
                    "Calls outside them stay with police, so fewer hours are freed.</p>"
                ),
                cover_who,
                around,
                hours,
                weekdays,
                self.action("Apply coverage", cover, css="kit-funding-cover-apply"),
            ]
        )

        self._cost_box = w.VBox().add_class("kit-funding-costs")
        self._show_costs()
        self._by_area = w.HTML().add_class("kit-funding-by-area")
        m.observe(lambda _: self._show_by_area(), names=["by_area"])

        cut = w.FloatSlider(
            description="Police budget smaller by",
            min=0.01,
            max=0.3,
            step=0.01,
            continuous_update=False,
            style=style,
            layout=layout,
            readout_format=".0%",
        ).add_class("kit-funding-cut")
        w.link((m, "budget_cut"), (cut, "value"))

        checklist = funding.funding_checklist()
        kind = w.Dropdown(
            description="Kind",
            options=list(zip(checklist["label"], checklist["kind"], strict=True)),
            style=style,
            layout=layout,
        ).add_class("kit-funding-source-kind")
        # Sent whole when the field is left, so a quick click on Add never sees half a name.
        source_name = w.Text(description="Name", style=style, continuous_update=False)
        source_name.add_class("kit-funding-source-name")
        year = w.BoundedIntText(description="Fiscal year", min=2000, max=2100, style=style)
        year.add_class("kit-funding-source-year")
        year.value = (m.years or m.default_years())[0]
        amount = w.BoundedFloatText(
            description="Amount ($)", min=0, max=1e10, step=1000, style=style
        ).add_class("kit-funding-source-amount")
        status = w.Dropdown(
            description="Status",
            options=funding.load_template("sources.json")["statuses"],
            style=style,
        ).add_class("kit-funding-source-status")

        start = w.DatePicker(description="Money from", style=style).add_class(
            "kit-funding-source-start"
        )
        end = w.DatePicker(description="Money until", style=style).add_class(
            "kit-funding-source-end"
        )

        def add() -> None:
            m.add_source(
                kind=kind.value,
                name=source_name.value.strip()[:80],
                year=year.value,
                amount=amount.value,
                status=status.value,
                start=start.value,
                end=end.value,
            )

        self._remove_choice = w.Dropdown(
            description="Source", style=style, layout=layout
        ).add_class("kit-funding-source-pick")

        def remove() -> None:
            if self._remove_choice.value is None:
                raise KitError("Choose the funding source to remove.")
            m.remove_source(int(self._remove_choice.value))

        self._remove_row = w.HBox(
            [self._remove_choice, self.action("Remove", remove, css="kit-funding-source-remove")]
        )

        def section(title: str, *children: Any, css: str) -> Any:
            heading = w.HTML(tag("h3", title))
            return w.VBox([heading, *children]).add_class(css)

        return w.VBox(
            [
                w.HTML(
                    "<h2>Step 03 · Identify funding</h2><p>How many officer hours the plan "
                    "frees and what they are worth, what the new service needs hour by hour "
                    "and costs, and where the money can come from. Change an assumption and "
                    "the figures follow.</p>"
                ),
                w.HTML(PAGE_STYLE),
                self._plan_note,
                self.message_box(),
                section(
                    "Scenario and assumptions",
                    scenario,
                    minutes,
                    share,
                    travel,
                    shifts,
                    officer_from,
                    officer_cost,
                    w.HTML(
                        "<p><b>Minutes per call</b> of each field responder: the whole time a "
                        "team is committed, travel included; 0 takes them from the calls data."
                        "</p>"
                    ),
                    *service,
                    css="kit-section-assumptions",
                ),
                section("Coverage hours", coverage_box, css="kit-section-coverage"),
                self._costs_accordion(),
                section(
                    "What the scenario frees and costs", self._headline, css="kit-section-headline"
                ),
                section(
                    "Teams by hour of the week",
                    self._team_hours,
                    self._teams,
                    css="kit-section-teams",
                ),
                section(
                    "Hours freed by area",
                    w.HTML(
                        "<p>The share of each area's officer hours the scenario frees, beside "
                        "the area's residents: an area far from the citywide share is flagged."
                        "</p>"
                    ),
                    self._by_area,
                    css="kit-section-by-area",
                ),
                section(
                    "Scenarios side by side",
                    w.HTML(
                        "<p>Every scenario with the assumptions above, and the reverse "
                        "scenario when the budget table gives the police budget.</p>"
                    ),
                    self.action("Compare scenarios", m.compare, css="kit-funding-compare"),
                    self._comparison,
                    css="kit-section-comparison",
                ),
                section(
                    "How sure are these figures?",
                    self.action(
                        "Show sensitivity", m.run_sensitivity, css="kit-funding-sensitivity"
                    ),
                    self._tornado,
                    css="kit-section-sensitivity",
                ),
                section(
                    "Keeping service with a smaller police budget",
                    cut,
                    self.action("Work it out", m.run_reverse, css="kit-funding-reverse-run"),
                    self._reverse,
                    css="kit-section-reverse",
                ),
                section(
                    "Funding sources",
                    w.HTML(
                        "<p>The kinds of money to look for, and what is entered for each. "
                        "Enter the money found or hoped for, by fiscal year, below. Only "
                        "committed or received money closes the gap.</p>"
                    ),
                    self._checklist,
                    kind,
                    source_name,
                    year,
                    amount,
                    status,
                    start,
                    end,
                    self.action("Add", add, css="kit-funding-source-add"),
                    self._sources,
                    self._remove_row,
                    w.HTML(
                        "<h4>The gap, year by year</h4><p>The first year carries the start-up "
                        "cost. Fiscal years are named by the calendar year they end in.</p>"
                    ),
                    self._gap,
                    css="kit-section-sources",
                ),
                w.HBox(
                    [
                        self.action("Save", m.save, css="kit-save"),
                        self.action(
                            "Make a page to print", self._make_page, css="kit-funding-print"
                        ),
                        self._print_link,
                    ]
                ),
                self.history_panel(),
            ]
        )

    def _make_page(self) -> None:
        """Work out what is missing, then offer the whole step as one page to print."""
        m = self.model
        m.complete()
        name = m.workspace.profile.name
        page = funding_page(m.figures(), jurisdiction=name, printed=date.today())
        self._print_link.value = download_link(
            page,
            file_name("funding", name),
            "Download the page to print",
            css="kit-funding-print-link",
        )

    def refresh(self) -> None:
        """Compute everything the page shows and draw what the links do not cover.

        The side-by-side, sensitivity and reverse figures are dropped whenever an assumption
        changes, so those still held (a preheated page whose workspace did not change since)
        are current and are not worked out again.
        """
        m = self.model
        m.complete()
        self._plan_note.value = plan_note_html(self.model.inputs.roles_saved)
        for responder, field in self._service.items():
            field.value = float(self.model.minutes_per_call.get(responder, 0.0))
        self._show_costs()
        self._show_summary()
        self._show_by_area()
        self._show_sources()

    def warm(self) -> None:
        """Read the calls into a cube and import the charting library before the page opens."""
        _ = self.model.inputs
        from kit import charts

        charts.to_svg(charts.teams_chart(charts.teams_frame({}, RESPONDER_NAMES)))

    def _show_summary(self) -> None:
        summary = self.model.summary
        self._headline.value = headline_html(summary)
        self._team_hours.value = team_hours_html(summary)
        self._teams.value = teams_html(summary)

    def _costs_accordion(self) -> Any:
        import ipywidgets as w

        inner = w.VBox(
            [
                w.HTML(
                    "<p>Defaults with their sources; replace them with your own. The cost of "
                    "an officer is chosen above.</p>"
                ),
                self._cost_box,
            ]
        )
        accordion = w.Accordion(children=[inner], selected_index=None).add_class(
            "kit-section-costs"
        )
        accordion.set_title(0, "Cost figures (team make-up, salaries, vehicles, training)")
        return accordion

    def _show_costs(self) -> None:
        import ipywidgets as w

        m = self.model
        rows = []
        for figure in funding.cost_figures(m.costs):
            field = w.BoundedFloatText(
                description=figure["label"],
                value=figure["value"],
                min=0,
                max=1e9,
                style={"description_width": "28em"},
                layout=w.Layout(width="42em"),
            ).add_class("kit-funding-cost")

            def changed(change: dict[str, Any], path: list[Any] = figure["path"]) -> None:
                with m.reporting("changing a cost figure"):
                    m.set_cost(path, float(change["new"]))

            field.observe(changed, names="value")
            note = w.HTML(tag("small", figure["source"]))
            rows.append(w.VBox([field, note]))
        self._cost_box.children = rows

    def _show_by_area(self) -> None:
        self._by_area.value = by_area_html(self.model.by_area)

    def _show_comparison(self) -> None:
        m = self.model
        self._comparison.value = comparison_html(m.comparison, m.scenarios, m.inputs.roles_saved)

    def _show_tornado(self) -> None:
        self._tornado.value = tornado_html(self.model.tornado)

    def _show_reverse(self) -> None:
        self._reverse.value = reverse_html(self.model.reverse)

    def _show_sources(self) -> None:
        m = self.model
        self._checklist.value = checklist_html(m.funding_sources)
        self._remove_choice.options = [(s["name"], str(i)) for i, s in enumerate(m.funding_sources)]
        self._remove_row.layout.display = "" if m.funding_sources else "none"
        self._sources.value = sources_html(m.funding_sources)
        self._gap.value = gap_html(m.gap)


def funding_app(
    *,
    workspace: str = "",
    scenario: str = "",
    target_minutes: float = 0.0,
    target_share: float = 0.0,
    travel_minutes: float = 0.0,
    shift_hours: int = 0,
    budget_cut: float = 0.0,
) -> StepApp:
    """Step 03's one call from its workbook (see :func:`kit.ui.base.launch`); run headless,
    the kept notebook shows the figures as the page to print does."""
    return launch(
        FundingModel,
        FundingView,
        workspace,
        scenario=scenario,
        target_minutes=target_minutes,
        target_share=target_share,
        travel_minutes=travel_minutes,
        shift_hours=shift_hours,
        budget_cut=budget_cut,
        report=lambda model: funding_html(model.figures()),
    )
