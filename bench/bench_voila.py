"""Time to the first real widget of workbook 00 against a one-widget notebook, same server.

Both notebooks are served by one ``kit serve`` configuration (preheated kernels, the
same limits) on a copy of the sample city, and opened in headless Chromium in a fresh
browser context each time (no cache), after one unmeasured round that warms the browser
process itself up. Workbook 00 counts as shown when its page is
marked ready (``kit-ready``: the profile and first look of what the workspace holds
now); the baseline when its one button is visible. Target: ratio at most 1.5.
"""

from __future__ import annotations

import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

import nbformat

ROOT = Path(__file__).resolve().parent.parent
ROUNDS = 5
TARGET_RATIO = 1.5


def _one_widget_notebook(path: Path) -> None:
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell(
            "import ipywidgets as widgets\n\n"
            'widgets.Button(description="Hello").add_class("bench-one-widget")'
        )
    ]
    nb.metadata["kernelspec"] = {"name": "python3", "language": "python", "display_name": "P"}
    nbformat.write(nb, path)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _pools_filled(log: Path, name: str) -> int:
    """How many times the server has logged ``name``'s warm kernel as ready."""
    return log.read_text().count(f"Kernel pool of {name} is filled")


def _wait_for_pool(
    log: Path, process: subprocess.Popen, name: str, expected: int, url: str
) -> None:
    """Wait until the server answers and ``name``'s pool has been filled ``expected`` times."""
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited:\n{log.read_text()[-3000:]}")
        if _pools_filled(log, name) >= expected:
            try:
                with urllib.request.urlopen(url, timeout=2):
                    return
            except OSError:
                pass
        time.sleep(0.5)
    raise RuntimeError(f"the kernel pool of {name} did not fill within 240 s")


def time_first_widget(workspace: Path, root: Path, workbook: str, selector: str) -> dict[str, Any]:
    """Seconds from navigation to ``selector`` on ``workbook`` and on a one-widget notebook.

    Both are served by one ``kit serve`` configuration on ``workspace``; each visit is a
    fresh browser context, and the next waits until that notebook's warm kernel is ready
    again, as it would be between two people opening the page.
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from playwright.sync_api import sync_playwright

    from kit.browser import CHROMIUM_ARGS, MISSING, chromium_path

    chromium = chromium_path()
    if not chromium:
        raise RuntimeError(MISSING)
    pages = {workbook: selector, "one_widget.ipynb": ".bench-one-widget"}
    books = root / "books"
    books.mkdir()
    shutil.copy(ROOT / "workbooks" / workbook, books)
    _one_widget_notebook(books / "one_widget.ipynb")
    port = _free_port()
    log = root / "server.log"
    script = (
        "import sys; from pathlib import Path; from kit.serve import serve; "
        "serve(Path(sys.argv[1]), port=int(sys.argv[2]), notebooks=Path(sys.argv[3]))"
    )
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-c", script, str(workspace), str(port), str(books)],
            stdout=out,
            stderr=subprocess.STDOUT,
            cwd=ROOT,
        )
    base = f"http://127.0.0.1:{port}"
    times: dict[str, list[float]] = {name: [] for name in pages}
    try:
        for name in pages:
            _wait_for_pool(log, process, name, 1, base + "/")
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, args=list(CHROMIUM_ARGS))
            for round_ in range(ROUNDS + 1):
                for name, wanted in pages.items():
                    filled = _pools_filled(log, name)
                    context = browser.new_context(viewport={"width": 1280, "height": 900})
                    page = context.new_page()
                    start = time.perf_counter()
                    page.goto(f"{base}/voila/render/{name}", wait_until="commit", timeout=120_000)
                    try:
                        page.wait_for_selector(wanted, timeout=120_000)
                    except PlaywrightTimeout as exc:
                        tail = log.read_text()[-4000:]
                        raise RuntimeError(f"{name} never showed {wanted}:\n{tail}") from exc
                    if round_ > 0:  # the first round warms the browser itself up
                        times[name].append(time.perf_counter() - start)
                    page.goto("about:blank")  # leaving the page shuts its kernel down
                    context.close()
                    _wait_for_pool(log, process, name, filled + 1, base + "/")
            browser.close()
    finally:
        process.terminate()
        process.wait(timeout=30)
    medians = {name: statistics.median(values) for name, values in times.items()}
    ratio = medians[workbook] / medians["one_widget.ipynb"]
    return {
        "what": "seconds from navigation to the first real widget, median of fresh contexts",
        "rounds": ROUNDS,
        "workbook_seconds": round(medians[workbook], 3),
        "one_widget_seconds": round(medians["one_widget.ipynb"], 3),
        "ratio": round(ratio, 3),
        "target_ratio": TARGET_RATIO,
        "meets_target": ratio <= TARGET_RATIO,
        "all_seconds": {name: [round(v, 3) for v in values] for name, values in times.items()},
    }


def main() -> dict[str, Any]:
    from sample_city.build import sample_workspace

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        ws = sample_workspace(root / "ws")
        result = time_first_widget(ws.path, root, "00_set_up.ipynb", ".kit-step-00.kit-ready")
        result["calls_in_workspace"] = int(
            (ws.read_json("import_report") or {}).get("calls_held", 0)
        )
    return result


if __name__ == "__main__":
    print(main())
