"""Step 05's model: the brief made from what the workspace holds now, and its record.

The brief is worked out by :func:`kit.brief.gather`, the function ``kit report`` calls, and
drawn by :mod:`kit.pages.brief`. Saving records the ``plan_brief`` decision: when the brief
was made, the version of every decision it shows and the steps it lists as not done, so a
later look can tell which brief a council was given.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import traitlets

from kit.brief import Brief, gather
from kit.pages.brief import brief_html, brief_names, save_brief
from kit.pages.pdf import print_pdf
from kit.ui.base import StepModel

if TYPE_CHECKING:
    from kit.workspace import Workspace

DECISION_NAME = "plan_brief"


class BriefModel(StepModel):
    """The brief as it stands, the files it was kept as, and whether to print a PDF too."""

    step = "05"
    decision = DECISION_NAME

    #: Headless runs: also print the PDF into the workspace's briefs/ folder (needs Chromium).
    pdf = traitlets.Bool(False)
    #: The brief as one HTML page (empty until made).
    page = traitlets.Unicode("")
    #: The day the brief shown was made (ISO date; empty until made).
    made = traitlets.Unicode("")
    #: Files the last headless run or save kept in briefs/, relative to the workspace.
    files = traitlets.List(traitlets.Unicode())

    def __init__(self, workspace: Workspace, **kwargs: Any) -> None:
        super().__init__(workspace, **kwargs)
        self.brief: Brief | None = None

    def forget(self) -> None:
        self.brief = None
        self.page = ""

    def make(self) -> Brief:
        """Gather the brief from what the workspace holds now and draw its page."""
        self.catch_up()
        self.brief = gather(self.workspace)
        self.page = brief_html(self.brief)
        self.made = self.brief.made.isoformat()
        return self.brief

    def current(self) -> Brief:
        """The brief shown, made first if it is not yet."""
        return self.brief if self.brief is not None else self.make()

    def names(self) -> dict[str, str]:
        """The brief's file names by kind (html, pdf, tables)."""
        return brief_names(self.current())

    def pdf_bytes(self) -> bytes:
        """The brief printed to PDF by Chromium (a plain error when there is none)."""
        return print_pdf(self.page or brief_html(self.current()))

    def keep(self) -> list[Path]:
        """Write the brief into briefs/ (and the PDF when :attr:`pdf` is set)."""
        written = save_brief(self.workspace, self.current(), pdf=self.pdf)
        self.files = [p.relative_to(self.workspace.path).as_posix() for p in written]
        return written

    def state_to_document(self) -> dict[str, Any]:
        brief = self.current()
        versions = self.workspace.decisions.names()
        return {
            "made": brief.made.isoformat(),
            "decisions": {n: v for n, v in sorted(versions.items()) if n != DECISION_NAME},
            "not_done": [s.step for s in brief.sections if not s.done],
            "files": list(self.files),
        }

    def state_from_document(self, document: dict[str, Any]) -> None:
        self.files = list(document.get("files", []))

    def run(self) -> None:
        """Headless: make the brief and keep it in briefs/ (saved with its record after)."""
        self.make()
        self.keep()
