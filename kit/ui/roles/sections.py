"""Step 02's page, one named section at a time.

Each function builds one section of :class:`~kit.ui.roles.view.RolesView`: it makes the
section's widgets, keeps on the view those the view redraws, links them to the model, and
returns the section. None of them computes a figure.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

from kit.labels import RESPONDER_SHORT_LABELS
from kit.pages import render, tag
from kit.pages.guide import help_html
from kit.roles import ALTERNATIVES, RESPONDER_LABELS
from kit.roles.assignments import PRODUCTIVE_HOURS_SOURCE
from kit.roles.presets import describe, preset_ids
from kit.taxonomy import FAMILIES, FAMILY_LABELS
from kit.ui.roles.model import SORTS

if TYPE_CHECKING:
    import ipywidgets as widgets

    from kit.ui.roles.view import RolesView

STYLE: Final = """<style>
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


def intro() -> widgets.Widget:
    """The words the step's figures turn on, with the page's styles."""
    import ipywidgets as widgets

    return widgets.HTML(STYLE + str(help_html("roles.intro"))).add_class("kit-help")


def presets(view: RolesView) -> widgets.Widget:
    """A preset to start from, what it is and where it comes from, and a button to apply it."""
    import ipywidgets as widgets

    m = view.model
    view.preset = widgets.Dropdown(
        options=[(describe(p)["title"], p) for p in preset_ids()],
        value=m.preset if m.preset in preset_ids() else "none",
        description="Preset",
        layout=widgets.Layout(width="28em"),
    ).add_class("kit-roles-preset")
    note = widgets.HTML().add_class("kit-note")

    def show(_: Any = None) -> None:
        note.value = render("roles/preset_note.html", info=describe(view.preset.value))

    view.preset.observe(show, names="value")
    show()
    apply = view.control(
        "Apply preset", lambda: m.use_preset(view.preset.value), css="kit-roles-apply"
    )
    return view.section(
        "Start from a preset", widgets.HBox([view.preset, apply]), note, css="kit-roles-presets"
    )


def figures(view: RolesView) -> widgets.Widget:
    """What the plan does, with the productive hours an officer's time is counted in."""
    import ipywidgets as widgets

    view.summary = widgets.HTML().add_class("kit-roles-summary-box")
    view.families = widgets.HTML()
    view.productive = widgets.BoundedFloatText(
        value=view.model.productive_hours_per_officer,
        min=100,
        max=8760,
        step=1,
        layout=widgets.Layout(width="7em", min_width="7em"),
    ).add_class("kit-roles-productive")
    view.link_number(view.productive, "productive_hours_per_officer")
    productive = widgets.HBox(
        [
            widgets.HTML(help_html("roles.productive_hours")),
            view.productive,
            widgets.HTML(tag("span", f"Source: {PRODUCTIVE_HOURS_SOURCE}", css="kit-note")),
        ],
        layout=widgets.Layout(align_items="center", grid_gap="0.6em"),
    )
    return view.section(
        "What the plan does",
        productive,
        view.figures(view.summary, view.families, css="kit-roles-plan-figures"),
        css="kit-roles-figures",
    )


def call_types(view: RolesView) -> widgets.Widget:
    """The call-type table: filter by family, search, sort, and pages."""
    import ipywidgets as widgets

    view.family_filter = widgets.Dropdown(
        options=[
            ("All families", ""),
            ("To check: no rule recognised", "unclassified"),
            *((FAMILY_LABELS[f], f) for f in FAMILIES),
        ],
        description="Family",
    ).add_class("kit-roles-filter")
    view.search = widgets.Text(
        description="Search", placeholder="code or words", continuous_update=False
    ).add_class("kit-roles-search")
    view.sort = widgets.Dropdown(
        options=[(label, key) for key, (label, _, _) in SORTS.items()],
        value="hours",
        description="Sort by",
        layout=widgets.Layout(width="28em"),
    ).add_class("kit-roles-sort")
    view.types = widgets.HTML().add_class("kit-roles-types-box")
    view.page_label = widgets.HTML().add_class("kit-roles-page")
    previous = widgets.Button(description="Previous", icon="chevron-left").add_class(
        "kit-roles-previous"
    )
    following = widgets.Button(description="Next", icon="chevron-right").add_class("kit-roles-next")
    view.pager = (previous, following)
    previous.on_click(lambda _: view.turn_page(-1))
    following.on_click(lambda _: view.turn_page(1))
    for control in (view.family_filter, view.search, view.sort):
        control.observe(lambda _: view.turn_page(None), names="value")
    return view.section(
        "Call types",
        widgets.HBox([view.family_filter, view.search, view.sort]),
        view.figures(view.types, css="kit-roles-types-figures"),
        widgets.HBox([previous, view.page_label, following]),
        css="kit-roles-table",
    )


def editor(view: RolesView) -> widgets.Widget:
    """One call type: a share (in percent) per responder, and its family."""
    import ipywidgets as widgets

    m = view.model
    view.call_type = widgets.Dropdown(
        description="Call type", layout=widgets.Layout(width="46em")
    ).add_class("kit-roles-type")
    view.shares = {}
    for responder in ALTERNATIVES:
        box = widgets.BoundedIntText(
            min=0,
            max=100,
            step=5,
            description=f"{RESPONDER_SHORT_LABELS[responder]} (%)",
            layout=widgets.Layout(width="17em"),
        ).add_class(f"kit-roles-share-{responder}")
        box.observe(lambda change, r=responder: view.share_moved(r, change), names="value")
        view.shares[responder] = box
    view.police_share = widgets.HTML().add_class("kit-roles-police-share")
    view.family = widgets.Dropdown(
        options=[(FAMILY_LABELS[f], f) for f in FAMILIES],
        description="Family",
        layout=widgets.Layout(width="28em"),
    ).add_class("kit-roles-family")
    view.call_type.observe(lambda _: view.show_type(), names="value")
    set_family = view.control(
        "Set family",
        lambda: m.set_family(view.call_type.value, view.family.value),
        css="kit-roles-set-family",
    )
    return view.section(
        "Change a call type",
        view.call_type,
        widgets.HTML(help_html("roles.shares")),
        widgets.HBox(list(view.shares.values()), layout=widgets.Layout(flex_flow="row wrap")),
        view.police_share,
        weapon_confirmation(view),
        widgets.HBox([view.family, set_family]),
        css="kit-roles-editor",
    )


def weapon_confirmation(view: RolesView) -> widgets.Widget:
    """For a call type naming a weapon that the split sends to a responder without police:
    the person's explicit confirmation, without which the plan is not saved."""
    import ipywidgets as widgets

    m = view.model
    view.weapon_confirm = widgets.Checkbox(
        description="I confirm that calls naming a weapon go without police",
        indent=False,
        layout=widgets.Layout(width="auto"),
    ).add_class("kit-roles-weapon-confirm")

    def ticked(change: Any) -> None:
        if view.syncing or view.call_type.value is None:
            return
        with m.reporting("confirming a call type naming a weapon"):
            m.confirm_weapon(view.call_type.value, bool(change["new"]))

    view.weapon_confirm.observe(ticked, names="value")
    view.weapon_box = widgets.VBox(
        [
            widgets.HTML(help_html("roles.weapon")),
            view.weapon_confirm,
        ],
        layout=widgets.Layout(display="none"),
    ).add_class("kit-roles-weapon")
    return view.weapon_box


def assumptions(view: RolesView) -> widgets.Widget:
    """One responder's screening, take-up and back-up at a time, with their sources."""
    import ipywidgets as widgets

    m = view.model
    view.assumption_responder = widgets.Dropdown(
        options=[(RESPONDER_LABELS[r], r) for r in ALTERNATIVES],
        value="crisis_team",
        description="Responder",
        layout=widgets.Layout(width="36em"),
    ).add_class("kit-roles-assumption-responder")
    view.sliders = {}
    view.sources = {}
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
            if view.syncing:
                return
            with m.reporting("changing an assumption"):
                m.set_assumption(view.assumption_responder.value, field, change["new"])

        slider.observe(moved, names="value")
        view.sliders[field] = slider
        view.sources[field] = widgets.HTML(layout=widgets.Layout(width="44em"))
        rows.append(widgets.HBox([slider, view.sources[field]]))
    view.assumption_responder.observe(lambda _: view.show_assumptions(), names="value")
    view.show_assumptions()
    return view.section(
        "Assumptions per responder",
        widgets.VBox([view.assumption_responder, *rows]),
        css="kit-roles-assumptions",
    )


def when(view: RolesView) -> widgets.Widget:
    """When the moved calls happen, by hour of the week."""
    import ipywidgets as widgets

    view.hours = widgets.HTML().add_class("kit-roles-hours-box")
    return view.section(
        "When the moved calls happen",
        view.figures(view.hours, css="kit-roles-hours-figures"),
        css="kit-roles-when",
    )


def areas(view: RolesView) -> widgets.Widget:
    """Each area beside the city's share, flagged past the threshold the user sets."""
    import ipywidgets as widgets

    view.equity = widgets.HTML().add_class("kit-roles-equity-box")
    view.threshold = widgets.BoundedFloatText(
        value=view.model.threshold_pp,
        min=0,
        max=100,
        step=1,
        layout=widgets.Layout(width="6em", min_width="6em"),
    ).add_class("kit-roles-threshold")
    view.link_number(view.threshold, "threshold_pp")
    threshold = widgets.HBox(
        [
            widgets.HTML(help_html("roles.threshold")),
            view.threshold,
        ],
        layout=widgets.Layout(align_items="center", grid_gap="0.6em"),
    )
    return view.section(
        "By area",
        threshold,
        view.figures(view.equity, css="kit-roles-equity-figures"),
        css="kit-roles-areas",
    )


def unclassified(view: RolesView) -> widgets.Widget:
    """The call types no rule recognised, each with the family the text model suggested (or
    none), counted as needing review, and whose rules apply."""
    import ipywidgets as widgets

    view.unclassified = widgets.HTML()
    return view.section(
        "Call types to check: no rule recognised them",
        view.unclassified,
        css="kit-roles-unclassified-box",
    )


def charter(view: RolesView) -> widgets.Widget:
    """The role charter, whether it is current, and a button to draw it up again."""
    import ipywidgets as widgets

    view.charter = widgets.HTML().add_class("kit-roles-charter-box")
    view.charter_state = widgets.HTML().add_class("kit-roles-charter-state")
    view.charter_download = widgets.HTML().add_class("kit-roles-charter-download")
    again = view.control(
        "Draw up the charter again",
        view.model.draw_up_charter,
        css="kit-roles-draw-charter",
        needs_figures=True,
    )
    again.button.layout.width = "auto"
    return widgets.VBox(
        [view.charter_state, view.charter, widgets.HBox([again, view.charter_download])]
    ).add_class("kit-roles-charter")


def save(view: RolesView) -> widgets.Widget:
    """The button that saves the plan as a new version, and beside it why a save was refused
    (a call type naming a weapon sent without police, unconfirmed)."""
    import ipywidgets as widgets

    view.save_button = view.action(
        "Save the plan", view.model.save, css="kit-roles-save", needs_figures=True
    )
    view.save_button.button_style = "primary"
    view.save_button.layout.width = "auto"
    view.save_button.layout.flex = "0 0 auto"  # the message beside it never squeezes it
    view.save_refused = view.feedback("kit-roles-save").add_class("kit-roles-save-refused")
    return widgets.HBox(
        [view.save_button, view.save_refused], layout=widgets.Layout(align_items="center")
    )
