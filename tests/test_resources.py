"""The files the kit ships (workbooks, templates) are found through kit.resources, and
``kit templates DIR`` hands out the blank CSV templates without touching filled-in ones."""

from __future__ import annotations

from pathlib import Path

import pytest

from kit import resources
from kit.cli import main
from sample_city.build import BUILD_ENV, build_dir

ROOT = Path(__file__).resolve().parents[1]


def test_checkout_folders_are_read_in_place() -> None:
    """From a checkout the kit reads the top-level workbooks/ and templates/ themselves."""
    assert resources.workbooks() == ROOT / "workbooks"
    assert resources.template("funding", "costs.json") == ROOT / "templates/funding/costs.json"
    assert sorted(p.name for p in resources.workbooks().glob("*.ipynb"))[0] == "00_set_up.ipynb"


def test_templates_command_copies_the_blank_templates(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Every blank template lands in DIR, byte for byte; the folder is made if needed."""
    folder = tmp_path / "new" / "forms"
    assert main(["templates", str(folder)]) == 0
    for name in resources.BLANK_TEMPLATES:
        assert (folder / name).read_bytes() == (ROOT / "templates" / name).read_bytes()
    assert capsys.readouterr().out.count("\n") == len(resources.BLANK_TEMPLATES)


def test_templates_command_keeps_filled_in_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A template someone already filled in is never overwritten."""
    filled = tmp_path / "areas_template.csv"
    filled.write_text("area,population\nNorth,100\n")
    assert main(["templates", str(tmp_path)]) == 0
    assert filled.read_text() == "area,population\nNorth,100\n"
    assert "areas_template.csv  (kept" in capsys.readouterr().out
    assert (tmp_path / "budget_template.csv").is_file()


def test_templates_command_refuses_a_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A DIR that is a file is a plain error (exit 2), not a traceback."""
    (tmp_path / "taken").write_text("x")
    assert main(["templates", str(tmp_path / "taken")]) == 2
    assert "Cannot make the folder" in capsys.readouterr().err


def test_sample_cache_defaults_to_the_user_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without KIT_SAMPLE_BUILD the sample city is cached outside the package."""
    monkeypatch.delenv(BUILD_ENV, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", "/somewhere/cache")
    assert build_dir() == Path("/somewhere/cache/rps-kit/sample-city")
