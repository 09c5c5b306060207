"""The parts of step 04's page: the pilot, its design, its power, the plan and the catalog.

A function per part of :class:`~kit.ui.pilot.view.PilotView` makes the widgets, links the
inputs to the model and leaves on the view the outputs it redraws; figures come from the model.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any, Final

import traitlets

from kit.labels import RESPONDER_LABELS
from kit.pages import tag
from kit.pages.guide import help_html
from kit.pilot.definition import MAX_WEEKS, hours_text
from kit.pilot.designs import DESIGNS, design_texts
from kit.pilot.practices import catalog
from kit.roles import ALTERNATIVES
from kit.taxonomy import FAMILY_LABELS

if TYPE_CHECKING:
    import ipywidgets as widgets

    from kit.ui.pilot.view import PilotView

#: The page's own table and note styles, scoped to step 04 so no other page changes.
STYLE: Final = """<style>
.kit-step-04 .kit-table {border-collapse:collapse; margin:0.4em 0 1em; font-size:13px}
.kit-step-04 .kit-table th, .kit-step-04 .kit-table td {padding:4px 12px; text-align:left;
  vertical-align:top; border-bottom:1px solid #e0e0e0; line-height:1.4}
.kit-step-04 .kit-table th {background:#f2f4f5; border-bottom:2px solid #b8bec2}
.kit-step-04 .kit-table .kit-num {text-align:right; font-variant-numeric:tabular-nums}
.kit-step-04 .kit-pilot-not-confident {background:#fff8e1; border-left:4px solid #f0b400;
  padding:6px 12px}
.kit-step-04 .kit-pilot-example {background:#fff8e1; border-left:4px solid #f0b400;
  padding:6px 12px}
.kit-step-04 .kit-pilot-mde-line {font-size:16px; font-weight:bold}
.kit-step-04 .kit-pilot-practice {border-top:1px solid #d0d4d7; margin-top:0.6em}
.kit-step-04 .kit-pilot-plan-links a {margin-right:1.5em}
</style>"""
_STYLE: Final = {"description_width": "12em"}


def _layout(width: str = "40em") -> widgets.Layout:
    import ipywidgets as widgets

    return widgets.Layout(width=width)


def _dropdown(description: str, css: str, options: list[tuple[str, Any]]) -> widgets.Dropdown:
    """A list to choose one from, in the page's style."""
    import ipywidgets as widgets

    return widgets.Dropdown(
        description=description, options=options, style=_STYLE, layout=_layout()
    ).add_class(css)


def _wide(row: widgets.HBox) -> widgets.HBox:
    """A control whose button is as wide as its label."""
    row.button.layout.width = "auto"
    return row


def _hour(hour: int) -> str:
    return f"{hour % 24:02d}:00" if hour < 24 else "24:00"


def intro(view: PilotView) -> list[widgets.Widget]:
    """The page's styles and the messages no control claims."""
    import ipywidgets as widgets

    return [widgets.HTML(STYLE), view.message_box()]


def pilot(view: PilotView) -> widgets.Widget:
    """What the pilot tries: call types, responder, areas, hours, start and length."""
    import ipywidgets as widgets

    m = view.model
    types = widgets.SelectMultiple(
        description="Call types", rows=8, style=_STYLE, layout=_layout("48em")
    ).add_class("kit-pilot-types")
    view.types = types
    responder = _dropdown(
        "Responder", "kit-pilot-responder", [(RESPONDER_LABELS[r], r) for r in ALTERNATIVES]
    )
    widgets.link((m, "responder"), (responder, "value"))
    areas = widgets.SelectMultiple(
        description="Pilot areas",
        options=m.workspace.profile.area_names,
        rows=min(8, max(len(m.workspace.profile.area_names), 2)),
        style=_STYLE,
        layout=_layout(),
    ).add_class("kit-pilot-areas")
    widgets.link((m, "areas"), (areas, "value"))
    start = widgets.DatePicker(description="Starts on", style=_STYLE).add_class("kit-pilot-start")
    traitlets.link((m, "start"), (start, "value"), transform=(date.fromisoformat, _iso))
    weeks = widgets.BoundedIntText(
        min=4, max=MAX_WEEKS, description="Weeks", style=_STYLE
    ).add_class("kit-pilot-weeks")
    widgets.link((m, "weeks"), (weeks, "value"))
    return view.section(
        "The pilot",
        widgets.HTML(help_html("pilot.what")),
        _from_example(view),
        types,
        responder,
        areas,
        _hours(view),
        start,
        weeks,
        css="kit-section-pilot",
    )


def _from_example(view: PilotView) -> widgets.HTML:
    """Says the pilot starts from the kit's example while no saved plan of step 02's moves
    calls, and goes once the pilot is saved."""
    import ipywidgets as widgets

    note = widgets.HTML().add_class("kit-pilot-origin")

    def show(_: Any = None) -> None:
        note.value = help_html("pilot.from_example") if view.model.origin == "example" else ""

    view.model.observe(show, names="origin")
    show()
    return note


def _iso(value: date | None) -> str:
    """A date picker's value as the model keeps it; an emptied picker keeps today."""
    return (value or date.today()).isoformat()


def _hours(view: PilotView) -> widgets.Widget:
    """The responder's hours as one span, across midnight when it ends before it starts."""
    import ipywidgets as widgets

    m = view.model
    first = widgets.Dropdown(
        description="Hours from", options=[(_hour(h), h) for h in range(24)], style=_STYLE
    ).add_class("kit-pilot-hours-from")
    until = widgets.Dropdown(
        description="until", options=[(_hour(h), h) for h in range(1, 25)],
        layout=_layout("10em"), style={"description_width": "3em"},
    ).add_class("kit-pilot-hours-until")  # fmt: skip
    readout = widgets.HTML().add_class("kit-pilot-hours-text")
    busy = [False]

    def from_model(_: Any = None) -> None:
        busy[0] = True
        first.value, until.value = m.hours_span()
        busy[0] = False
        readout.value = tag("p", hours_text(m.hours)) if m.hours else ""

    def to_model(_: Any = None) -> None:
        if not busy[0]:
            m.set_hours_span(first.value, until.value)

    m.observe(from_model, names=["hours"])
    first.observe(to_model, names="value")
    until.observe(to_model, names="value")
    from_model()
    return widgets.HBox([first, until, readout])


def design(view: PilotView) -> widgets.Widget:
    """The design: recommended or chosen, whether shifts may be drawn, and the kit's reason."""
    import ipywidgets as widgets

    m = view.model
    names = design_texts()
    choice = _dropdown(
        "Design",
        "kit-pilot-design",
        [("The one the kit recommends", None), *((names[d].name, d) for d in DESIGNS)],
    )
    widgets.link((m, "design"), (choice, "value"))
    draw = widgets.Checkbox(
        description="The responder's days or shifts can be drawn at random",
        layout=_layout(),
        indent=False,
    ).add_class("kit-pilot-can-randomise")
    widgets.link((m, "can_randomise"), (draw, "value"))
    together = widgets.BoundedIntText(
        min=0,
        max=999,
        description="Pilot areas that can start together (0: all)",
        style={"description_width": "initial"},
        layout=_layout(),
    ).add_class("kit-pilot-start-at-once")
    widgets.link((m, "start_at_once"), (together, "value"))
    view.design_note = widgets.HTML().add_class("kit-pilot-design-note")
    return view.section(
        "How the pilot is evaluated",
        choice,
        draw,
        together,
        view.design_note,
        css="kit-section-pilot-design",
    )


def power(view: PilotView) -> widgets.Widget:
    """The detectable effect per metric, the refinement's progress and the chart."""
    import ipywidgets as widgets

    view.progress = widgets.FloatProgress(
        min=0.0, max=1.0, description="Refining", style=_STYLE, layout=_layout()
    ).add_class("kit-pilot-progress")
    traitlets.dlink((view.model, "progress"), (view.progress, "value"))
    view.answer = widgets.HTML().add_class("kit-pilot-mde")
    view.chart = widgets.HTML().add_class("kit-pilot-chart")
    return view.section(
        "What the pilot could detect",
        view.figures(view.progress, view.answer, view.chart, css="kit-pilot-power"),
        css="kit-section-pilot-power",
    )


def save(view: PilotView) -> widgets.Widget:
    """Save the pilot with its power figures; the outcome shows beside the button."""
    return view.control("Save this pilot", view.keep, css="kit-save", needs_figures=True)


def evaluation_plan(view: PilotView) -> widgets.Widget:
    """The saved pilot's evaluation plan, to download as a page and as JSON."""
    import ipywidgets as widgets

    view.plan_links = widgets.HTML().add_class("kit-pilot-plan-links")
    return view.section(
        "Evaluation plan",
        widgets.HTML(help_html("pilot.plan")),
        _wide(view.control("Prepare the evaluation plan", view.make_plan, css="kit-pilot-plan")),
        view.plan_links,
        css="kit-section-pilot-plan",
    )


def practices(view: PilotView) -> widgets.Widget:
    """The practices catalog: a family filter, each programme's sourced facts, and a start."""
    import ipywidgets as widgets

    families = sorted({f for p in catalog() for f in p.families}, key=FAMILY_LABELS.get)
    view.family = _dropdown(
        "Calls of",
        "kit-pilot-family",
        [("every family", ""), *((FAMILY_LABELS[f], f) for f in families)],
    )
    view.practice_list = widgets.HTML().add_class("kit-pilot-practices")
    view.programme = _dropdown("Programme", "kit-pilot-programme", [])
    for choice in (view.family, view.programme):
        choice.observe(lambda _: view.show_practices(), names="value")
    return view.section(
        "Programmes elsewhere",
        widgets.HTML(help_html("pilot.catalog")),
        view.family,
        view.programme,
        _wide(
            view.control("Start from this programme", view.start_from, css="kit-pilot-start-from")
        ),
        view.practice_list,
        css="kit-section-pilot-practices",
    )
