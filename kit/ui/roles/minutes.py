"""Step 02's durations question: minutes per call, asked only when the export has no durations.

Without dispatch, arrival or clear times every officer hour would be zero; this section asks
for the minutes a unit spends on a call of each family, starting from the published defaults
(:mod:`kit.roles.durations`), and says that every officer-hour figure is estimated from them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kit.pages.guide import help_html
from kit.roles.durations import check_minutes
from kit.taxonomy import FAMILIES, FAMILY_LABELS

if TYPE_CHECKING:
    import ipywidgets as widgets

    from kit.ui.roles.view import RolesView


def minutes(view: RolesView) -> widgets.Widget:
    """A minutes box per family, shown only when officer hours are estimated."""
    import ipywidgets as widgets

    m = view.model
    view.minutes_note = widgets.HTML()
    view.minutes = {}
    for family in FAMILIES:
        box = widgets.BoundedFloatText(
            min=1,
            max=1440,
            step=1,
            description=FAMILY_LABELS[family],
            layout=widgets.Layout(width="24em"),
        ).add_class("kit-roles-minutes")
        box.add_class(f"kit-roles-minutes-{family}")

        def typed(change: dict[str, float], family: str = family) -> None:
            if view.syncing:
                return
            with m.reporting("changing the minutes per call"):
                m.set_minutes(family, float(change["new"]))

        box.observe(typed, names="value")
        view.minutes[family] = box
    view.minutes_box = view.section(
        "Minutes per call (estimated officer hours)",
        view.minutes_note,
        widgets.GridBox(
            list(view.minutes.values()),
            layout=widgets.Layout(grid_template_columns="repeat(2, 25em)"),
        ),
        css="kit-roles-minutes-section",
    )
    show_minutes(view)
    return view.minutes_box


def show_minutes(view: RolesView) -> None:
    """Put the plan's minutes in the boxes; hide the section when durations were recorded."""
    m = view.model
    cube = m.cube
    view.minutes_box.layout.display = None if cube.hours_estimated else "none"
    units = (
        ", units sent being the same report's average per family" if cube.units_estimated else ""
    )
    view.minutes_note.value = help_html("roles.estimated", units=units)
    chosen = check_minutes(m.minutes_per_call)
    view.syncing = True
    try:
        for family, box in view.minutes.items():
            box.value = chosen[family]
    finally:
        view.syncing = False
