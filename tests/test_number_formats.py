"""Numbers as people read them, on every page of the sample city: quantities of four digits
or more carry thousands separators, and shares are shown as percentages, not fractions.

Every step's page is drawn on the sample city with a plan saved in steps 02 and 03, and its
text read as a person sees it (HTML widgets, labels, choices, and the charts' SVG); so are the
pages to print (import report, role charter, step 03's page, step 04's evaluation plan and the
brief with its charts). Years, dates, row numbers, codes and legal citations are not
quantities and are left alone.
"""

from __future__ import annotations

import base64
import re
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import ipywidgets as w
import pytest

from kit.pages.brief import brief_html
from kit.pages.charter import charter_page
from kit.pages.funding import funding_page
from kit.pages.pilot import plan_page
from kit.pages.setup import import_report_page
from kit.pilot.plan import workspace_plan
from kit.ui.brief import BriefModel, BriefView
from kit.ui.community import CommunityModel, CommunityView
from kit.ui.funding import FundingModel, FundingView
from kit.ui.pilot import PilotModel, PilotView
from kit.ui.roles import RolesModel, RolesView
from kit.ui.setup import SetUpModel, SetUpView
from kit.workspace import Workspace
from sample_city.build import sample_workspace

#: A bare run of four or more digits: not part of a word, a code, a date, a time or a
#: separated number.
BARE = re.compile(r"(?<![\w.,:/#\-])\d{4,}(?![\w,:/\-])")
#: A quantity unit after a number: a year followed by one is a count, not a year.
UNIT_AFTER = re.compile(r"\s*(calls|hours|officers|residents|teams|people|minutes|\$)")
#: Words before a number that make it a label, not a quantity.
LABEL_BEFORE = re.compile(r"(section|rows?:?|Law|Table|version|FY)[\s\d,]*$", re.IGNORECASE)
#: A fraction of two or more decimals with no sign (a correlation or a change in points is
#: signed) and not a multiplier ("0.75 to 1.25 times").
FRACTION = re.compile(r"(?<![\w.+\-−])0\.\d{2,}(?![\d%])(?!\s*(to|times|x)\b)")


class _Text(HTMLParser):
    """The text a person reads in a piece of HTML, charts drawn as images included."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("style", "script"):
            self._hidden += 1
        source = dict(attrs).get("src") or ""
        if tag == "img" and source.startswith("data:image/svg+xml;base64,"):
            self.found += text_of(base64.b64decode(source.split(",", 1)[1]).decode("utf-8"))

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "script"):
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden and data.strip():
            self.found.append(" ".join(data.split()))


def text_of(html: str) -> list[str]:
    parser = _Text()
    parser.feed(str(html))
    return parser.found


def widget_text(root: w.Widget) -> list[str]:
    """What a page's widgets show: HTML, labels, tooltips and the choices of its dropdowns."""
    found, stack = [], [root]
    while stack:
        node = stack.pop()
        if isinstance(node, w.HTML):
            found += text_of(node.value)
        found += [
            v for v in (getattr(node, a, None) for a in ("description", "tooltip")) if v
        ]  # fmt: skip
        if isinstance(node, w.Dropdown):
            found += [str(o[0] if isinstance(o, tuple) else o) for o in node.options]
        stack.extend(getattr(node, "children", ()))
    return found


def misread(texts: list[str]) -> list[str]:
    """Each number a reader would misread: a bare quantity of 4+ digits, or a fraction."""
    wrong = []
    for text in texts:
        for hit in BARE.finditer(text):
            value, before, after = int(hit.group()), text[: hit.start()], text[hit.end() :]
            year = 1900 <= value <= 2099 and not UNIT_AFTER.match(after)
            if not year and not LABEL_BEFORE.search(before[-40:]):
                wrong.append(f"{hit.group()!r} in {text[:120]!r}")
        wrong += [f"{hit.group()!r} in {text[:120]!r}" for hit in FRACTION.finditer(text)]
    return wrong


def test_the_rules_catch_what_they_should_and_spare_years_and_codes() -> None:
    """The checker itself: bare counts and fractions are caught; years, dates, ids are not."""
    assert misread(["12345 calls", "officer hours 83829", "take-up 0.45", "2024 calls"])
    assert len(misread(["12345 calls a year; 0.45 of them"])) == 2
    spared = [
        "12,345 calls",
        "45% take-up",
        "In 2024, calls rose",
        "Version 3, 2026-12-01 08:14 UTC",
        "Example rows: 1701, 4411",
        "section 9813 of the Act",
        "code 21-1018",
        "eabm2106",
        "correlation +0.79",
        "0.75 to 1.25 times the cost",
        "$1,234,567",
    ]
    assert misread(spared) == []


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    """The sample city with a plan saved in step 02 and step 03's figures saved."""
    ws = sample_workspace(tmp_path_factory.mktemp("numbers") / "ws")
    roles = RolesModel(ws)
    roles.load()
    roles.use_preset("crisis_response")
    roles.save()
    funding = FundingModel(ws)
    funding.load()
    funding.save()
    return ws


STEPS = {
    "00": (SetUpModel, SetUpView),
    "01": (CommunityModel, CommunityView),
    "02": (RolesModel, RolesView),
    "03": (FundingModel, FundingView),
    "04": (PilotModel, PilotView),
    "05": (BriefModel, BriefView),
}


@pytest.mark.parametrize("step", list(STEPS))
def test_every_step_s_page_shows_numbers_with_separators_and_percentages(
    city: Workspace, step: str
) -> None:
    """Each step's page as drawn on the sample city: no bare 4+ digit quantity, no fraction,
    and no styles escaped into text."""
    model_class, view_class = STEPS[step]
    model = model_class(city)
    model.load()
    view = view_class(model)
    root = view.widget
    view.refresh()
    texts = widget_text(root)
    if isinstance(model, BriefModel):
        texts += text_of(model.page)
    assert len(texts) > 20
    assert not [t for t in texts if re.search(r"\{[a-z-]+:", t)], "styles shown as text"
    assert misread(texts) == []


def test_the_pages_to_print_show_numbers_with_separators_and_percentages(city: Workspace) -> None:
    """The import report, role charter, step 03's page, the evaluation plan and the brief."""
    name, today = city.profile.name, date(2026, 1, 5)
    setup = SetUpModel(city)
    setup.load()
    roles = RolesModel(city)
    roles.load()
    funding = FundingModel(city)
    funding.load()
    brief = BriefModel(city)
    pages = {
        "import report": import_report_page(setup.report_lines(), jurisdiction=name, printed=today),
        "charter": charter_page(roles.charter, jurisdiction=name, printed=today),
        "funding": funding_page(funding.figures(), jurisdiction=name, printed=today),
        "pilot plan": plan_page(workspace_plan(city)),
        "brief": brief_html(brief.make()),
    }
    for what, page in pages.items():
        texts = text_of(page)
        assert len(texts) > 5, what
        assert misread(texts) == [], what


def test_the_test_reads_real_figures(city: Workspace) -> None:
    """The pages hold numbers past 999, so the separator check is not empty."""
    roles = RolesModel(city)
    roles.load()
    view = RolesView(roles)
    root = view.widget
    view.refresh()
    assert any(re.search(r"\d{1,3},\d{3}", t) for t in widget_text(root))
    assert Path(city.path).is_dir()


def test_chart_axes_and_legends_name_their_units(city: Workspace) -> None:
    """Money axes carry $, share axes %, and legends say what they count, as drawn."""
    funding = FundingModel(city)
    funding.load()
    funding.run_sensitivity()
    page = text_of(funding_page(funding.figures(), jurisdiction="X", printed=date(2026, 1, 5)))
    assert "Net effect a year if hours are redeployed" in page
    assert any(re.fullmatch(r"[−-]?\$\d{1,3}(,\d{3})*", t) for t in page)
    assert "Teams on duty" in page
    brief = text_of(brief_html(BriefModel(city).make()))
    assert "Share of calls handled without police" in brief
    assert any(re.fullmatch(r"\d+(\.\d)?%", t) for t in brief)
    assert "Calls a year" in brief and "Teams on duty" in brief
