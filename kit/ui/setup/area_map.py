"""Step 00's area mapping: the export's area names that match no profile area, each with a
choice of the profile area it is, and a button that applies the choices to the calls held.

Shown only after an import whose check found such names (see :mod:`kit.data.area_names`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kit.pages.guide import help_html

if TYPE_CHECKING:
    import ipywidgets as widgets

    from kit.ui.setup.view import SetUpView


def area_map(view: SetUpView) -> widgets.Widget:
    """The section; :func:`show_area_map` fills it whenever the import report changes."""
    import ipywidgets as widgets

    view.area_choices = widgets.VBox()
    row = view.control("Map these areas", lambda: apply(view), css="kit-areas-apply")
    view.area_apply = row.button
    view.area_map_box = view.section(
        "Area names of the export",
        widgets.HTML(help_html("setup.area_map")),
        view.area_choices,
        row,
        css="kit-section-area-map",
    )
    view.model.observe(lambda _: show_area_map(view), names=["report", "areas"])
    show_area_map(view)
    return view.area_map_box


def show_area_map(view: SetUpView) -> None:
    """One choice per unmatched name; the section is hidden when every name matches."""
    import ipywidgets as widgets

    m = view.model
    names = m.unmatched_areas
    areas = [str(a["name"]) for a in m.areas]
    view.area_map_box.layout.display = None if names and areas else "none"
    choices = []
    for name in names:
        choice = widgets.Dropdown(
            options=[("(leave as it is)", ""), *((a, a) for a in areas)],
            description=name,
            style={"description_width": "12em"},
            layout=widgets.Layout(width="30em"),
        ).add_class("kit-area-choice")
        choice._kit_name = name
        choices.append(choice)
    view.area_choices.children = tuple(choices)


def apply(view: SetUpView) -> None:
    """Save the chosen areas as the workspace's area mapping and rename the calls held."""
    chosen = {c._kit_name: c.value for c in view.area_choices.children if c.value}
    view.model.map_areas(chosen)
