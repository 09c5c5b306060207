"""Step 00's page: the profile form, the calls files with their mapping, the report and a
first look, section by section (:mod:`kit.ui.setup.sections`)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kit.pages import download_link, render, tag
from kit.pages.setup import import_report_html, import_report_page
from kit.printable import file_name
from kit.ui.base import StepView, csv_link
from kit.ui.setup import area_map, sections
from kit.ui.setup.model import KEY_ROLES, SetUpModel

if TYPE_CHECKING:
    import ipywidgets as widgets


class SetUpView(StepView):
    """The set-up page: profile, areas, calls files with mapping, report and first look."""

    model: SetUpModel

    def build(self) -> widgets.Widget:
        import ipywidgets as widgets

        page = widgets.VBox(
            [
                *sections.intro(self),
                sections.profile(self),
                sections.calls(self),
                sections.report(self),
                area_map.area_map(self),
                sections.first_look(self),
            ]
        )
        m = self.model
        m.observe(lambda _: self.show_files(), names=["calls_files"])
        m.observe(lambda _: self.show_mapping(), names=["headers", "mapping"])
        m.observe(lambda _: self.show_report(), names=["report"])
        m.observe(lambda _: self.show_areas(), names=["areas"])
        self.show_files()
        self.show_mapping()
        self.show_report()
        self.show_areas()
        return page

    def refresh(self) -> None:
        """Redraw what links do not cover: the first look of the calls now held."""
        self.show_first_look()

    def areas_uploaded(self, change: dict[str, Any]) -> None:
        """An areas CSV was uploaded: keep it in the workspace and read its areas."""
        files = change["new"]
        if not files:
            return
        with self.model.reporting("reading the areas file", busy=True):
            target = self.model.workspace.save_upload("areas.csv", bytes(files[0]["content"]))
            self.model.load_areas_csv(target)
        change["owner"].value = ()

    def calls_uploaded(self, change: dict[str, Any]) -> None:
        """Calls files were uploaded: keep them in the workspace's list to import."""
        if not change["new"]:
            return
        with self.model.reporting("receiving the uploaded calls", busy=True):
            for item in change["new"]:
                self.model.add_upload(str(item["name"]), bytes(item["content"]))
        change["owner"].value = ()

    def show_files(self) -> None:
        """The calls files chosen, with their sizes."""
        paths = [Path(p) for p in self.model.calls_files]
        files = [(p.name, p.stat().st_size / 1e6) for p in paths if p.is_file()]
        self.files.value = render("setup/files.html", files=files)

    def show_mapping(self) -> None:
        """One list per canonical column, showing the export's column chosen for it."""
        import ipywidgets as w

        m = self.model
        if not m.mapping:
            self.mapping_box.children = ()
            return
        options = [("(not in the export)", "")] + [(h, h) for h in m.headers]
        current = {getattr(d, "_kit_role", None): d for d in self.dropdowns}
        rows = []
        for role in [r for r in KEY_ROLES if r in m.mapping] + [
            r for r in m.mapping if r not in KEY_ROLES
        ]:
            dropdown = current.get(role)
            if dropdown is None:
                dropdown = w.Dropdown(
                    description=role,
                    options=options,
                    style={"description_width": "9em"},
                    layout=w.Layout(width="22em"),
                )
                dropdown.add_class("kit-map")
                dropdown.add_class(f"kit-map-{role}")
                dropdown._kit_role = role

                def changed(change: dict[str, Any], role: str = role) -> None:
                    if (m.mapping.get(role) or "") != change["new"]:
                        with m.reporting("changing the column mapping"):
                            m.set_mapping(role, change["new"] or None)

                dropdown.observe(changed, names="value")
            elif list(dropdown.options) != options:
                dropdown.options = options
            dropdown.value = m.mapping.get(role) or ""
            rows.append(dropdown)
        self.dropdowns = rows
        grid = w.Layout(grid_template_columns="repeat(2, 24em)")
        main = [d for d in rows if d._kit_role in KEY_ROLES]
        more = w.Accordion([w.GridBox([d for d in rows if d not in main], layout=grid)])
        more.set_title(0, "More columns (times, units, location)")
        self.mapping_box.children = (
            w.HTML("<p>Which column of the export holds what:</p>"),
            w.GridBox(main, layout=grid),
            more,
        )

    def show_report(self) -> None:
        """What the last import found, and a link to print it."""
        m = self.model
        lines = m.report_lines()
        link = ""
        if m.report:
            name = m.workspace.profile.name
            link = tag(
                "p",
                download_link(
                    import_report_page(lines, jurisdiction=name, printed=date.today()),
                    file_name("import report", name),
                    "Download the report to print or send to whoever keeps the CAD system",
                    css="kit-report-link",
                ),
            )
        self.report.value = import_report_html(lines) + link

    def show_areas(self) -> None:
        """The profile's areas."""
        self.areas_table.value = render("setup/areas.html", areas=self.model.areas) + csv_link(
            self.model.areas, "areas"
        )

    def show_first_look(self) -> None:
        """Charts and top call types of the calls held (drawn again only when they change)."""
        import ipywidgets as w

        with self.first_look_lock:
            key = (self.model.data_fingerprint(), self.model.base_version)
            if self.first_look.children and key == self.look_key:
                return
            look = self.model.first_look_pictures()
            self.look_key = key
            if not look:
                self.first_look.children = (w.HTML("<p>Import calls to see them here.</p>"),)
                return
            table = w.HTML(render("setup/top_types.html", types=look["types"]))
            table.add_class("kit-top-types")
            self.first_look.children = (
                w.HTML(f"<p>{self.model.calls_held:,} calls held.</p>").add_class("kit-calls-held"),
                *(w.HTML(svg).add_class("kit-chart") for svg in look["svgs"]),
                table,
            )
