"""A tiny jurisdiction for the app's tests: a saved profile and a small CAD export.

Small on purpose (a couple of hundred calls) so papermill and browser tests stay quick;
one call type and one area are hostile HTML, to prove data is always shown as text.
"""

from __future__ import annotations

import csv
import random
import socket
import subprocess
from datetime import datetime, timedelta
from pathlib import Path

import ipywidgets as w

from kit.profile import Area, Profile
from kit.workspace import Workspace


def free_port() -> int:
    """A port nothing listens on now: tests never take a fixed one (parallel runs would clash)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


HOSTILE = "<img src=x onerror=alert(1)>"
AREAS = ("North", "South", HOSTILE)
TYPES = (
    ("21", "TRAFFIC INCIDENT"),
    ("62A", "BURGLAR ALARM"),
    ("103", "DISTURBANCE"),
    ("TX", HOSTILE),
)
HEADERS = (
    "Item_Number",
    "Type",
    "TypeText",
    "Priority",
    "TimeCreate",
    "TimeDispatch",
    "TimeArrive",
    "TimeClosed",
    "Disposition",
    "DispositionText",
    "SelfInitiated",
    "District",
    "BLOCK_ADDRESS",
)


def profile() -> Profile:
    """The tiny jurisdiction's profile: three areas, one with a hostile name."""
    shares = {
        "share_white_nh": 0.4,
        "share_black": 0.35,
        "share_hispanic": 0.15,
        "share_asian": 0.05,
        "share_other": 0.05,
    }
    return Profile(
        name="Testville",
        population=30000,
        timezone="America/Chicago",
        fiscal_year_start=7,
        areas=[Area(name=name, population=10000, **shares) for name in AREAS],
    )


def make_workspace(path: Path, *, with_profile: bool = True) -> Workspace:
    """A new workspace at ``path``, with the tiny profile saved unless told otherwise."""
    ws = Workspace.create(path, name="Testville", timezone="America/Chicago")
    if with_profile:
        ws.save_profile(profile(), user="tester")
    return ws


def stop(process: subprocess.Popen) -> None:
    """End a server the test started: politely, then for sure."""
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _stamp(moment: datetime) -> str:
    return moment.strftime("%m/%d/%Y %I:%M:%S %p")


def write_calls_csv(path: Path, *, rows: int = 240, seed: int = 4) -> Path:
    """A New-Orleans-shaped export of ``rows`` calls over two months."""
    rng = random.Random(seed)
    start = datetime(2024, 1, 1)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADERS)
        for i in range(rows):
            created = start + timedelta(minutes=rng.randrange(0, 60 * 24 * 59))
            dispatched = created + timedelta(minutes=rng.randrange(1, 20))
            arrived = dispatched + timedelta(minutes=rng.randrange(2, 25))
            closed = arrived + timedelta(minutes=rng.randrange(5, 90))
            code, text = TYPES[i % len(TYPES)]
            writer.writerow(
                [
                    f"A{i:05d}-24",
                    code,
                    text,
                    str(rng.randrange(0, 3)),
                    _stamp(created),
                    _stamp(dispatched),
                    _stamp(arrived),
                    _stamp(closed),
                    "RTF",
                    "REPORT TO FOLLOW",
                    "Y" if i % 5 == 0 else "N",
                    AREAS[i % len(AREAS)],
                    f"{rng.randrange(1, 99)}XX Main St",
                ]
            )
    return path


def live_fields(root: w.Widget) -> list[w.Widget]:
    """Fields under ``root`` that send every keystroke or slider step to the kernel.

    The browser holds such updates back while the kernel is busy but sends a click at once,
    so a button pressed just after typing or dragging could act on a value half way there.
    """
    found: list[w.Widget] = []
    stack: list[object] = [root]
    while stack:
        node = stack.pop()
        if getattr(node, "continuous_update", False):
            found.append(node)
        stack.extend(getattr(node, "children", ()))
    return found


def page_html(widget) -> str:
    """Every piece of HTML a widget tree shows, in order."""
    own = getattr(widget, "value", "")
    parts = [own if isinstance(own, str) else ""]
    parts += [page_html(child) for child in getattr(widget, "children", ())]
    return "".join(parts)
