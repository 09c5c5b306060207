"""Standalone HTML pages to print or hand on, and links that download them from the app.

City staff work in the browser with no command line, so a step that says its output is
printable offers it as one self-contained HTML file: it opens in any browser, prints on
Letter or A4 with page margins, and needs nothing from the server once downloaded.
"""

from __future__ import annotations

import base64
import html
import re
import unicodedata
from typing import Final

#: Counts above 0 and below this are not printed: the cell-size rule of the Centers for Medicare &
#: Medicaid Services (CMS Cell Size Suppression Policy: no cell of 1 to 10 may be displayed),
#: which public agencies commonly follow for small counts that could point to a person.
SMALL_COUNT_LIMIT: Final = 11

_CSS: Final = """
@page { margin: 18mm 16mm; }
body { font-family: Georgia, 'Times New Roman', serif; font-size: 11pt; line-height: 1.45;
  color: #111; max-width: 46em; margin: 2em auto; padding: 0 1em; }
h1 { font-size: 1.7em; margin: 0 0 0.3em; }
h2 { font-size: 1.2em; margin: 1.4em 0 0.4em; break-after: avoid; }
.kit-context { color: #444; font-size: 0.95em; border-bottom: 1px solid #999;
  padding-bottom: 0.6em; margin-bottom: 1em; }
li { margin: 0.25em 0; break-inside: avoid; }
table { border-collapse: collapse; margin: 0.4em 0; }
th, td { padding: 2px 8px; border-bottom: 1px solid #ccc; text-align: left;
  vertical-align: top; }
.kit-num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr { break-inside: avoid; }
svg { max-width: 100%; height: auto; }
@media print { body { margin: 0; max-width: none; } }
"""


def calls_a_year(count: float) -> str:
    """A yearly number of calls as printed for others to read: small counts are not shown."""
    if 0 < count < SMALL_COUNT_LIMIT:
        return f"fewer than {SMALL_COUNT_LIMIT} calls a year"
    return f"about {count:,.0f} calls a year"


def page(title: str, body: str, *, context: str = "") -> str:
    """A complete HTML document around ``body`` (already safe HTML).

    ``title`` and ``context`` are plain text (a jurisdiction's name may hold markup) and are
    escaped here; ``context`` is a line printed above the body, such as where figures come from.
    """
    head = f'<p class="kit-context">{html.escape(context)}</p>\n' if context else ""
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{html.escape(title)}</title>\n<style>{_CSS}</style>\n</head>\n"
        f"<body>\n{head}{body}\n</body>\n</html>\n"
    )


def file_name(*parts: str) -> str:
    """A safe file name from words such as a jurisdiction's name: ``role-charter-riverton.html``."""
    words = unicodedata.normalize("NFKD", "-".join(parts)).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", words.lower())[:80].strip("-")
    return f"{slug or 'page'}.html"


def download_link(document: str, name: str, label: str, *, css: str = "") -> str:
    """An ``<a>`` that saves ``document`` as ``name`` when clicked, with no request to the server.

    The document travels inside the link (a data URL), so it works the same in Voila, in
    JupyterLab and in an exported notebook.
    """
    data = base64.b64encode(document.encode("utf-8")).decode("ascii")
    klass = f' class="{html.escape(css)}"' if css else ""
    # Styled inline: pages in the app reset link colours, and the link must look like one.
    return (
        f'<a{klass} style="color:#1565c0; text-decoration:underline" '
        f'download="{html.escape(name)}" '
        f'href="data:text/html;charset=utf-8;base64,{data}">{html.escape(label)}</a>'
    )
