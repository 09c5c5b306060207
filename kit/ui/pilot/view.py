"""Step 04's page: the pilot's duration and design, and the effect it could detect."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kit.pages import render
from kit.pilot.designs import DESIGNS
from kit.ui.base import StepView
from kit.ui.pilot.model import PilotModel
from kit.ui.pilot.results import results_section

if TYPE_CHECKING:
    import ipywidgets as widgets


class PilotView(StepView):
    """The pilot's weeks and design, the recommendation and the detectable effect."""

    model: PilotModel

    def build(self) -> widgets.Widget:
        import ipywidgets as widgets

        weeks = widgets.BoundedIntText(min=4, max=104, description="Weeks").add_class(
            "kit-pilot-weeks"
        )
        widgets.link((self.model, "weeks"), (weeks, "value"))
        design = widgets.Dropdown(
            options=[("Recommended", None), *((d, d) for d in DESIGNS)], description="Design"
        ).add_class("kit-pilot-design")
        widgets.link((self.model, "design"), (design, "value"))
        self.answer = widgets.HTML().add_class("kit-pilot-mde")
        self.model.observe(lambda _: self.show(), names=["diagnosis"])
        save = self.action("Save this pilot", self.keep, css="kit-save")
        return widgets.VBox(
            [
                self.message_box(),
                weeks,
                design,
                self.answer,
                save,
                self.history_panel(),
                results_section(self),
            ]
        )

    def refresh(self) -> None:
        self.model.up_to_date()
        self.show()

    def show(self) -> None:
        """The design used, why, and the smallest detectable reduction."""
        mde = self.model.diagnosis.get("mde")
        text = "not detectable" if mde is None else f"{mde:.0%} fewer police-handled calls"
        self.answer.value = render(
            "pilot/answer.html", design=self.model.used_design, why=self.model.why, effect=text
        )

    def keep(self) -> None:
        """Save the pilot as a new version."""
        self.model.status = f"Saved as version {self.model.save()}."
