"""Step 00's page: the profile form, the calls files with their mapping, the report and a
first look, section by section (:mod:`kit.ui.setup.sections`)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kit.labels import field_label, number
from kit.pages import download_link, render, tag
from kit.pages.guide import help_html, summary_bar_html
from kit.pages.setup import import_report_html, import_report_page
from kit.printable import file_name
from kit.ui.base import StepView, csv_link
from kit.ui.setup import area_map, sections
from kit.ui.setup.model import KEY_ROLES, NEEDED, SetUpModel

if TYPE_CHECKING:
    import ipywidgets as widgets


class SetUpView(StepView):
    """The set-up page: profile, areas, calls files with mapping, report and first look."""

    model: SetUpModel

    def build(self) -> widgets.Widget:
        import ipywidgets as widgets

        page = widgets.VBox(
            [
                self.message_box(),
                sections.profile(self),
                sections.calls(self),
                sections.report(self),
                area_map.area_map(self),
                sections.first_look(self),
            ]
        )
        m = self.model
        m.observe(lambda _: self.show_files(), names=["calls_files"])
        m.observe(
            lambda _: self.show_mapping(), names=["headers", "mapping", "samples", "evidence"]
        )
        # A profile saved under a new name renames the report to print at once.
        m.observe(lambda _: self.show_report(), names=["report", "base_version"])
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
        """One list per field, in plain words, the needed ones marked, each with a few values
        of the column chosen and why; the day/month choice; the first rows as they will read.

        The lists and their folded part are made once and kept, so changing one never closes
        a part the user opened.
        """
        m = self.model
        self.mapping_box.layout.display = None if m.mapping else "none"
        if not m.mapping:
            return
        joined = sorted({h for h in m.mapping.values() if h and h not in m.headers})
        options = [("(not in the export)", ""), *((h, h) for h in [*m.headers, *joined])]
        current = {d._kit_role: d for d in self.dropdowns}
        fields = []
        roles = [r for r in KEY_ROLES if r in m.mapping]
        for role in [*roles, *(r for r in m.mapping if r not in KEY_ROLES)]:
            dropdown = current.get(role) or self._field(role)
            if list(dropdown.options) != options:
                dropdown.options = options
            chosen = m.mapping.get(role) or ""
            dropdown.value = chosen if chosen in m.headers or chosen in joined else ""
            dropdown._kit_hint.value = render(
                "setup/field_hint.html",
                samples=m.samples.get(m.mapping.get(role) or "", []),
                why=m.evidence.get(role, ""),
            )
            fields.append(dropdown)
        self.dropdowns = fields
        self.main_fields.children = [d._kit_box for d in fields if d._kit_role in KEY_ROLES]
        self.more_fields.children = [d._kit_box for d in fields if d._kit_role not in KEY_ROLES]
        shown = [d._kit_role for d in fields if d.value]
        self.first_rows.value = render(
            "setup/first_rows.html",
            labels=[field_label(r) for r in shown],
            rows=[[row.get(r, "") for r in shown] for row in m.rows_as_read()],
        )

    def _field(self, role: str) -> widgets.Dropdown:
        """A field's plain label (marked when needed), its list of columns and a hint box."""
        import ipywidgets as w

        m = self.model
        dropdown = w.Dropdown(layout=w.Layout(width="20em"))
        dropdown.add_class("kit-map")
        dropdown.add_class(f"kit-map-{role}")
        dropdown._kit_role = role
        dropdown._kit_hint = w.HTML().add_class("kit-map-hint")
        label = w.HTML(render("setup/field_label.html", label=field_label(role),
                              needed=role in NEEDED))  # fmt: skip
        dropdown._kit_box = w.VBox([label, dropdown, dropdown._kit_hint]).add_class("kit-map-field")

        def changed(change: dict[str, Any]) -> None:
            if (m.mapping.get(role) or "") != change["new"]:
                with m.reporting("changing the column mapping", source="kit-import"):
                    m.set_mapping(role, change["new"] or None)

        dropdown.observe(changed, names="value")
        return dropdown

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
        held = [("calls held", number(m.calls_held))] if m.report else []
        self.summary_bar.value = summary_bar_html(held)

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
                self.first_look.children = (w.HTML(help_html("setup.no_calls")),)
                return
            table = w.HTML(render("setup/top_types.html", types=look["types"]))
            table.add_class("kit-top-types")
            self.first_look.children = (
                w.HTML(help_html("setup.calls_held", calls=f"{self.model.calls_held:,}")).add_class(
                    "kit-calls-held"
                ),
                *(w.HTML(svg).add_class("kit-chart") for svg in look["svgs"]),
                table,
            )
