"""Rules for anything the kit publishes: small counts suppressed, safe file names.

Pages and charters are read by people outside the city's staff, so a count that could
point to a person is never printed, and a file offered for download gets a name that is
safe on any system whatever the jurisdiction is called. The HTML itself is in
:mod:`kit.pages`.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Final

#: Counts above 0 and below this are not printed: the cell-size rule of the Centers for Medicare &
#: Medicaid Services (CMS Cell Size Suppression Policy: no cell of 1 to 10 may be displayed),
#: which public agencies commonly follow for small counts that could point to a person.
SMALL_COUNT_LIMIT: Final = 11


def calls_a_year(count: float) -> str:
    """A yearly number of calls as printed for others to read: small counts are not shown."""
    if 0 < count < SMALL_COUNT_LIMIT:
        return f"fewer than {SMALL_COUNT_LIMIT} calls a year"
    return f"about {count:,.0f} calls a year"


def file_name(*parts: str) -> str:
    """A safe file name from words such as a jurisdiction's name: ``role-charter-riverton.html``."""
    words = unicodedata.normalize("NFKD", "-".join(parts)).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", words.lower())[:80].strip("-")
    return f"{slug or 'page'}.html"
