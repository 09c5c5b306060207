"""Tables in the app download as CSV, with cells a spreadsheet would run as formulas quoted."""

from __future__ import annotations

import base64
import csv
import io
import re

import pytest
from brief_samples import decided_workspace
from ui_samples import HOSTILE

from kit.ui.base import csv_link
from kit.ui.funding import FundingModel, FundingView
from kit.ui.roles import RolesModel, RolesView
from kit.ui.setup import SetUpModel, SetUpView
from kit.workspace import Workspace


def _csv(html: str, name: str) -> list[list[str]]:
    """The rows of the CSV file a page's link named ``name`` saves."""
    found = re.search(
        rf'download="{re.escape(name)}" href="data:text/csv;charset=utf-8;base64,([^"]+)"', html
    )
    assert found, f"no link saving {name} in the page"
    return list(csv.reader(io.StringIO(base64.b64decode(found.group(1)).decode(), newline="")))


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    return decided_workspace(tmp_path_factory.mktemp("csv") / "ws")


def test_the_link_neutralises_formulas_and_is_empty_without_rows() -> None:
    """A cell starting with '=' is quoted; numbers stay numbers; no rows, no link."""
    link = csv_link([{"name": "=cmd|'/c calc'!A1", "share": -0.3}], "t")
    assert _csv(link, "t.csv") == [["name", "share"], ["'=cmd|'/c calc'!A1", "-0.3"]]
    assert csv_link([], "t") == ""


def test_step_03_tables_download_as_csv(ws: Workspace) -> None:
    """Hours freed by area and the funding sources carry their CSV; a source named like a
    formula is quoted in the file, an area named with markup is kept as text."""
    model = FundingModel(ws)
    model.load()
    model.recompute()
    view = FundingView(model)
    _ = view.widget
    view.show_by_area()
    rows = _csv(view.by_area.value, "hours-freed-by-area.csv")
    assert rows[0][0] == "area" and HOSTILE in [r[0] for r in rows[1:]]
    model.add_source(kind="philanthropy", name="=HYPERLINK(1)", year=model.years[0], amount=10)
    view.show_sources()
    header, *sources = _csv(view.sources.value, "funding-sources.csv")
    assert "'=HYPERLINK(1)" in [r[header.index("name")] for r in sources]


def test_step_00_areas_download_as_csv(ws: Workspace) -> None:
    """The profile's areas table carries its CSV."""
    model = SetUpModel(ws)
    model.load()
    view = SetUpView(model)
    _ = view.widget
    view.show_areas()
    rows = _csv(view.areas_table.value, "areas.csv")
    assert rows[0][0] == "name" and len(rows) == 4


def test_step_02_call_types_download_as_csv_in_full(ws: Workspace) -> None:
    """The call-type table's CSV holds every call type, not only the page shown; the one
    named with markup stays text."""
    model = RolesModel(ws)
    model.load()
    view = RolesView(model)
    _ = view.widget
    view.refresh()
    header, *rows = _csv(view.types.value, "call-types.csv")
    assert header[0] == "call_type" and len(rows) == len(model.cube.types)
    assert HOSTILE in [r[header.index("desc")] for r in rows]
    assert _csv(view.families.value, "families.csv")[0][0] == "family"
