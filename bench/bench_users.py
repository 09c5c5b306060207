"""Thirty people opening the app at once: the home page, then step 02, on one ``kit serve``.

Each simulated person does what a browser does, at the HTTP and websocket level: requests
the home page, requests step 02's page, opens the kernel's websocket the page would open,
asks the kernel for its widgets' state (ipywidgets' control channel, as the page does) and
waits until step 02's root widget is marked ready (``kit-ready``: figures drawn from what
the workspace holds). They stay HOLD_SECONDS on the page, then leave (the page's unload
shuts its kernel down), so people queued at the kernel cap get their place.

Reported: errors (a page that never became usable, or showed the busy page), the median and
95th percentile time from the first request to a usable page, and memory per kernel (the
unique set size of each step 02 kernel, measured while its page is open). The reference is
one person alone on the same server, measured first: the ratio says how much a crowd of
USERS slows a page down on this machine.
"""

from __future__ import annotations

import asyncio
import json
import re
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import psutil
from tornado.httpclient import AsyncHTTPClient, HTTPRequest

ROOT = Path(__file__).resolve().parent.parent
USERS = 30
HOLD_SECONDS = 15
ALONE_ROUNDS = 3
PAGE = "02_delineate_roles.ipynb"
READY = {"kit-step-02", "kit-ready"}
PAGE_SECONDS = 600
#: The version of ipywidgets' control channel the kernel expects (ipywidgets 8).
CONTROL_PROTOCOL = "1.0.0"
_KERNEL_ID = re.compile(r'"kernelId":\s*"([0-9a-f-]{36})"')
_XSRF = "kitbench"


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _message(
    msg_type: str, content: dict[str, Any], session: str, metadata: dict[str, Any] | None = None
) -> str:
    """A Jupyter message on the shell channel, in the websocket's JSON form."""
    header = {
        "msg_id": uuid.uuid4().hex,
        "msg_type": msg_type,
        "session": session,
        "username": "bench",
        "version": "5.3",
        "date": "",
    }
    return json.dumps(
        {
            "header": header,
            "parent_header": {},
            "metadata": metadata or {},
            "content": content,
            "channel": "shell",
            "buffers": [],
        }
    )


def _ready(states: dict[str, Any]) -> bool:
    """Whether any widget in ``states`` is step 02's root marked ready."""
    return any(
        set(model.get("state", model).get("_dom_classes", ())) >= READY for model in states.values()
    )


async def _wait_ready(ws_url: str) -> None:
    """Connect to the kernel as the page does and wait until step 02 is marked ready."""
    from websockets.asyncio.client import connect

    session = uuid.uuid4().hex
    async with connect(
        f"{ws_url}?session_id={session}", max_size=None, open_timeout=None, ping_interval=None
    ) as socket:
        comm = uuid.uuid4().hex
        await socket.send(
            _message(
                "comm_open",
                {"comm_id": comm, "target_name": "jupyter.widget.control", "data": {}},
                session,
                {"version": CONTROL_PROTOCOL},
            )
        )
        await socket.send(
            _message("comm_msg", {"comm_id": comm, "data": {"method": "request_states"}}, session)
        )
        while True:
            raw = await socket.recv()
            if isinstance(raw, bytes):
                continue  # binary frames carry widget buffers, never the classes
            msg = json.loads(raw)
            if msg.get("msg_type") != "comm_msg":
                continue
            data = msg["content"].get("data", {})
            if data.get("method") == "update_states" and _ready(data.get("states", {})):
                return
            if data.get("method") == "update" and _ready({"m": data}):
                return


def _kernel_memory(kernel_id: str) -> float | None:
    """Unique memory of the kernel process, in MB (None when it cannot be found)."""
    for process in psutil.process_iter(["cmdline"]):
        if any(kernel_id in part for part in process.info["cmdline"] or ()):
            try:
                return process.memory_full_info().uss / 2**20
            except psutil.Error:
                return None
    return None


async def _person(base: str, client: AsyncHTTPClient) -> dict[str, Any]:
    """One person: home page, step 02, widgets ready, a while on the page, leave."""
    start = time.perf_counter()
    home = await client.fetch(f"{base}/", request_timeout=PAGE_SECONDS, raise_error=False)
    if home.code != 200 or b"Step 02" not in home.body:
        return {"error": f"home page answered {home.code}"}
    home_seconds = time.perf_counter() - start
    page = await client.fetch(
        f"{base}/voila/render/{PAGE}", request_timeout=PAGE_SECONDS, raise_error=False
    )
    body = page.body.decode(errors="replace") if page.body else ""
    if "Busy, try again shortly" in body or page.code != 200:
        return {"error": f"busy (HTTP {page.code})"}
    found = _KERNEL_ID.search(body)
    if not found:
        return {"error": "no kernel in the page"}
    kernel = found.group(1)
    ws_base = base.replace("http://", "ws://")
    try:
        await asyncio.wait_for(
            _wait_ready(f"{ws_base}/api/kernels/{kernel}/channels"), PAGE_SECONDS
        )
    except (TimeoutError, OSError) as exc:
        return {"error": f"widgets never ready ({type(exc).__name__})"}
    usable = time.perf_counter() - start
    memory = _kernel_memory(kernel)
    await asyncio.sleep(HOLD_SECONDS)
    await client.fetch(
        HTTPRequest(
            f"{base}/voila/api/shutdown/{kernel}",
            method="POST",
            body=b"",
            headers={"X-XSRFToken": _XSRF, "Cookie": f"_xsrf={_XSRF}"},
        ),
        raise_error=False,
    )
    return {"seconds": usable, "home_seconds": home_seconds, "kernel_mb": memory}


async def _crowd(base: str, people: int) -> list[dict[str, Any]]:
    AsyncHTTPClient.configure(None, max_clients=people * 2)
    client = AsyncHTTPClient()
    return list(await asyncio.gather(*(_person(base, client) for _ in range(people))))


def _wait_for_warm_pool(log: Path, process: subprocess.Popen, fills: int) -> None:
    """Until step 02's warm kernel has been filled ``fills`` times (the server then answers)."""
    deadline = time.monotonic() + 300
    while log.read_text().count(f"Kernel pool of {PAGE} is filled") < fills:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited:\n{log.read_text()[-3000:]}")
        if time.monotonic() > deadline:
            raise RuntimeError("step 02's warm kernel was not ready within 300 s")
        time.sleep(0.5)


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def measure(workspace: Path, root: Path) -> dict[str, Any]:
    """Start ``kit serve`` on ``workspace``; one person alone, then USERS at once."""
    port = _free_port()
    log = root / "server.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "kit.cli", "serve", str(workspace), "--port", str(port)],
            stdout=out,
            stderr=subprocess.STDOUT,
            cwd=ROOT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_for_warm_pool(log, process, 1)
        alone = []
        for round_ in range(ALONE_ROUNDS):
            result = asyncio.run(_crowd(base, 1))[0]
            if "error" in result:
                raise RuntimeError(f"one person alone failed: {result['error']}")
            alone.append(result["seconds"])
            _wait_for_warm_pool(log, process, round_ + 2)
        started = time.perf_counter()
        crowd = asyncio.run(_crowd(base, USERS))
        wall = time.perf_counter() - started
    finally:
        process.terminate()
        process.wait(timeout=60)
    seconds = [r["seconds"] for r in crowd if "seconds" in r]
    memory = [r["kernel_mb"] for r in crowd if r.get("kernel_mb")]
    errors = [r["error"] for r in crowd if "error" in r]
    alone_median = statistics.median(alone)
    p95 = _percentile(seconds, 0.95) if seconds else float("nan")
    return {
        "what": f"{USERS} people opening the home page then step 02 at once, each staying "
        f"{HOLD_SECONDS} s; seconds from the first request to step 02 marked ready",
        "users": USERS,
        "hold_seconds": HOLD_SECONDS,
        "errors": len(errors),
        "error_kinds": sorted(set(errors)),
        "median_seconds": round(statistics.median(seconds), 2) if seconds else None,
        "p95_seconds": round(p95, 2),
        "home_page_p95_seconds": round(
            _percentile([r["home_seconds"] for r in crowd if "home_seconds" in r], 0.95), 3
        ),
        "alone_median_seconds": round(alone_median, 2),
        "p95_ratio_to_alone": round(p95 / alone_median, 2),
        "wall_seconds": round(wall, 1),
        "kernel_mb_median": round(statistics.median(memory), 1) if memory else None,
        "kernel_mb_max": round(max(memory), 1) if memory else None,
        "machine": {
            "cores": psutil.cpu_count(),
            "memory_gb": round(psutil.virtual_memory().total / 2**30, 1),
            "load_average_1min": round(psutil.getloadavg()[0], 1),
        },
    }


def main() -> dict[str, Any]:
    from sample_city.build import sample_workspace

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        ws = sample_workspace(root / "port-calder")
        return measure(ws.path, root)


if __name__ == "__main__":
    print(json.dumps(main(), indent=2))
