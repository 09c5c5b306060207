"""The role charter as HTML: a fragment for the app and a whole page to print."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from markupsafe import Markup

from kit.pages import render
from kit.roles.charter import charter_lines


def charter_html(charter: Mapping[str, Any]) -> Markup:
    """The charter as an HTML fragment; text from the data is escaped."""
    return render("charter.html", lines=charter_lines(charter))


def charter_page(charter: Mapping[str, Any], *, jurisdiction: str, printed: date) -> str:
    """The charter as a standalone page to print, saying whose calls and which period it covers."""
    return str(
        render(
            "charter_page.html",
            lines=charter_lines(charter),
            jurisdiction=jurisdiction,
            period=charter["period"],
            printed=printed.isoformat(),
        )
    )
