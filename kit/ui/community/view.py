"""Step 01's page: the survey and who took part, the voices, and the goals editor.

The view builds its sections from :mod:`kit.ui.community.sections` and redraws them from the
model's figures; every piece of HTML comes from :mod:`kit.pages.community`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kit.pages import Markup
from kit.pages import community as fragments
from kit.pages.guide import help_html
from kit.ui.base import StepView, csv_link
from kit.ui.community import sections
from kit.ui.community.model import CommunityModel

if TYPE_CHECKING:
    import ipywidgets as widgets


def report_html(model: CommunityModel) -> Markup:
    """What a headless run shows: the survey, who took part, the voices and the goals."""
    return Markup("").join(
        [
            fragments.answers_html(model.survey),
            fragments.participation_html(model.survey),
            fragments.voices_html(model.voices),
            fragments.goals_html(model.saved_goals()),
        ]
    )


#: The target box's label for a metric's unit, where the unit alone would not say it.
TARGET_LABELS = {"share": "Target (%)", "score 0-10": "Target (0-10)"}


class CommunityView(StepView):
    """The community's figures and the goals editor, linked to the model."""

    model: CommunityModel

    def build(self) -> widgets.Widget:
        import ipywidgets as widgets

        page = widgets.VBox(
            [
                self.message_box(),
                sections.survey(self),
                sections.participation(self),
                sections.voices(self),
                sections.goals(self),
                self.history_panel(),
            ]
        )
        self.model.observe(lambda _: self.show_figures(), names=["metrics", "survey", "voices"])
        self.model.observe(lambda _: self.show_goals(), names=["goals"])
        return page

    def refresh(self) -> None:
        """Work the figures out if they are not yet, and draw them."""
        self.model.up_to_date()
        self.show_figures()
        self.show_goals()

    def show_figures(self) -> None:
        """The survey, who took part, the voices and the metric menu."""
        m = self.model
        survey = m.survey
        self.answers.value = (
            fragments.answers_html(survey) if survey else help_html("community.no_survey")
        )
        self.participation.value = (
            fragments.participation_html(survey)
            + csv_link(survey.get("participation", {}).get("areas", []), "participation-by-area")
            if survey
            else ""
        )
        self.notes.value = fragments.notes_html(survey.get("notes", [])) if survey else ""
        self.voices.value = fragments.voices_html(m.voices) if m.voices else ""
        self.menu.value = fragments.menu_html(m.metrics, m.areas) + csv_link(m.metrics, "metrics")
        choices = [(item["label"], item["metric"]) for item in m.metrics]
        if list(self.goal_metric.options) != choices:
            self.goal_metric.options = choices
        self.show_target_unit()

    def show_target_unit(self) -> None:
        """Name the target's unit beside it: percent for a share, else the metric's unit."""
        unit = next(
            (m["unit"] for m in self.model.metrics if m["metric"] == self.goal_metric.value), ""
        )
        self.goal_target.description = TARGET_LABELS.get(
            unit, f"Target ({unit})" if unit else "Target"
        )

    def show_goals(self) -> None:
        """The goals written so far, numbered, with their baselines now."""
        goals = self.model.saved_goals() if self.model.metrics else []
        self.goal_list.value = fragments.goals_html(goals) + csv_link(goals, "goals")

    def survey_uploaded(self, change: dict[str, Any]) -> None:
        """A survey was uploaded: keep it in the workspace and import it."""
        files = change["new"]
        if not files:
            return
        with self.model.reporting("importing the survey", busy=True):
            name = str(files[0]["name"])
            suffix = ".xlsx" if name.lower().endswith(".xlsx") else ".csv"
            target = self.model.workspace.save_upload(f"survey{suffix}", bytes(files[0]["content"]))
            self.model.import_survey_file(target)
        change["owner"].value = ()

    def add_goal(self) -> None:
        """Add the goal written in the editor, then clear its text."""
        self.model.add_typed_goal(
            self.goal_text.value, self.goal_metric.value, self.goal_target.value
        )
        self.goal_text.value = ""

    def remove_goal(self) -> None:
        """Remove the goal whose number is given."""
        self.model.remove_goal(self.goal_remove.value - 1)
