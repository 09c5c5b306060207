"""`kit report WORKSPACE --out FILE`: the brief as HTML or PDF, replaced whole, refused plainly."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from brief_samples import decided_workspace
from ui_samples import make_workspace

from kit import browser
from kit.browser import chromium_path
from kit.cli import main
from kit.workspace import Workspace


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    return decided_workspace(tmp_path_factory.mktemp("report") / "ws")


def test_html_replaces_an_existing_file_and_writes_the_tables(
    ws: Workspace, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An old file is replaced by the brief; --tables writes one CSV per table in a zip."""
    out = tmp_path / "brief.html"
    out.write_text("old")
    tables = tmp_path / "tables.zip"
    assert main(["report", str(ws.path), "--out", str(out), "--tables", str(tables)]) == 0
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "Testville: rethinking public safety" in page
    assert "goals.csv" in zipfile.ZipFile(io.BytesIO(tables.read_bytes())).namelist()
    said = capsys.readouterr().out
    assert f"is in {out}" in said and "not done yet: step 04" in said
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_a_workspace_with_nothing_decided_still_gives_a_brief(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Every step not done is listed, none fails."""
    ws = make_workspace(tmp_path / "empty")
    assert main(["report", str(ws.path), "--out", str(tmp_path / "b.html")]) == 0
    assert "not done yet: step 00, 01, 02, 03, 04" in capsys.readouterr().out


@pytest.mark.parametrize("name", ["brief.txt", "brief", "brief.html.bak"])
def test_other_extensions_are_refused_plainly(
    ws: Workspace, tmp_path: Path, name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Exit 2 with one line naming the extensions; nothing is written."""
    assert main(["report", str(ws.path), "--out", str(tmp_path / name)]) == 2
    assert "must end in .html or .pdf" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_without_chromium_a_pdf_exits_2_saying_what_to_install(
    ws: Workspace,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """No Chromium found, or KIT_CHROMIUM naming nothing: exit 2, what to install, no file."""
    monkeypatch.setattr(browser, "chromium_path", lambda: None)
    assert main(["report", str(ws.path), "--out", str(tmp_path / "b.pdf")]) == 2
    assert "apt-get install chromium" in capsys.readouterr().err
    monkeypatch.undo()
    monkeypatch.setenv("KIT_CHROMIUM", str(tmp_path / "no-such-chromium"))
    assert main(["report", str(ws.path), "--out", str(tmp_path / "b.pdf")]) == 2
    assert "apt-get install chromium" in capsys.readouterr().err
    assert not (tmp_path / "b.pdf").exists()


@pytest.mark.skipif(chromium_path() is None, reason="needs Chromium")
def test_pdf_is_printed(ws: Workspace, tmp_path: Path) -> None:
    """With Chromium, the brief is a PDF."""
    out = tmp_path / "brief.pdf"
    assert main(["report", str(ws.path), "--out", str(out)]) == 0
    assert out.read_bytes().startswith(b"%PDF-")
