"""Step 05's page, one named section at a time (see :class:`~kit.ui.brief.view.BriefView`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import ipywidgets as widgets

    from kit.ui.brief.view import BriefView


def intro(view: BriefView) -> widgets.Widget:
    """What the brief holds (the step's heading and purpose are in the page's header)."""
    import ipywidgets as widgets

    return widgets.HTML(
        "<p>Everything the workspace has decided, gathered "
        "for the council or county board: a one-page summary, a section per step, every "
        "figure by area beside who lives there, the sources behind the defaults, and the "
        "version and date of each decision shown. Steps not done yet are listed as not done. "
        "Counts below the workspace's small-count threshold are not shown.</p>"
    )


def downloads(view: BriefView) -> widgets.Widget:
    """The brief to download as HTML, PDF and CSV, and the buttons that make and keep it."""
    import ipywidgets as widgets

    view.links = widgets.HTML().add_class("kit-brief-downloads")
    view.pdf_link = widgets.HTML().add_class("kit-brief-pdf")
    buttons = widgets.HBox(
        [
            view.action("Make the brief again", view.make_again, css="kit-brief-make"),
            view.action("Make the PDF", view.make_pdf, css="kit-brief-print"),
            view.action("Save this brief", view.keep, css="kit-save"),
        ]
    )
    return view.section(
        "Download the brief",
        widgets.HTML(
            "<p>The HTML file opens in any browser and needs nothing else; the PDF is the "
            "same page printed, with page numbers. Every table also downloads as a CSV file "
            "(the link under each table in the preview, or all of them at once here). Save "
            "this brief to keep a copy in the workspace's briefs folder with a record of the "
            "decisions it shows.</p>"
        ),
        buttons,
        view.links,
        view.pdf_link,
        css="kit-brief-download",
    )


def preview(view: BriefView) -> widgets.Widget:
    """The brief as it will print, in a frame of its own (its styles stay inside it)."""
    import ipywidgets as widgets

    view.preview = widgets.HTML().add_class("kit-brief-preview")
    return view.section("The brief", view.preview, css="kit-brief-page")
