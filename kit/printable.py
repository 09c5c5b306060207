"""Rules for anything the kit publishes: small counts suppressed, safe file names.

Pages and charters are read by people outside the city's staff, so a count that could
point to a person is never printed (:mod:`kit.suppression`, docs/publishing.md), and a file
offered for download gets a name that is safe on any system whatever the jurisdiction is
called. The HTML itself is in :mod:`kit.pages`.
"""

from __future__ import annotations

import os
import re
import tempfile
import unicodedata
from pathlib import Path

from kit.errors import KitError
from kit.suppression import DEFAULT_SMALL_COUNT, is_small


def calls_a_year(per_year: float, years: float, small_count: int = DEFAULT_SMALL_COUNT) -> str:
    """A yearly number of calls as printed for others to read: small counts are not shown.

    The rule is judged on the calls actually in the data (``per_year * years``), not on the
    yearly figure: 6 calls in half a year are 12 a year and still point to few people.
    """
    if is_small(per_year * years, small_count):
        return f"fewer than {small_count} calls in the period"
    return f"about {per_year:,.0f} calls a year"


def slug(*parts: str) -> str:
    """Words as a name safe for a file or folder on any system: ``"Ana María"`` -> ``ana-maria``.

    Letters lose their accents, anything but a-z and 0-9 becomes one hyphen, and the result
    is at most 80 characters; it is empty when nothing safe is left.
    """
    words = unicodedata.normalize("NFKD", "-".join(parts)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", words.lower())[:80].strip("-")


def file_name(*parts: str) -> str:
    """A safe file name from words such as a jurisdiction's name: ``role-charter-riverton.html``."""
    return f"{slug(*parts) or 'page'}.html"


def write_replacing(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a file beside it, renamed over any old one at once,
    so a reader never finds half a brief and a failed write leaves the old one whole."""
    temporary = None
    try:
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
    except OSError as exc:
        if temporary is not None:
            Path(temporary).unlink(missing_ok=True)
        raise KitError(f"Could not write {path}: {exc.strerror}.") from exc
