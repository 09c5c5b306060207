"""Finding Chromium: an explicit KIT_CHROMIUM wins, and its absence is reported, not guessed."""

from __future__ import annotations

from kit import browser


def test_kit_chromium_wins(monkeypatch) -> None:
    """A path in KIT_CHROMIUM is used as given."""
    monkeypatch.setenv("KIT_CHROMIUM", "/opt/chrome/chrome")
    assert browser.chromium_path() == "/opt/chrome/chrome"


def test_no_browser_on_the_path_is_none(monkeypatch, tmp_path) -> None:
    """With no KIT_CHROMIUM and an empty PATH there is nothing to drive."""
    monkeypatch.delenv("KIT_CHROMIUM", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))
    assert browser.chromium_path() is None


def test_a_chromium_on_the_path_is_found(monkeypatch, tmp_path) -> None:
    """The first executable named like Chromium on the PATH is used."""
    exe = tmp_path / "chromium"
    exe.write_text("#!/bin/sh\n")
    exe.chmod(0o755)
    monkeypatch.delenv("KIT_CHROMIUM", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))
    assert browser.chromium_path() == str(exe)
