"""The pattern every step of the app follows: a model, a view and a workbook's parameters.

A step is split in two so that the same code runs with a person (Voila) and without
one (papermill, ``kit run``, tests):

* a **model** (:class:`StepModel`): traitlets, no widgets. It holds the step's state,
  calls ``kit`` to compute, and can save its state to the workspace and restore it.
* a **view** (:class:`StepView`): ipywidgets built lazily on first display and linked
  to the model's traits. It holds no logic of its own.

A workbook is a typed, commented ``parameters`` cell and one call that hands those
parameters to :func:`launch` (through the step's own ``*_app`` function)::

    # parameters
    workspace: str = ""  # the jurisdiction's folder; empty: the one kit serve / kit run was given
    days: int = 90  # length of the pilot in days

    app = pilot_app(workspace=workspace, days=days)

where the step module defines::

    class PilotModel(StepModel):
        step = "04"
        decision = "pilot"
        days = traitlets.Int(90)

        def state_to_document(self) -> dict:
            return {"days": self.days}

        def state_from_document(self, document: dict) -> None:
            self.days = int(document["days"])


    class PilotView(StepView):
        def build(self) -> widgets.Widget:
            days = widgets.IntText(description="Days").add_class("kit-days")
            widgets.link((self.model, "days"), (days, "value"))
            return widgets.VBox([days, self.message_box()])


    def pilot_app(*, workspace: str = "", days: int = 90) -> StepApp:
        return launch(PilotModel, PilotView, workspace, days=days)

A step with figures names the traits they are worked out from in
:attr:`StepModel.figure_inputs` and works them out in :meth:`StepModel.work_out`. Every
change of one of those traits recomputes the figures at once, whoever made it (a widget, a
parameter, plain Python), so a model never hands out figures from before a change; while
they are worked out, or when that failed, :attr:`StepModel.pending` is True. Changes made
together (a load, a file of parameters) go inside :meth:`StepModel.holding` and recompute
once at the end.

Under papermill :func:`launch` loads what the workspace holds, applies the
parameters, runs the model's :meth:`StepModel.run` and saves; in Voila it shows the
view, and the widgets drive the model. Errors a user can fix (:class:`KitError`)
become a plain message in the page; anything else is logged in full to the server's
log and the page says only that something went wrong.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import json
import logging
import os
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

import traitlets

from kit.errors import KitError
from kit.steps import BASIS_KEY, basis, out_of_date

if TYPE_CHECKING:
    from datetime import datetime

    import ipywidgets as widgets
    from markupsafe import Markup

    from kit.decisions import Decision, Draft
    from kit.workspace import Workspace

#: The environment variable through which ``kit serve`` and ``kit run`` name the workspace.
WORKSPACE_ENV = "KIT_WORKSPACE"
#: The environment variable through which ``kit serve`` names a folder of workspaces; each
#: page then names its own in its address (see :mod:`kit.workspaces`).
WORKSPACES_ENV = "KIT_WORKSPACES"

#: What a page says when something that is not the user's to fix went wrong.
UNEXPECTED = (
    "Something went wrong that the kit did not expect. Nothing was saved by this action. "
    "The details are in the server's log; please pass them on to whoever looks after the kit."
)

log = logging.getLogger("kit.ui")

#: How often an open page checks whether the workspace changed elsewhere, in seconds.
WATCH_SECONDS = 3.0

#: The :attr:`StepModel.source` of a failure to work the figures out (shown beside them).
FIGURES = "kit-figures"

#: How long a page's kernel waits for a browser to show the page before it fills it anyway
#: (a page fetched over plain HTTP is never shown), in seconds.
BROWSER_SECONDS = 30.0


class StepSkipped(KitError):
    """The step cannot run yet because an earlier step has not given it what it needs.

    ``kit run`` reports the message as the reason a step was skipped, rather than as a failure.
    """


def server_log() -> logging.Logger:
    """The logger whose records reach the terminal of ``kit serve``, never the page.

    Inside a kernel, ``sys.stderr`` is sent to the page; ipykernel keeps a copy of the
    original stderr, which is where the server's own log goes.
    """
    if not log.handlers:
        fd = getattr(sys.stderr, "_original_stdstream_copy", None)
        stream = os.fdopen(os.dup(fd), "w", buffering=1) if fd is not None else sys.__stderr__
        handler = logging.StreamHandler(stream)
        handler.setFormatter(logging.Formatter("[kit %(levelname)s %(asctime)s] %(message)s"))
        log.addHandler(handler)
        log.setLevel(logging.INFO)
        log.propagate = False
    return log


def in_voila() -> bool:
    """Whether this kernel was started by Voila (which sets ``VOILA_PREHEAT`` in every kernel)."""
    return "VOILA_PREHEAT" in os.environ


def preheated() -> bool:
    """Whether this kernel is running the workbook before anyone has asked for the page."""
    return os.environ.get("VOILA_PREHEAT") == "True"


def serving_folder() -> bool:
    """Whether the server hosts a folder of workspaces, each page naming its own."""
    return bool(os.environ.get(WORKSPACES_ENV, "").strip())


def resolve_workspace(workspace: str | os.PathLike[str] = "") -> Workspace:
    """Open the workspace a workbook was given, or the one the server or ``kit run`` names.

    When the server hosts a folder of workspaces, the page's address names one of them
    (Voila puts the request's query string in ``QUERY_STRING``).
    """
    from kit.workspace import Workspace

    chosen = str(workspace or "").strip()
    if not chosen and serving_folder():
        from kit import workspaces

        wanted = workspaces.chosen_name(os.environ.get("QUERY_STRING", ""))
        return workspaces.choose(Path(os.environ[WORKSPACES_ENV]), wanted)
    chosen = chosen or os.environ.get(WORKSPACE_ENV, "").strip()
    if not chosen:
        raise KitError(
            "No workspace was given. Start the app with `kit serve WORKSPACE`, run the "
            "workbooks with `kit run WORKSPACE`, or set the `workspace` parameter."
        )
    return Workspace.open(Path(chosen).expanduser())


class StepModel(traitlets.HasTraits):
    """A step's state as traits, with no widgets, so it runs and is tested without a browser.

    Subclasses set :attr:`step` and :attr:`decision`, add their traits, and implement
    :meth:`state_to_document` / :meth:`state_from_document` (a JSON-ready dict that the
    workspace stores as a versioned decision) and :meth:`run` (what papermill does with
    no person present). Override :meth:`load` / :meth:`save` only when the step's state
    is not a single decision (step 00 saves the profile and imports calls).
    """

    #: The step's number as the workbooks name it ("00" .. "05").
    step: ClassVar[str] = ""
    #: The name of the step's decision in the workspace's decision store.
    decision: ClassVar[str] = ""
    #: The version of the document's layout, stored with it so old saves stay readable.
    schema_version: ClassVar[int] = 1
    #: Traits the step's figures are worked out from: a change of any of them recomputes the
    #: figures at once, whoever made it (a widget, a workbook's parameter, plain Python).
    figure_inputs: ClassVar[tuple[str, ...]] = ()

    #: A plain-language problem the page shows (empty when all is well).
    error = traitlets.Unicode("")
    #: A plain-language note on what just happened ("Saved as version 3.").
    status = traitlets.Unicode("")
    #: True while a long computation runs, so the view can disable its buttons.
    busy = traitlets.Bool(False)
    #: The version of the decision this state was loaded from or last saved as (None: never saved).
    base_version = traitlets.Int(None, allow_none=True)
    #: True while the figures do not match the traits: before they are first worked out,
    #: while they are being worked out, and after working them out failed (:attr:`error`
    #: says why). Figures are never left looking current after a change they do not reflect.
    pending = traitlets.Bool(True)
    #: Why the saved decision shown is out of date (empty: it is based on what is held now).
    outdated = traitlets.List(traitlets.Unicode())
    #: True once the workspace changed elsewhere after this page read it (see :func:`watch`).
    changed_elsewhere = traitlets.Bool(False)
    #: A plain-language caution: the action worked, but something needs a look.
    warning = traitlets.Unicode("")
    #: The control whose action the error, warning or status answers (its CSS class; "": none),
    #: so the page shows the message beside that control rather than far from it.
    source = traitlets.Unicode("")
    #: Why the figures cannot be worked out with the inputs as they are ("": they can). While
    #: set, the page greys the figures out and the buttons that need them say why they wait.
    blocked = traitlets.Unicode("")

    def __init__(self, workspace: Workspace, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.workspace = workspace
        self._read_at: tuple[Any, ...] | None = None
        self._loaded_basis: dict[str, Any] | None = None
        self._held = 0
        self._worked_out = False
        self._reporting = 0
        if self.figure_inputs:
            self.observe(self._input_changed, names=list(self.figure_inputs))

    def forget(self) -> None:
        """Drop whatever the step cached from the workspace (calls, other steps' decisions).

        Called by :meth:`load` when the workspace changed since it was last read, so that a
        page warmed before someone saved elsewhere still shows what is held now.
        """

    @classmethod
    def missing(cls, workspace: Workspace) -> str | None:
        """Why the step cannot run on this workspace yet, in plain words (None: it can)."""
        return None

    def state_to_document(self) -> dict[str, Any]:
        """The step's decisions as a JSON-ready document."""
        raise NotImplementedError(f"{type(self).__name__} must define state_to_document")

    def state_from_document(self, document: dict[str, Any]) -> None:
        """Set the traits from a document made by :meth:`state_to_document`."""
        raise NotImplementedError(f"{type(self).__name__} must define state_from_document")

    def apply_parameters(self, **parameters: Any) -> None:
        """Apply a workbook's parameters; empty values keep what the workspace holds."""
        for name, value in parameters.items():
            if not self.has_trait(name):
                raise KitError(f"The step has no parameter named {name!r}.")
            if value is None or value == "":
                continue
            setattr(self, name, value)

    def run(self) -> None:
        """Compute what the step produces without a person (papermill); default: nothing."""

    # ------------------------------------------------------------ the figures

    def work_out(self) -> None:
        """Set the figure traits from the input traits, through the domain modules.

        Steps with figures override this; it is only ever called through :meth:`recompute`.
        """

    def inputs_changed(self) -> None:
        """Drop figures worked out only on request (they do not follow every change)."""

    def affects_figures(self, change: dict[str, Any]) -> bool:
        """Whether a change of one of :attr:`figure_inputs` changes the figures."""
        return True

    def recompute(self) -> None:
        """Work the figures out now; :attr:`pending` stays True if that fails."""
        self.pending = True
        self.work_out()
        self._worked_out = True
        self.pending = False

    def up_to_date(self) -> None:
        """Recompute unless the figures already match the traits."""
        if self.pending:
            self.recompute()

    @contextlib.contextmanager
    def holding(self) -> Iterator[None]:
        """Change several inputs with one recompute at the end (a load, a file of parameters).

        Figures that were never worked out stay pending until something asks for them.
        """
        self._held += 1
        try:
            yield
        finally:
            self._held -= 1
        if not self._held and self.pending and self._worked_out:
            self._figures_now()

    def _input_changed(self, change: dict[str, Any]) -> None:
        if not self.affects_figures(change):
            return
        self.inputs_changed()
        self.pending = True
        if not self._held:
            self._figures_now()

    def _figures_now(self) -> None:
        """Recompute, saying beside the figures why when the inputs do not allow it."""
        with self.reporting("working out the figures", source=FIGURES):
            self.recompute()
        self.blocked = self.error if self.pending else ""

    def run_headless(self) -> None:
        """What papermill does after the parameters are applied: run, then save."""
        self.run()
        self.save()

    def load(self) -> bool:
        """Restore the latest saved state from the workspace; False when nothing was saved."""
        self.catch_up()
        latest = self.workspace.decisions.latest(self.decision)
        self._loaded_basis = None if latest is None else latest.document.get(BASIS_KEY)
        self.check_outdated()
        if latest is None:
            return False
        document = dict(latest.document)
        document.pop("schema_version", None)
        document.pop(BASIS_KEY, None)
        with self.holding():
            self.state_from_document(document)
        self.base_version = latest.version
        return True

    def check_outdated(self) -> None:
        """Set :attr:`outdated` from the basis of the decision last loaded (see kit.steps)."""
        self.outdated = out_of_date(self._loaded_basis, basis(self.workspace, self.decision))

    def catch_up(self) -> None:
        """Forget cached reads when the workspace changed since they were made."""
        key = self.workspace.state_key()
        if self._read_at is not None and key != self._read_at:
            self.forget()
            self.inputs_changed()
            self.pending = True
        self._read_at = key
        self.changed_elsewhere = False

    @contextlib.contextmanager
    def writing(self) -> Iterator[None]:
        """Wrap what this page writes itself (a save, an import), which is no change made
        elsewhere: unless something else changed before, the key it read at follows."""
        current = self._read_at is not None and not self.changed_since_read()
        yield
        if current:
            self._read_at = self.workspace.state_key()

    def changed_since_read(self) -> bool:
        """Whether the workspace changed since this page last read it (cheap: one small query)."""
        return self._read_at is not None and self.workspace.state_key() != self._read_at

    def save(self, *, user: str | None = None) -> int:
        """Save the state as a new version of the step's decision and return that version.

        Raises :class:`kit.errors.ConflictError` when someone saved since this state was
        loaded; their version stays the latest and this one is kept as a draft.
        """
        from kit.workspace import current_user

        document = {"schema_version": self.schema_version, **self.state_to_document()}
        document[BASIS_KEY] = basis(self.workspace, self.decision)
        with self.writing():
            version = self.workspace.decisions.save(
                self.decision,
                document,
                base_version=self.base_version,
                step=self.step,
                user=user or current_user(),
            )
        self.base_version = version
        self._loaded_basis = document[BASIS_KEY]
        self.outdated = []
        self.status = f"Saved as version {version}."
        return version

    def versions(self) -> list[Decision]:
        """The step's saved versions, newest first."""
        return sorted(self.workspace.decisions.versions(self.decision), key=lambda d: -d.version)

    def restore(self, version: int, *, user: str | None = None) -> int:
        """Bring back an earlier version by saving it again as the newest, then show it.

        Nothing is lost: the versions saved since stay in the history and can be brought
        back the same way. What the page held unsaved is replaced.
        """
        from kit.workspace import current_user

        new = self.workspace.decisions.restore(
            self.decision, version, step=self.step, user=user or current_user()
        )
        self.load()
        self.status = (
            f"Version {version} is back, saved as version {new}. Version {new - 1} stays in "
            "the history."
        )
        return new

    def drafts(self) -> list[Draft]:
        """Saves of this step refused because someone saved first, newest first."""
        return sorted(self.workspace.decisions.drafts(self.decision), key=lambda d: -d.id)

    def restore_draft(self, draft_id: int, *, user: str | None = None) -> int:
        """Save a refused draft as the newest version after all, then show it."""
        from kit.workspace import current_user

        store = self.workspace.decisions
        draft = next((d for d in store.drafts(self.decision) if d.id == draft_id), None)
        if draft is None:
            raise KitError(f"Draft {draft_id} is no longer kept; reload the page to see the list.")
        latest = store.latest(self.decision)
        new = store.save(
            self.decision,
            draft.document,
            base_version=None if latest is None else latest.version,
            step=self.step,
            user=user or current_user(),
        )
        store.discard_draft(draft_id)
        self.load()
        self.status = f"Draft {draft_id} is back, saved as version {new}; earlier versions stay."
        return new

    @contextlib.contextmanager
    def reporting(self, action: str, *, busy: bool = False, source: str = "") -> Iterator[None]:
        """Run a user's action, turning any failure into :attr:`error` instead of a traceback.

        ``action`` names what was being done ("importing the calls") for the server's log.
        ``busy`` turns the buttons off meanwhile: only for long work, because a button that
        flickers off for a quick change would swallow a click made just after it. ``source``
        names the control acted on, beside which the page shows the outcome; an action run
        inside another one reports to the outer one's control. The error is the app's
        wording (:meth:`KitError.in_app`): no command-line option reaches a page.
        """
        outer = not self._reporting
        if outer:
            self.source = source
            self.status = ""
            self.warning = ""
        self._reporting += 1
        self.error = ""
        self.busy = busy
        try:
            yield
        except KitError as exc:
            self.error = exc.in_app()
        except Exception:
            server_log().exception("Unexpected error while %s", action)
            self.error = UNEXPECTED
        finally:
            self._reporting -= 1
            self.busy = False


class StepView:
    """A step's widgets, built on first display and linked to the model.

    Subclasses implement :meth:`build`. The root widget carries the CSS classes
    ``kit-step``, ``kit-step-NN`` and ``kit-loading`` until :meth:`mark_ready`
    swaps the last for ``kit-ready`` (browser tests wait on it).
    """

    def __init__(self, model: StepModel) -> None:
        self.model = model
        self._widget: widgets.Widget | None = None
        #: Sources whose messages are shown beside their control, not in the page's message box.
        self._placed: set[str] = set()

    def build(self) -> widgets.Widget:
        """Create the step's widgets and link them to the model."""
        raise NotImplementedError(f"{type(self).__name__} must define build")

    def refresh(self) -> None:
        """Bring widgets the model does not drive through links up to date with the model.

        Called once the page is shown and again when a preheated page is requested, so a
        view should skip work whose inputs did not change.
        """

    def warm(self) -> None:
        """Import what :meth:`refresh` needs while the kernel waits for its page."""

    @property
    def widget(self) -> widgets.Widget:
        """The root widget, built on first use."""
        if self._widget is None:
            root = self.build()
            root.children = (
                self.header(),
                self.summary_bar,  # a child of the root, so it stays in view the whole page
                self.notices(),
                *root.children,
                self.glossary(),
            )
            root.add_class("kit-step")
            root.add_class(f"kit-step-{self.model.step}")
            root.add_class("kit-loading")
            self._widget = root
        return self._widget

    def mark_ready(self) -> None:
        """Say the page shows what the workspace holds now (CSS class ``kit-ready``)."""
        self.widget.remove_class("kit-loading")
        self.widget.add_class("kit-ready")

    def notices(self) -> widgets.VBox:
        """Banners at the top of every step: a saved decision out of date, and a workspace
        changed elsewhere while the page was open, with a button that brings the page up to
        date and keeps what was typed in it (unsaved changes stay in the fields)."""
        import ipywidgets as widgets

        model = self.model
        outdated = widgets.HTML().add_class("kit-outdated")
        changed = widgets.HTML().add_class("kit-changed")
        again = self.action("Show what is held now", self.catch_up, css="kit-refresh")

        def show(_: Any = None) -> None:
            outdated.value = (
                plain_message(outdated_text(model.outdated), kind="warning")
                if model.outdated
                else ""
            )
            moved = model.changed_elsewhere
            changed.value = plain_message(CHANGED, kind="warning") if moved else ""
            again.layout.display = None if moved else "none"

        model.observe(show, names=["outdated", "changed_elsewhere"])
        show()
        return widgets.VBox([outdated, changed, again, _style()]).add_class("kit-notices")

    def catch_up(self) -> None:
        """Re-read what changed in the workspace and redraw, keeping the page's unsaved edits."""
        self.model.catch_up()
        self.model.check_outdated()
        self.refresh()

    def message_box(self) -> widgets.HTML:
        """A box for messages no control of the page claims (opening the page, a link)."""
        return self._messages(lambda source: source not in self._placed)

    def feedback(self, source: str) -> widgets.HTML:
        """A box beside the control named ``source`` for the outcome of its action, styled
        as an error, a warning or a success (see :meth:`control`)."""
        self._placed.add(source)
        return self._messages(lambda shown: shown == source).add_class("kit-feedback")

    def _messages(self, mine: Callable[[str], bool]) -> widgets.HTML:
        """The model's error, warning or status as escaped text when ``mine(source)``.

        Only a box showing something carries the class ``kit-message``, so a page has one
        message at a time, where the user acted.
        """
        import ipywidgets as widgets

        box = widgets.HTML()
        model = self.model

        def show(_: Any = None) -> None:
            text, kind = "", "status"
            if mine(model.source):
                text, kind = next(
                    ((t, k) for t, k in ((model.error, "error"), (model.warning, "warning"),
                                         (model.status, "status")) if t),
                    ("", "status"),
                )  # fmt: skip
            box.value = plain_message(text, kind=kind) if text else ""
            (box.add_class if text else box.remove_class)("kit-message")

        model.observe(show, names=["error", "warning", "status", "source"])
        show()
        return box

    def figures(self, *children: widgets.Widget, css: str) -> widgets.VBox:
        """Figures that follow the inputs: greyed out, with the reason above them, while the
        inputs do not allow working them out (:attr:`StepModel.blocked`)."""
        import ipywidgets as widgets

        self._placed.add(FIGURES)
        reason = widgets.HTML().add_class("kit-figures-reason")
        box = widgets.VBox([reason, widgets.VBox(children).add_class("kit-figures-body")])
        box.add_class("kit-figures")
        box.add_class(css)

        def show(_: Any = None) -> None:
            why = self.model.blocked
            reason.value = plain_message(f"{GREYED} {why}", kind="error") if why else ""
            (box.add_class if why else box.remove_class)("kit-greyed")

        self.model.observe(show, names=["blocked"])
        show()
        return box

    def history_panel(self) -> widgets.Widget:
        """A folded panel listing the step's saved versions, with a button to bring one back."""
        import ipywidgets as widgets

        model = self.model
        choice = widgets.Dropdown(
            description="Version", layout=widgets.Layout(width="34em")
        ).add_class("kit-history-pick")

        def fill(_: Any = None) -> None:
            choice.options = [
                *((version_label(d), ("version", d.version)) for d in model.versions()),
                *((draft_label(d), ("draft", d.id)) for d in model.drafts()),
            ]

        def bring_back() -> None:
            if choice.value is None:
                raise KitError("Nothing is saved yet, so there is no earlier version.")
            kind, number = choice.value
            if kind == "draft":
                model.restore_draft(number)
            else:
                model.restore(number)
            self.refresh()

        model.observe(fill, names=["base_version", "error"])
        fill()
        inner = widgets.VBox(
            [
                widgets.HTML(
                    "<p>Every save is kept. Bringing a version back saves it again as the "
                    "newest; the versions since stay here. Changes not yet saved on this page "
                    "are replaced.</p>"
                ),
                choice,
                self.control("Bring this version back", bring_back, css="kit-restore"),
            ]
        )
        panel = widgets.Accordion(children=[inner], selected_index=None).add_class("kit-history")
        panel.set_title(0, "Earlier versions")
        return panel

    def section(self, title: str, *children: widgets.Widget, css: str) -> widgets.VBox:
        """A titled part of the page, with a CSS class naming it for styles and tests.

        Its title folds it away and opens it again, so a long page can be read a part at a
        time; folding only hides it (CSS class ``kit-folded``), so nothing in it is lost.
        """
        import ipywidgets as widgets

        head = widgets.ToggleButton(value=True, description=f"▾ {title}")
        head.add_class("kit-section-toggle")
        box = widgets.VBox([head, *children]).add_class(css)
        box.add_class("kit-section")

        def fold(change: dict[str, Any]) -> None:
            head.description = f"{'▾' if change['new'] else '▸'} {title}"
            (box.remove_class if change["new"] else box.add_class)("kit-folded")

        head.observe(fold, names="value")
        return box

    def header(self) -> widgets.VBox:
        """The top of the page: links to the home page and the steps either side, the step's
        heading and purpose."""
        import ipywidgets as widgets

        from kit.pages.guide import step_header

        intro = widgets.HTML(step_header(self.model.step)).add_class("kit-step-header")
        return widgets.VBox([intro]).add_class("kit-header")

    @functools.cached_property
    def summary_bar(self) -> widgets.HTML:
        """A line of the step's headline figures kept in view at the foot of the window (empty:
        hidden)."""
        import ipywidgets as widgets

        bar = widgets.HTML().add_class("kit-summary-bar")

        def show(_: Any = None) -> None:
            bar.layout.display = None if bar.value else "none"

        bar.observe(show, names="value")
        show()
        return bar

    def glossary(self) -> widgets.Accordion:
        """The words the pages use, explained in plain sentences, folded at the page's foot."""
        import ipywidgets as widgets

        from kit.pages.guide import glossary_html

        panel = widgets.Accordion([widgets.HTML(glossary_html())], selected_index=None)
        panel.set_title(0, "What the words on this page mean")
        return panel.add_class("kit-glossary")

    def action(
        self,
        label: str,
        handler: Callable[[], None],
        *,
        css: str,
        needs_figures: bool = False,
    ) -> widgets.Button:
        """A button that runs ``handler`` under :meth:`StepModel.reporting`, off while busy.

        One that ``needs_figures`` says, on hover and when pressed, why it cannot act while
        the figures cannot be worked out, rather than doing nothing.
        """
        import ipywidgets as widgets

        model = self.model
        button = widgets.Button(description=label).add_class(css)
        button.add_class("kit-action")

        def clicked(_: Any) -> None:
            with model.reporting(label.lower(), busy=True, source=css):
                if needs_figures and model.blocked:
                    raise KitError(f"{label} waits until the figures can be worked out: "
                                   f"{model.blocked}")  # fmt: skip
                handler()

        def waiting(_: Any = None) -> None:
            button.tooltip = f"Waits until the figures can be worked out: {model.blocked}" if (
                needs_figures and model.blocked) else None  # fmt: skip
            (button.add_class if button.tooltip else button.remove_class)("kit-blocked")

        button.on_click(clicked)
        traitlets.dlink((model, "busy"), (button, "disabled"))
        model.observe(waiting, names=["blocked"])
        waiting()
        return button

    def control(
        self,
        label: str,
        handler: Callable[[], None],
        *,
        css: str,
        needs_figures: bool = False,
    ) -> widgets.HBox:
        """:meth:`action`'s button with its :meth:`feedback` beside it (``.button``: the button)."""
        import ipywidgets as widgets

        button = self.action(label, handler, css=css, needs_figures=needs_figures)
        row = widgets.HBox([button, self.feedback(css)]).add_class("kit-control")
        row.button = button
        return row

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget)


#: What greyed-out figures say above them, before the reason.
GREYED = "These figures are greyed out because they cannot be worked out as things stand:"


def _style() -> widgets.HTML:
    """The styles every step shares: messages by kind, greyed-out figures, waiting buttons."""
    import ipywidgets as widgets

    from kit.pages import render

    return widgets.HTML(str(render("app_style.html"))).add_class("kit-style")


#: What a page left open says once the workspace changed elsewhere.
CHANGED = (
    "The workspace changed since this page read it: new calls were imported, or a decision "
    "was saved in another page or from the command line. Show what is held now to update the "
    "figures; what you have typed here is kept."
)


def outdated_text(reasons: list[str]) -> str:
    """The banner over a saved decision whose basis changed, with the reasons."""
    return (
        f"This saved decision is out of date: {'; '.join(reasons)}. The figures on this page "
        "are worked out on what the workspace holds now; save again to record them."
    )


def _stamp(moment: datetime) -> str:
    """A save's time to the minute, with its zone when it has one (UTC in the store)."""
    return moment.strftime("%Y-%m-%d %H:%M %Z" if moment.tzinfo else "%Y-%m-%d %H:%M").strip()


def version_label(decision: Decision) -> str:
    """How a saved version is named in a list: number, time, who, and where it came from."""
    text = f"Version {decision.version}, {_stamp(decision.saved_at)}, by {decision.user}"
    if decision.restored_from is not None:
        text += f" (version {decision.restored_from} brought back)"
    return text


def draft_label(draft: Draft) -> str:
    """How a refused save is named in the list of versions."""
    return (
        f"Draft {draft.id}, {_stamp(draft.saved_at)}, by {draft.user} "
        "(not saved: someone saved first)"
    )


def csv_link(rows: Iterable[Mapping[str, Any]], name: str) -> Markup:
    """A link to put under a table in a page: it saves the table's rows as ``name``.csv.

    The file travels in the link (no request to the server), and text a spreadsheet would
    run as a formula is neutralised (:mod:`kit.tables`). Empty when there are no rows.
    """
    from kit.pages import Markup, download_link, tag
    from kit.tables import csv_text

    found = list(rows)
    if not found:
        return Markup("")
    link = download_link(
        csv_text(found), f"{name}.csv", "Download this table as CSV", css="kit-csv-link",
        mime="text/csv",
    )  # fmt: skip
    return tag("p", link)


def plain_message(text: str, *, kind: str = "error") -> str:
    """HTML for a message to the user; the text is escaped, so data can never become markup."""
    from kit.pages import render

    return str(render("message.html", kind=kind, text=text))


class StepApp:
    """What a workbook's one call returns: the model, and the view when there is a person.

    Run headless, it shows ``report(model)`` (HTML) when the step gives one, so the executed
    notebook kept by ``kit run`` reads as a record of what was worked out and saved.
    """

    def __init__(
        self,
        model: StepModel | None,
        view: StepView | None,
        error: str = "",
        *,
        report: Callable[[Any], str] | None = None,
        step: str = "",
    ) -> None:
        self.model = model
        self.view = view
        self.error = error
        self.report = report
        self.step = step

    def _ipython_display_(self) -> None:
        from IPython.display import HTML, display

        if self.view is not None:
            display(self.view.widget)
        elif self.model is not None and self.report is not None:
            display(HTML(self.report(self.model)))
        elif self.error:
            import ipywidgets as widgets

            message = widgets.HTML(plain_message(self.error)).add_class("kit-error")
            if self.step:  # the way on to the other steps, even when this one cannot open
                from kit.pages.guide import step_header

                message = widgets.VBox([widgets.HTML(step_header(self.step)), message])
            display(message)


def launch(
    model_cls: type[StepModel],
    view_cls: type[StepView],
    workspace: str | os.PathLike[str] = "",
    *,
    report: Callable[[Any], str] | None = None,
    **parameters: Any,
) -> StepApp:
    """Build a step for a workbook: headless run and save, or the page in Voila.

    Without Voila (papermill, nbval, ``kit run``) a :class:`KitError` propagates so the
    run fails with its plain message, and :class:`StepSkipped` says the step cannot run
    yet. In Voila the page shows the message instead, and a preheated kernel re-reads the
    workspace when the page is actually requested, so the page shows what the workspace
    holds at that moment rather than when the kernel was warmed up. When the server hosts a
    folder of workspaces, a preheated kernel cannot know which one the page will name: it
    waits for the request before opening any.
    """
    if not in_voila():
        ws = resolve_workspace(workspace)
        reason = model_cls.missing(ws)
        if reason:
            raise StepSkipped(reason)
        model = model_cls(ws)
        model.load()
        model.apply_parameters(**parameters)
        model.run_headless()
        return StepApp(model, None, report=report)
    claimed = preheated() and serving_folder() and not str(workspace or "").strip()
    waited = False
    try:
        if claimed:
            wait_for_page()
        ws = resolve_workspace(workspace)
        reason = model_cls.missing(ws)
        if reason and preheated() and not claimed:
            # Warmed before anyone asked for the page: by the time someone does, what was
            # missing (calls not imported yet) may be there, so decide then.
            wait_for_page()
            waited = True
            reason = model_cls.missing(ws)
        if reason:
            return StepApp(None, None, reason, step=model_cls.step)
        model = model_cls(ws)
        model.load()
        model.apply_parameters(**parameters)
    except KitError as exc:
        return StepApp(None, None, exc.in_app(), step=model_cls.step)
    except Exception:
        server_log().exception("Unexpected error while opening step %s", model_cls.step)
        return StepApp(None, None, UNEXPECTED)
    view = view_cls(model)
    _ = view.widget
    shown = watch_first_view(view.widget)
    if preheated() and not claimed and not waited:
        # Nobody is waiting yet: draw everything now, then catch up when the page is asked for.
        with model.reporting("preparing the page", busy=True):
            view.warm()
            view.refresh()
        threading.Thread(target=_catch_up_on_request, args=(view, shown), daemon=True).start()
    else:
        threading.Thread(target=_fill_page, args=(view, shown), daemon=True).start()
    return StepApp(model, view)


def on_kernel_thread(task: Callable[[], None]) -> None:
    """Run ``task`` on the kernel's own thread, between two of the page's messages, and wait.

    The page asks the kernel for the state of every widget when it connects, and the kernel
    answers on its own thread by walking all widgets. A background thread that creates or
    closes widgets at that moment can break the answer and leave the page at "Loading
    widget..." for good, so whatever redraws the page after it is shown runs here instead.
    Outside a kernel (tests, a plain interpreter) ``task`` simply runs.
    """
    from IPython import get_ipython

    loop = getattr(getattr(get_ipython(), "kernel", None), "io_loop", None)
    if loop is None or threading.current_thread() is threading.main_thread():
        task()
        return
    done = threading.Event()
    failure: list[BaseException] = []

    def run() -> None:
        try:
            task()
        except BaseException as exc:  # handed back to the waiting thread below
            failure.append(exc)
        finally:
            done.set()

    loop.add_callback(run)
    done.wait()
    if failure:
        raise failure[0]


def watch_first_view(root: widgets.Widget) -> threading.Event:
    """An event set once a browser shows ``root``, the page's top widget.

    When a page connects, its browser fetches the state of every widget, then builds them
    all, then shows the top one. Until it has built a widget, an update the kernel sends it
    is dropped, so a page drawn meanwhile can stay at "Loading" (its ``kit-ready`` class
    lost) or fail with "model not found". Showing the top widget is the first moment at
    which every widget exists in the browser; the browser then reports it through the
    widget's view count (``_view_count``: None means not counted, 0 starts counting).
    Outside a kernel no browser can connect, so the event is already set.
    """
    from IPython import get_ipython

    shown = threading.Event()
    if getattr(get_ipython(), "kernel", None) is None:
        shown.set()
        return shown

    def seen(change: dict[str, Any]) -> None:
        if change["new"]:
            shown.set()

    root.observe(seen, names="_view_count")
    root._view_count = 0
    return shown


def _after_first_view(shown: threading.Event, *, seconds: float = BROWSER_SECONDS) -> None:
    """Wait at most ``seconds`` for a browser to show the page (:func:`watch_first_view`)."""
    if not shown.wait(seconds):
        log.info("No browser showed this page within %.0f s; filling it anyway", seconds)


def _fill_page(view: StepView, shown: threading.Event) -> None:
    """Fill the page after its first widgets are shown (a kernel started for this page)."""
    _after_first_view(shown)

    def fill() -> None:
        try:
            with view.model.reporting("preparing the page", busy=True):
                view.warm()
                view.refresh()
        finally:
            view.mark_ready()

    on_kernel_thread(fill)
    watch(view.model)


def watch(model: StepModel, *, seconds: float = WATCH_SECONDS) -> None:
    """Check every few seconds, for as long as the page is open, whether the workspace
    changed since the page read it, and say so on the page (:attr:`StepModel.changed_elsewhere`).

    One small query per check, so an open page costs next to nothing.
    """
    while True:
        time.sleep(seconds)
        try:
            if not model.busy and not model.changed_elsewhere and model.changed_since_read():
                on_kernel_thread(lambda: setattr(model, "changed_elsewhere", True))
        except Exception:
            server_log().exception("Cannot check whether the workspace changed")


def _request_details_url() -> str:
    """Where Voila hands a preheated kernel the details of the page request (its query socket)."""
    env = os.environ
    base = env.get("VOILA_WS_BASE_URL") or env.get("VOILA_SERVER_URL") or "/"
    host = env.get("VOILA_APP_IP", "127.0.0.1")
    port = env.get("VOILA_APP_PORT", "8866")
    scheme = env.get("VOILA_WS_PROTOCOL", "ws")
    return f"{scheme}://{host}:{port}{base}voila/query/{env.get('VOILA_KERNEL_ID', '')}"


async def _receive_request_details(url: str) -> str:
    """One connection, kept open without a deadline until Voila sends the request details."""
    from websockets.asyncio.client import connect

    # No opening deadline and no keep-alive pings: a busy server must not make this kernel
    # drop the connection and open another, which Voila's handler can lose track of.
    async with connect(url, open_timeout=None, ping_interval=None) as socket:
        message = await socket.recv()
    return message if isinstance(message, str) else message.decode()


def _request_details(url: str) -> str:
    """:func:`_receive_request_details` on a thread of its own, whose event loop is free
    whatever the calling thread runs (the kernel's, or a test runner's)."""
    outcome: dict[str, Any] = {}

    def receive() -> None:
        try:
            outcome["details"] = asyncio.run(_receive_request_details(url))
        except BaseException as exc:  # handed back to the caller below
            outcome["error"] = exc

    thread = threading.Thread(target=receive, daemon=True)
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return str(outcome["details"])


def wait_for_page(*, retry_seconds: float = 1.0) -> None:
    """Block until Voila hands this preheated kernel to a page, and take the request's details.

    Voila's own ``wait_for_request`` gives up after 5 seconds on a busy machine and returns as
    if a page had asked, so the page would show the workspace as it was when the kernel was
    warmed; trying it again opens a second connection, and Voila's handler may then forget
    the live one and never answer. This keeps one connection open for as long as it takes,
    and connects again only when the server refused or closed it.
    """
    from websockets.exceptions import ConnectionClosed, InvalidHandshake

    if os.environ.get("VOILA_PREHEAT", "False") == "False":
        return
    url = _request_details_url()
    while True:
        try:
            details = _request_details(url)
        except (OSError, ConnectionClosed):
            time.sleep(retry_seconds)
            continue
        except InvalidHandshake:
            server_log().exception("Voila refused the query socket %s; not waiting", url)
            return
        os.environ.update({str(k): str(v) for k, v in json.loads(details).items()})
        return


def _catch_up_on_request(view: StepView, shown: threading.Event) -> None:
    """Re-read the workspace once the preheated page is asked for, so it is never stale.

    A view whose data did not change since the kernel was warmed has nothing to redraw.
    """
    try:
        wait_for_page()
    except Exception:
        server_log().exception("Could not wait for the page's request; reading the workspace now")
    _after_first_view(shown)

    def catch_up() -> None:
        try:
            with view.model.reporting("reading the workspace", busy=True):
                view.model.load()
                view.refresh()
        finally:
            view.mark_ready()

    on_kernel_thread(catch_up)
    watch(view.model)
