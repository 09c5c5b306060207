"""Step 04's model: the pilot, its design and the smallest effect it could detect.

The pilot starts from :func:`kit.pilot.definition.workspace_pilot` (the saved one, else one
proposed from step 02's plan); the detectable effect comes from the shared
:class:`kit.pilot.power.PowerCache`, which answers at once and refines in the background.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING, Any

import traitlets

from kit.errors import KitError
from kit.pilot.definition import (
    DECISION_NAME,
    Pilot,
    design_for,
    workspace_pilot,
)
from kit.pilot.panel import workspace_panel
from kit.pilot.power import Plan, PowerCache
from kit.ui.base import FIGURES, StepModel

if TYPE_CHECKING:
    import pandas as pd

    from kit.workspace import Workspace

#: One cache per kernel, so going back to a design already seen answers at once.
CACHE = PowerCache()


class PilotModel(StepModel):
    """The pilot as traits, the design it is evaluated with and its detectable effect."""

    step = "04"
    decision = DECISION_NAME
    figure_inputs = ("weeks", "design", "areas", "call_types")

    call_types = traitlets.List(traitlets.Unicode())
    responder = traitlets.Unicode("")
    areas = traitlets.List(traitlets.Unicode())
    hours = traitlets.List(traitlets.Int())
    start = traitlets.Unicode("")
    #: The pilot's length in weeks.
    weeks = traitlets.Int(26, allow_none=True)
    #: The chosen design (None: the one the kit recommends).
    design = traitlets.Unicode(None, allow_none=True)
    #: The design used and why (filled by the figures).
    used_design = traitlets.Unicode("")
    why = traitlets.Unicode("")
    #: The primary metric's diagnosis as :meth:`kit.pilot.power.Diagnosis.as_dict` gives it.
    diagnosis = traitlets.Dict()

    def __init__(self, workspace: Workspace, **kwargs: Any) -> None:
        super().__init__(workspace, **kwargs)
        self._panels: dict[tuple[tuple[str, ...], bool], pd.DataFrame] = {}
        with self.holding():
            self._set_pilot(workspace_pilot(workspace))

    @classmethod
    def missing(cls, workspace: Workspace) -> str | None:
        if not workspace.has_table("calls"):
            return "Step 04 needs calls for service: import them in step 00 first."
        try:
            workspace_pilot(workspace)
        except KitError as exc:
            return str(exc)
        return None

    def _set_pilot(self, pilot: Pilot) -> None:
        self.call_types = list(pilot.call_types)
        self.responder = pilot.responder
        self.areas = list(pilot.areas)
        self.hours = list(pilot.hours)
        self.start = pilot.start.isoformat()
        self.weeks = pilot.weeks
        self.design = pilot.design

    def pilot(self) -> Pilot:
        """The pilot the traits describe."""
        return Pilot(
            call_types=tuple(self.call_types),
            responder=self.responder,
            areas=tuple(self.areas),
            hours=tuple(self.hours),
            start=date.fromisoformat(self.start),
            weeks=self.weeks or 26,
            design=self.design,
        )

    def forget(self) -> None:
        self._panels.clear()

    def _panel(self, by_shift: bool) -> pd.DataFrame:
        key = (tuple(self.call_types), by_shift)
        if key not in self._panels:
            self._panels[key] = workspace_panel(self.workspace, key[0], by_shift=by_shift)
        return self._panels[key]

    def work_out(self) -> None:
        pilot = self.pilot()
        chosen = design_for(pilot, len(self.workspace.profile.area_names))
        self.used_design, self.why = chosen.design, chosen.why
        plan = Plan(chosen.design, pilot.weeks, pilot.areas, tuple(sorted(pilot.call_types)))
        found = CACHE.get(self._panel(chosen.design == "randomised"), plan, refine=False)
        self.diagnosis = found.as_dict()

    def state_to_document(self) -> dict[str, Any]:
        document = self.pilot().to_document()
        document.pop("schema_version")
        return document

    def state_from_document(self, document: dict[str, Any]) -> None:
        self._set_pilot(replace(Pilot.from_document({**document, "schema_version": 1})))

    def run(self) -> None:
        """Headless: work out the detectable effect; a history too short for it is said in
        :attr:`error`, and the pilot is saved all the same."""
        with self.reporting("working out the detectable effect", source=FIGURES):
            self.recompute()
