"""Feedback where the user is looking: outcomes beside their control, greyed-out figures with
the reason, buttons that say why they wait, and no command-line syntax in the app."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import ipywidgets as w
import pytest
from ui_samples import make_workspace

from kit.errors import KitError
from kit.ui.base import GREYED
from kit.ui.funding import FundingModel, FundingView
from kit.ui.roles import RolesModel, RolesView
from kit.ui.setup import SetUpModel, SetUpView
from kit.workspace import Workspace
from sample_city.build import sample_workspace


def _all(root: w.Widget) -> list[w.Widget]:
    """Every widget under ``root``, the root included."""
    found, stack = [], [root]
    while stack:
        node = stack.pop()
        found.append(node)
        stack.extend(getattr(node, "children", ()))
    return found


def _with_class(root: w.Widget, css: str) -> list[w.Widget]:
    return [x for x in _all(root) if css in getattr(x, "_dom_classes", ())]


def test_kit_error_carries_a_hint_per_front_end() -> None:
    """The command line reads the option to type; the app reads the field to pick."""
    error = KitError("No time column.", cli="Name it with --map received_at=H.", app="Pick it.")
    assert str(error) == "No time column. Name it with --map received_at=H."
    assert error.in_app() == "No time column. Pick it."
    plain = KitError("Just this.")
    assert str(plain) == plain.in_app() == "Just this."


def _setup_view(tmp_path: Path) -> tuple[SetUpModel, SetUpView]:
    model = SetUpModel(make_workspace(tmp_path / "ws"))
    model.load()
    view = SetUpView(model)
    _ = view.widget
    return model, view


def test_an_outcome_shows_beside_the_control_that_caused_it(tmp_path: Path) -> None:
    """Importing with no file chosen: the error sits beside Import, styled as an error, and it
    is the page's only message; the box at the top stays empty."""
    model, view = _setup_view(tmp_path)
    (row,) = [
        c for c in _with_class(view.widget, "kit-control") if "kit-import" in c.button._dom_classes
    ]
    row.button.click()
    assert "Choose a calls file first" in model.error
    (shown,) = _with_class(view.widget, "kit-message")
    assert shown is row.children[1] and "kit-error-text" in shown.value
    save = next(
        c
        for c in _with_class(view.widget, "kit-control")
        if "kit-save-profile" in c.button._dom_classes
    )
    save.button.click()
    (shown,) = _with_class(view.widget, "kit-message")
    assert shown is save.children[1] and "kit-status-text" in shown.value
    assert "Profile saved" in shown.value and row.children[1].value == ""


def _export(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


@pytest.mark.parametrize(
    ("header", "rows", "cli"),
    [
        (["Type", "District"], [["21", "North"], ["62A", "South"]] * 5, "--map received_at"),
        (
            ["When", "Source", "District"],
            [
                [f"2024-01-0{i % 9 + 1} 10:00", s, "North"]
                for i, s in enumerate(["911", "Officer"] * 6)
            ],
            "--map call_type",
        ),
        (
            ["TimeCreate", "Type", "District"],
            [["31/31/2023 99:99", "21", "North"]] * 10,
            "--",
        ),
    ],
)
def test_no_app_message_mentions_command_line_syntax(
    tmp_path: Path, header: list[str], rows: list[list[str]], cli: str
) -> None:
    """An export the import refuses: the command line is told an option, the app a field."""
    model, view = _setup_view(tmp_path)
    model.add_calls_file(_export(tmp_path / "bad.csv", header, rows))
    with pytest.raises(KitError, match=cli):
        model.import_calls()
    with model.reporting("importing", source="kit-import"):
        model.import_calls()
    assert model.error and "--" not in model.error and "kit " not in model.error
    shown = " ".join(x.value for x in _with_class(view.widget, "kit-message"))
    assert model.error.split(":")[0] in shown and "--" not in shown


@pytest.fixture(scope="module")
def funding_ws(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    return sample_workspace(tmp_path_factory.mktemp("feedback") / "ws")


def _opened(model_class: type, view_class: type, workspace: Workspace) -> tuple[Any, Any]:
    """A step's model loaded and its page drawn, with no figure greyed out yet."""
    model = model_class(workspace)
    model.load()
    view = view_class(model)
    root = view.widget
    view.refresh()
    assert not any("kit-greyed" in f._dom_classes for f in _with_class(root, "kit-figures"))
    return model, view


def test_an_impossible_target_greys_the_figures_and_buttons_say_why(funding_ws: Workspace) -> None:
    """Step 03 with travel longer than the target: the figures are greyed out with the reason
    beside them, Compare says why it waits, and a possible target brings everything back."""
    model, view = _opened(FundingModel, FundingView, funding_ws)
    root = view.widget
    figures = _with_class(root, "kit-figures")
    assert figures
    model.target_minutes = 8.0
    assert model.blocked and "no number of teams" in model.blocked
    for box in figures:
        assert "kit-greyed" in box._dom_classes
        assert GREYED in box.children[0].value and "no number of teams" in box.children[0].value
    compare = next(
        c
        for c in _with_class(root, "kit-control")
        if "kit-funding-compare" in c.button._dom_classes
    )
    assert "no number of teams" in compare.button.tooltip
    compare.button.click()
    assert "Compare scenarios waits until the figures can be worked out" in model.error
    assert "Compare scenarios waits" in compare.children[1].value and model.comparison == []
    model.target_minutes = 20.0
    assert not model.blocked and not compare.button.tooltip
    assert not any("kit-greyed" in f._dom_classes for f in figures)
    compare.button.click()
    assert model.comparison and "kit-status-text" not in compare.children[1].value


def test_shares_over_100_percent_grey_step_02_s_figures_until_fixed(funding_ws: Workspace) -> None:
    """Step 02 with a call type's shares typed past 100%: the boxes keep what was typed, the
    reason shows beside them and over every figure, which are greyed out (the summary bar
    too), Save says why it waits and saves nothing; a split that fits brings all back."""
    model, view = _opened(RolesModel, RolesView, funding_ws)
    figures = _with_class(view.widget, "kit-figures")
    assert len(figures) >= 4
    chosen = view.call_type.value
    saved_before = len(model.versions())
    view.shares["crisis_team"].value = 70
    summary = view.summary.value
    view.shares["cso"].value = 50
    assert view.shares["cso"].value == 50 and model.split_of(chosen)["crisis_team"] == 0.7
    assert "add up to 120%" in model.blocked and "add up to 120%" in view.police_share.value
    for box in figures:
        assert "kit-greyed" in box._dom_classes
        assert GREYED in box.children[0].value and "120%" in box.children[0].value
    assert "kit-greyed" in view.summary_bar._dom_classes and view.summary.value == summary
    assert "120%" in view.save_button.tooltip
    view.save_button.click()
    assert "Save the plan waits until the figures can be worked out" in model.error
    assert len(model.versions()) == saved_before
    view.shares["crisis_team"].value = 50
    assert not model.blocked and model.split_of(chosen) == pytest.approx(
        {"police": 0.0, "crisis_team": 0.5, "cso": 0.5}
    )
    assert not any("kit-greyed" in f._dom_classes for f in figures)
    assert "kit-greyed" not in view.summary_bar._dom_classes and not view.save_button.tooltip
    assert view.summary.value != summary
