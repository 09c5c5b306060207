"""The server's own pages, which start no kernel: the home page, the chooser, and "busy".

The home page lists the steps in order with each one's state in the workspace (not
started; saved when and by whom; out of date because what it was based on changed) and
what it needs from the steps before, so a person sees where the work stands before any
step's page (and its kernel) is opened. The figures come from :func:`kit.steps.status`;
this module only words them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

from markupsafe import Markup

from kit.pages import render
from kit.steps import STEPS, Step, step_keeping

#: The kit's name, as its pages title it.
KIT_NAME: Final = "Reimagining public safety"


@dataclass(frozen=True)
class StepRow:
    """One step as the home page lists it."""

    number: str
    title: str
    #: Where the step's page is; empty when its workbook is not available yet.
    link: str
    #: ``not-started``, ``saved``, ``outdated`` or ``unavailable`` (also the row's CSS class).
    state: str
    #: The state in words: "Saved 2026-01-05 14:03 UTC by ana".
    state_text: str
    #: Why a saved decision is out of date (empty unless ``state`` is ``outdated``).
    reasons: tuple[str, ...]
    #: What the step works from that earlier steps make.
    needs: tuple[str, ...]


def _when(saved_at: str) -> str:
    """A save's time to the minute, as the store recorded it (UTC)."""
    moment = datetime.fromisoformat(saved_at)
    return moment.strftime("%Y-%m-%d %H:%M %Z" if moment.tzinfo else "%Y-%m-%d %H:%M").strip()


def needs(step: Step) -> tuple[str, ...]:
    """What ``step`` needs from the steps before it: the calls, and the decisions it uses."""
    calls_step = step_keeping("table", "calls")
    wanted = [] if step.number == calls_step else [f"the calls imported in step {calls_step}"]
    for name in step.uses:
        wanted.append(f"step {step_keeping('decision', name)}'s {name.replace('_', ' ')}")
    return tuple(wanted)


def _state(decisions: Mapping[str, Mapping[str, Any]]) -> tuple[str, str, tuple[str, ...]]:
    """A step's state from its decisions' (see :func:`kit.steps.decision_status`)."""
    saved = [d for d in decisions.values() if d["saved"]]
    if not saved:
        return "not-started", "Not started", ()
    latest = max(saved, key=lambda d: d["saved_at"])
    text = f"Saved {_when(latest['saved_at'])} by {latest['user']}"
    reasons = tuple(r for d in saved for r in d["reasons"])
    if reasons:
        return "outdated", f"Out of date (saved {_when(latest['saved_at'])})", reasons
    return "saved", text, ()


def step_rows(
    status: Mapping[str, Mapping[str, Any]],
    workbooks: Mapping[str, str],
    link: Callable[[str], str],
) -> list[StepRow]:
    """Every step in order: ``status`` as :func:`kit.steps.status` gives it, ``workbooks``
    the workbook file of each step that has one, ``link`` a workbook's address."""
    rows = []
    for step in STEPS:
        workbook = workbooks.get(step.number, "")
        if workbook:
            state, text, reasons = _state(status.get(step.number, {}).get("decisions", {}))
        else:
            state, text, reasons = "unavailable", "Not available yet", ()
        rows.append(
            StepRow(
                number=step.number,
                title=step.title,
                link=link(workbook) if workbook else "",
                state=state,
                state_text=text,
                reasons=reasons,
                needs=needs(step),
            )
        )
    return rows


def home_page(*, jurisdiction: str, rows: Sequence[StepRow], others: str = "") -> Markup:
    """The home page of one workspace; ``others`` links back to the chooser when the
    server hosts several."""
    return render(
        "home/home.html", kit=KIT_NAME, jurisdiction=jurisdiction, rows=rows, others=others
    )


@dataclass(frozen=True)
class Choice:
    """One workspace in the chooser."""

    jurisdiction: str
    folder: str
    changed: str
    link: str


def chooser_page(choices: Sequence[Choice], *, problem: str = "") -> Markup:
    """The list of workspaces a server hosts, each a link to its home page."""
    return render("home/chooser.html", kit=KIT_NAME, choices=choices, problem=problem)


def changed_text(moment: datetime | None) -> str:
    """When a workspace last changed, as the chooser says it."""
    return (
        f"Last change {moment.strftime('%Y-%m-%d %H:%M %Z').strip()}" if moment else "No change yet"
    )


def busy_page(*, home: str) -> Markup:
    """What a page says when every place on the server is taken: no error, no traceback."""
    return render("home/busy.html", kit=KIT_NAME, home=home)


def refused_page(*, hub: str) -> Markup:
    """What a person logged in at JupyterHub sees at someone else's server: whose it is not,
    and the way to their own (``hub``, the hub's home page)."""
    return render("home/refused.html", kit=KIT_NAME, hub=hub)


def queue_notice(*, seconds: int) -> Markup:
    """The start of a page that waits for a free place: a notice shown until the page comes."""
    return render("home/queue.html", kit=KIT_NAME, seconds=seconds)
