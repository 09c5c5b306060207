"""``kit serve``'s settings: bounded kernels, large uploads, hidden tracebacks, a clear address."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from tornado import web
from ui_samples import free_port, make_workspace

from kit.cli import main
from kit.serve import MAX_UPLOAD_MB, CappedKernelManager, voila_config


def test_settings_bound_kernels_and_allow_large_uploads() -> None:
    """Preheated pools, a kernel cap above the pools, culling, and a 50 MB+ message limit."""
    port = free_port()
    cfg = voila_config(port=port, pool_size=1, max_pages=3, notebooks=6)
    assert cfg.Voila.ip == "127.0.0.1" and cfg.Voila.port == port
    assert cfg.VoilaConfiguration.show_tracebacks is False
    assert cfg.VoilaConfiguration.preheat_kernel is True
    assert cfg.CappedKernelManager.max_kernels == 9
    assert cfg.CappedKernelManager.cull_idle_timeout > 0
    assert cfg.Voila.tornado_settings["websocket_max_message_size"] >= 50 * 1024 * 1024
    assert MAX_UPLOAD_MB >= 50
    assert cfg.VoilaExecutor.iopub_timeout >= 60  # a busy machine must not lose a page's widgets


def test_kernel_cap_refuses_politely() -> None:
    """Once the cap is reached and no page may wait, a new page gets 503 'busy' at once."""

    async def scenario() -> int:
        manager = CappedKernelManager(max_kernels=1, queue_length=0)
        first = await manager.start_kernel(kernel_name="python3")
        try:
            with pytest.raises(web.HTTPError, match="too many pages are open") as refused:
                await manager.start_kernel(kernel_name="python3")
            return refused.value.status_code
        finally:
            await manager.shutdown_kernel(first, now=True)

    # A fresh thread has no event loop, whatever an earlier test left running in this one.
    with ThreadPoolExecutor(max_workers=1) as pool:
        assert pool.submit(asyncio.run, scenario()).result(timeout=120) == 503


def test_a_page_waits_for_a_place_and_gets_it_when_one_frees() -> None:
    """At the cap, a page waits in the queue; when a page closes, the waiting one starts,
    and one waiting in vain past the deadline is refused 503."""

    async def scenario() -> tuple[int, bool]:
        manager = CappedKernelManager(max_kernels=1, queue_length=2, queue_seconds=60)
        first = await manager.start_kernel(kernel_name="python3")
        waiting = asyncio.ensure_future(manager.start_kernel(kernel_name="python3"))
        await asyncio.sleep(1)
        assert not waiting.done() and manager.full()
        await manager.shutdown_kernel(first, now=True)
        second = await asyncio.wait_for(waiting, 60)
        manager.queue_seconds = 0.5
        try:
            with pytest.raises(web.HTTPError, match="too many pages are open") as refused:
                await manager.start_kernel(kernel_name="python3")
        finally:
            await manager.shutdown_kernel(second, now=True)
        return refused.value.status_code, manager.full()

    with ThreadPoolExecutor(max_workers=1) as pool:
        assert pool.submit(asyncio.run, scenario()).result(timeout=180) == (503, False)


def test_serve_refuses_a_folder_that_is_not_a_workspace(tmp_path: Path, capsys) -> None:
    """A wrong folder is a plain message and exit code 2, before any server starts."""
    assert main(["serve", str(tmp_path)]) == 2
    assert "is not a kit workspace" in capsys.readouterr().err


def test_serve_prints_its_address_first(tmp_path: Path) -> None:
    """The first line `kit serve` prints is the address to open."""
    ws = make_workspace(tmp_path / "ws")
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "kit.cli", "serve", str(ws.path), "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert process.stdout is not None
        first = process.stdout.readline()
    finally:
        process.terminate()
        process.wait(timeout=20)
    assert f"http://127.0.0.1:{port}/" in first and "Testville" in first
