"""Step 04's model: the pilot, its design and the smallest effect it could detect.

The pilot starts from :func:`kit.pilot.definition.workspace_pilot` (the saved one, else one
proposed from step 02's plan). A change of an input answers at once with the quick figures
of the shared :class:`kit.pilot.power.PowerCache` (or the refined ones, when this kernel
already worked them out); :meth:`PilotModel.refine_later` refines them in the background
(:mod:`kit.ui.pilot.refine`) and :meth:`PilotModel.refine` does so at once (headless runs).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING, Any, Final

import traitlets

from kit.community.definition import saved_goals
from kit.errors import KitError
from kit.pilot.definition import (
    DECISION_NAME,
    Pilot,
    check_areas,
    design_for,
    pilot_origin,
    read_pilot_calls,
    resolve_call_types,
    save_pilot,
    type_names,
    workspace_pilot,
)
from kit.pilot.panel import METRICS, workspace_panel
from kit.pilot.plan import DEFAULT_METRICS, workspace_plan
from kit.pilot.power import Diagnosis, Plan, PowerCache, Progress
from kit.pilot.practices import Practice, catalog
from kit.roles import ALTERNATIVES
from kit.roles import DECISION_NAME as ROLES_DECISION
from kit.steps import BASIS_KEY
from kit.ui.base import FIGURES, StepModel
from kit.ui.pilot.refine import Done, Refiner

if TYPE_CHECKING:
    import pandas as pd

    from kit.workspace import Workspace

#: One cache per kernel, so going back to a design already seen answers at once.
CACHE = PowerCache()
REFINER = Refiner()

#: The simulated metrics as the evaluation plan names them, primary first.
METRIC_LABELS: Final[dict[str, str]] = dict(
    zip(METRICS, (m["label"] for m in DEFAULT_METRICS), strict=True)
)


class PilotModel(StepModel):
    """The pilot as traits, the design it is evaluated with and its detectable effect."""

    step = "04"
    decision = DECISION_NAME
    figure_inputs = ("weeks", "design", "areas", "call_types", "can_randomise", "start_at_once")

    call_types = traitlets.List(traitlets.Unicode())
    responder = traitlets.Unicode("")
    areas = traitlets.List(traitlets.Unicode())
    hours = traitlets.List(traitlets.Int())
    start = traitlets.Unicode("")
    #: The pilot's length in weeks.
    weeks = traitlets.Int(26, allow_none=True)
    #: The chosen design (None: the one the kit recommends).
    design = traitlets.Unicode(None, allow_none=True)
    #: Whether the responder's days or shifts may be drawn at random (a design constraint).
    can_randomise = traitlets.Bool(False)
    #: How many pilot areas can start together (0: all of them); fewer makes a stepped rollout.
    start_at_once = traitlets.Int(0)
    #: The catalog programme the pilot starts from (None: none).
    practice = traitlets.Unicode(None, allow_none=True)
    #: The design used and why (filled by the figures).
    used_design = traitlets.Unicode("")
    why = traitlets.Unicode("")
    #: The design used and the one the kit recommends, as
    #: :meth:`kit.pilot.designs.Recommendation.to_document` gives them.
    assessment = traitlets.Dict()
    recommended = traitlets.Dict()
    #: The primary metric's diagnosis as :meth:`kit.pilot.power.Diagnosis.as_dict` gives it.
    diagnosis = traitlets.Dict()
    #: Whether :attr:`diagnosis` is the full one (every metric, the chart) or the first answer.
    refined = traitlets.Bool(False)
    #: How far the background refinement is, from 0 to 1.
    progress = traitlets.Float(0.0)
    #: Why the refinement failed ("": it did not).
    refine_error = traitlets.Unicode("")
    #: Where the pilot shown came from, as :func:`kit.pilot.definition.pilot_origin` says.
    origin = traitlets.Unicode("")

    def __init__(self, workspace: Workspace, **kwargs: Any) -> None:
        super().__init__(workspace, **kwargs)
        self._panels: dict[tuple[tuple[str, ...], bool], pd.DataFrame] = {}
        self._types: dict[str, str] | None = None
        self._plan: Plan | None = None
        with self.holding():
            self._set_pilot(workspace_pilot(workspace))
        self.origin = pilot_origin(workspace)

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
        self.practice = pilot.practice
        self.can_randomise = bool(pilot.constraints.get("can_randomise", False))
        self.start_at_once = int(pilot.constraints.get("start_at_once") or 0)

    def apply_parameters(self, **parameters: Any) -> None:
        """A workbook's parameters; call types by code or description, areas as the profile
        spells them, each checked against the workspace."""
        types = parameters.pop("call_types", None)
        areas = parameters.pop("areas", None)
        with self.holding():
            if types:
                self.call_types = list(resolve_call_types(types, self.type_names()))
            if areas:
                self.areas = list(check_areas(areas, self.workspace.profile.area_names))
            super().apply_parameters(**parameters)

    def pilot(self) -> Pilot:
        """The pilot the traits describe."""
        return Pilot(
            call_types=tuple(self.call_types),
            responder=self.responder,
            areas=tuple(self.areas),
            hours=tuple(self.hours),
            start=date.fromisoformat(self.start),
            weeks=self.weeks or 26,
            practice=self.practice,
            design=self.design,
            constraints=self._constraints(),
        )

    def _constraints(self) -> dict[str, Any]:
        """What limits the design, as the saved pilot records it (only what is set)."""
        limits: dict[str, Any] = {}
        if self.can_randomise:
            limits["can_randomise"] = True
        if 0 < self.start_at_once < len(self.areas):
            limits["start_at_once"] = self.start_at_once
        return limits

    def forget(self) -> None:
        self._panels.clear()
        self._types = None

    # ------------------------------------------------------------ what the controls offer

    def type_names(self) -> dict[str, str]:
        """Every call type in the calls, code to description, read once."""
        if self._types is None:
            self._types = type_names(read_pilot_calls(self.workspace))
        return self._types

    def type_options(self) -> list[tuple[str, str]]:
        """The call types as a list offers them: by description, the code after it."""
        named = self.type_names()
        return sorted(
            ((f"{desc} ({code})" if desc != code else code, code) for code, desc in named.items()),
            key=lambda option: option[0].casefold(),
        )

    def set_hours_span(self, first: int, until: int) -> None:
        """Hours from ``first`` up to ``until`` (0-24, across midnight when ``until`` is not
        after ``first``; the same hour twice: around the clock)."""
        span = (until - first) % 24 or 24
        self.hours = sorted({(first + h) % 24 for h in range(span)})

    def hours_span(self) -> tuple[int, int]:
        """The hours as one span (first hour, hour it ends), the widest run when they are not."""
        held = set(self.hours) or set(range(24))
        if len(held) == 24:
            return 0, 24
        first = next(h for h in range(24) if h in held and (h - 1) % 24 not in held)
        length = next(n for n in range(1, 25) if (first + n) % 24 not in held)
        return first, (first + length) % 24 or 24

    # ------------------------------------------------------------ the figures

    def _panel(self, by_shift: bool) -> pd.DataFrame:
        key = (tuple(self.call_types), by_shift)
        if key not in self._panels:
            self._panels[key] = workspace_panel(self.workspace, key[0], by_shift=by_shift)
        return self._panels[key]

    def work_out(self) -> None:
        pilot = self.pilot()
        n_areas = len(self.workspace.profile.area_names)
        self.recommended = design_for(replace(pilot, design=None), n_areas).to_document()
        chosen = design_for(pilot, n_areas)
        self.assessment = chosen.to_document()
        self.used_design, self.why = chosen.design, chosen.why
        plan = Plan(chosen.design, pilot.weeks, pilot.areas, tuple(sorted(pilot.call_types)))
        self._plan = plan
        with REFINER.held():
            found = REFINER.known(plan) or CACHE.get(self._current_panel(), plan, refine=False)
        self._show(found)

    def _current_panel(self) -> pd.DataFrame:
        return self._panel(self.used_design == "randomised")

    def _show(self, found: Diagnosis) -> None:
        self.refine_error = ""
        self.progress = 1.0 if found.refined else 0.0
        self.refined = found.refined  # before the figures, which the page redraws on
        self.diagnosis = found.as_dict()

    def refine(self) -> None:
        """Work the full figures out now, on this thread (headless runs)."""
        self.up_to_date()
        if self._plan is not None and not self.pending:
            self._show(REFINER.now(self._current_panel(), self._plan))

    def refine_later(self, progress: Progress, done: Done) -> Plan | None:
        """Ask for the full figures in the background; ``progress`` and ``done`` are called
        from the refining thread (the view hands what they change to the kernel's thread).
        Returns the plan being refined (None: nothing to refine)."""
        if self.pending or self.refined or self._plan is None:
            return None
        REFINER.ask(self._current_panel(), self._plan, progress, done)
        return self._plan

    @property
    def plan_shown(self) -> Plan | None:
        """The plan the figures were last worked out for."""
        return self._plan

    def is_current(self, plan: Plan) -> bool:
        """Whether ``plan`` is what the figures show now (a refinement may arrive late)."""
        return plan == self._plan and not self.pending

    def apply_refined(self, plan: Plan, found: Diagnosis | None, why: str) -> None:
        """Show a background refinement's figures, if they are still of the plan shown."""
        if not self.is_current(plan):
            return
        if found is None:
            self.refine_error = why
        else:
            self._show(found)

    def power_rows(self) -> list[dict[str, Any]]:
        """One row per metric for the power table: the simulated metrics, then step 01's
        other goals, which the results measure but the simulation does not cover."""
        figures = self.diagnosis
        if not figures:
            return []
        primary = {k: figures[k] for k in ("mde", "mde_analytic", "bias", "coverage", "sims")}
        rows = [{"metric": "calls", "label": METRIC_LABELS["calls"], **primary, "note": ""}]
        for key, found in figures.get("metrics", {}).items():
            rows.append({"metric": key, "label": METRIC_LABELS.get(key, key), **found})
        known = {*METRIC_LABELS, "police_calls"}
        for goal in saved_goals(self.workspace):
            if goal.get("metric") in known:
                continue
            known.add(goal.get("metric"))
            rows.append(
                {
                    "metric": goal.get("metric"),
                    "label": goal.get("label") or goal.get("metric"),
                    "mde": None,
                    "mde_analytic": None,
                    "bias": None,
                    "coverage": None,
                    "sims": 0,
                    "note": "Step 01's goal: measured in the results, not simulated here.",
                }
            )
        return rows

    # ------------------------------------------------------------ the practices catalog

    def practices(self, family: str = "") -> list[Practice]:
        """The catalog's programmes, those answering calls of ``family`` when one is given."""
        return [p for p in catalog() if not family or family in p.families]

    def start_from(self, practice_id: str) -> None:
        """Fill the pilot's call types (and responder) from a catalog programme's families."""
        from kit.roles.rules import workspace_rules
        from kit.taxonomy import FAMILY_LABELS, classify_types

        practice = next((p for p in catalog() if p.id == practice_id), None)
        if practice is None:
            raise KitError("Choose a programme from the catalog first.")
        plan = self.workspace.decisions.latest(ROLES_DECISION)
        overrides = plan.document.get("family_overrides") if plan is not None else None
        types = classify_types(
            read_pilot_calls(self.workspace),
            overrides=overrides,
            rules=workspace_rules(self.workspace),
        )
        chosen = types[types["family"].isin(practice.families)].sort_values(
            "calls", ascending=False
        )
        if chosen.empty:
            families = ", ".join(FAMILY_LABELS[f].lower() for f in practice.families)
            raise KitError(
                f"None of the call types in your calls is in {practice.name}'s families "
                f"({families}): choose the pilot's call types yourself."
            )
        with self.holding():
            self.call_types = [str(t) for t in chosen["call_type"]]
            if practice.responder in ALTERNATIVES:
                self.responder = practice.responder
            self.practice = practice.id
        self.status = (
            f"The pilot now starts from {practice.name}: {len(chosen)} call type(s) of its "
            "families. Check them in the list above."
        )

    # ------------------------------------------------------------ saving and the plan

    def state_to_document(self) -> dict[str, Any]:
        document = self.pilot().to_document()
        document.pop("schema_version")
        return document

    def state_from_document(self, document: dict[str, Any]) -> None:
        self._set_pilot(Pilot.from_document({**document, "schema_version": 1}))

    def save(self, *, user: str | None = None) -> int:
        """Save the pilot with the power figures shown, through :func:`save_pilot`.

        A save refused because someone saved since this page read the design goes through
        :meth:`StepModel.save`, which keeps it as a draft and says so.
        """
        from kit.workspace import current_user

        latest = self.workspace.decisions.latest(self.decision)
        if latest is not None and latest.version != self.base_version:
            return super().save(user=user)
        power = None if self.pending else dict(self.diagnosis) or None
        with self.writing():
            version = save_pilot(
                self.workspace, self.pilot(), power=power, user=user or current_user()
            )
        saved = self.workspace.decisions.latest(self.decision)
        self.base_version = version
        self._loaded_basis = saved.document.get(BASIS_KEY) if saved is not None else None
        self.outdated = []
        self.origin = "saved"
        self.status = f"Saved as version {version}" + (
            "." if self.refined or power is None else
            ", with the first answer for the detectable effect: save again once the figures "
            "are refined to keep those."
        )  # fmt: skip
        return version

    def evaluation_plan(self) -> dict[str, Any]:
        """The saved pilot's evaluation plan, as ``kit pilot-plan`` writes it."""
        if self.workspace.decisions.latest(self.decision) is None:
            raise KitError("Save the pilot first: the evaluation plan is the saved pilot's.")
        return workspace_plan(self.workspace)

    def run(self) -> None:
        """Headless: work out the full figures; a history too short for them is said in
        :attr:`error`, and the pilot is saved all the same."""
        with self.reporting("working out the detectable effect", source=FIGURES):
            self.recompute()
            self.refine()
