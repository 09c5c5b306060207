"""Serve a workspace's workbooks as a Voila app, with limits that keep the machine safe.

Every page Voila opens starts a Python kernel, so the server is configured to stay
responsive and bounded: kernels are preheated (a page appears in about a second),
their number is capped (a reload loop gets a plain "busy" page instead of exhausting
memory), idle ones are culled, tracebacks never reach the page, and the websocket
message limit is raised so a calls export can be uploaded through the browser.

The workspace reaches the workbooks through the server's environment
(:data:`kit.ui.base.WORKSPACE_ENV`), which every kernel inherits: every page opened
works on the same jurisdiction.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from tornado import web
from traitlets import Integer
from traitlets.config import Config

from kit.resources import workbooks
from kit.ui.base import WORKSPACE_ENV

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


class CappedKernelManager(AsyncMappingKernelManager):
    """A kernel manager that refuses to start more than ``max_kernels`` kernels."""

    max_kernels = Integer(
        20, config=True, help="Most kernels alive at once; further pages are refused politely."
    )

    async def start_kernel(self, *args: Any, **kwargs: Any) -> str:
        """Start a kernel unless the cap is reached, in which case answer 503 (busy)."""
        if kwargs.get("kernel_id") is None and len(self.list_kernel_ids()) >= self.max_kernels:
            raise web.HTTPError(
                503,
                reason="The app is busy: too many pages are open. Close some and try again.",
            )
        return await super().start_kernel(*args, **kwargs)


def voila_config(
    *,
    port: int,
    ip: str = "127.0.0.1",
    pool_size: int = POOL_SIZE,
    max_pages: int = MAX_PAGES,
    notebooks: int = 1,
    cull_idle_seconds: int = CULL_IDLE_SECONDS,
) -> Config:
    """The Voila settings ``kit serve`` uses (also used by the tests and the benchmark)."""
    cfg = Config()
    cfg.Voila.ip = ip
    cfg.Voila.port = port
    cfg.Voila.open_browser = False
    cfg.Voila.tornado_settings = {"websocket_max_message_size": MAX_UPLOAD_MB * 1024 * 1024}
    cfg.VoilaConfiguration.show_tracebacks = False
    cfg.VoilaExecutor.iopub_timeout = OUTPUT_WAIT_SECONDS
    cfg.VoilaConfiguration.preheat_kernel = pool_size > 0
    cfg.VoilaConfiguration.default_pool_size = pool_size
    cfg.VoilaConfiguration.multi_kernel_manager_class = CappedKernelManager
    cfg.CappedKernelManager.max_kernels = pool_size * notebooks + max_pages
    cfg.CappedKernelManager.cull_idle_timeout = cull_idle_seconds
    cfg.CappedKernelManager.cull_interval = max(10, min(60, cull_idle_seconds // 2))
    cfg.CappedKernelManager.cull_connected = False
    return cfg


def serve(
    workspace: Path,
    *,
    port: int = 8866,
    ip: str = "127.0.0.1",
    notebooks: Path | None = None,
    pool_size: int = POOL_SIZE,
    max_pages: int = MAX_PAGES,
) -> None:
    """Serve the workbooks for ``workspace`` until interrupted (blocks)."""
    from kit.workspace import Workspace

    ws = Workspace.open(workspace)
    folder = notebooks or workbooks()
    count = len(list(folder.glob("*.ipynb")))
    os.environ[WORKSPACE_ENV] = str(ws.path.resolve())
    print(
        f"Serving the workbooks for {ws.profile.name or ws.path.name} at "
        f"http://{ip}:{port}/  (press Ctrl+C to stop)",
        flush=True,
    )
    from voila.app import Voila

    cfg = voila_config(port=port, ip=ip, pool_size=pool_size, max_pages=max_pages, notebooks=count)
    Voila.launch_instance(argv=[str(folder)], config=cfg)
