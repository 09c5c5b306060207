"""The step pattern: a model saves and restores its state, a view shows errors as plain text."""

from __future__ import annotations

import asyncio
import json
import os
import threading
import time
from pathlib import Path

import ipywidgets as widgets
import pandas as pd
import pytest
import traitlets
from ui_samples import free_port

from kit.errors import KitError
from kit.ui import base
from kit.workspace import Workspace


class PilotModel(base.StepModel):
    step = "04"
    decision = "pilot"
    days = traitlets.Int(90)
    label = traitlets.Unicode("")

    def state_to_document(self) -> dict:
        return {"days": self.days, "label": self.label}

    def state_from_document(self, document: dict) -> None:
        self.days = int(document["days"])
        self.label = str(document["label"])

    def run(self) -> None:
        if self.days <= 0:
            raise KitError("A pilot must last at least one day.")


class PilotView(base.StepView):
    def build(self) -> widgets.Widget:
        days = widgets.IntText(description="Days").add_class("kit-days")
        widgets.link((self.model, "days"), (days, "value"))
        return widgets.VBox([days, self.message_box()])


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    return Workspace.create(tmp_path / "ws", name="Testville", timezone="America/Chicago")


def test_save_then_restore_gives_the_same_state(ws: Workspace) -> None:
    """A saved model, restored into a fresh one, has the same traits and version."""
    model = PilotModel(ws, days=30, label="east side")
    version = model.save(user="tester")
    again = PilotModel(ws)
    assert again.load() is True
    assert (again.days, again.label, again.base_version) == (30, "east side", version)


def test_load_without_a_save_keeps_defaults(ws: Workspace) -> None:
    """Nothing saved yet: the model keeps its defaults and says so."""
    model = PilotModel(ws)
    assert model.load() is False
    assert model.days == 90 and model.base_version is None


def test_reporting_turns_errors_into_plain_messages(ws: Workspace) -> None:
    """A KitError becomes the model's error; an unexpected error says nothing technical."""
    model = PilotModel(ws)
    with model.reporting("checking"):
        raise KitError("A pilot must last at least one day.")
    assert model.error == "A pilot must last at least one day." and not model.busy
    with model.reporting("checking"):
        raise ZeroDivisionError("division by zero")
    assert model.error == base.UNEXPECTED and "division" not in model.error


def test_only_long_work_turns_the_buttons_off(ws: Workspace) -> None:
    """A quick change leaves buttons on, so a click made just after it is never lost."""
    model = PilotModel(ws)
    view = PilotView(model)
    button = view.action("Run", lambda: seen.append(button.disabled), css="kit-run")
    seen: list[bool] = []
    with model.reporting("changing the days"):
        assert not button.disabled
    button.click()
    assert seen == [True] and not button.disabled


def test_headless_launch_applies_parameters_and_saves(ws: Workspace, monkeypatch) -> None:
    """Outside Voila the workbook's one call runs the model from its parameters and saves."""
    monkeypatch.delenv("VOILA_PREHEAT", raising=False)
    app = base.launch(PilotModel, PilotView, str(ws.path), days=14, label="")
    assert app.view is None
    latest = ws.decisions.latest("pilot")
    assert latest is not None and latest.document["days"] == 14


def test_headless_launch_fails_with_the_plain_message(ws: Workspace, monkeypatch) -> None:
    """A KitError raised by the run reaches papermill unchanged."""
    monkeypatch.delenv("VOILA_PREHEAT", raising=False)
    with pytest.raises(KitError, match="at least one day"):
        base.launch(PilotModel, PilotView, str(ws.path), days=0)


def test_workspace_comes_from_the_server_environment(ws: Workspace, monkeypatch) -> None:
    """An empty workspace parameter means the one kit serve or kit run named."""
    monkeypatch.setenv(base.WORKSPACE_ENV, str(ws.path))
    assert base.resolve_workspace("").path == ws.path
    monkeypatch.delenv(base.WORKSPACE_ENV)
    with pytest.raises(KitError, match="No workspace"):
        base.resolve_workspace("")


def test_voila_launch_shows_the_view_and_escapes_errors(ws: Workspace, monkeypatch) -> None:
    """In Voila the view is built and linked; data in a message is shown as text."""
    monkeypatch.setenv("VOILA_PREHEAT", "False")
    app = base.launch(PilotModel, PilotView, str(ws.path))
    assert app.view is not None
    root = app.view.widget
    for _ in range(200):  # the page is filled on a thread of its own
        if "kit-ready" in root._dom_classes:
            break
        time.sleep(0.02)
    assert "kit-ready" in root._dom_classes and "kit-step-04" in root._dom_classes
    header, summary, notices, days, message, glossary = root.children
    assert "kit-notices" in notices._dom_classes
    assert "kit-header" in header._dom_classes and "kit-glossary" in glossary._dom_classes
    assert "kit-summary-bar" in summary._dom_classes and summary.layout.display == "none"
    days.value = 21
    assert app.model.days == 21
    app.model.error = "<img src=x onerror=alert(1)>"
    assert "<img" not in message.value and "&lt;img" in message.value


def test_voila_launch_without_workspace_shows_a_message(monkeypatch) -> None:
    """A page opened without a workspace says what to do instead of failing."""
    monkeypatch.setenv("VOILA_PREHEAT", "False")
    monkeypatch.delenv(base.WORKSPACE_ENV, raising=False)
    app = base.launch(PilotModel, PilotView, "")
    assert app.view is None and "kit serve" in app.error


def test_load_forgets_cached_reads_only_when_the_workspace_changed(ws: Workspace) -> None:
    """A page warmed in advance re-reads what it cached once anything was saved elsewhere."""
    forgotten: list[int] = []

    class CachingModel(PilotModel):
        def forget(self) -> None:
            forgotten.append(1)

    model = CachingModel(ws)
    model.load()
    model.load()
    assert forgotten == []  # nothing changed: the cache stands
    ws.decisions.save("role_assignments", {"x": 1}, base_version=None, step="02")
    model.load()
    assert forgotten == [1]
    ws.write_data({"budget": pd.DataFrame({"line": ["salaries"], "amount": [1.0]})})
    model.load()
    assert forgotten == [1, 1]


class _QuerySocket:
    """A stand-in for Voila's query socket: answers the ``n``-th connection, drops the others."""

    def __init__(self, answer_on: int, payload: dict[str, str]) -> None:
        self.answer_on, self.payload = answer_on, payload
        self.paths: list[str] = []
        self.port = 0
        self._ready = threading.Event()
        self._stop: asyncio.Future | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    async def _handle(self, connection) -> None:
        self.paths.append(connection.request.path)
        if len(self.paths) == self.answer_on:
            await asyncio.sleep(0.2)  # the page is asked for a little later
            await connection.send(json.dumps(self.payload))

    async def _serve(self) -> None:
        from websockets.asyncio.server import serve

        self._loop = asyncio.get_running_loop()
        self._stop = self._loop.create_future()
        async with serve(self._handle, "127.0.0.1", self.port) as server:
            self.port = server.sockets[0].getsockname()[1]
            self._ready.set()
            await self._stop

    def start(self) -> None:
        threading.Thread(target=asyncio.run, args=(self._serve(),), daemon=True).start()
        assert self._ready.wait(10)

    def stop(self) -> None:
        assert self._loop is not None and self._stop is not None
        self._loop.call_soon_threadsafe(self._stop.set_result, None)


def _as_preheated_kernel(monkeypatch, port: int) -> None:
    monkeypatch.setenv("VOILA_PREHEAT", "True")
    monkeypatch.setenv("VOILA_APP_PORT", str(port))
    monkeypatch.setenv("VOILA_KERNEL_ID", "k-1")
    monkeypatch.setenv("VOILA_SERVER_URL", "/")
    monkeypatch.setenv("SCRIPT_NAME", "left over from before")


def test_a_preheated_page_waits_on_one_connection_until_it_is_asked_for(monkeypatch) -> None:
    """The kernel keeps one connection open until Voila sends the page's request details."""
    payload = {"SCRIPT_NAME": "/voila/render/00_set_up.ipynb", "QUERY_STRING": "a=1"}
    server = _QuerySocket(answer_on=1, payload=payload)
    server.start()
    try:
        _as_preheated_kernel(monkeypatch, server.port)
        base.wait_for_page(retry_seconds=0.01)
    finally:
        server.stop()
    assert server.paths == ["/voila/query/k-1"]
    assert os.environ["SCRIPT_NAME"] == "/voila/render/00_set_up.ipynb"
    assert os.environ["QUERY_STRING"] == "a=1"


def test_a_refused_or_dropped_connection_is_tried_again(monkeypatch) -> None:
    """Nobody listening yet, then a connection closed without an answer: the kernel connects
    again, and takes the details from the connection that gets them."""
    port = free_port()
    _as_preheated_kernel(monkeypatch, port)
    server = _QuerySocket(answer_on=2, payload={"SCRIPT_NAME": "/voila/render/x.ipynb"})
    server.port = port
    threading.Timer(0.3, server.start).start()  # refused until the server starts
    try:
        base.wait_for_page(retry_seconds=0.05)
    finally:
        server.stop()
    assert len(server.paths) == 2
    assert os.environ["SCRIPT_NAME"] == "/voila/render/x.ipynb"


def test_outside_a_preheated_kernel_nothing_waits(monkeypatch) -> None:
    monkeypatch.delenv("VOILA_PREHEAT", raising=False)
    base.wait_for_page()


def _restore_button(panel: widgets.Widget) -> widgets.Button:
    """The history panel's button, which sits in a row with its message beside it."""
    row = next(c for c in panel.children[0].children if "kit-control" in c._dom_classes)
    assert "kit-restore" in row.button._dom_classes
    return row.button


def test_an_earlier_version_comes_back_and_nothing_is_lost(ws: Workspace) -> None:
    """Bringing back version 1 saves it as version 3; version 2 stays; the page shows it."""
    model = PilotModel(ws, days=30, label="first")
    model.save(user="ana")
    model.days, model.label = 60, "second"
    model.save(user="ben")
    view = PilotView(model)
    panel = view.history_panel()
    pick = next(c for c in panel.children[0].children if "kit-history-pick" in c._dom_classes)
    assert [value for _, value in pick.options] == [("version", 2), ("version", 1)]
    assert pick.options[1][0].startswith("Version 1, ") and pick.options[1][0].endswith("by ana")
    model.days = 75  # not saved: replaced by what comes back
    pick.value = ("version", 1)
    button = _restore_button(panel)
    button.click()
    assert (model.days, model.label, model.base_version) == (30, "first", 3)
    assert "Version 1 is back, saved as version 3" in model.status
    assert [number for _, (_, number) in pick.options] == [3, 2, 1]
    assert "(version 1 brought back)" in pick.options[0][0]
    assert ws.decisions.get("pilot", 2).document["days"] == 60


def test_nothing_to_bring_back_says_so(ws: Workspace) -> None:
    model = PilotModel(ws)
    view = PilotView(model)
    panel = view.history_panel()
    button = _restore_button(panel)
    button.click()
    assert model.error == "Nothing is saved yet, so there is no earlier version."


def test_a_refused_save_is_listed_and_can_win_after_all(ws: Workspace) -> None:
    """Two people edit version 1; the second save is refused and kept as a draft, which the
    list shows at once and which can then be saved as the newest version."""
    first, second = PilotModel(ws, days=30), PilotModel(ws)
    first.save(user="ana")
    second.load()
    first.days = 45
    first.save(user="ana")
    view = PilotView(second)
    panel = view.history_panel()
    items = panel.children[0].children
    pick = next(c for c in items if "kit-history-pick" in c._dom_classes)
    button = _restore_button(panel)
    second.days = 99
    with second.reporting("saving"):
        second.save(user="ben")
    assert "kept as draft" in second.error and "Earlier versions" in second.error
    label, value = pick.options[-1]
    assert value[0] == "draft" and label.endswith("by ben (not saved: someone saved first)")
    pick.value = value
    button.click()
    assert (second.days, second.base_version) == (99, 3)
    assert ws.decisions.drafts("pilot") == []
    assert [v for _, v in pick.options] == [("version", 3), ("version", 2), ("version", 1)]


class _Kernel:
    """A stand-in for the kernel: its event loop runs on a thread of its own."""

    def __init__(self) -> None:
        from tornado.ioloop import IOLoop

        ready = threading.Event()
        self.thread = threading.Thread(target=self._run, args=(ready,), daemon=True)
        self.thread.start()
        ready.wait(5)
        self.io_loop: IOLoop = self._loop

    def _run(self, ready: threading.Event) -> None:
        from tornado.ioloop import IOLoop

        asyncio.set_event_loop(asyncio.new_event_loop())
        self._loop = IOLoop.current()
        self._loop.add_callback(ready.set)
        self._loop.start()

    def stop(self) -> None:
        self.io_loop.add_callback(self.io_loop.stop)
        self.thread.join(5)


def _worker(task) -> None:
    thread = threading.Thread(target=task, daemon=True)
    thread.start()
    thread.join(10)


def test_a_page_is_redrawn_on_the_kernel_thread_not_beside_it(monkeypatch) -> None:
    """Widgets made after the page is shown are made between the kernel's messages, where the
    page's request for every widget's state cannot catch them half made."""
    kernel = _Kernel()
    monkeypatch.setattr("IPython.get_ipython", lambda: type("Shell", (), {"kernel": kernel})())
    seen: list[threading.Thread] = []
    try:
        _worker(lambda: base.on_kernel_thread(lambda: seen.append(threading.current_thread())))
    finally:
        kernel.stop()
    assert seen == [kernel.thread]


def test_a_failure_on_the_kernel_thread_reaches_the_caller(monkeypatch) -> None:
    kernel = _Kernel()
    monkeypatch.setattr("IPython.get_ipython", lambda: type("Shell", (), {"kernel": kernel})())
    caught: list[BaseException] = []

    def fail() -> None:
        raise KitError("The calls could not be read.")

    def call() -> None:
        try:
            base.on_kernel_thread(fail)
        except KitError as exc:
            caught.append(exc)

    try:
        _worker(call)
    finally:
        kernel.stop()
    with pytest.raises(KitError, match="could not be read"):
        raise caught[0]


def test_a_page_is_filled_only_once_its_browser_shows_it(monkeypatch) -> None:
    """The kernel draws the page only after the browser reports that it shows the top widget:
    before that, updates to widgets the browser has not built yet would be dropped."""
    monkeypatch.setattr("IPython.get_ipython", lambda: type("Shell", (), {"kernel": object()})())
    root = widgets.VBox([widgets.HTML("the page so far")])
    shown = base.watch_first_view(root)
    assert root._view_count == 0 and not shown.is_set()
    root.set_state({"_view_count": 1})  # what the browser sends once it displays the widget
    assert shown.is_set()


def test_without_a_kernel_no_browser_is_waited_for() -> None:
    assert base.watch_first_view(widgets.VBox()).is_set()


def test_a_page_no_browser_shows_is_filled_after_a_while() -> None:
    started = time.monotonic()
    base._after_first_view(threading.Event(), seconds=0.2)
    assert time.monotonic() - started >= 0.2


def test_a_page_warmed_before_its_data_existed_decides_when_asked_for(
    ws: Workspace, monkeypatch
) -> None:
    """A kernel warmed while calls were missing waits for the page's request, then opens on
    what is held by then, rather than showing the old "import first" for good; a step that
    still cannot open keeps the links to the other steps."""

    class NeedsCalls(PilotModel):
        @classmethod
        def missing(cls, workspace: Workspace) -> str | None:
            return None if asked else "Import the calls in step 00 first."

    asked: list[bool] = []
    monkeypatch.setenv("VOILA_PREHEAT", "True")
    monkeypatch.setattr(base, "wait_for_page", lambda: asked.append(True))
    app = base.launch(NeedsCalls, PilotView, str(ws.path))
    assert asked == [True] and app.view is not None and app.error == ""
    for _ in range(200):  # filled on a thread of its own, with no second wait
        if "kit-ready" in app.view.widget._dom_classes:
            break
        time.sleep(0.02)
    assert "kit-ready" in app.view.widget._dom_classes and asked == [True]

    asked.clear()
    monkeypatch.setattr(NeedsCalls, "missing", classmethod(lambda cls, w: "Import calls first."))
    refused = base.launch(NeedsCalls, PilotView, str(ws.path))
    assert asked == [True] and refused.view is None
    assert refused.error == "Import calls first." and refused.step == "04"
