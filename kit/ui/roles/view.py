"""Step 02's page: the model's figures and controls, section by section.

The view builds its sections from :mod:`kit.ui.roles.sections`, redraws the figures once
each time the model has recomputed them (its ``revision``), and keeps the editor, sliders
and number boxes in step with the model. It computes nothing: every figure comes from
:class:`~kit.ui.roles.model.RolesModel`, every piece of HTML from :mod:`kit.pages.roles`.
"""

from __future__ import annotations

import math
from datetime import date
from typing import TYPE_CHECKING, Any

from kit.pages import Markup, download_link, render, tag
from kit.pages import roles as fragments
from kit.pages.charter import charter_html, charter_page
from kit.printable import file_name
from kit.roles import ASSUMPTION_SOURCES
from kit.roles.presets import preset_ids
from kit.ui.base import StepView, csv_link, plain_message
from kit.ui.community.sections import goals_beside_plan
from kit.ui.roles import minutes, sections
from kit.ui.roles.model import PAGE_SIZE, RolesModel

#: The editor's share boxes, as the model names them when it refuses what they hold.
SHARES = "shares"

if TYPE_CHECKING:
    import ipywidgets as widgets


def charter_link(model: RolesModel) -> str:
    """A link that saves the charter as a page to print (a council packet, a union meeting)."""
    name = model.workspace.profile.name
    document = charter_page(model.charter, jurisdiction=name, printed=date.today())
    return download_link(
        document,
        file_name("role charter", name),
        "Download the charter to print",
        css="kit-roles-charter-link",
    )


def report_html(model: RolesModel) -> Markup:
    """The step's tables and chart as one HTML document part: what a headless run shows."""
    table = model.columns(model.table_rows())
    splits = {t: model.split_of(t) for t in table["call_type"]}
    return fragments.report_html(
        summary=fragments.summary_html(model.summary),
        families=fragments.families_html(model.families),
        hours=fragments.hours_html(model.moved_by_hour),
        equity=fragments.equity_html(model.equity),
        types=fragments.types_html(table, splits),
        charter=charter_html(model.charter),
    )


class RolesView(StepView):
    """Preset, call-type table and editor, assumptions and the figures, linked to the model."""

    model: RolesModel

    def build(self) -> widgets.Widget:
        import ipywidgets as widgets

        self.syncing = False
        self._page = 0
        page = widgets.VBox(
            [
                sections.intro(),
                sections.presets(self),
                minutes.minutes(self),
                sections.figures(self),
                goals_beside_plan(self),
                sections.call_types(self),
                sections.editor(self),
                sections.assumptions(self),
                sections.when(self),
                sections.areas(self),
                sections.unclassified(self),
                sections.charter(self),
                sections.save(self),
                self.history_panel(),
                self.message_box(),
            ]
        )
        self.model.observe(lambda _: self.draw(), names="revision")
        self.model.observe(lambda _: self.draw_charter(), names="charter")
        return page

    def link_number(self, box: Any, trait: str) -> None:
        """A number box that sets a model trait; a refused value goes back to the model's."""
        m = self.model

        def typed(change: Any) -> None:
            if self.syncing:
                return
            with m.reporting(f"changing {trait}"):
                setattr(m, trait, float(change["new"]))
            if m.error:
                self.syncing = True
                try:
                    box.value = getattr(m, trait)
                finally:
                    self.syncing = False

        box.observe(typed, names="value")

    def share_moved(self, responder: str, change: Any) -> None:
        """A share box changed: give the call type the split the boxes hold, or keep what
        was typed and say beside the boxes why the plan refused it (the figures grey out)."""
        if self.syncing or self.call_type.value is None:
            return
        m = self.model
        shares = {r: int(box.value) / 100 for r, box in self.shares.items()}
        with m.reporting("changing a share"), m.typed(SHARES):
            m.set_shares(self.call_type.value, shares)
        if m.error:
            self.police_share.value = plain_message(m.error)

    def show_type(self) -> None:
        """Put the chosen call type's split and family in the editor."""
        m = self.model
        chosen = self.call_type.value
        if chosen is None:
            return
        split = m.split_of(chosen)
        m.withdraw(SHARES)  # the boxes show the plan's split again
        self.syncing = True
        try:
            for responder, box in self.shares.items():
                box.value = round(100 * split.get(responder, 0.0))
            row = m.cube.type_index.get(chosen)
            if row is not None:
                self.family.value = str(m.cube.types["family"].iat[row])
        finally:
            self.syncing = False
        self.police_share.value = render(
            "roles/police_share.html", share=split["police"], call_type=chosen
        )
        self.show_weapon_confirmation()

    def show_weapon_confirmation(self) -> None:
        """Ask for the confirmation while the chosen call type names a weapon and its split
        sends calls to a responder without police; hide it otherwise."""
        m = self.model
        chosen = self.call_type.value
        asked = chosen is not None and m.needs_confirmation(chosen)
        self.weapon_box.layout.display = "" if asked else "none"
        self.syncing = True
        try:
            self.weapon_confirm.value = chosen in m.weapon_confirmed
        finally:
            self.syncing = False

    def show_assumptions(self) -> None:
        """Put the chosen responder's screening, take-up and back-up, with sources, in view."""
        m = self.model
        name = self.assumption_responder.value
        self.syncing = True
        try:
            for field, slider in self.sliders.items():
                slider.value = float(m.assumptions[name][field])
                self.sources[field].value = tag(
                    "span", ASSUMPTION_SOURCES[name][field], css="kit-note"
                )
        finally:
            self.syncing = False

    def turn_page(self, step: int | None) -> None:
        """Show the next (1) or previous (-1) page of call types; None: the first page."""
        self._page = 0 if step is None else self._page + step
        self.draw_table()

    def draw_table(self) -> None:
        """Draw the page of call types the filter, search and order pick."""
        m = self.model
        rows = m.table_rows(
            family=self.family_filter.value, search=self.search.value, sort=self.sort.value
        )
        pages = max(1, math.ceil(len(rows) / PAGE_SIZE))
        self._page = min(max(self._page, 0), pages - 1)
        page = m.columns(rows[self._page * PAGE_SIZE : (self._page + 1) * PAGE_SIZE])
        splits = {t: m.split_of(t) for t in page["call_type"]}
        table = m.columns(rows)
        self.types.value = fragments.types_html(page, splits) + csv_link(
            (dict(zip(table, values, strict=True)) for values in zip(*table.values(), strict=True)),
            "call-types",
        )
        self.page_label.value = tag(
            "span", f"Page {self._page + 1} of {pages} ({len(rows):,} call types)"
        )
        self.pager[0].disabled = self._page == 0
        self.pager[1].disabled = self._page >= pages - 1
        labels = m.type_labels()
        options = list(zip(labels["label"][rows], labels["call_type"][rows], strict=True))
        if list(self.call_type.options) != options:
            chosen = self.call_type.value
            self.syncing = True
            try:
                self.call_type.options = options
                values = [value for _, value in options]
                if values:
                    self.call_type.value = chosen if chosen in values else values[0]
            finally:
                self.syncing = False
            self.show_type()

    def draw(self) -> None:
        """Replace every figure after the model recomputed (one redraw per change)."""
        m = self.model
        self.summary.value = fragments.summary_html(m.summary)
        self.summary_bar.value = fragments.summary_bar(m.summary)
        self.families.value = fragments.families_html(m.families) + csv_link(m.families, "families")
        self.hours.value = fragments.hours_html(m.moved_by_hour)
        self.show_charter_state()
        self.equity.value = fragments.equity_html(m.equity) + csv_link(
            m.equity.get("areas", []), "by-area"
        )
        self.draw_table()
        self.show_type()

    def draw_charter(self) -> None:
        """Show the charter as last drawn up, and a link to print it."""
        m = self.model
        self.charter.value = charter_html(m.charter) if m.charter else ""
        self.charter_download.value = charter_link(m) if m.charter else ""
        self.show_charter_state()

    def show_charter_state(self) -> None:
        """Warn when the plan has changed since the charter was drawn up."""
        m = self.model
        self.charter_state.value = (
            ""
            if m.charter_current
            else plain_message(
                "The plan has changed since this charter was drawn up: save the plan, or draw "
                "up the charter again, to bring it up to date.",
                kind="warning",
            )
        )

    def refresh(self) -> None:
        """Put the model's plan in the controls, recompute, and draw the charter."""
        m = self.model
        self.syncing = True
        try:
            if m.preset in preset_ids():
                self.preset.value = m.preset
            self.productive.value = m.productive_hours_per_officer
            self.threshold.value = m.threshold_pp
        finally:
            self.syncing = False
        minutes.show_minutes(self)
        self.show_assumptions()
        m.recompute()
        unrecognised = m.unclassified()
        self.unclassified.value = fragments.unclassified_html(
            unrecognised, own_rules=m.own_type_rules
        ) + csv_link(unrecognised, "unrecognised-call-types")
        if not m.charter:
            m.draw_up_charter()
        self.draw_charter()

    def warm(self) -> None:
        """Read the calls into a cube before the page is asked for."""
        _ = self.model.cube
