"""Step 03's model: the ``funding_scenarios`` decision as traits, and the figures from it.

The traits are the scenario shown, the response target, shift length, service times, officer
cost, the reverse scenario's cut and the funding sources. The figures come from
:mod:`kit.funding` through :mod:`kit.funding_figures`, the functions ``kit funding --page``
uses too. Every change of an assumption recomputes the scenario at once (the shift plan is
cached per need, so this stays interactive) and drops the side-by-side, sensitivity and
reverse figures worked out under the old assumptions; those are worked out on request.
"""

from __future__ import annotations

import math
from datetime import date
from typing import TYPE_CHECKING, Any

import traitlets

from kit import funding, funding_figures
from kit.equity import DEFAULT_THRESHOLD_PP
from kit.errors import KitError
from kit.funding_figures import FundingFigures
from kit.ui.base import StepModel

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
    "threshold_pp",
)
FIELD_RESPONDERS = ("crisis_team", "cso", "co_response")


class FundingModel(StepModel):
    """The funding_scenarios decision as traits, and the figures computed from it."""

    step = "03"
    decision = funding.DECISION_NAME
    schema_version = funding.SCHEMA_VERSION
    figure_inputs = ASSUMPTIONS

    active = traitlets.Unicode("")
    scenarios = traitlets.List(traitlets.Dict())
    target_minutes = traitlets.Float(funding.DEFAULT_TARGET.minutes)
    target_share = traitlets.Float(funding.DEFAULT_TARGET.share)
    travel_minutes = traitlets.Float(funding.DEFAULT_TARGET.travel_minutes)
    shift_hours = traitlets.Int(8)
    #: Entered service times by field responder (minutes); a missing one comes from the data.
    minutes_per_call = traitlets.Dict()
    #: "budget", "default" or "entered".
    officer_cost_from = traitlets.Unicode("budget")
    officer_annual_cost = traitlets.Float(0.0)
    budget_cut = traitlets.Float(0.05)
    #: Percentage points from the citywide share past which an area is flagged.
    threshold_pp = traitlets.Float(DEFAULT_THRESHOLD_PP)
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
        self._area_key: tuple[str, float] | None = None
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
            "equity_threshold_pp": self.threshold_pp,
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
            self.threshold_pp = doc["equity_threshold_pp"]

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
        key = (funding.plan_key(result.plan), self.threshold_pp)
        if key != self._area_key:  # only the plan and threshold decide the figures by area
            self.by_area = funding_figures.area_rows(
                result, self.workspace.profile.areas, threshold_pp=self.threshold_pp
            )
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

    def coverage_of(self, responder: str) -> list[int] | None:
        """The hours of the week ``responder`` covers in the scenario shown (None: around the
        clock): the scenario's own, else step 02's, as last worked out."""
        if self._evaluation is None:
            return None
        return self._evaluation.plan.coverage.get(responder)

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
