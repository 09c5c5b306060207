"""Step 01's model: the survey, the voices and the ``safety_definition`` decision as traits.

The figures (the survey weighted beside unweighted, what the deliberation and listening
sessions said, and the metric menu with its baselines) are read from the workspace through
:mod:`kit.community`, the functions ``kit community``, ``kit voices`` and ``kit safety`` call
too. They are worked out again when a survey is imported or the workspace changes; goals do
not change them, so writing a goal costs nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

import traitlets

from kit.community.definition import (
    DECISION_NAME,
    SCHEMA_VERSION,
    Sources,
    check_goals,
    definition,
    menu,
    menu_document,
    read_sources,
)
from kit.community.survey import import_survey
from kit.community.voices import voices_summary
from kit.errors import KitError
from kit.ui.base import StepModel

if TYPE_CHECKING:
    from kit.workspace import Workspace


class CommunityModel(StepModel):
    """The definition of safety as traits, and the community's figures read beside it."""

    step = "01"
    decision = DECISION_NAME
    schema_version = SCHEMA_VERSION
    figure_inputs: ClassVar[tuple[str, ...]] = ("survey_imports",)

    #: The goals: each ``{"text", "metric", "target"}`` (checked when saved).
    goals = traitlets.List()
    #: A survey file in the workspace that a headless run imports first (papermill parameter).
    survey_file = traitlets.Unicode("")
    #: How many surveys this page imported: a new one works the figures out again.
    survey_imports = traitlets.Int(0)

    #: The survey document of ``kit community`` ({} when no survey is imported).
    survey = traitlets.Dict()
    #: The voices document of ``kit voices``.
    voices = traitlets.Dict()
    #: The metric menu, each with its baseline now (``kit safety --menu``).
    metrics = traitlets.List()
    #: The profile's areas, in order, for the by-area columns.
    areas = traitlets.List()

    def __init__(self, workspace: Workspace, **kwargs: Any) -> None:
        super().__init__(workspace, **kwargs)
        self._sources: Sources | None = None

    @classmethod
    def missing(cls, workspace: Workspace) -> str | None:
        if workspace.calls().empty:
            return "Import the calls in step 00 first: the goals are measured on them."
        return None

    def forget(self) -> None:
        self._sources = None

    def sources(self) -> Sources:
        """The calls, plan and survey, read once until the workspace changes."""
        if self._sources is None:
            self._sources = read_sources(self.workspace)
        return self._sources

    def work_out(self) -> None:
        self.forget()
        sources = self.sources()
        self.survey = sources.survey or {}
        self.voices = voices_summary(self.workspace)
        self.metrics = menu_document(sources)
        self.areas = list(self.workspace.profile.area_names)

    def menu_choices(self) -> list[tuple[str, str]]:
        """(label, key) for each metric on the menu, for the goals editor."""
        return [(metric.label, key) for key, metric in menu(self.sources()).items()]

    def import_survey_file(self, path: str | Path) -> None:
        """Import a survey (CSV or XLSX) with the step 00 checks, then work the figures out."""
        import_survey(self.workspace, path)
        self.survey_imports += 1
        self.status = "Survey imported: the figures below are weighted to the residents."

    def add_goal(self, text: str, metric: str, target: float) -> None:
        """Add one goal after checking it against the menu (a plain refusal if it is wrong)."""
        goal = {"text": text, "metric": metric, "target": target}
        self.goals = [*self.goals, *check_goals([goal], menu(self.sources()))]

    def add_typed_goal(self, text: str, metric: str, typed: float) -> None:
        """Add a goal as the page's form gives it: a share's target in percent, as people
        write shares, every other target in the metric's own unit."""
        shares = {m["metric"] for m in self.metrics if m.get("unit") == "share"}
        if metric in shares:
            if not 0 <= typed <= 100:
                raise KitError(
                    f"The target is a percentage: write a number from 0 to 100, not {typed:g}."
                )
            typed = typed / 100
        self.add_goal(text, metric, typed)

    def remove_goal(self, index: int) -> None:
        """Drop one goal (nothing is saved until Save)."""
        self.goals = [g for i, g in enumerate(self.goals) if i != index]

    def state_to_document(self) -> dict[str, Any]:
        document = definition(self.sources(), self.goals)
        document.pop("schema_version", None)
        return document

    def state_from_document(self, document: dict[str, Any]) -> None:
        self.goals = [
            {"text": g["text"], "metric": g["metric"], "target": g["target"]}
            for g in document.get("goals", [])
        ]

    def saved_goals(self) -> list[dict[str, Any]]:
        """The goals with their baselines, as saved (or as they would be saved)."""
        return list(self.state_to_document()["goals"])

    def run(self) -> None:
        """Headless: import the survey file given, then work out the figures to show."""
        if self.survey_file:
            self.import_survey_file(Path(self.survey_file).expanduser())
        self.up_to_date()
