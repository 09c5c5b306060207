"""Step 04's results: the pilot's effect, once the calls held reach past its start.

The estimate is :func:`kit.pilot.results.evaluate` on the saved pilot design, the function
``kit evaluate`` calls, and it is saved with :func:`kit.pilot.results.save_results`, so the
page, the command line and the brief read the same ``pilot_results``. Until the calls reach
a week past the start, the section says what to add and how.

The estimate takes seconds (placebo pilots for its interval), so in the page it runs on a
background thread that only computes; every trait change, which the widgets follow, is
handed to the kernel's own thread (:func:`kit.ui.base.on_kernel_thread`).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import pandas as pd
import traitlets

from kit.errors import KitError
from kit.pages import render
from kit.pages.pilot_results import results_html
from kit.pilot.results import (
    DECISION_NAME,
    Pilot,
    Results,
    disposition_choices,
    evaluate,
    held_draw,
    keep_draw,
    planned_method,
    save_results,
    saved_for_evaluation,
)
from kit.ui.base import UNEXPECTED, on_kernel_thread, server_log, version_label

if TYPE_CHECKING:
    import ipywidgets as widgets

    from kit.ui.base import StepView
    from kit.workspace import Workspace


class ResultsModel(traitlets.HasTraits):
    """The results part of step 04 as traits: what is needed, or the estimate and its save."""

    #: What is needed before the effect can be estimated ("": nothing, it can be).
    needed = traitlets.Unicode("")
    #: Dispositions that mark a call the new responder answered (taken out of police calls).
    dispositions = traitlets.List(traitlets.Unicode())
    #: The dispositions the pilot's calls since its start show, to choose from.
    choices = traitlets.List(traitlets.Unicode())
    #: The estimate as ``kit evaluate --json`` prints it ({} while none is current).
    document = traitlets.Dict()
    #: What the estimate is doing now ("": not running).
    progress = traitlets.Unicode("")
    error = traitlets.Unicode("")
    status = traitlets.Unicode("")
    #: The latest saved results in one line ("": none saved).
    saved = traitlets.Unicode("")
    #: Whether the saved design is randomised by shift or day, so its sealed draw is asked for.
    needs_draw = traitlets.Bool(False)
    #: The sealed draw held, in plain words ("": none).
    draw_held = traitlets.Unicode("")
    #: Why the draw last loaded was refused ("": it was not).
    draw_error = traitlets.Unicode("")

    def __init__(self, workspace: Workspace) -> None:
        super().__init__()
        self.workspace = workspace
        self._results: Results | None = None
        self._run = 0
        self._key: object = None
        self._lock = threading.Lock()
        self._draw: pd.DataFrame | None = None

    def held_changed(self) -> bool:
        """Whether the calls or a decision the results rest on changed since the last
        estimate (this section's own saves aside); the first call is always True."""
        data, versions = self.workspace.state_key()
        key = (data, tuple(v for v in versions if v[0] != DECISION_NAME))
        changed, self._key = key != self._key, key
        return changed

    def prepare(self) -> Pilot | None:
        """Read the saved design and the saved results; the pilot to evaluate, or None (then
        :attr:`needed` says why)."""
        latest = self.workspace.decisions.latest(DECISION_NAME)
        if latest is not None:
            self.saved = f"{version_label(latest)}: {latest.document.get('reading', '')}"
            if not self.dispositions:
                self.dispositions = list(latest.document.get("responder_dispositions") or [])
        self.needs_draw = planned_method(self.workspace) == "randomised"
        try:
            self._draw = held_draw(self.workspace) if self.needs_draw else None
            self.draw_held = "" if self._draw is None else _draw_text(self._draw)
            pilot = saved_for_evaluation(
                self.workspace, self.dispositions, drawn=self._draw is not None
            )
        except KitError as exc:
            self.needed = exc.in_app()
            return None
        self.needed = ""
        self.choices = sorted({*disposition_choices(self.workspace, pilot), *self.dispositions})
        return pilot

    def estimate(self, pilot: Pilot, progress: Callable[[str], None] | None = None) -> Results:
        """The pilot's effect with the saved design; changes no trait, so any thread may."""
        return evaluate(self.workspace, pilot, progress=progress, draw=self._draw)

    def show(self, results: Results) -> None:
        """Hold ``results`` as the current estimate."""
        self._results = results
        self.document = results.to_dict()

    def estimate_now(self) -> None:
        """Prepare and estimate on this thread (headless runs and tests)."""
        pilot = self.prepare()
        if pilot is not None:
            self.show(self.estimate(pilot))

    def estimate_in_background(self, on_kernel: Callable[[Callable[[], None]], None]) -> None:
        """Prepare here, then estimate on a background thread; traits change only through
        ``on_kernel``. A newer request makes an older one's answer be dropped."""
        with self._lock:
            self._run += 1
            run = self._run
        self._results = None
        self.document = {}
        self.error = ""
        self.status = ""
        pilot = self.prepare()
        if pilot is None:
            return
        self.progress = "Starting the estimate"

        def current() -> bool:
            with self._lock:
                return run == self._run

        def say(message: str) -> None:
            if current():
                on_kernel(lambda: setattr(self, "progress", message[:1].upper() + message[1:]))

        def work() -> None:
            try:
                results = self.estimate(pilot, progress=say)
            except KitError as exc:
                done = {"error": exc.in_app()}
            except Exception:
                server_log().exception("Unexpected error while estimating the pilot's effect")
                done = {"error": UNEXPECTED}
            else:
                done = {"results": results}
            if current():
                on_kernel(lambda: self._finish(**done))

        threading.Thread(target=work, daemon=True).start()

    def _finish(self, results: Results | None = None, error: str = "") -> None:
        self.progress = ""
        self.error = error
        if results is not None:
            self.show(results)

    def use_draw(self, content: bytes, name: str) -> bool:
        """Check and keep an uploaded sealed draw; True when kept. A refused one is said in
        :attr:`draw_error`, and the draw kept before stays."""
        try:
            keep_draw(self.workspace, content, name)
        except KitError as exc:
            self.draw_error = exc.in_app()
            return False
        self.draw_error = ""
        return True

    def save(self) -> int:
        """Save the current estimate as a new version of ``pilot_results``."""
        if self._results is None:
            raise KitError("Wait until the effect is estimated, then save it.")
        version = save_results(self.workspace, self._results)
        latest = self.workspace.decisions.latest(DECISION_NAME)
        if latest is not None:
            self.saved = f"{version_label(latest)}: {latest.document.get('reading', '')}"
        self.status = f"Saved as version {version}."
        return version


def _draw_text(draw: pd.DataFrame) -> str:
    """The draw held, in a few words: how many shifts or days, how many with the responder."""
    drawn = int(draw["responder"].sum())
    return (
        f"The sealed draw is loaded: {len(draw):,} shifts or days from "
        f"{draw['date'].min():%d %B %Y}, {drawn:,} of them with the responder."
    )


def evaluate_saved_pilot(workspace: Workspace, dispositions: Sequence[str] = ()) -> int | None:
    """Headless: estimate and save the results when the calls allow; the version, or None.

    A pilot whose calls do not yet reach past its start is no failure of the run: the
    report says what is needed instead (:func:`results_report`).
    """
    model = ResultsModel(workspace)
    model.dispositions = list(dispositions)
    model.estimate_now()
    return None if model.needed else model.save()


def results_report(model: Any) -> str:
    """What an unattended run shows: the results saved, or what is needed for them."""
    workspace = model.workspace
    results = ResultsModel(workspace)
    results.prepare()
    latest = workspace.decisions.latest(DECISION_NAME)
    body = ""
    if latest is not None and not results.needed:
        body = results_html(latest.document, small_count=workspace.small_count)
    return str(render("pilot/results_section.html", needed=results.needed, body=body))


def results_section(view: StepView) -> widgets.Widget:
    """The results part of step 04's page, estimated on its own thread once it is shown."""
    import ipywidgets as widgets

    model = ResultsModel(view.model.workspace)
    needed = widgets.HTML().add_class("kit-results-needed")
    help_text = widgets.HTML(render("pilot/results_help.html"))
    picker = widgets.SelectMultiple(
        description="Responder's dispositions",
        style={"description_width": "initial"},
        layout=widgets.Layout(width="36em", height="7em"),
    ).add_class("kit-results-dispositions")
    upload = widgets.FileUpload(accept=".csv", description="Load the sealed draw").add_class(
        "kit-results-draw"
    )
    draw_note = widgets.HTML().add_class("kit-results-draw-note")
    again = widgets.Button(description="Estimate again").add_class("kit-results-again")
    progress = widgets.HTML().add_class("kit-results-progress")
    body = widgets.HTML().add_class("kit-results-body")
    save = widgets.Button(description="Save these results").add_class("kit-results-save")
    message = widgets.HTML().add_class("kit-results-message")
    saved = widgets.HTML().add_class("kit-results-saved")

    drawing = [False]

    def draw(_: Any = None) -> None:
        drawing[0] = True
        try:
            fill()
        finally:
            drawing[0] = False

    def fill() -> None:
        needed.value = render("pilot/results_section.html", needed=model.needed, body="")
        upload.layout.display = None if model.needs_draw else "none"
        text, kind = (
            (model.draw_error, "error") if model.draw_error else (model.draw_held, "status")
        )
        draw_note.value = render("message.html", text=text, kind=kind) if text else ""
        ready = not model.needed
        for widget in (help_text, picker, again, save):
            widget.layout.display = None if ready else "none"
        picker.options = model.choices
        picker.value = tuple(d for d in model.dispositions if d in model.choices)
        progress.value = render("pilot/results_progress.html", text=model.progress)
        document = model.document
        body.value = (
            results_html(document, small_count=model.workspace.small_count, app=True)
            if document
            else ""
        )
        save.disabled = not document or bool(model.progress)
        again.disabled = bool(model.progress)
        text, kind = (model.error, "error") if model.error else (model.status, "status")
        message.value = render("message.html", text=text, kind=kind) if text else ""
        saved.value = render("pilot/results_saved.html", saved=model.saved)

    def start(_: Any = None) -> None:
        model.estimate_in_background(on_kernel_thread)

    def page_ready(change: dict[str, Any]) -> None:
        """After the page is drawn or re-read (the step's work done), estimate again if the
        calls or a decision other than the results changed since the last estimate."""
        if not change["new"] and model.held_changed():
            start()

    def chose(change: dict[str, Any]) -> None:
        if not drawing[0] and list(change["new"]) != model.dispositions:
            model.dispositions = list(change["new"])
            start()

    def drawn(change: dict[str, Any]) -> None:
        files = change["new"]
        if not files:
            return
        try:
            if model.use_draw(bytes(files[0]["content"]), files[0]["name"]):
                start()
        finally:
            upload.value = ()

    def keep(_: Any) -> None:
        try:
            model.save()
        except KitError as exc:
            model.error = exc.in_app()

    model.observe(draw)
    view.model.observe(page_ready, names="busy")
    picker.observe(chose, names="value")
    upload.observe(drawn, names="value")
    again.on_click(start)
    save.on_click(keep)
    draw()
    box = view.section(
        "Results of the pilot",
        needed,
        upload,
        draw_note,
        help_text,
        picker,
        again,
        progress,
        body,
        widgets.HBox([save, message]),
        saved,
        css="kit-pilot-results-section",
    )
    return box
