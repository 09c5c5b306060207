"""Pages that read like a product: headings and purposes from data, links between steps, the
glossary, folding sections, the headline line, and numbers as people read them."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import ipywidgets as w
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from kit import funding
from kit.labels import money, number, plural, scaled_note
from kit.pages.guide import glossary, help_entries, help_html, neighbours, step_header, step_text
from kit.resources import template
from kit.steps import STEPS
from kit.ui.funding import FundingModel, FundingView
from kit.ui.roles import RolesModel, RolesView
from kit.workspace import Workspace
from sample_city.build import sample_workspace

#: Words the issue names as needing an explanation on the pages.
NEEDED_TERMS = (
    "screening", "take-up", "back-up", "co-response", "officer hours", "FTE", "team-hours",
    "relief factor", "Erlang C", "net if redeployed", "net if not refilled",
    "FMAP and ARPA match", "coverage hours", "equity points",
)  # fmt: skip


def test_every_step_has_a_heading_and_a_purpose_in_the_data_file() -> None:
    """The words live in templates/pages/steps.toml, one entry per step, none empty."""
    with template("pages", "steps.toml").open("rb") as handle:
        kept = tomllib.load(handle)
    for step in STEPS:
        text = step_text(step.number)
        assert text == kept[step.number]
        assert text["heading"].startswith(f"Step {step.number}") and len(text["purpose"]) > 80


def test_the_glossary_explains_every_needed_word_in_a_sentence_or_two() -> None:
    terms = glossary()
    for term in NEEDED_TERMS:
        assert term in terms, term
        sentences = [s for s in re.split(r"(?<=[.!?])\s+", terms[term].strip()) if s]
        assert 1 <= len(sentences) <= 2, term


def test_back_and_next_follow_the_steps_order() -> None:
    """Step 00 has no step before it; each other step links back to the one before."""
    assert neighbours("00")[0] is None
    assert neighbours("00")[1] == (step_text("01")["heading"], "01_define_safety.ipynb")
    back, _ = neighbours("03")
    assert back == (step_text("02")["heading"], "02_delineate_roles.ipynb")
    header = str(step_header("02"))
    assert 'href="/"' in header and 'href="01_define_safety.ipynb"' in header
    assert 'href="03_identify_funding.ipynb"' in header and "Next step" in header


@given(st.floats(min_value=-0.49, max_value=0.49))
def test_a_number_near_zero_is_never_minus_zero(value: float) -> None:
    assert number(value) == "0" and money(value) == "$0"
    assert not number(value / 100, 1).startswith("-0")


def test_counts_and_money_read_as_people_write_them() -> None:
    assert number(1234567) == "1,234,567" and money(-1234.4) == "-$1,234"
    assert plural(1, "position") == "1 position" and plural(3, "team") == "3 teams"
    assert plural(2.5, "position") == "2.5 positions"
    assert plural(1, "position is", "positions are") == "1 position is"
    assert "20 days" in scaled_note(20 / 365.25) and scaled_note(1.0) == ""


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    return sample_workspace(tmp_path_factory.mktemp("guide") / "ws")


def _html(root: w.Widget) -> str:
    """Every piece of HTML under ``root``, as the page would show it."""
    found, stack = [], [root]
    while stack:
        node = stack.pop()
        if isinstance(node, w.HTML):
            found.append(node.value)
        stack.extend(getattr(node, "children", ()))
    return "\n".join(found)


def _text(html: str) -> str:
    return re.sub(
        r"<[^>]+>", " ", re.sub(r"<style.*?</style>|<svg.*?</svg>", " ", html, flags=re.S)
    )


def test_rendered_pages_show_no_missing_marks_minus_zero_or_wrong_plurals(ws: Workspace) -> None:
    """Steps 02 and 03 drawn on the sample city: no "<NA>", no "-0", no "1 teams", and no
    command-line option."""
    pages = []
    for model_cls, view_cls in ((RolesModel, RolesView), (FundingModel, FundingView)):
        model = model_cls(ws)
        model.load()
        view = view_cls(model)
        root = view.widget
        view.refresh()
        pages.append(_text(_html(root)))
    for text in pages:
        assert "<NA>" not in text and "&lt;NA&gt;" not in text and " nan" not in text
        assert not re.search(r"(?<![\w.])-\$?0(\.0+)?(?![\d.,])", text)
        assert not re.search(r"\b1 (teams|positions|calls|days)\b", text)
        assert not re.search(r"(^|\s)--\w", text), "command-line syntax on a page"
    assert "officer hours freed a year" in pages[1] and "Erlang C" in pages[1]


def test_sections_fold_and_open_again_keeping_what_is_in_them(ws: Workspace) -> None:
    model = FundingModel(ws)
    model.load()
    view = FundingView(model)
    root = view.widget
    section = next(c for c in root.children if "kit-section-coverage" in c._dom_classes)
    toggle = section.children[0]
    toggle.value = False
    assert "kit-folded" in section._dom_classes and toggle.description.startswith("▸")
    toggle.value = True
    assert "kit-folded" not in section._dom_classes and len(section.children) == 2


def test_the_headline_line_follows_the_figures(ws: Workspace) -> None:
    model = FundingModel(ws)
    model.load()
    view = FundingView(model)
    _ = view.widget
    view.refresh()
    first = view.summary_bar.value
    assert "officer hours freed a year" in first and "$" in first
    model.active = "Crisis team"
    assert view.summary_bar.value != first


def test_saved_coverage_hours_show_in_the_form_after_a_reload(ws: Workspace) -> None:
    """10:00-18:00 on weekdays saved for the crisis team: a new page shows those hours, not
    "around the clock"."""
    model = FundingModel(ws)
    model.load()
    model.recompute()
    model.set_coverage("crisis_team", funding.hours_between(10, 18, range(5)))
    model.save()
    again = FundingModel(ws)
    again.load()
    view = FundingView(again)
    root = view.widget
    view.refresh()
    section = next(c for c in root.children if "kit-section-coverage" in c._dom_classes)
    box = section.children[1]
    who, around, hours, weekdays = box.children[1:5]
    who.value = "crisis_team"
    assert around.value is False and hours.value == (10, 18) and weekdays.value is True


@given(st.integers(0, 23), st.integers(1, 24), st.booleans())
def test_coverage_form_gives_back_the_hours_it_was_set_with(
    start: int, end: int, weekdays: bool
) -> None:
    """Whatever hours the form set, reading them back gives settings that set the same hours."""
    days = range(5) if weekdays else range(7)
    hours = funding.hours_between(start, end % 24, days)
    form = funding.coverage_form(hours)
    if form is None:
        assert len(hours) == 168
    else:
        again = funding.hours_between(form[0], form[1] % 24, range(5) if form[2] else range(7))
        assert again == hours


def test_money_axes_carry_dollars_and_the_teams_legend_covers_every_count() -> None:
    """The tornado's axis reads "$1,000"; the heat map's legend runs from 0 to the most
    teams any responder needs, as the text says."""
    from kit.charts import teams_chart, tornado_chart

    row = {"label": "Take-up", "low_net_if_redeployed": -5.0, "high_net_if_redeployed": 9.0}
    spec = tornado_chart([{**row, "base_net_if_redeployed": 1.0}]).to_dict()
    assert spec["layer"][0]["encoding"]["x"]["axis"]["format"] == "$,.0f"
    frame = pd.DataFrame(
        {"responder": ["A", "B"], "weekday": ["Monday", "Monday"], "hour": [0, 1], "teams": [1, 4]}
    )
    color = teams_chart(frame).to_dict()["spec"]["encoding"]["color"]
    assert color["scale"]["domain"] == [0, 1, 2, 3, 4]


#: Where the pages ask for their help: ``help_html("key"`` in kit/ui.
ASKED = re.compile(r"""help_html\(\s*["']([\w.]+)["']""")


def test_every_help_key_the_pages_ask_for_is_in_the_data_file_and_none_is_left_over() -> None:
    """The help lives in templates/pages/help.toml: each key kit/ui asks for is there (a page
    would fail to open otherwise), each has words, and no entry is kept that nothing shows."""
    ui = Path(__file__).resolve().parents[1] / "kit" / "ui"
    asked = {key for path in ui.rglob("*.py") for key in ASKED.findall(path.read_text("utf-8"))}
    kept = help_entries()
    assert len(asked) >= 20
    assert asked - set(kept) == set()
    assert set(kept) - asked == set()
    for key, entry in kept.items():
        assert set(entry) <= {"text", "lead", "heading", "css"}, key
        assert any(entry.get(f) for f in ("text", "lead", "heading")), key
        assert "<" not in "".join(entry.values()), f"{key} holds markup: write plain words"


def test_help_is_escaped_and_filled_in() -> None:
    """A value given to the help is text, never markup; the lead is bold, the css kept."""
    shown = help_html("setup.calls_held", calls="<b>9,999</b>")
    assert "&lt;b&gt;9,999&lt;/b&gt; calls held." in shown and "<b>9,999" not in shown
    assert "<b>Minutes per call</b> of each field responder" in help_html("funding.minutes")
    assert 'class="kit-help-text kit-warning-text"' in help_html("roles.weapon")
    assert "<h4>The gap, year by year</h4>" in help_html("funding.gap")
