"""Step 03's page, one named section at a time.

Each function builds one section of :class:`~kit.ui.funding.view.FundingView`: it makes the
section's widgets, keeps on the view those the view redraws, links them to the model, and
returns the section. None of them computes a figure.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

import traitlets

from kit import funding
from kit.errors import KitError
from kit.labels import money, short_label
from kit.pages import tag
from kit.pages.guide import help_html
from kit.ui.funding.model import FIELD_RESPONDERS

if TYPE_CHECKING:
    import ipywidgets as widgets

    from kit.ui.funding.view import FundingView

#: The page's own table and note styles, scoped to step 03 so no other page changes.
STYLE: Final = """<style>
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
_STYLE: Final = {"description_width": "14em"}


def _layout() -> widgets.Layout:
    import ipywidgets as widgets

    return widgets.Layout(width="34em")


def _slider(description: str, css: str, **bounds: Any) -> widgets.FloatSlider:
    """A slider that sends its value when let go (never half way), with the page's style."""
    import ipywidgets as widgets

    return widgets.FloatSlider(
        description=description,
        continuous_update=False,
        style=_STYLE,
        layout=_layout(),
        **bounds,
    ).add_class(css)


def intro(view: FundingView) -> list[widgets.Widget]:
    """The page's styles, the note on step 02 and the messages."""
    import ipywidgets as widgets

    view.plan_note = widgets.HTML().add_class("kit-funding-plan-note")
    return [
        widgets.HTML(STYLE),
        view.plan_note,
        view.message_box(),
    ]


def assumptions(view: FundingView) -> widgets.Widget:
    """The scenario, the response target, travel, shifts, the officer cost, minutes per call."""
    import ipywidgets as widgets

    m = view.model
    scenario = widgets.Dropdown(description="Scenario", style=_STYLE, layout=_layout()).add_class(
        "kit-funding-scenario"
    )

    def names(_: Any = None) -> None:
        scenario.options = [s["name"] for s in m.scenarios]
        scenario.value = m.active if m.active in scenario.options else None

    m.observe(names, names=["scenarios"])
    names()
    widgets.link((m, "active"), (scenario, "value"))
    minutes = _slider(
        "Reach calls within (min)", "kit-funding-target-minutes", min=5, max=60, step=1,
        readout_format=".0f",
    )  # fmt: skip
    share = _slider(
        "Share reached in time", "kit-funding-target-share", min=0.5, max=0.99, step=0.01,
        readout_format=".0%",
    )  # fmt: skip
    travel = _slider(
        "Travel time (min)", "kit-funding-travel", min=0, max=30, step=1, readout_format=".0f"
    )
    shifts = widgets.ToggleButtons(
        description="Shift length (h)", options=[8, 10, 12], style=_STYLE
    ).add_class("kit-funding-shift")
    # The app shows the planning figure, not the note on the command line's own default.
    travel_help = widgets.HTML(tag("p", funding.TRAVEL_HELP.partition(" The command")[0]))
    officer_from = widgets.Dropdown(
        description="Officer cost from",
        options=[
            ("the budget table", "budget"),
            ("the default", "default"),
            ("entered", "entered"),
        ],
        style=_STYLE,
        layout=_layout(),
    ).add_class("kit-funding-officer-from")
    officer_cost = widgets.BoundedFloatText(
        description="Officer cost a year ($)", min=0, max=1e7, step=1000, style=_STYLE
    ).add_class("kit-funding-officer-cost")
    traitlets.dlink(
        (m, "officer_cost_from"), (officer_cost, "disabled"), lambda source: source != "entered"
    )
    # A number box shows no separators: the figure beside it does, in dollars.
    officer_amount = widgets.HTML(layout=widgets.Layout(margin="0 0 0 1em"))
    officer_amount.add_class("kit-funding-officer-amount")
    traitlets.dlink(
        (m, "officer_annual_cost"),
        (officer_amount, "value"),
        lambda cost: tag("span", f"{money(cost or 0)} a year"),
    )
    for trait, widget in (
        ("target_minutes", minutes),
        ("target_share", share),
        ("travel_minutes", travel),
        ("shift_hours", shifts),
        ("officer_cost_from", officer_from),
        ("officer_annual_cost", officer_cost),
    ):
        widgets.link((m, trait), (widget, "value"))
    return view.section(
        "Scenario and assumptions",
        scenario,
        minutes,
        share,
        travel,
        travel_help,
        shifts,
        officer_from,
        widgets.HBox([officer_cost, officer_amount]),
        widgets.HTML(help_html("funding.minutes")),
        *_service_times(view),
        css="kit-section-assumptions",
    )


def _service_times(view: FundingView) -> list[widgets.Widget]:
    """One box per field responder for its minutes per call (0: from the data)."""
    import ipywidgets as widgets

    m = view.model
    view.service = {}
    for responder in FIELD_RESPONDERS:
        field = widgets.BoundedFloatText(
            description=short_label(responder),
            min=0,
            max=24 * 60,
            step=5,
            value=float(m.minutes_per_call.get(responder, 0.0)),
            style={"description_width": "17em"},
            layout=widgets.Layout(width="27em"),
        ).add_class(f"kit-funding-minutes-{responder.replace('_', '-')}")

        def entered(change: dict[str, Any], responder: str = responder) -> None:
            with m.reporting("changing a service time"):
                m.set_minutes(responder, float(change["new"] or 0.0))

        field.observe(entered, names="value")
        view.service[responder] = field
    return list(view.service.values())


def coverage(view: FundingView) -> widgets.Widget:
    """The hours a responder covers in this scenario, in place of step 02's."""
    import ipywidgets as widgets

    m = view.model
    who = widgets.Dropdown(
        description="Responder",
        options=[(short_label(r), r) for r in (*FIELD_RESPONDERS, "online")],
        style=_STYLE,
        layout=_layout(),
    ).add_class("kit-funding-cover-who")
    around = widgets.Checkbox(value=True, description="Around the clock").add_class(
        "kit-funding-cover-247"
    )
    hours = widgets.IntRangeSlider(
        description="From / to (hour)",
        min=0,
        max=24,
        value=(10, 18),
        continuous_update=False,
        style=_STYLE,
        layout=_layout(),
    ).add_class("kit-funding-cover-hours")
    weekdays = widgets.Checkbox(value=False, description="Weekdays only").add_class(
        "kit-funding-cover-weekdays"
    )

    def cover() -> None:
        start, end = hours.value
        if not around.value and start == end:
            raise KitError("Choose covered hours: the start and end hour are the same.")
        days = range(5) if weekdays.value else range(7)
        m.set_coverage(
            who.value, None if around.value else funding.hours_between(start, end % 24, days)
        )

    def show(_: Any = None) -> None:
        form = funding.coverage_form(m.coverage_of(who.value))
        around.value = form is None
        if form is not None:
            hours.value, weekdays.value = (form[0], form[1]), form[2]

    who.observe(show, names="value")
    # Every recompute (a load, another scenario, coverage applied) shows what is in use.
    m.observe(show, names=["summary"])
    box = widgets.VBox(
        [
            widgets.HTML(help_html("funding.coverage")),
            who,
            around,
            hours,
            weekdays,
            view.control("Apply coverage", cover, css="kit-funding-cover-apply"),
        ]
    )
    return view.section("Coverage hours", box, css="kit-section-coverage")


def costs(view: FundingView) -> widgets.Widget:
    """The cost figures with their sources, folded away until wanted."""
    import ipywidgets as widgets

    view.cost_box = widgets.VBox().add_class("kit-funding-costs")
    inner = widgets.VBox(
        [
            widgets.HTML(help_html("funding.costs")),
            view.cost_box,
        ]
    )
    accordion = widgets.Accordion(children=[inner], selected_index=None)
    accordion.add_class("kit-section-costs")
    accordion.set_title(0, "Cost figures (team make-up, salaries, vehicles, training)")
    return accordion


def headline(view: FundingView) -> widgets.Widget:
    """What the scenario frees and costs, in a few sentences."""
    import ipywidgets as widgets

    view.headline = widgets.HTML().add_class("kit-funding-headline")
    return view.section(
        "What the scenario frees and costs",
        view.figures(view.headline, css="kit-funding-headline-figures"),
        css="kit-section-headline",
    )


def teams(view: FundingView) -> widgets.Widget:
    """Teams needed by hour of the week, and the team-hours behind the heat map."""
    import ipywidgets as widgets

    view.team_hours = widgets.HTML().add_class("kit-funding-team-hours")
    view.teams = widgets.HTML().add_class("kit-funding-teams")
    return view.section(
        "Teams by hour of the week",
        view.figures(view.team_hours, view.teams, css="kit-funding-teams-figures"),
        css="kit-section-teams",
    )


def by_area(view: FundingView) -> widgets.Widget:
    """Each area's hours freed beside its residents, far ones flagged."""
    import ipywidgets as widgets

    view.by_area = widgets.HTML().add_class("kit-funding-by-area")
    return view.section(
        "Hours freed by area",
        widgets.HTML(help_html("funding.by_area")),
        view.figures(view.by_area, css="kit-funding-by-area-figures"),
        css="kit-section-by-area",
    )


def comparison(view: FundingView) -> widgets.Widget:
    """Every scenario side by side, worked out on request."""
    import ipywidgets as widgets

    view.comparison = widgets.HTML().add_class("kit-funding-comparison")
    return view.section(
        "Scenarios side by side",
        widgets.HTML(help_html("funding.scenarios")),
        view.control(
            "Compare scenarios", view.model.compare, css="kit-funding-compare", needs_figures=True
        ),
        view.comparison,
        css="kit-section-comparison",
    )


def sensitivity(view: FundingView) -> widgets.Widget:
    """How the net effect moves with each assumption, worked out on request."""
    import ipywidgets as widgets

    view.tornado = widgets.HTML().add_class("kit-funding-tornado")
    return view.section(
        "How sure are these figures?",
        view.control(
            "Show sensitivity",
            view.model.run_sensitivity,
            css="kit-funding-sensitivity",
            needs_figures=True,
        ),
        view.tornado,
        css="kit-section-sensitivity",
    )


def reverse(view: FundingView) -> widgets.Widget:
    """What must move to keep service with a smaller police budget."""
    import ipywidgets as widgets

    m = view.model
    view.reverse = widgets.HTML().add_class("kit-funding-reverse")
    cut = widgets.FloatSlider(
        description="Police budget smaller by",
        min=0.01,
        max=0.3,
        step=0.01,
        continuous_update=False,
        style=_STYLE,
        layout=_layout(),
        readout_format=".0%",
    ).add_class("kit-funding-cut")
    widgets.link((m, "budget_cut"), (cut, "value"))
    return view.section(
        "Keeping service with a smaller police budget",
        cut,
        view.control(
            "Work it out", m.run_reverse, css="kit-funding-reverse-run", needs_figures=True
        ),
        view.reverse,
        css="kit-section-reverse",
    )


def sources(view: FundingView) -> widgets.Widget:
    """The kinds of money to look for, the money entered, and the gap year by year."""
    import ipywidgets as widgets

    m = view.model
    view.checklist = widgets.HTML().add_class("kit-funding-checklist-box")
    view.sources = widgets.HTML().add_class("kit-funding-sources")
    view.gap = widgets.HTML().add_class("kit-funding-gap")
    checklist = funding.funding_checklist()
    kind = widgets.Dropdown(
        description="Kind",
        options=list(zip(checklist["label"], checklist["kind"], strict=True)),
        style=_STYLE,
        layout=_layout(),
    ).add_class("kit-funding-source-kind")
    # Sent whole when the field is left, so a quick click on Add never sees half a name.
    name = widgets.Text(description="Name", style=_STYLE, continuous_update=False)
    name.add_class("kit-funding-source-name")
    year = widgets.BoundedIntText(description="Fiscal year", min=2000, max=2100, style=_STYLE)
    year.add_class("kit-funding-source-year")
    year.value = (m.years or m.default_years())[0]
    amount = widgets.BoundedFloatText(
        description="Amount ($)", min=0, max=1e10, step=1000, style=_STYLE
    ).add_class("kit-funding-source-amount")
    status = widgets.Dropdown(
        description="Status",
        options=funding.load_template("sources.json")["statuses"],
        style=_STYLE,
    ).add_class("kit-funding-source-status")
    start = widgets.DatePicker(description="Money from", style=_STYLE)
    start.add_class("kit-funding-source-start")
    end = widgets.DatePicker(description="Money until", style=_STYLE)
    end.add_class("kit-funding-source-end")

    def add() -> None:
        m.add_source(
            kind=kind.value,
            name=name.value.strip()[:80],
            year=year.value,
            amount=amount.value,
            status=status.value,
            start=start.value,
            end=end.value,
        )

    return view.section(
        "Funding sources",
        widgets.HTML(help_html("funding.sources")),
        view.checklist,
        kind,
        name,
        year,
        amount,
        status,
        start,
        end,
        view.control("Add", add, css="kit-funding-source-add"),
        view.sources,
        _remove_row(view),
        widgets.HTML(help_html("funding.gap")),
        view.gap,
        css="kit-section-sources",
    )


def _remove_row(view: FundingView) -> widgets.Widget:
    """A list of the sources entered and a button that removes the one chosen."""
    import ipywidgets as widgets

    view.remove_choice = widgets.Dropdown(
        description="Source", style=_STYLE, layout=_layout()
    ).add_class("kit-funding-source-pick")

    def remove() -> None:
        if view.remove_choice.value is None:
            raise KitError("Choose the funding source to remove.")
        view.model.remove_source(int(view.remove_choice.value))

    view.remove_row = widgets.HBox(
        [view.remove_choice, view.control("Remove", remove, css="kit-funding-source-remove")]
    )
    return view.remove_row


def save_and_print(view: FundingView) -> widgets.Widget:
    """Save the decision; make the whole step a page to print."""
    import ipywidgets as widgets

    view.print_link = widgets.HTML().add_class("kit-funding-print-box")
    return widgets.HBox(
        [
            view.control("Save", view.model.save, css="kit-save", needs_figures=True),
            view.control(
                "Make a page to print", view.make_page, css="kit-funding-print", needs_figures=True
            ),
            view.print_link,
        ]
    )
