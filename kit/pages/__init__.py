"""HTML the kit hands to people: pages to print, and the fragments the app's views show.

Every piece of HTML is a Jinja2 template in ``templates/``, rendered through :func:`render`
with autoescaping on, so text from a city's data (call types, area names, a jurisdiction's
name) can never become markup. Only what the kit itself drew (an SVG chart, an already
rendered fragment) is passed in as :class:`markupsafe.Markup`.

A page to print is one self-contained HTML file: it opens in any browser, prints on Letter
or A4 with page margins, and needs nothing from the server once downloaded. Pages are
layered above the domain: they take figures that ``kit.roles``, ``kit.funding`` and
``kit.data`` worked out, and never compute figures of their own.
"""

from __future__ import annotations

import base64
from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from kit.labels import money, number, plural, scaled_note
from kit.printable import calls_a_year

__all__ = ["Markup", "download_link", "money", "render", "tag"]


@cache
def _environment() -> Environment:
    """The one place autoescaping is decided: on, for every template."""
    env = Environment(
        loader=PackageLoader("kit.pages", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        money=money,
        count=number,
        number=lambda value: number(value, 1),
        pct=lambda value, digits=0: f"{number(100 * float(value), digits)}%",
        plural=plural,
        scaled_note=scaled_note,
        calls_a_year=calls_a_year,
    )
    return env


def render(template: str, /, **values: Any) -> Markup:
    """Render a template from ``templates/`` with ``values``; the result is safe HTML."""
    return Markup(_environment().get_template(template).render(**values))


def download_link(
    document: str | bytes, name: str, label: str, *, css: str = "", mime: str = "text/html"
) -> Markup:
    """An ``<a>`` that saves ``document`` as ``name`` when clicked, with no request to the server.

    The document travels inside the link (a data URL), so it works the same in Voila, in
    JupyterLab and in an exported notebook.
    """
    raw = document.encode("utf-8") if isinstance(document, str) else document
    data = base64.b64encode(raw).decode("ascii")
    return render("download_link.html", data=data, name=name, label=label, css=css, mime=mime)


def tag(name: str, text: str, *, css: str = "") -> Markup:
    """One element around plain text, such as a heading or a note: ``<h3>Costs</h3>``."""
    return render("tag.html", name=name, text=text, css=css)
