"""Step 04's page: the pilot, its design, what it could detect, its plan and the catalog.

The view builds its sections from :mod:`kit.ui.pilot.sections` and redraws a part when the
model's figures for it change. A change of design or duration shows the model's first answer
at once; the view then asks for the refined figures in the background, and whatever those
change on the page is handed to the kernel's thread (:func:`kit.ui.base.on_kernel_thread`).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from kit.labels import RESPONDER_LABELS
from kit.pages import Markup, download_link, render, tag
from kit.pages.guide import summary_bar_html
from kit.pages.pilot import plan_page
from kit.printable import file_name
from kit.taxonomy import FAMILY_LABELS
from kit.ui.base import StepView, on_kernel_thread
from kit.ui.pilot import sections
from kit.ui.pilot.model import PilotModel
from kit.ui.pilot.results import results_section

if TYPE_CHECKING:
    import ipywidgets as widgets

    from kit.pilot.power import Diagnosis, Plan

#: How much further the refinement must be before the progress bar moves (a share).
PROGRESS_STEP = 0.02


class PilotView(StepView):
    """The pilot, the design, the detectable effect, the plan and the practices catalog."""

    model: PilotModel

    def __init__(self, model: PilotModel) -> None:
        super().__init__(model)
        self._curve: list[dict[str, Any]] = []

    def build(self) -> widgets.Widget:
        import ipywidgets as widgets

        page = widgets.VBox(
            [
                *sections.intro(self),
                sections.pilot(self),
                sections.design(self),
                sections.power(self),
                sections.save(self),
                sections.evaluation_plan(self),
                sections.practices(self),
                # The pilot's results follow here.
                self.history_panel(),
                results_section(self),
            ]
        )
        m = self.model
        self.types.observe(self._types_chosen, names="value")
        m.observe(lambda _: self.show_types(), names=["call_types"])
        m.observe(lambda _: self.show(), names=["diagnosis", "refine_error"])
        m.observe(lambda c: c["new"] or self.refine_in_background(), names=["pending"])
        m.observe(lambda _: setattr(self.plan_links, "value", ""), names=["base_version"])
        self.show_types()
        self.show_practices()
        return page

    def refresh(self) -> None:
        self.model.up_to_date()
        self.show_types()
        self.show()
        self.refine_in_background()

    def warm(self) -> None:
        """Import the charting library and read the calls' types before the page opens."""
        from kit import charts

        self.model.type_names()
        charts.to_svg(charts.detectable_chart([{"weeks": 4, "mde": 0.5, "mde_analytic": None}]))

    # ------------------------------------------------------------ the call types

    def show_types(self) -> None:
        """The call types offered (every type in the calls) and those the pilot holds."""
        options = self.model.type_options()
        if self.types.options != tuple(options):
            self.types.options = options
        held = tuple(t for t in self.model.call_types if t in self.model.type_names())
        if self.types.value != held:
            self.types.value = held

    def _types_chosen(self, change: dict[str, Any]) -> None:
        if list(change["new"]) != self.model.call_types:
            with self.model.reporting("choosing the call types", source="kit-pilot-types"):
                self.model.call_types = list(change["new"])

    # ------------------------------------------------------------ the figures

    def show(self) -> None:
        """The design note, the power table, the chart and the summary bar."""
        m = self.model
        figures = m.diagnosis
        if not figures or not m.assessment:
            return
        self.design_note.value = render(
            "pilot/design.html", used=m.assessment, recommended=m.recommended
        )
        self.answer.value = power_html(m)
        self.progress.layout.display = "none" if m.refined or m.refine_error else None
        curve = figures.get("curve") or []
        if curve != self._curve or not self.chart.value:
            self._curve = curve
            self.chart.value = _chart(curve)
        self.summary_bar.value = summary_bar_html(
            [
                ("pilot areas", str(len(m.areas))),
                ("weeks", str(m.weeks)),
                ("design", m.assessment.get("name", m.used_design)),
                ("detectable reduction", _percent(figures.get("mde"))),
            ]
        )

    def refine_in_background(self) -> None:
        """Ask for the refined figures; progress and the result reach the page from the
        kernel's thread, and only while they are still of the plan shown."""
        m = self.model
        plan = m.plan_shown
        if plan is None or m.pending or m.refined:
            return
        shown = [0.0]

        def tick(done: int, total: int) -> None:
            share = done / max(total, 1)
            if share - shown[0] >= PROGRESS_STEP or done == total:
                shown[0] = share
                on_kernel_thread(lambda: m.is_current(plan) and setattr(m, "progress", share))

        def finished(plan: Plan, found: Diagnosis | None, why: str) -> None:
            on_kernel_thread(lambda: m.apply_refined(plan, found, why))

        m.refine_later(tick, finished)

    # ------------------------------------------------------------ actions

    def keep(self) -> None:
        """Save the pilot, with its power figures, as a new version."""
        self.model.save()

    def make_plan(self) -> None:
        """The saved pilot's evaluation plan as a page to print and as JSON."""
        plan = self.model.evaluation_plan()
        name = self.model.workspace.profile.name
        page = download_link(
            plan_page(plan), file_name("evaluation-plan", name), "Download the plan to print",
            css="kit-pilot-plan-html",
        )  # fmt: skip
        document = download_link(
            json.dumps(plan, indent=2, allow_nan=False, ensure_ascii=False),
            file_name("evaluation-plan", name).removesuffix(".html") + ".json",
            "Download the plan as JSON",
            css="kit-pilot-plan-json",
            mime="application/json",
        )
        self.plan_links.value = page + Markup(" ") + document
        self.model.status = "The evaluation plan of the saved pilot is ready to download."

    def show_practices(self) -> None:
        """The catalog's programmes of the family chosen, and the facts of the one chosen."""
        found = self.model.practices(self.family.value or "")
        ids = [p.id for p in found]
        chosen = self.programme.value if self.programme.value in ids else None
        options = [(p.name, p.id) for p in found]
        if list(self.programme.options) != options:
            self.programme.options = options
        self.programme.value = chosen or (ids[0] if ids else None)
        shown = {
            p.id: p.to_document()
            | {
                "families": ", ".join(FAMILY_LABELS[f].lower() for f in p.families),
                "responder": RESPONDER_LABELS.get(p.responder, p.responder),
            }
            for p in found
        }
        self.practice_list.value = render(
            "pilot/practices.html",
            practices=list(shown.values()),
            chosen=shown.get(self.programme.value or ""),
        )

    def start_from(self) -> None:
        """Fill the pilot from the programme chosen."""
        self.model.start_from(self.programme.value or "")


def _chart(curve: list[dict[str, Any]]) -> str:
    """The detectable effect against duration, or when it will come."""
    if not curve:
        return tag("p", "The chart of detectable effect against duration follows once the "
                   "figures are refined.")  # fmt: skip
    from kit import charts

    return charts.to_svg(charts.detectable_chart(curve))


def _percent(share: float | None) -> str:
    return "none" if share is None else f"{share:.0%}"


def power_html(model: PilotModel) -> Markup:
    """The detectable effect per metric and how to read it (the page, and a headless run's
    record of what was saved)."""
    figures = model.diagnosis
    mde = figures.get("mde")
    return render(
        "pilot/power.html",
        effect="not detectable" if mde is None else f"{_percent(mde)} fewer police-handled calls",
        design=model.assessment.get("name", model.used_design),
        rows=model.power_rows(),
        inference=figures.get("inference", ""),
        confident=figures.get("confident", True),
        advice=figures.get("advice", ""),
        refined=model.refined,
        sims=figures.get("sims", 0),
        refine_error=model.refine_error,
    )
