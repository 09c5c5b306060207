"""Serve a workspace's workbooks as a Voila app, with limits that keep the machine safe.

Every page Voila opens starts a Python kernel, so the server is configured to stay
responsive and bounded: kernels are preheated (a page appears in about a second),
their number is capped (a reload loop gets a plain "busy" page instead of exhausting
memory), idle ones are culled, tracebacks never reach the page, and the websocket
message limit is raised so a calls export can be uploaded through the browser.

The workspace reaches the workbooks through the server's environment, which every kernel
inherits: :data:`kit.ui.base.WORKSPACE_ENV` when one workspace is served (every page works
on it), :data:`kit.ui.base.WORKSPACES_ENV` when the server hosts a folder of workspaces
(each page names its own in its address, see :mod:`kit.workspaces`). The home page and the
chooser are the server's own (:mod:`kit.launcher`).
"""

from __future__ import annotations

import asyncio
import os
from pathlib import Path
from typing import Any

from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from tornado import web
from traitlets import Float, Integer
from traitlets.config import Config

from kit import logins, workspaces
from kit.errors import KitError
from kit.resources import workbooks
from kit.ui.base import WORKSPACE_ENV, WORKSPACES_ENV

#: Largest message a page may send to its kernel; uploads travel in one message.
MAX_UPLOAD_MB = 1024
#: Kernels kept warm per workbook.
POOL_SIZE = 1
#: Pages that may be open at once on top of the warm kernels.
MAX_PAGES = 12
#: Seconds a kernel with no page attached may sit idle before it is shut down (a page that
#: is closed normally shuts its kernel down at once; this catches crashed or sleeping tabs).
CULL_IDLE_SECONDS = 300
#: Seconds to wait for a page's output once its cell has run. The default (4 s) is too short
#: on a busy machine: a step's widgets arrive after it and the page would open empty.
OUTPUT_WAIT_SECONDS = 120
#: Pages that may wait for a place once every place is taken, and for how long, in seconds.
QUEUE_LENGTH = 20
QUEUE_SECONDS = 180
#: How often a waiting page looks for a free place, in seconds.
QUEUE_POLL_SECONDS = 0.25
#: What a page refused for want of a place is told (the page itself says it plainly).
BUSY = "The app is busy: too many pages are open. Close some and try again."


class CappedKernelManager(AsyncMappingKernelManager):
    """A kernel manager that never runs more than ``max_kernels`` kernels.

    Once every place is taken a new page waits for one (at most ``queue_length`` pages, each
    for at most ``queue_seconds``); a page that cannot wait, or waited in vain, is answered
    503 (busy), which the step page turns into a plain "busy, try again shortly".
    """

    max_kernels = Integer(
        20, config=True, help="Most kernels alive at once; further pages wait, then are refused."
    )
    queue_length = Integer(
        QUEUE_LENGTH, config=True, help="Pages that may wait for a place once all are taken."
    )
    queue_seconds = Float(
        QUEUE_SECONDS, config=True, help="Seconds a page waits for a place before it is refused."
    )

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._starting = 0
        self._waiting = 0

    def full(self) -> bool:
        """Whether every place is taken (kernels running, or being started)."""
        return len(self.list_kernel_ids()) + self._starting >= self.max_kernels

    def check_queue(self) -> None:
        """Refuse at once (503) when no more pages may wait for a place."""
        if self._waiting >= self.queue_length:
            raise web.HTTPError(503, reason=BUSY)

    async def _wait_for_place(self) -> None:
        self.check_queue()
        self._waiting += 1
        try:
            loop = asyncio.get_running_loop()
            deadline = loop.time() + self.queue_seconds
            while self.full():
                if loop.time() >= deadline:
                    raise web.HTTPError(503, reason=BUSY)
                await asyncio.sleep(QUEUE_POLL_SECONDS)
        finally:
            self._waiting -= 1

    async def start_kernel(self, *args: Any, **kwargs: Any) -> str:
        """Start a kernel once a place is free; 503 (busy) when none comes in time."""
        if kwargs.get("kernel_id") is not None:
            return await super().start_kernel(*args, **kwargs)
        if self.full():
            await self._wait_for_place()
        self._starting += 1
        try:
            return await super().start_kernel(*args, **kwargs)
        finally:
            self._starting -= 1


def voila_config(
    *,
    port: int,
    ip: str = "127.0.0.1",
    pool_size: int = POOL_SIZE,
    max_pages: int = MAX_PAGES,
    notebooks: int = 1,
    cull_idle_seconds: int = CULL_IDLE_SECONDS,
    root: Path | None = None,
    folder: bool = False,
    base_url: str = "/",
    token: str | None = None,
    password_hash: str | None = None,
    hub: bool = False,
    queue_length: int = QUEUE_LENGTH,
    queue_seconds: float = QUEUE_SECONDS,
) -> Config:
    """The Voila settings ``kit serve`` uses (also used by the tests and the benchmark).

    ``root`` is the workspace served, or the folder of workspaces when ``folder``;
    ``base_url`` the path the server answers under (behind JupyterHub, the user's prefix);
    ``token`` the secret a browser must present (None or "": none, for this machine only);
    ``password_hash`` a password every browser is asked for (see :mod:`kit.logins`);
    ``hub`` whether JupyterHub started the server (only people the hub lets in get in).
    """
    cfg = Config()
    cfg.Voila.ip = ip
    cfg.Voila.port = port
    cfg.Voila.open_browser = False
    cfg.Voila.base_url = "/" + base_url.strip("/") + "/" if base_url.strip("/") else "/"
    if token:
        cfg.Voila.token = token
    if password_hash:
        logins.use_password(cfg, password_hash)
    if hub:
        logins.use_hub_login(cfg)
    cfg.Voila.tornado_settings = {"websocket_max_message_size": MAX_UPLOAD_MB * 1024 * 1024}
    cfg.KitVoila.kit_root = str(root or "")
    cfg.KitVoila.kit_folder = folder
    cfg.VoilaConfiguration.show_tracebacks = False
    cfg.VoilaExecutor.iopub_timeout = OUTPUT_WAIT_SECONDS
    cfg.VoilaConfiguration.preheat_kernel = pool_size > 0
    cfg.VoilaConfiguration.default_pool_size = pool_size
    cfg.VoilaConfiguration.multi_kernel_manager_class = CappedKernelManager
    cfg.CappedKernelManager.max_kernels = pool_size * notebooks + max_pages
    cfg.CappedKernelManager.queue_length = queue_length
    cfg.CappedKernelManager.queue_seconds = queue_seconds
    cfg.CappedKernelManager.cull_idle_timeout = cull_idle_seconds
    cfg.CappedKernelManager.cull_interval = max(10, min(60, cull_idle_seconds // 2))
    cfg.CappedKernelManager.cull_connected = False
    return cfg


def served(path: Path) -> tuple[Path, bool, str]:
    """What ``kit serve PATH`` serves: the folder, whether it holds several workspaces, and
    the name to print (the jurisdiction, or how many workspaces the folder holds)."""
    from kit.workspace import Workspace

    if workspaces.is_workspace(path):
        ws = Workspace.open(path)
        return ws.path.resolve(), False, ws.profile.name or ws.path.name
    if path.is_dir():
        found = workspaces.names(path)
        if found:
            return path.resolve(), True, f"{len(found)} workspaces in {path}"
    raise KitError(
        f"{path} is not a kit workspace, nor a folder holding workspaces; create one with "
        "`kit new FOLDER`, or name the folder that holds them."
    )


def serve(
    path: Path,
    *,
    port: int = 8866,
    ip: str = "127.0.0.1",
    notebooks: Path | None = None,
    pool_size: int = POOL_SIZE,
    max_pages: int = MAX_PAGES,
    base_url: str = "/",
    token: str | None = None,
    password_hash: str | None = None,
    queue_length: int = QUEUE_LENGTH,
    queue_seconds: float = QUEUE_SECONDS,
) -> None:
    """Serve the workbooks for the workspace ``path``, or for each workspace in the folder
    ``path``, until interrupted (blocks). Started by JupyterHub, only people the hub lets
    onto this server get in, whatever else is set."""
    root, folder, name = served(path)
    books = Path(notebooks) if notebooks else workbooks()
    count = len(list(books.glob("*.ipynb")))
    os.environ.pop(WORKSPACE_ENV if folder else WORKSPACES_ENV, None)
    os.environ[WORKSPACES_ENV if folder else WORKSPACE_ENV] = str(root)
    cfg = voila_config(
        port=port,
        ip=ip,
        pool_size=pool_size,
        max_pages=max_pages,
        notebooks=count,
        root=root,
        folder=folder,
        base_url=base_url,
        token=token,
        password_hash=password_hash,
        hub=logins.under_hub(),
        queue_length=queue_length,
        queue_seconds=queue_seconds,
    )
    address = f"http://{ip}:{port}{cfg.Voila.base_url}"
    print(
        f"Serving the workbooks for {name} at {address}  (press Ctrl+C to stop)"
        + ("; open it with ?token=... added, or type the token when asked" if token else "")
        + ("; every browser is asked for the password" if password_hash else ""),
        flush=True,
    )
    from kit.launcher import KitVoila

    KitVoila.launch_instance(argv=[str(books)], config=cfg)
