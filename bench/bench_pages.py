"""Every step's page as a person first sees it: a screenshot, its height and its time to use.

``kit serve`` runs on a fresh copy of the sample city; headless Chromium opens each step in a
fresh 1366x900 window (a common laptop screen), in the steps' order, and waits until the page
is marked ready (``kit-ready``: it shows what the workspace holds and its buttons work). It
records the seconds from navigation to that moment and the height of the whole page in
pixels (how much scrolling the page asks for), and saves the first screen as
docs/img/step-NN.png, the pictures the README and the user guide show. ``make screenshots``
runs this; tests never do, so no test changes a tracked file.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PICTURES = ROOT / "docs" / "img"
WIDTH, HEIGHT = 1366, 900
#: Generous: the machine may be busy; each wait ends as soon as the page is ready.
WAIT_MS = 240_000


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_until_serving(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + WAIT_MS / 1000
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"kit serve exited:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"kit serve did not answer within {WAIT_MS / 1000:.0f} s")


def visit_steps(workspace: Path, log: Path) -> dict[str, dict[str, Any]]:
    """Open each step's page in turn; screenshot it and measure it."""
    from playwright.sync_api import sync_playwright

    from kit.browser import CHROMIUM_ARGS, MISSING, chromium_path
    from kit.pages.guide import page_of
    from kit.steps import STEPS

    chromium = chromium_path()
    if not chromium:
        raise RuntimeError(MISSING)
    port = _free_port()
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "kit.cli", "serve", str(workspace), "--port", str(port)],
            stdout=out,
            stderr=subprocess.STDOUT,
            cwd=ROOT,
        )
    base = f"http://127.0.0.1:{port}"
    found: dict[str, dict[str, Any]] = {}
    try:
        _wait_until_serving(base + "/", process, log)
        PICTURES.mkdir(parents=True, exist_ok=True)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, args=list(CHROMIUM_ARGS))
            for step in STEPS:
                notebook = page_of(step.number)
                if notebook is None:
                    continue
                context = browser.new_context(viewport={"width": WIDTH, "height": HEIGHT})
                page = context.new_page()
                start = time.perf_counter()
                page.goto(f"{base}/voila/render/{notebook}", wait_until="commit", timeout=WAIT_MS)
                page.wait_for_selector(f".kit-step-{step.number}.kit-ready", timeout=WAIT_MS)
                seconds = time.perf_counter() - start
                page.wait_for_load_state("networkidle", timeout=WAIT_MS)
                # Voila scrolls the page inside its own container, so the window's height says
                # nothing: the step's root widget is what a person scrolls through.
                height = int(
                    page.evaluate(
                        f"document.querySelector('.kit-step-{step.number}')"
                        ".getBoundingClientRect().height"
                    )
                )
                picture = PICTURES / f"step-{step.number}.png"
                page.screenshot(path=str(picture))
                found[step.number] = {
                    "seconds_to_ready": round(seconds, 2),
                    "page_height_px": height,
                    "screens_of_scrolling": round(height / HEIGHT, 1),
                    "picture": str(picture.relative_to(ROOT)),
                }
                page.goto("about:blank")  # leaving the page shuts its kernel down
                context.close()
            browser.close()
    finally:
        process.terminate()
        process.wait(timeout=30)
    return found


def main() -> dict[str, Any]:
    from sample_city.build import sample_workspace

    load = os.getloadavg()[0]  # seconds mean little on a machine busy with other work
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        ws = sample_workspace(root / "ws")
        steps = visit_steps(ws.path, root / "server.log")
    return {
        "what": "each step's first screen, its height and seconds from navigation to ready",
        "load_average_before": round(load, 1),
        "window": f"{WIDTH}x{HEIGHT}",
        "workspace": "a fresh copy of the sample city (Port Calder)",
        "steps": steps,
    }


if __name__ == "__main__":
    print(main())
