"""The brief as a page: self-contained, escaped, with CSV links, charts as images, and a PDF."""

from __future__ import annotations

import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from brief_samples import decided_workspace
from ui_samples import HOSTILE

from kit.brief import Brief, gather
from kit.browser import chromium_path
from kit.errors import KitError
from kit.pages import pdf
from kit.pages.brief import brief_html


class _Attributes(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.links += [v or "" for k, v in attrs if k in ("src", "href", "srcset", "data")]


@pytest.fixture(scope="module")
def brief(tmp_path_factory: pytest.TempPathFactory) -> Brief:
    return gather(decided_workspace(tmp_path_factory.mktemp("page") / "ws"))


@pytest.fixture(scope="module")
def page(brief: Brief) -> str:
    return brief_html(brief)


def test_the_page_needs_nothing_from_outside(page: str) -> None:
    """Every image and link is a data URL; no script, stylesheet or url() reaches out."""
    parser = _Attributes()
    parser.feed(page)
    assert parser.links and all(link.startswith("data:") for link in parser.links)
    assert "img" in parser.tags
    assert not {"script", "link", "iframe", "object"} & set(parser.tags)
    without_data = re.sub(r'"data:[^"]*"', '""', page)
    assert "url(" not in without_data and "@import" not in without_data
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)


def test_data_stays_text_and_steps_not_done_are_marked(page: str) -> None:
    """The hostile call type and area are escaped; step 04 says it is not done."""
    assert HOSTILE not in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    assert (
        'Step 04 · Design the pilot&#39;s evaluation <span class="kit-brief-tag">not done' in page
    )
    assert page.count('download="') == page.count("<table")


def test_every_table_has_its_csv(brief: Brief, page: str) -> None:
    """The zip holds one CSV per table; each table's CSV travels in the page."""
    import io
    import zipfile

    names = zipfile.ZipFile(io.BytesIO(brief.csv_zip())).namelist()
    assert names == [f"{t.name}.csv" for t in brief.tables]
    for table in brief.tables:
        assert f'download="{table.name}.csv"' in page


@pytest.mark.skipif(chromium_path() is None, reason="needs Chromium")
def test_the_pdf_has_numbered_pages(page: str, tmp_path: Path) -> None:
    """Chromium prints the page; its footer numbers every page."""
    document = pdf.print_pdf(page)
    assert document.startswith(b"%PDF-")
    if shutil.which("pdftotext"):
        (tmp_path / "brief.pdf").write_bytes(document)
        text = subprocess.run(
            ["pdftotext", str(tmp_path / "brief.pdf"), "-"], capture_output=True, text=True
        ).stdout
        pages = int(re.search(r"Page 1 of (\d+)", text).group(1))
        assert pages > 1 and f"Page {pages} of {pages}" in text


def test_without_chromium_a_pdf_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    """No Chromium on the machine, or a KIT_CHROMIUM naming nothing: a plain message."""
    monkeypatch.setattr(pdf, "chromium_path", lambda: None)
    with pytest.raises(KitError, match="apt-get install chromium"):
        pdf.print_pdf("<p>x</p>")
    monkeypatch.setattr(pdf, "chromium_path", lambda: "/nonexistent/chromium")
    with pytest.raises(KitError, match="none was found: install it"):
        pdf.print_pdf("<p>x</p>")
