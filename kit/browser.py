"""Where the kit finds headless Chromium, and the flags it starts it with.

The browser tests and the benchmarks drive the system Chromium (Playwright cannot
download its own on every machine); the flags keep it from reaching out to the network
and from needing a sandbox or a GPU.
"""

from __future__ import annotations

import os
import shutil
from typing import Final

CHROMIUM_ARGS: Final[tuple[str, ...]] = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)

MISSING: Final[str] = (
    "No Chromium found: run `make browser`, or set KIT_CHROMIUM to a Chrome/Chromium binary."
)


def chromium_path() -> str | None:
    """``KIT_CHROMIUM`` when set, else the first Chromium on the PATH (None: there is none)."""
    explicit = os.environ.get("KIT_CHROMIUM")
    if explicit:
        return explicit
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None
