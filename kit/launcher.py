"""The server's own pages beside Voila's: the home page, the chooser and the busy page.

The home page is drawn by the server itself from the workspace (it starts no kernel), at
the server's root; Voila's file list (``/voila/tree``) leads there too. Step pages are
Voila's, with two changes: a page that finds every place taken waits in a bounded queue
with a notice, and a page that cannot get a place shows a plain "busy" page instead of an
error.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from jupyter_server.base.handlers import JupyterHandler, path_regex
from jupyter_server.utils import url_path_join
from markupsafe import Markup
from tornado import web
from traitlets import Bool, Unicode
from voila.app import Voila
from voila.tornado.handler import TornadoVoilaHandler

from kit import workspaces
from kit.errors import KitError
from kit.pages.home import (
    Choice,
    busy_page,
    changed_text,
    chooser_page,
    home_page,
    queue_notice,
    refused_page,
    step_rows,
)
from kit.serve import CappedKernelManager
from kit.steps import STEPS, status
from kit.workspace import Workspace

#: Written once a waiting page gets its place: hides the queue's notice above the page.
_HIDE_NOTICE = Markup("<style>#kit-queue { display: none; }</style>")


def workbook_files(folder: Path) -> dict[str, str]:
    """Each step's workbook file in ``folder`` (``{"00": "00_set_up.ipynb"}``), if it has one."""
    found = {}
    for step in STEPS:
        matches = sorted(folder.glob(f"{step.number}_*.ipynb"))
        if matches:
            found[step.number] = matches[0].name
    return found


class KitPageHandler(JupyterHandler):
    """A page of the kit's own: errors are plain pages, never Jupyter's page templates
    (which this server does not carry)."""

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        """Someone else's app (403, from the hub's login) says so and leads to the hub;
        any other error is tornado's one-line page, with no traceback."""
        if status_code != 403:
            web.RequestHandler.write_error(self, status_code, **kwargs)
            return
        self.finish(_refused())


def _refused() -> Markup:
    """The page for a person the hub logged in who is not this server's owner."""
    return refused_page(hub=url_path_join(os.environ.get("JUPYTERHUB_BASE_URL") or "/", "hub/home"))


class HomeHandler(KitPageHandler):
    """The server's root: one workspace's home page, or the chooser of a folder's."""

    def initialize(self, *, root: str, folder: bool, notebooks: str) -> None:
        self.root = Path(root)
        self.folder = folder
        self.notebooks = Path(notebooks)

    @web.authenticated
    def get(self) -> None:
        self.set_header("Cache-Control", "no-cache, no-store, must-revalidate")
        if not self.folder:
            self._home(self.root, name="")
            return
        name = self.get_query_argument(workspaces.QUERY_KEY, "").strip()
        if not name:
            self.finish(self._chooser())
        elif name not in workspaces.names(self.root):
            self.set_status(404)
            problem = f"There is no workspace called {name!r} on this server; choose one below."
            self.finish(self._chooser(problem))
        else:
            self._home(self.root / name, name=name)

    def _home(self, path: Path, *, name: str) -> None:
        try:
            ws = Workspace.open(path)
            rows = step_rows(status(ws), workbook_files(self.notebooks), self._link(name))
        except KitError as exc:
            self.set_status(500)
            self.finish(chooser_page([], problem=str(exc)))
            return
        others = url_path_join(self.base_url, "/") if self.folder else ""
        self.finish(home_page(jurisdiction=ws.profile.name, rows=rows, others=others))

    def _link(self, name: str) -> Any:
        def link(workbook: str) -> str:
            return url_path_join(self.base_url, "voila/render", workbook) + workspaces.query(name)

        return link

    def _chooser(self, problem: str = "") -> str:
        home = url_path_join(self.base_url, "/")
        choices = [
            Choice(
                jurisdiction=entry.jurisdiction,
                folder=entry.name,
                changed=changed_text(entry.changed),
                link=home + workspaces.query(entry.name),
            )
            for entry in workspaces.listing(self.root)
        ]
        return chooser_page(choices, problem=problem)


class TreeRedirect(KitPageHandler):
    """Voila's file list leads to the home page, keeping the chosen workspace."""

    @web.authenticated
    def get(self, path: str = "") -> None:
        query = self.request.query
        self.redirect(url_path_join(self.base_url, "/") + (f"?{query}" if query else ""))


class StepPageHandler(TornadoVoilaHandler):
    """Voila's step page, waiting politely for a place when every one is taken."""

    @web.authenticated
    async def get(self, path: str | None = None) -> None:
        manager = self.kernel_manager
        waits = (
            isinstance(manager, CappedKernelManager)
            and manager.full()
            and not _warm_kernel_ready(manager, path)
        )
        started = False
        try:
            if waits:
                manager.check_queue()
                self.write(queue_notice(seconds=round(manager.queue_seconds)))
                self.flush()
                started = True
            async for html in self.get_generator(path=path):
                if waits:
                    self.write(_HIDE_NOTICE)
                    waits = False
                self.write(html)
                self.flush()
                started = True
        except web.HTTPError as exc:
            if exc.status_code != 503 or not started:
                raise
            self.finish(busy_page(home=url_path_join(self.base_url, "/")))

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        """The busy page when no place could be had, the kit's own page for someone else's
        app (403); Voila's own page otherwise."""
        if status_code == 403:
            self.finish(_refused())
            return
        if status_code != 503:
            super().write_error(status_code, **kwargs)
            return
        self.set_header("Retry-After", "30")
        self.finish(busy_page(home=url_path_join(self.base_url, "/")))


def _warm_kernel_ready(manager: Any, path: str | None) -> bool:
    """Whether a preheated kernel waits for this workbook (the page then needs no new place)."""
    pool_size = getattr(manager, "get_pool_size", None)
    return bool(path and pool_size and pool_size(path) > 0)


class KitVoila(Voila):
    """Voila with the kit's home page at the root and its step pages' busy handling."""

    kit_root = Unicode(config=True, help="The workspace served, or the folder of workspaces.")
    kit_folder = Bool(False, config=True, help="Whether kit_root holds several workspaces.")

    def init_handlers(self) -> list:
        """Voila's handlers, after the home page's, with the step page made busy-aware."""
        own = {"root": self.kit_root, "folder": self.kit_folder, "notebooks": self.root_dir}
        handlers = [
            (self.server_url, HomeHandler, own),
            (url_path_join(self.server_url, r"/voila/tree" + path_regex), TreeRedirect),
        ]
        # Voila adds the login's own pages (the password's, or the hub's OAuth callback)
        # without the base URL: under a prefix they must answer below it like every page.
        login_pages = {entry[0] for entry in self.identity_provider.get_handlers()}
        for pattern, handler, *rest in super().init_handlers():
            if handler is TornadoVoilaHandler:
                handler = StepPageHandler
            if pattern in login_pages:
                pattern = url_path_join(self.server_url, pattern)
            handlers.append((pattern, handler, *rest))
        return handlers
