"""Real-browser tests: ``kit serve`` driven by headless Chromium.

``app_server`` serves a copy of the sample city that every browser test shares, so tests
only read it (or save decisions of their own step); ``scratch_server`` serves a tiny
workspace for tests that replace what it holds (profile saves, calls imports).

The server is started once per session and polled until it answers; if the process
dies first, the fixture fails at once with the server's log instead of waiting out a
timeout. Chromium is the system one (``KIT_CHROMIUM`` or ``chromium`` on the PATH):
these tests never skip, so a missing browser is a failure that says how to install it.
"""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from kit import browser

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

SERVER_START_SECONDS = 90


# Generous: the machine running the tests may be busy; waits end as soon as the element is there.
WAIT_MS = 90_000


def chromium_path() -> str:
    """The Chromium to drive; a plain failure when there is none."""
    found = browser.chromium_path()
    if not found:
        pytest.fail(browser.MISSING)
    return found


@pytest.fixture(autouse=True)
def _patient(page: Page) -> None:
    """Every wait in a browser test may take up to WAIT_MS before it fails."""
    page.set_default_timeout(WAIT_MS)
    expect.set_options(timeout=WAIT_MS)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    """pytest-playwright's launch arguments, pointed at the system Chromium."""
    return {
        **browser_type_launch_args,
        "executable_path": chromium_path(),
        "args": list(browser.CHROMIUM_ARGS),
        "headless": True,
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict) -> dict:
    """A desktop-sized window, as city staff would use."""
    return {**browser_context_args, "viewport": {"width": 1280, "height": 900}}


@dataclass
class Server:
    """A running ``kit serve``: its address, workspace and log file."""

    url: str
    workspace: Path
    log: Path

    def page_url(self, notebook: str = "00_set_up.ipynb") -> str:
        return f"{self.url}/voila/render/{notebook}"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until_serving(url: str, process: subprocess.Popen, log: Path, timeout: float) -> None:
    """Poll ``url`` until it answers; fail at once, with the log, if the process ended."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"kit serve exited with {process.returncode}:\n{log.read_text()[-4000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.2)
    pytest.fail(f"kit serve did not answer within {timeout:.0f} s:\n{log.read_text()[-4000:]}")


@contextlib.contextmanager
def serving(workspace: Path, root: Path) -> Iterator[Server]:
    """Run ``kit serve`` on ``workspace`` until the block ends."""
    from ui_samples import stop

    port = _free_port()
    log = root / f"server-{port}.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "kit.cli", "serve", str(workspace), "--port", str(port)],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_serving(url + "/", process, log, SERVER_START_SECONDS)
        yield Server(url=url, workspace=workspace, log=log)
    finally:
        stop(process)


@pytest.fixture(scope="session")
def app_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """``kit serve`` on a fresh copy of the sample city, shared by the session: read it only."""
    from sample_city.build import sample_workspace

    root = tmp_path_factory.mktemp("app")
    ws = sample_workspace(root / "port-calder")
    with serving(ws.path, root) as server:
        yield server


@pytest.fixture(scope="session")
def scratch_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """``kit serve`` on a tiny workspace that tests may change (saves, imports)."""
    from ui_samples import make_workspace

    root = tmp_path_factory.mktemp("scratch")
    ws = make_workspace(root / "testville")
    with serving(ws.path, root) as server:
        yield server
