"""A page printed to PDF by headless Chromium, which the kit already relies on.

Chromium prints the page as it is (its own ``@page`` rules set the paper, the margins and
the footer with page numbers), with the browser's own header and footer turned off so no
file path or date stamp of the machine ends up on paper. WeasyPrint would need Pango and
other system libraries; Chromium is already what the app's tests run in.
"""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path
from typing import Final

from kit.browser import CHROMIUM_ARGS, chromium_path
from kit.errors import KitError

#: What to do when there is no Chromium (the command line prints it and exits 2).
NO_CHROMIUM: Final = (
    "A PDF is printed with Chromium, and none was found: install it (on Debian or Ubuntu, "
    "`apt-get install chromium`; or run `make browser`), or set KIT_CHROMIUM to a Chrome or "
    "Chromium program. The HTML brief needs no browser: ask for a file ending in .html."
)
#: Long enough for a brief of dozens of pages on a loaded machine.
TIMEOUT_SECONDS: Final = 180


def print_pdf(html: str) -> bytes:
    """``html`` (a self-contained page) printed to PDF; a plain :class:`KitError` on failure."""
    chromium = chromium_path()
    if chromium is None:
        raise KitError(NO_CHROMIUM)
    with tempfile.TemporaryDirectory(prefix="kit-pdf-") as folder:
        page = Path(folder) / "page.html"
        out = Path(folder) / "page.pdf"
        page.write_text(html, encoding="utf-8")
        command = [
            chromium,
            *CHROMIUM_ARGS,
            f"--user-data-dir={Path(folder) / 'profile'}",
            "--no-pdf-header-footer",
            f"--print-to-pdf={out}",
            page.as_uri(),
        ]
        try:
            subprocess.run(command, capture_output=True, timeout=TIMEOUT_SECONDS, check=False)
        except FileNotFoundError as exc:
            raise KitError(NO_CHROMIUM) from exc
        except subprocess.TimeoutExpired as exc:
            raise KitError(
                f"Chromium did not finish printing the PDF within {TIMEOUT_SECONDS} seconds; "
                "try again when the machine is less busy, or make the HTML brief instead."
            ) from exc
        if not out.exists() or out.stat().st_size == 0:
            raise KitError(
                f"Chromium ({chromium}) did not print the PDF. Check that it starts "
                "(`chromium --headless --version`), or make the HTML brief instead."
            )
        return out.read_bytes()
