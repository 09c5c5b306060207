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

import html
import math
from datetime import date
from typing import TYPE_CHECKING, Any

import traitlets

from kit import funding
from kit.equity import DEFAULT_THRESHOLD_PP
from kit.errors import KitError
from kit.labels import WEEKDAYS, money, short_label
from kit.printable import calls_a_year, download_link, file_name, page
from kit.ui.base import StepApp, StepModel, StepView, launch

if TYPE_CHECKING:
    import altair as alt
    import pandas as pd

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

    def forget(self) -> None:
        """Calls, step 02's plan or the budget changed elsewhere: read and work them out again."""
        self._inputs = None
        self._evaluation = None
        self._area_key = None
        self.comparison = []
        self.tornado = []
        self.reverse = {}

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
        with self.hold_trait_notifications():
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
            # Otherwise the field keeps showing the cost in use, which :meth:`recompute` sets:
            # blanking it here would race the recompute that other held changes trigger.
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
        today = date.today()
        start = int(getattr(self.workspace.profile, "fiscal_year_start", 1) or 1)
        current = today.year + (1 if start > 1 and today.month >= start else 0)
        return [current + 1, current + 2, current + 3]

    def settings(self) -> funding.Settings:
        """The step 03 settings the traits stand for."""
        return funding.settings_from_document(
            {"schema_version": funding.SCHEMA_VERSION, **self.state_to_document()}, self.inputs
        )

    # ----------------------------------------------------------------- figures

    def recompute(self) -> None:
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
            areas = funding.freed_by_area(
                result, self.workspace.profile.areas, threshold_pp=self.threshold_pp
            )
            self.by_area = [
                {k: (None if isinstance(v, float) and v != v else v) for k, v in row.items()}
                for row in areas.to_dict("records")
            ]
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
        sources = [funding.FundingSource.from_dict(s) for s in self.funding_sources]
        frame = funding.funding_gap(
            sources,
            self.summary["service_cost"],
            self.years or self.default_years(),
            start_up_cost=self.summary["start_up_cost"],
            fiscal_year_start_month=self.inputs.fiscal_year_start,
        )
        self.gap = frame.to_dict("records")

    def compare(self) -> None:
        """Every scenario side by side."""
        doc = {"schema_version": funding.SCHEMA_VERSION, **self.state_to_document()}
        frame = funding.compare_scenarios(self.inputs, doc, self.settings())
        self.comparison = frame.to_dict("records")

    def run_sensitivity(self) -> None:
        """Net effect at the ends of each assumption's range, for the scenario shown."""
        if self._evaluation is None:
            self.recompute()
        assert self._evaluation is not None
        frame = funding.sensitivity(self.inputs.cube, self._evaluation.plan, self.settings())
        self.tornado = frame.to_dict("records")

    def has_police_budget(self) -> bool:
        """Whether the budget table gives a police budget (the reverse scenario needs one)."""
        year = self.inputs.latest_budget_year()
        return year is not None and year.get("total", 0) > 0

    def police_budget(self) -> float:
        """The latest fiscal year's police budget from the budget table."""
        if not self.has_police_budget():
            raise KitError(
                "The reverse scenario needs the police budget: import the budget table "
                "(templates/budget_template.csv) in step 00."
            )
        return float(self.inputs.latest_budget_year()["total"])

    def run_reverse(self) -> None:
        """What must move, with what staffing, to keep service with a smaller police budget."""
        result = funding.reverse_scenario(
            self.inputs.cube,
            self.inputs.roles,
            self.settings(),
            budget_cut=self.budget_cut,
            police_budget=self.police_budget(),
        )
        self.reverse = result.summary()

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
            names = [s["name"] for s in self.scenarios]
            if parameters["scenario"] not in names:
                raise KitError(
                    f"There is no scenario named {parameters['scenario']!r}; "
                    f"choose one of: {', '.join(names)}."
                )
            self.active = str(parameters["scenario"])
        for key in ("target_minutes", "target_share", "travel_minutes", "budget_cut"):
            if parameters.get(key):
                setattr(self, key, float(parameters[key]))
        if parameters.get("shift_hours"):
            self.shift_hours = int(parameters["shift_hours"])

    def run(self) -> None:
        """Everything the page shows, computed without a person (papermill)."""
        self.recompute()
        self.compare()
        self.run_sensitivity()
        if self.has_police_budget():
            self.run_reverse()

    def complete(self) -> None:
        """Work out what the page leaves to a button, so that a page to print lacks nothing."""
        if not self.comparison:
            self.compare()
        if not self.tornado:
            self.run_sensitivity()
        if not self.reverse and self.has_police_budget():
            self.run_reverse()


# --------------------------------------------------------------------- charts


def teams_frame(summary: dict[str, Any]) -> pd.DataFrame:
    """Teams needed by weekday and hour for each field responder (168 rows each)."""
    import pandas as pd

    rows = [
        {
            "responder": short_label(name),
            "weekday": WEEKDAYS[h // 24],
            "hour": h % 24,
            "teams": int(t),
        }
        for name, r in summary.get("responders", {}).items()
        for h, t in enumerate(r["teams_by_hour"])
    ]
    return pd.DataFrame(rows, columns=["responder", "weekday", "hour", "teams"])


def teams_chart(frame: pd.DataFrame) -> alt.FacetChart:
    """A heat map of teams needed by hour and weekday, one row per responder."""
    import altair as alt

    return (
        alt.Chart(frame)
        .mark_rect()
        .encode(
            x=alt.X("hour:O", title="Hour of day"),
            y=alt.Y("weekday:O", sort=list(WEEKDAYS), title=None),
            color=alt.Color("teams:O", title="Teams on duty", scale=alt.Scale(scheme="greens")),
            tooltip=["responder:N", "weekday:O", "hour:O", "teams:Q"],
        )
        .properties(width=480, height=150)
        .facet(row=alt.Row("responder:N", title=None, sort=list(frame["responder"].unique())))
        .properties(title="Teams needed on duty, by hour of the week")
    )


def tornado_chart(rows: list[dict[str, Any]]) -> alt.Chart:
    """Tornado: the net effect if hours are redeployed, at each end of each assumption."""
    import altair as alt
    import pandas as pd

    frame = pd.DataFrame(
        [
            {"assumption": r["label"], "end": end, "net": r[f"{end}_net_if_redeployed"]}
            for r in rows
            for end in ("low", "high")
        ]
    )
    order = [r["label"] for r in rows]
    base = rows[0]["base_net_if_redeployed"] if rows else 0.0
    bars = (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            y=alt.Y("assumption:N", sort=order, title=None),
            x=alt.X("net:Q", title="Net effect a year if hours are redeployed ($)"),
            x2=alt.datum(base),
            color=alt.Color("end:N", title="End of range"),
            tooltip=["assumption:N", "end:N", alt.Tooltip("net:Q", format=",.0f")],
        )
    )
    rule = alt.Chart(pd.DataFrame({"net": [base]})).mark_rule().encode(x="net:Q")
    return (bars + rule).properties(width=480, height=alt.Step(24), title="Sensitivity")


# --------------------------------------------------------------------- view


def _table(rows: list[dict[str, Any]], columns: list[tuple[str, str, str]]) -> str:
    """An HTML table; every cell is escaped. ``columns``: (key, heading, kind)."""

    def cell(value: Any, kind: str) -> str:
        if kind == "money":
            text = money(float(value))
        elif kind == "number":
            text = f"{float(value):,.1f}"
        elif kind == "count":
            text = f"{float(value):,.0f}"
        else:
            return f"<td>{html.escape(str(value))}</td>"
        return f'<td class="kit-num">{html.escape(text)}</td>'

    head = "".join(
        (
            f"<th>{html.escape(h)}</th>"
            if kind == "text"
            else f'<th class="kit-num">{html.escape(h)}</th>'
        )
        for _, h, kind in columns
    )
    body = "".join(
        "<tr>" + "".join(cell(r[k], kind) for k, _, kind in columns) + "</tr>" for r in rows
    )
    return f'<table class="kit-table"><tr>{head}</tr>{body}</table>'


def headline_html(summary: dict[str, Any]) -> str:
    """The scenario's figures in a few plain sentences (escaped)."""
    if not summary:
        return ""
    s = summary
    lines = [
        f"Officer hours freed a year: {s['hours_freed']:,.0f}, about "
        f"{s['fte_freed']:.1f} full-time officers.",
        f"Worth {money(s['value_of_hours'])} a year if redeployed to other police work; "
        f"{money(s['budget_released'])} released if {s['positions_not_refilled']} positions "
        "are left unfilled.",
        f"The new service costs {money(s['service_cost'])} a year and "
        f"{money(s['start_up_cost'])} to start.",
        f"Net effect a year: {money(s['net_if_redeployed'])} if the hours are redeployed, "
        f"{money(s['net_if_not_refilled'])} if positions are left unfilled.",
    ]
    if s.get("responders"):
        lines.append(
            f"Headcounts count leave, training and sickness: each person is on duty about "
            f"{s['on_duty_hours_per_person']:,.0f} hours a year, so a post staffed around the "
            f"clock takes {s['people_per_post_around_the_clock']:.1f} people."
        )
    for name, r in s.get("responders", {}).items():
        lines.append(
            f"{short_label(name)}: up to {r['teams_at_peak']} teams on duty, "
            f"{r['shifts_per_week']} shifts a week, {r['headcount']:.1f} people, "
            f"{money(r['cost_per_year'])} a year ({calls_a_year(r['calls_per_year'])}, "
            f"{r['minutes_per_call']:.0f} minutes each). {r['shift_plan_note']}".strip()
        )
    if s.get("fleet"):
        lines.append(s["fleet"])
    return "".join(f"<p>{html.escape(line)}</p>" for line in lines)


def plan_note_html(roles_saved: bool) -> str:
    """What a first visit needs to know when step 02 has no saved plan ('' when it has)."""
    if roles_saved:
        return ""
    return (
        '<div class="kit-funding-note">No plan is saved in step 02 yet, so this page starts '
        "from the two shipped examples together (<i>Both together</i>): civilian reports and "
        "alarms, and a crisis team. The <i>Step 02 plan</i> scenario frees nothing until a "
        "plan is saved in step 02.</div>"
    )


def checklist_html(sources: list[dict[str, Any]]) -> str:
    """The checklist of kinds of funding, each with what has been entered for it (escaped)."""
    checklist = funding.funding_checklist()
    rows = []
    for item in checklist.to_dict("records"):
        entered = [s for s in sources if s["kind"] == item["kind"]]
        total = sum(float(a) for s in entered for a in s["amounts"].values())
        status = ", ".join(sorted({s["status"] for s in entered}))
        rows.append(
            "<tr>"
            f"<td><b>{html.escape(item['label'])}</b></td>"
            f"<td>{html.escape(item['note'])}"
            f'<div class="kit-funding-source-note">Source: {html.escape(item["source"])}</div>'
            "</td>"
            f'<td class="kit-num">{html.escape(money(total) if entered else "none yet")}</td>'
            f"<td>{html.escape(status)}</td>"
            "</tr>"
        )
    head = (
        '<tr><th>Kind of funding</th><th>What it is</th><th class="kit-num">Entered</th>'
        "<th>Status</th></tr>"
    )
    return f'<table class="kit-table kit-funding-checklist">{head}{"".join(rows)}</table>'


def team_hours_html(summary: dict[str, Any]) -> str:
    """Each field responder's team-hours a week and peak, the totals behind the heat map."""
    lines = [
        f"{short_label(name)}: {sum(r['teams_by_hour']):,.0f} team-hours a week, "
        f"up to {r['teams_at_peak']} teams at once."
        for name, r in summary.get("responders", {}).items()
    ]
    return "".join(f"<p>{html.escape(line)}</p>" for line in lines)


def by_area_html(by_area: list[dict[str, Any]]) -> str:
    """Officer hours and hours freed per area, beside the citywide share and demographics."""
    rows = [
        {
            **r,
            "share_pct": "" if r.get("share") is None else f"{100 * r['share']:.1f}%",
            "difference": (
                ""
                if r.get("difference_pp") is None
                else f"{r['difference_pp']:+.1f} points" + (" (flagged)" if r["flagged"] else "")
            ),
            "colour": (
                ""
                if r.get("share_residents_of_color") is None
                else f"{100 * r['share_residents_of_color']:.0f}%"
            ),
        }
        for r in by_area
    ]
    return _table(
        rows,
        [
            ("area", "Area", "text"),
            ("officer_hours", "Officer hours a year", "count"),
            ("hours_freed", "Hours freed a year", "count"),
            ("share_pct", "Share freed", "text"),
            ("difference", "Against citywide", "text"),
            ("colour", "Residents of colour", "text"),
        ],
    )


def comparison_html(
    comparison: list[dict[str, Any]], scenarios: list[dict[str, Any]], roles_saved: bool
) -> str:
    """The scenarios side by side, or what to press to work them out."""
    if not comparison:
        return (
            "<p>Press <b>Compare scenarios</b> to work out every scenario with the "
            "assumptions above.</p>"
        )
    unsaved = set() if roles_saved else {s["name"] for s in scenarios if s.get("use_saved_roles")}
    rows = [
        {**r, "scenario": f"{r['scenario']} (none saved yet)"} if r["scenario"] in unsaved else r
        for r in comparison
    ]
    return _table(
        rows,
        [
            ("scenario", "Scenario", "text"),
            ("hours_freed", "Officer hours freed a year", "count"),
            ("fte_freed", "Officers' worth", "number"),
            ("teams_at_peak", "Teams at peak", "count"),
            ("headcount", "Headcount", "number"),
            ("service_cost", "Service cost a year", "money"),
            ("net_if_redeployed", "Net if redeployed", "money"),
            ("net_if_not_refilled", "Net if not refilled", "money"),
        ],
    )


def tornado_html(rows: list[dict[str, Any]]) -> str:
    """The tornado chart and its ranges, or what to press to work them out."""
    from kit import charts

    if not rows:
        return (
            "<p>Press <b>Show sensitivity</b> to see how the net effect moves with each "
            "assumption, for the scenario and assumptions above.</p>"
        )
    return charts.to_svg(tornado_chart(rows)) + _table(
        rows,
        [
            ("label", "Assumption", "text"),
            ("range", "Range", "text"),
            ("low_net_if_redeployed", "Net at low end", "money"),
            ("high_net_if_redeployed", "Net at high end", "money"),
        ],
    )


def reverse_html(r: dict[str, Any]) -> str:
    """What must move to keep service with a smaller police budget, or what to press."""
    if not r:
        return (
            "<p>Press <b>Work it out</b> to see which calls must move, and what the new "
            "service costs, to keep service with this smaller police budget (it needs the "
            "budget table).</p>"
        )
    text = (
        f"A {100 * r['budget_cut']:g}% smaller police budget removes "
        f"{money(r['budget_cut_amount'])} a year, about {r['positions_cut']:.1f} positions and "
        f"{r['hours_needed']:,.0f} officer hours a year. The moves below free "
        f"{r['hours_freed']:,.0f}. {r['verdict']}"
    )
    moved = [
        {
            "call_type": f"{m['call_type']} {m['call_type_desc'] or ''}".strip(),
            "to": ", ".join(f"{short_label(k)} {v:.0%}" for k, v in m["split"].items()),
            "hours_freed": m["hours_freed"],
        }
        for m in r["moved"]
    ]
    return f"<p>{html.escape(text)}</p>" + _table(
        moved,
        [
            ("call_type", "Call type", "text"),
            ("to", "Goes to", "text"),
            ("hours_freed", "Officer hours freed a year", "count"),
        ],
    )


def sources_html(sources: list[dict[str, Any]]) -> str:
    """The funding sources entered, one row each (escaped)."""
    if not sources:
        return "<p>No funding sources entered yet.</p>"
    checklist = funding.funding_checklist()
    labels = dict(zip(checklist["kind"], checklist["label"], strict=True))
    rows = [
        {
            "name": s["name"],
            "kind": labels.get(s["kind"], s["kind"]),
            "status": s["status"],
            "amounts": ", ".join(f"{y}: {money(a)}" for y, a in s["amounts"].items()),
            "dates": " to ".join(d for d in (s.get("start"), s.get("end")) if d) or "",
        }
        for s in sources
    ]
    return _table(
        rows,
        [
            ("name", "Source", "text"),
            ("kind", "Kind", "text"),
            ("status", "Status", "text"),
            ("amounts", "Amounts", "text"),
            ("dates", "Dates", "text"),
        ],
    )


def gap_html(gap: list[dict[str, Any]]) -> str:
    """The service's cost against the money secured and hoped for, year by year."""
    rows = [{**row, "arpa": "yes" if row["arpa_enhanced_match_possible"] else "no"} for row in gap]
    return _table(
        rows,
        [
            ("year", "Fiscal year", "text"),
            ("cost", "Cost", "money"),
            ("secured", "Secured", "money"),
            ("pending", "Applied for or hoped", "money"),
            ("gap", "Gap", "money"),
            ("gap_if_pending_arrives", "Gap if all arrives", "money"),
            ("arpa", "ARPA 85% Medicaid match window", "text"),
        ],
    )


def summary_html(model: FundingModel) -> str:
    """Step 03's figures as one HTML part: what the scenario frees and costs, the staffing it
    needs, how sure the figures are, and who pays. Sections not yet worked out are left out."""
    from kit import charts

    summary = model.summary
    frame = teams_frame(summary)
    assumptions = (
        f"Scenario: {model.active}. Calls reached within {model.target_minutes:.0f} minutes "
        f"(travel {model.travel_minutes:.0f} minutes included) for {model.target_share:.0%} of "
        f"calls; {model.shift_hours}-hour shifts."
    )
    parts = [
        "<h1>Funding an alternative response</h1>",
        f"<p>{html.escape(assumptions)}</p>",
        "<h2>What the scenario frees and costs</h2>",
        headline_html(summary),
        "<h2>Teams by hour of the week</h2>",
        team_hours_html(summary),
        charts.to_svg(teams_chart(frame)) if len(frame) else "",
        "<h2>Hours freed by area</h2>",
        by_area_html(model.by_area),
    ]
    if model.comparison:
        parts += [
            "<h2>Scenarios side by side</h2>",
            comparison_html(model.comparison, model.scenarios, model.inputs.roles_saved),
        ]
    if model.tornado:
        parts += ["<h2>How sure are these figures?</h2>", tornado_html(model.tornado)]
    if model.reverse:
        parts += [
            "<h2>Keeping service with a smaller police budget</h2>",
            reverse_html(model.reverse),
        ]
    parts += [
        "<h2>Funding sources</h2>",
        sources_html(model.funding_sources),
        "<h2>The gap, year by year</h2>",
        gap_html(model.gap),
    ]
    return "\n".join(parts)


def summary_page(model: FundingModel, *, printed: date) -> str:
    """:func:`summary_html` as a whole page to print, naming the jurisdiction and the day."""
    name = model.workspace.profile.name
    return page(
        f"Funding: {name}",
        summary_html(model),
        context=f"{name}: step 03, identify funding. Printed {printed.isoformat()}.",
    )


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

        def changed(change: dict[str, Any]) -> None:
            if change["name"] == "officer_annual_cost" and m.officer_cost_from != "entered":
                return  # the model is showing the cost in use, not taking a new one
            if isinstance(change["old"], float) and math.isclose(change["old"], change["new"]):
                return  # a slider sent the value back with float rounding: nothing changed
            with m.reporting("recomputing the scenario"):
                m.recompute()
            forget_worked_out()

        def forget_worked_out(_: Any = None) -> None:
            """Drop side-by-side, sensitivity and reverse figures worked out under other
            assumptions, so the page never shows them beside figures they do not match."""
            m.comparison = []
            m.tornado = []
            m.reverse = {}

        m.observe(changed, names=list(ASSUMPTIONS))
        m.observe(forget_worked_out, names=["budget_cut"])
        m.observe(lambda _: self._show_summary(), names=["summary"])
        m.observe(lambda _: self._show_comparison(), names=["comparison"])
        m.observe(lambda _: self._show_tornado(), names=["tornado"])
        m.observe(lambda _: self._show_reverse(), names=["reverse"])
        m.observe(lambda _: self._show_sources(), names=["funding_sources", "gap"])

        service = []
        for responder in FIELD_RESPONDERS:
            field = w.BoundedFloatText(
                description=short_label(responder),
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
            options=[(short_label(r), r) for r in (*FIELD_RESPONDERS, "online")],
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
            heading = w.HTML(f"<h3>{html.escape(title)}</h3>")
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
                    w.HTML(f"<p>{html.escape(funding.TRAVEL_HELP)}</p>"),
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
        self._print_link.value = download_link(
            summary_page(m, printed=date.today()),
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
        if m.comparison and m.tornado:
            m.recompute()
        else:
            m.run()
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

        charts.to_svg(teams_chart(teams_frame({"responders": {}})))

    def _show_summary(self) -> None:
        from kit import charts

        summary = self.model.summary
        self._headline.value = headline_html(summary)
        self._team_hours.value = team_hours_html(summary)
        frame = teams_frame(summary)
        self._teams.value = (
            charts.to_svg(teams_chart(frame))
            if len(frame)
            else "<p>This scenario sends no calls to a field responder.</p>"
        )

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
            note = w.HTML(f"<small>{html.escape(figure['source'])}</small>")
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
        report=summary_html,
    )
