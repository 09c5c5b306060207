"""Step 00's page, one named section at a time.

Each function builds one section of :class:`~kit.ui.setup.view.SetUpView`: it makes the
section's widgets, keeps on the view those the view redraws, links them to the model, and
returns the section.
"""

from __future__ import annotations

import threading
import zoneinfo
from typing import TYPE_CHECKING

import traitlets

from kit.data.date_order import DAY_FIRST, MONTH_FIRST
from kit.pages import render
from kit.pages.guide import help_html
from kit.ui.setup.model import MONTHS

if TYPE_CHECKING:
    import ipywidgets as widgets

    from kit.ui.setup.view import SetUpView


def _timezones() -> list[str]:
    return sorted(z for z in zoneinfo.available_timezones() if "/" in z and "Etc" not in z)


def profile(view: SetUpView) -> widgets.Widget:
    """The jurisdiction: name, population, time zone, fiscal year and areas, and its save."""
    import ipywidgets as widgets

    m = view.model
    # Text sent whole on Enter or leaving the field: typed keys sent one by one are held
    # back while the kernel is busy, and a click sent meanwhile would arrive first.
    name = widgets.Text(
        description="Name", placeholder="e.g. Riverton", continuous_update=False
    ).add_class("kit-profile-name")
    population = widgets.IntText(description="Population").add_class("kit-profile-population")
    timezone = widgets.Combobox(
        description="Time zone",
        options=_timezones(),
        ensure_option=False,
        continuous_update=False,
    ).add_class("kit-profile-timezone")
    fiscal = widgets.Dropdown(
        description="Fiscal year starts",
        options=[(month, i) for i, month in enumerate(MONTHS, start=1)],
        style={"description_width": "initial"},
    ).add_class("kit-profile-fiscal")
    for trait, widget in (
        ("name", name),
        ("population", population),
        ("timezone", timezone),
        ("fiscal_year_start", fiscal),
    ):
        widgets.link((m, trait), (widget, "value"))
    areas_upload = widgets.FileUpload(accept=".csv", description="Areas CSV").add_class(
        "kit-areas-upload"
    )
    areas_upload.observe(view.areas_uploaded, names="value")
    view.areas_table = widgets.HTML().add_class("kit-areas-table")
    return view.section(
        "The jurisdiction",
        name,
        population,
        timezone,
        fiscal,
        widgets.HTML(help_html("setup.areas")),
        areas_upload,
        view.areas_table,
        view.control("Save profile", m.save, css="kit-save-profile"),
        view.history_panel(),
        css="kit-section-profile",
    )


def calls(view: SetUpView) -> widgets.Widget:
    """The calls files, which column holds what, and the import with its progress."""
    import ipywidgets as widgets

    m = view.model
    view.files = widgets.HTML().add_class("kit-calls-files")
    view.mapping_box = mapping(view)
    upload = widgets.FileUpload(
        accept=".csv,.txt,.tsv,.xlsx,.gz,.zip", multiple=True, description="Upload calls"
    ).add_class("kit-calls-upload")
    upload.observe(view.calls_uploaded, names="value")
    path = widgets.Text(
        placeholder="or a path on the server, for large exports", continuous_update=False
    ).add_class("kit-calls-path")
    add_path = view.control("Add file", lambda: m.add_calls_file(path.value), css="kit-add-path")
    append = widgets.Checkbox(description="Add to the calls already imported")
    append.add_class("kit-append")
    widgets.link((m, "append"), (append, "value"))
    progress = widgets.FloatProgress(min=0.0, max=1.0).add_class("kit-progress")
    progress_text = widgets.Label().add_class("kit-progress-text")
    traitlets.dlink((m, "progress"), (progress, "value"))
    traitlets.dlink((m, "progress_text"), (progress_text, "value"))

    def do_import() -> None:
        m.import_calls()
        view.show_first_look()

    return view.section(
        "Calls for service",
        widgets.HTML(help_html("setup.calls")),
        upload,
        widgets.HBox([path, add_path]),
        view.files,
        view.control("Clear the list", m.clear_calls_files, css="kit-clear-files"),
        view.mapping_box,
        append,
        view.control("Import calls", do_import, css="kit-import"),
        widgets.HBox([progress, progress_text]),
        css="kit-section-calls",
    )


def mapping(view: SetUpView) -> widgets.Widget:
    """Which column holds what: the fields, the order of day and month, the first rows.

    Filled by :meth:`SetUpView.show_mapping` once a file is chosen; hidden before.
    """
    import ipywidgets as widgets

    m = view.model
    view.dropdowns = []
    grid = widgets.Layout(grid_template_columns="repeat(3, 22em)", grid_gap="6px 16px")
    view.main_fields = widgets.GridBox(layout=grid).add_class("kit-map-main")
    view.more_fields = widgets.GridBox(layout=grid).add_class("kit-map-more")
    more = widgets.Accordion([view.more_fields], selected_index=None).add_class("kit-map-more-box")
    more.set_title(0, "More fields (times of the response, units, how the call ended)")
    order = widgets.Dropdown(
        description="Day and month",
        options=[
            ("read from the dates (else the time zone's usual order)", ""),
            ("day first: 03/04/2024 is 3 April", DAY_FIRST),
            ("month first: 03/04/2024 is March 4", MONTH_FIRST),
        ],
        style={"description_width": "initial"},
        layout=widgets.Layout(width="36em"),
    ).add_class("kit-date-order")
    widgets.link((m, "date_order"), (order, "value"))
    view.first_rows = widgets.HTML().add_class("kit-first-rows-box")
    return widgets.VBox(
        [
            widgets.HTML(render("setup/mapping_intro.html")),
            view.main_fields,
            more,
            order,
            widgets.HTML(help_html("setup.first_rows")),
            view.first_rows,
        ]
    ).add_class("kit-mapping")


def report(view: SetUpView) -> widgets.Widget:
    """What the last import found, with a page to print."""
    import ipywidgets as widgets

    view.report = widgets.HTML().add_class("kit-report")
    return view.section("What the import found", view.report, css="kit-section-report")


def first_look(view: SetUpView) -> widgets.Widget:
    """Charts and the top call types of the calls held."""
    import ipywidgets as widgets

    view.first_look = widgets.VBox().add_class("kit-first-look")
    view.first_look_lock = threading.Lock()
    view.look_key = None
    return view.section("A first look", view.first_look, css="kit-section-first-look")
