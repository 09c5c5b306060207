"""Step 05's page: the brief's preview and its downloads (HTML, PDF, CSV).

Every piece of HTML comes from :mod:`kit.pages.brief`; the view only places it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kit.pages import Markup, download_link, render
from kit.pages.brief import preview_html
from kit.ui.base import StepView
from kit.ui.brief import sections
from kit.ui.brief.model import BriefModel

if TYPE_CHECKING:
    import ipywidgets as widgets


def report_html(model: BriefModel) -> Markup:
    """What a headless run shows: the one-page summary and the files kept."""
    return render("brief/kept.html", brief=model.current(), files=model.files)


class BriefView(StepView):
    """The brief shown as it will print, with its downloads."""

    model: BriefModel

    def build(self) -> widgets.Widget:
        import ipywidgets as widgets

        page = widgets.VBox(
            [
                sections.intro(self),
                self.message_box(),
                sections.downloads(self),
                sections.preview(self),
                self.history_panel(),
            ]
        )
        self.model.observe(lambda _: self.show(), names=["page"])
        return page

    def refresh(self) -> None:
        """Make the brief if the workspace changed since (or it was never made), and show it."""
        if not self.model.page:
            self.model.make()
        self.show()

    def show(self) -> None:
        """The preview and the download links of the brief the model holds."""
        model = self.model
        if not model.page:
            self.preview.value = self.links.value = self.pdf_link.value = ""
            return
        names = model.names()
        self.preview.value = preview_html(model.page)
        self.links.value = Markup(" · ").join(
            [
                download_link(model.page, names["html"], "The brief (HTML)", css="kit-brief-html"),
                download_link(
                    model.current().csv_zip(), names["tables"], "Every table as CSV (zip)",
                    css="kit-brief-csv-zip", mime="application/zip",
                ),
            ]
        )  # fmt: skip
        self.pdf_link.value = ""

    def make_again(self) -> None:
        """Gather the brief again from what the workspace holds now."""
        self.model.make()
        self.model.status = "The brief was made again from what the workspace holds now."

    def make_pdf(self) -> None:
        """Print the brief to PDF and offer it for download."""
        pdf = self.model.pdf_bytes()
        self.pdf_link.value = download_link(
            pdf, self.model.names()["pdf"], "The brief (PDF)", css="kit-brief-pdf-link",
            mime="application/pdf",
        )  # fmt: skip
        self.model.status = "The PDF is ready: download it below."

    def keep(self) -> None:
        """Keep the brief in the workspace's briefs folder and record it as a new version."""
        self.model.keep()
        version = self.model.save()
        self.model.status = (
            f"Saved as version {version}; the files are in the workspace: "
            + ", ".join(self.model.files)
            + "."
        )
