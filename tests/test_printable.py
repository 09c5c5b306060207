"""Pages to print: complete documents, escaped words, safe file names, links that hold them."""

from __future__ import annotations

import base64
import re
from html.parser import HTMLParser

from kit.printable import calls_a_year, download_link, file_name, page

HOSTILE = "<img src=x onerror=alert(1)>"


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)


def _tags(document: str) -> list[str]:
    parser = _Tags()
    parser.feed(document)
    return parser.tags


def test_page_is_a_whole_document_and_escapes_its_words() -> None:
    """Title and context are plain text; the body is kept as given."""
    document = page(HOSTILE, "<p>figures</p>", context=f"{HOSTILE} county")
    assert document.startswith("<!DOCTYPE html>")
    assert "img" not in _tags(document)
    assert "&lt;img src=x onerror=alert(1)&gt; county" in document
    assert "<p>figures</p>" in document
    assert "@page" in document


def test_file_names_are_safe_whatever_the_name() -> None:
    assert file_name("role charter", "Port Calder") == "role-charter-port-calder.html"
    assert file_name("role charter", "../../etc/" + HOSTILE) == (
        "role-charter-etc-img-src-x-onerror-alert-1.html"
    )
    assert file_name("funding", "Sainte-Thérèse") == "funding-sainte-therese.html"
    assert file_name("", "***") == "page.html"
    assert len(file_name("x" * 500)) <= 85


def test_download_link_carries_the_document_back_intact() -> None:
    """The link decodes to exactly the document, accents included, and says where it saves."""
    document = page("Sainte-Thérèse", "<p>Café — 10%</p>")
    link = download_link(document, 'a"b.html', "Download", css="kit-x")
    assert 'download="a&quot;b.html"' in link and 'class="kit-x"' in link
    data = re.search(r"base64,([A-Za-z0-9+/=]+)\"", link)
    assert data is not None
    assert base64.b64decode(data.group(1)).decode("utf-8") == document


def test_small_yearly_counts_are_not_printed() -> None:
    """Counts from above 0 to 10 (after rounding too) print as a range, others as a figure."""
    assert calls_a_year(3.4) == "fewer than 11 calls a year"
    assert calls_a_year(10.6) == "fewer than 11 calls a year"
    assert calls_a_year(0) == "about 0 calls a year"
    assert calls_a_year(11) == "about 11 calls a year"
    assert calls_a_year(12_345.2) == "about 12,345 calls a year"
