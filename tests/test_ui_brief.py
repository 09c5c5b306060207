"""Step 05's page and workbook: the brief made, shown with its downloads, kept and recorded."""

from __future__ import annotations

import zipfile
from pathlib import Path

import papermill
import pytest
from brief_samples import decided_workspace
from ui_samples import page_html

from kit.ui.brief import BriefModel, BriefView
from kit.workspace import Workspace

WORKBOOK = Path(__file__).resolve().parents[1] / "workbooks" / "05_plan_brief.ipynb"


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    return decided_workspace(tmp_path_factory.mktemp("ui-brief") / "ws")


def test_keeping_a_brief_writes_its_files_and_records_what_it_shows(ws: Workspace) -> None:
    """The files go to briefs/; the record names each decision's version and the steps not done."""
    model = BriefModel(ws)
    model.load()
    model.make()
    kept = model.keep()
    assert {p.suffix for p in kept} == {".html", ".zip"}
    assert all(p.parent == ws.path / "briefs" for p in kept)
    assert "goals.csv" in zipfile.ZipFile(kept[1]).namelist()
    version = model.save()
    saved = ws.decisions.get("plan_brief", version).document
    assert saved["not_done"] == ["04"]
    assert saved["decisions"]["role_assignments"] == ws.decisions.latest("role_assignments").version
    assert saved["files"] == [f"briefs/{p.name}" for p in kept]
    assert ws.decisions.latest("plan_brief").step == "05"


def test_the_view_shows_the_brief_in_a_frame_with_its_downloads(ws: Workspace) -> None:
    """The preview is framed (its styles stay inside); HTML and CSV links are offered."""
    model = BriefModel(ws)
    model.load()
    view = BriefView(model)
    _ = view.widget
    view.refresh()
    assert view.preview.value.startswith("<iframe") and "srcdoc=" in view.preview.value
    assert 'download="testville-brief-' in view.links.value
    assert "application/zip" in view.links.value
    assert view.pdf_link.value == ""
    assert page_html(view.widget).count("Step 05 ·") == 1  # the header alone names the step


def test_workbook_05_runs_on_the_sample_city(tmp_path: Path) -> None:
    """Papermill runs workbook 05 on a fresh sample city: steps 01 to 04 are listed as not
    done, the brief is kept in briefs/ and recorded as step 05's decision."""
    from sample_city.build import sample_workspace

    city = sample_workspace(tmp_path / "city")
    papermill.execute_notebook(
        str(WORKBOOK),
        str(tmp_path / "05.ipynb"),
        parameters={"workspace": str(city.path)},
        kernel_name="python3",
        progress_bar=False,
    )
    saved = city.decisions.latest("plan_brief")
    assert saved is not None and saved.step == "05"
    assert saved.document["not_done"] == ["01", "02", "03", "04"]
    assert saved.document["decisions"] == {"profile": city.decisions.latest("profile").version}
    page = city.path / saved.document["files"][0]
    assert page.name.startswith("port-calder-brief-") and "Port Calder" in page.read_text()
