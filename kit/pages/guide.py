"""What guides a reader through the steps: each page's heading, purpose and links to the steps
before and after it, the help beside each part of a page, and the glossary of the words the
pages use.

The words are data (templates/pages/steps.toml, help.toml and glossary.toml), so whoever
edits them needs no Python; this module only reads and renders them, autoescaped.
"""

from __future__ import annotations

import tomllib
from functools import cache
from typing import Any

from markupsafe import Markup

from kit.pages import render
from kit.resources import template, workbooks
from kit.steps import STEPS

#: Where the home page is, from any step's page.
HOME = "/"


@cache
def _read(name: str) -> dict[str, Any]:
    with template("pages", name).open("rb") as handle:
        return tomllib.load(handle)


def step_text(number: str) -> dict[str, str]:
    """A step's heading and the paragraph on what it is for (a bare heading for a step the
    file does not describe yet)."""
    return dict(_read("steps.toml").get(number) or {"heading": f"Step {number}", "purpose": ""})


def help_entries() -> dict[str, dict[str, str]]:
    """Every piece of help a page shows, by key ("roles.intro"): text, lead, heading, css."""
    return {key: dict(entry) for key, entry in _read("help.toml").items()}


def help_html(key: str, **values: str) -> Markup:
    """The help kept under ``key``, with ``{name}`` in its text filled in from ``values``
    (words and figures the kit worked out), escaped like any text."""
    entry = help_entries()[key]
    text = entry.get("text", "").format(**values)
    return render(
        "help.html",
        heading=entry.get("heading", ""),
        lead=entry.get("lead", ""),
        text=text,
        css=entry.get("css", ""),
    )


def glossary() -> dict[str, str]:
    """Each word the pages use that a budget analyst may not know, in plain sentences."""
    return dict(_read("glossary.toml")["terms"])


def page_of(number: str) -> str | None:
    """The address of a step's page relative to another step's (None: no workbook yet)."""
    found = sorted(workbooks().glob(f"{number}_*.ipynb"))
    return found[0].name if found else None


def neighbours(number: str) -> tuple[tuple[str, str] | None, tuple[str, str] | None]:
    """The step before and the step after (heading, address), in kit.steps' order, skipping
    steps that have no page yet."""
    pages = [(s.number, page_of(s.number)) for s in STEPS]
    shown = [(n, p) for n, p in pages if p is not None]
    numbers = [n for n, _ in shown]
    if number not in numbers:
        return None, None
    at = numbers.index(number)

    def link(i: int) -> tuple[str, str] | None:
        if not 0 <= i < len(shown):
            return None
        n, p = shown[i]
        return step_text(n)["heading"], str(p)

    return link(at - 1), link(at + 1)


def step_header(number: str) -> Markup:
    """The top of a step's page: back to the home page and the step before, its heading and
    purpose, and on to the next step."""
    back, following = neighbours(number)
    return render("step_header.html", home=HOME, back=back, next=following, **step_text(number))


def glossary_html() -> Markup:
    """The glossary as a definition list."""
    return render("glossary.html", terms=sorted(glossary().items(), key=lambda t: t[0].lower()))


def summary_bar_html(figures: list[tuple[str, str]], *, years: float | None = None) -> Markup:
    """A step's headline figures on one line (label, value shown), with the note a yearly
    figure from less than a year of calls needs."""
    from kit.labels import scaled_note

    return render("summary_bar.html", figures=figures, note=scaled_note(years))
