"""Refining step 04's power figures in the background, one plan at a time.

The page answers a change of design or duration at once with the quick figures of
:class:`kit.pilot.power.PowerCache`; the full diagnosis (every metric, 200 placebo pilots
each, the chart's durations) takes tens of seconds. On a machine of two cores, refining
every plan a person clicked past would leave none free for the plan they stopped on, so the
refiner works on one plan at a time and, when it is done, takes the plan asked for last.
Refined figures are kept for as long as the kernel runs.

The refinement runs on a thread of the kernel's own process, so it shares the interpreter
with the page: while the page works out a first answer (:meth:`Refiner.held`), the
refinement waits at its next placebo pilot, and the answer comes as fast as on an idle
kernel.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from kit.errors import KitError
from kit.pilot.power import FULL_SIMS, Diagnosis, Plan, Progress, diagnose

if TYPE_CHECKING:
    import pandas as pd

#: Called once a plan's refinement ends: the plan, the refined figures (None when they could
#: not be worked out) and why not, in plain words.
Done = Callable[[Plan, "Diagnosis | None", str], None]


class Refiner:
    """Full diagnoses worked out on one background thread, the plan asked for last first."""

    def __init__(self, sims: int = FULL_SIMS) -> None:
        self.sims = sims
        self._done: dict[Plan, Diagnosis] = {}
        self._failed: dict[Plan, str] = {}
        self._wanted: tuple[pd.DataFrame, Plan, Progress, Done] | None = None
        self._thread: threading.Thread | None = None
        self._changed = threading.Condition()
        self._holders = 0
        self._free = threading.Event()
        self._free.set()

    @contextlib.contextmanager
    def held(self) -> Iterator[None]:
        """Pause the refinement while the block runs (the page's first answer)."""
        with self._changed:
            self._holders += 1
            self._free.clear()
        try:
            yield
        finally:
            with self._changed:
                self._holders -= 1
                if not self._holders:
                    self._free.set()

    def known(self, plan: Plan) -> Diagnosis | None:
        """The refined figures of ``plan``, if they were worked out."""
        with self._changed:
            return self._done.get(plan)

    def now(self, panel: pd.DataFrame, plan: Plan) -> Diagnosis:
        """The refined figures, worked out on this thread when not already known (headless)."""
        found = self.known(plan)
        if found is None:
            found = diagnose(panel, plan, sims=self.sims)
            with self._changed:
                self._done[plan] = found
                self._changed.notify_all()
        return found

    def ask(self, panel: pd.DataFrame, plan: Plan, progress: Progress, done: Done) -> None:
        """Refine ``plan`` next, in place of any plan asked for before and not yet begun."""
        with self._changed:
            if plan in self._done:
                found = self._done[plan]
            else:
                self._wanted = (panel, plan, progress, done)
                if self._thread is None:
                    self._thread = threading.Thread(target=self._work, daemon=True)
                    self._thread.start()
                return
        done(plan, found, "")

    def wait(self, plan: Plan, timeout: float) -> Diagnosis | None:
        """Wait up to ``timeout`` seconds for ``plan``'s refined figures (tests, benchmarks)."""
        with self._changed:
            self._changed.wait_for(
                lambda: plan in self._done or plan in self._failed, timeout=timeout
            )
            return self._done.get(plan)

    def _work(self) -> None:
        while True:
            with self._changed:
                if self._wanted is None:
                    self._thread = None
                    return
                panel, plan, progress, done = self._wanted
                self._wanted = None
            found, why = self._diagnose(panel, plan, progress)
            done(plan, found, why)

    def _diagnose(
        self, panel: pd.DataFrame, plan: Plan, progress: Progress
    ) -> tuple[Diagnosis | None, str]:
        def step(done: int, total: int) -> None:
            self._free.wait()
            progress(done, total)

        try:
            found = diagnose(panel, plan, sims=self.sims, progress=step)
        except KitError as exc:
            with self._changed:
                self._failed[plan] = str(exc)
                self._changed.notify_all()
            return None, str(exc)
        with self._changed:
            self._done[plan] = found
            self._changed.notify_all()
        return found, ""
