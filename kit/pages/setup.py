"""Step 00 in HTML: the import report, in the page and as a page to print."""

from __future__ import annotations

from datetime import date

from markupsafe import Markup

from kit.pages import render


def import_report_html(lines: list[str]) -> Markup:
    """What the last import found, one plain sentence per item."""
    return render("import_report.html", lines=lines)


def import_report_page(lines: list[str], *, jurisdiction: str, printed: date) -> str:
    """The import report as a page to print or send to whoever keeps the CAD system."""
    return str(
        render(
            "import_report_page.html",
            lines=lines,
            jurisdiction=jurisdiction,
            printed=printed.isoformat(),
        )
    )
