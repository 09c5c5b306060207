"""Step 05's page, one named section at a time (see :class:`~kit.ui.brief.view.BriefView`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kit.pages.guide import help_html

if TYPE_CHECKING:
    import ipywidgets as widgets

    from kit.ui.brief.view import BriefView


def intro(view: BriefView) -> widgets.Widget:
    """What the brief holds (the step's heading and purpose are in the page's header)."""
    import ipywidgets as widgets

    return widgets.HTML(help_html("brief.intro"))


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
        widgets.HTML(help_html("brief.download")),
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
