"""Pages to print and HTML fragments: whole documents, escaped words, safe names, links."""

from __future__ import annotations

import base64
import re
from datetime import date
from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jinja2 import TemplateNotFound

from kit.pages import Markup, download_link, render, tag
from kit.pages.setup import import_report_html, import_report_page
from kit.printable import calls_a_year, file_name

HOSTILE = "<img src=x onerror=alert(1)>"


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)


class _Text(_Tags):
    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _tags(document: str) -> list[str]:
    parser = _Tags()
    parser.feed(document)
    return parser.tags


def test_page_is_a_whole_document_and_escapes_its_words() -> None:
    """A page to print is one document with print margins; words from the data stay words."""
    document = import_report_page(
        [f"{HOSTILE} rows dropped"], jurisdiction=f"{HOSTILE} county", printed=date(2026, 3, 4)
    )
    assert document.startswith("<!DOCTYPE html>")
    assert "img" not in _tags(document)
    assert "<title>Import report: &lt;img src=x onerror=alert(1)&gt; county</title>" in document
    assert "&lt;img src=x onerror=alert(1)&gt; rows dropped" in document
    assert "Printed 2026-03-04." in document
    assert "@page" in document


def test_fragments_escape_text_and_keep_the_kit_s_own_markup() -> None:
    """Autoescaping is on for every template: text is escaped, Markup the kit drew is kept."""
    assert tag("h3", HOSTILE) == "<h3>&lt;img src=x onerror=alert(1)&gt;</h3>"
    assert tag("p", Markup("<b>bold</b>"), css='a"b') == '<p class="a&#34;b"><b>bold</b></p>'
    assert "img" not in _tags(import_report_html([HOSTILE]))
    with pytest.raises(TemplateNotFound, match=r"nowhere\.html"):
        render("nowhere.html")


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
    document = import_report_page(
        ["Café — 10%"], jurisdiction="Sainte-Thérèse", printed=date(2026, 1, 2)
    )
    link = download_link(document, 'a"b.html', "Download", css="kit-x")
    assert 'download="a&#34;b.html"' in link and 'class="kit-x"' in link
    data = re.search(r"base64,([A-Za-z0-9+/=]+)\"", link)
    assert data is not None
    assert base64.b64decode(data.group(1)).decode("utf-8") == document


def test_small_counts_are_judged_on_the_calls_in_the_period() -> None:
    """Above 0 and under 11 calls in the data (expected counts are fractional) print as a range,
    whatever the yearly figure; others as that figure; the workspace threshold replaces 11."""
    assert calls_a_year(3.4, years=1) == "fewer than 11 calls in the period"
    assert calls_a_year(10.6, years=1) == "fewer than 11 calls in the period"
    assert calls_a_year(0.02, years=1) == "fewer than 11 calls in the period"
    assert calls_a_year(12, years=0.5) == "fewer than 11 calls in the period"  # 6 calls
    assert calls_a_year(5, years=3) == "about 5 calls a year"  # 15 calls
    assert calls_a_year(0, years=1) == "about 0 calls a year"
    assert calls_a_year(11, years=1) == "about 11 calls a year"
    assert calls_a_year(12_345.2, years=2) == "about 12,345 calls a year"
    assert calls_a_year(15, years=1, small_count=20) == "fewer than 20 calls in the period"


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_any_text_stays_text(text: str) -> None:
    """Whatever a city's data holds, a fragment shows it as text: the only element is ours,
    and the text read back is the text given."""
    parser = _Text()
    parser.feed(tag("p", text))
    parser.close()
    assert parser.tags == ["p"]
    assert "".join(parser.text) == text
