"""Step 00's mapping form in plain words: labels, needed fields, sample values, the kit's
evidence, the order of day and month, parts that stay open, and the first rows as read."""

from __future__ import annotations

import base64
import csv
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from ui_samples import make_workspace, write_calls_csv

from kit.data.form_values import rows_as_read, shown
from kit.labels import FIELD_LABELS
from kit.profile import Profile
from kit.ui.setup import SetUpModel, SetUpView
from kit.ui.setup.model import NEEDED


@pytest.fixture
def view(tmp_path: Path) -> SetUpView:
    model = SetUpModel(make_workspace(tmp_path / "ws"))
    model.load()
    view = SetUpView(model)
    _ = view.widget
    model.add_calls_file(write_calls_csv(tmp_path / "calls.csv"))
    return view


def test_fields_are_named_in_plain_words_with_the_needed_ones_marked(view: SetUpView) -> None:
    """Each list's label is the field in plain words; the needed fields carry a mark."""
    labels = {d._kit_role: d._kit_box.children[0].value for d in view.dropdowns}
    assert "When the call was received" in labels["received_at"]
    assert "What the call was about" in labels["call_type"]
    for role, label in labels.items():
        assert FIELD_LABELS[role] in label and "_" not in FIELD_LABELS[role]
        assert ("kit-needed" in label) == (role in NEEDED)


def test_each_list_shows_sample_values_and_why(view: SetUpView) -> None:
    """Under a list: a few values of the column chosen, and the kit's evidence, which says
    it was chosen on the page once the person changes it."""
    area = next(d for d in view.dropdowns if d._kit_role == "area")
    assert area.value == "District"
    hint = area._kit_hint.value
    assert "e.g. North · South" in hint and "Why:" in hint
    area.value = "Type"
    assert "e.g. 21 · 62A · 103" in area._kit_hint.value
    assert "chosen on this page" in area._kit_hint.value


def test_the_folded_part_stays_open_when_a_list_changes(view: SetUpView) -> None:
    """Opening "More fields" and changing a list in it leaves it open (it is never rebuilt)."""
    more = next(c for c in view.mapping_box.children if "kit-map-more-box" in c._dom_classes)
    more.selected_index = 0
    clear = next(d for d in view.dropdowns if d._kit_role == "cleared_at")
    clear.value = ""
    assert view.model.mapping["cleared_at"] is None
    assert more.selected_index == 0 and more in view.mapping_box.children


def test_day_and_month_order_is_a_choice_on_the_form(view: SetUpView) -> None:
    """The order of day and month is chosen on the form and used by the import."""
    order = next(c for c in view.mapping_box.children if "kit-date-order" in c._dom_classes)
    assert order.value == "" and view.model.date_order == ""
    order.value = "day-first"
    assert view.model.date_order == "day-first"


def test_the_first_rows_show_as_the_import_reads_them(view: SetUpView) -> None:
    """A table of the first rows under the plain labels, addresses cut to the block."""
    table = view.first_rows.value
    assert "When the call was received" in table and "A00000-24" in table
    assert "Address or block" in table and "XX Main St" in table
    view.dropdowns[0].value = ""
    assert "When the call was received" not in view.first_rows.value


def test_personal_columns_are_never_shown(tmp_path: Path) -> None:
    """A caller's name or phone is shown neither as a sample nor in the first rows."""
    path = tmp_path / "named.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["TimeCreate", "Type", "Caller Name", "Caller Phone", "Address"])
        writer.writerow(["01/02/2024 10:00:00 AM", "21", "Jane Roe", "504-555-0100", "1234 Elm St"])
    model = SetUpModel(make_workspace(tmp_path / "ws"))
    model.load()
    model.add_calls_file(path)
    assert model.samples["Caller Name"] == [] and model.samples["Caller Phone"] == []
    assert model.samples["Address"] == ["12XX Elm St"]
    model.set_mapping("block", "Address")
    assert model.rows_as_read()[0]["block"] == "12XX Elm St"
    everything = str(model.samples) + str(rows_as_read(model._first_rows, {"x": "Caller Name"}))
    assert "Jane" not in everything and "555" not in everything


@given(st.integers(min_value=100, max_value=99999), st.sampled_from(["Main St", "Elm Ave"]))
def test_no_house_number_survives_the_form(number: int, street: str) -> None:
    """Whatever the house number, the form shows only its hundred block."""
    value = shown(f"{number} {street}")
    assert value.endswith(street) and str(number) not in value and "XX" in value


def test_the_report_to_print_carries_the_workspace_s_own_name(view: SetUpView) -> None:
    """After an import, a profile saved under a new name renames the report to print."""
    model = view.model
    model.import_calls()
    model.name = "Port Riverton"
    model.save()
    (link,) = re.findall(r'href="data:text/html;charset=utf-8;base64,([^"]+)"', view.report.value)
    page = base64.b64decode(link).decode()
    assert "Port Riverton" in page and "Testville" not in page
    assert Profile.from_document(model.workspace.decisions.latest("profile").document).name == (
        "Port Riverton"
    )
