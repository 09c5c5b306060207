"""Step 03's page: the model's figures and assumptions, section by section.

The view builds its sections from :mod:`kit.ui.funding.sections` and redraws a part when
the model's figures for it change. It computes nothing: every figure comes from
:class:`~kit.ui.funding.model.FundingModel`, every piece of HTML from :mod:`kit.pages.funding`.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from kit import funding
from kit.labels import BUDGET_LINE_LABELS
from kit.pages import download_link, tag
from kit.pages.funding import (
    by_area_html,
    checklist_html,
    comparison_html,
    funding_page,
    gap_html,
    headline_html,
    plan_note_html,
    reverse_html,
    sources_html,
    summary_bar,
    team_hours_html,
    teams_html,
    tornado_html,
)
from kit.printable import file_name
from kit.ui.base import StepView, csv_link
from kit.ui.funding import sections
from kit.ui.funding.model import FundingModel

if TYPE_CHECKING:
    import ipywidgets as widgets


class FundingView(StepView):
    """The funding page: assumptions, headline figures, teams chart, comparison, sources."""

    model: FundingModel

    def build(self) -> widgets.Widget:
        import ipywidgets as widgets

        page = widgets.VBox(
            [
                *sections.intro(self),
                sections.assumptions(self),
                sections.coverage(self),
                sections.costs(self),
                sections.headline(self),
                sections.teams(self),
                sections.by_area(self),
                sections.comparison(self),
                sections.sensitivity(self),
                sections.reverse(self),
                sections.sources(self),
                sections.save_and_print(self),
                self.history_panel(),
            ]
        )
        m = self.model
        m.observe(
            lambda _: setattr(self.print_link, "value", ""),
            names=["summary", "comparison", "tornado", "reverse", "gap", "by_area"],
        )
        m.observe(lambda _: self.show_summary(), names=["summary"])
        m.observe(lambda _: self.show_comparison(), names=["comparison"])
        m.observe(lambda _: self.show_tornado(), names=["tornado"])
        m.observe(lambda _: self.show_reverse(), names=["reverse"])
        m.observe(lambda _: self.show_sources(), names=["funding_sources", "gap"])
        m.observe(lambda _: self.show_by_area(), names=["by_area"])
        self.show_costs()
        return page

    def make_page(self) -> None:
        """Work out what is missing, then offer the whole step as one page to print."""
        m = self.model
        m.complete()
        name = m.workspace.profile.name
        page = funding_page(m.figures(), jurisdiction=name, printed=date.today())
        self.print_link.value = download_link(
            page,
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
        m.complete()
        self.plan_note.value = plan_note_html(self.model.inputs.roles_saved)
        for responder, field in self.service.items():
            field.value = float(self.model.minutes_per_call.get(responder, 0.0))
        self.show_costs()
        self.show_summary()
        self.show_by_area()
        self.show_sources()

    def warm(self) -> None:
        """Read the calls into a cube and import the charting library before the page opens."""
        _ = self.model.inputs
        from kit import charts

        charts.to_svg(charts.teams_chart(charts.teams_frame({}, BUDGET_LINE_LABELS)))

    def show_summary(self) -> None:
        """The headline, team-hours and heat map of the scenario shown."""
        summary = self.model.summary
        self.headline.value = headline_html(summary)
        self.summary_bar.value = summary_bar(summary)
        self.team_hours.value = team_hours_html(summary)
        self.teams.value = teams_html(summary)

    def show_costs(self) -> None:
        """One box per cost figure, with its source, that sets it in the model."""
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
            note = w.HTML(tag("small", figure["source"]))
            rows.append(w.VBox([field, note]))
        self.cost_box.children = rows

    def show_by_area(self) -> None:
        """Hours freed per area."""
        self.by_area.value = by_area_html(self.model.by_area) + csv_link(
            self.model.by_area, "hours-freed-by-area"
        )

    def show_comparison(self) -> None:
        """The scenarios side by side, or what to press."""
        m = self.model
        self.comparison.value = comparison_html(
            m.comparison, m.scenarios, m.inputs.roles_saved
        ) + csv_link(m.comparison, "scenarios")

    def show_tornado(self) -> None:
        """The sensitivity chart and table, or what to press."""
        self.tornado.value = tornado_html(self.model.tornado) + csv_link(
            self.model.tornado, "sensitivity"
        )

    def show_reverse(self) -> None:
        """The reverse scenario, or what to press."""
        self.reverse.value = reverse_html(self.model.reverse) + csv_link(
            self.model.reverse.get("moved", []), "reverse-scenario-moves"
        )

    def show_sources(self) -> None:
        """The checklist, the sources entered, the list to remove one, and the gap."""
        m = self.model
        self.checklist.value = checklist_html(m.funding_sources) + csv_link(
            funding.funding_checklist().to_dict("records"), "funding-checklist"
        )
        self.remove_choice.options = [(s["name"], str(i)) for i, s in enumerate(m.funding_sources)]
        self.remove_row.layout.display = "" if m.funding_sources else "none"
        self.sources.value = sources_html(m.funding_sources) + csv_link(
            m.funding_sources, "funding-sources"
        )
        self.gap.value = gap_html(m.gap) + csv_link(m.gap, "funding-gap")
