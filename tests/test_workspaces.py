"""A folder of workspaces: what it lists, and that a page can name only one of them."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ui_samples import make_workspace

from kit import workspaces
from kit.errors import KitError
from kit.ui.base import WORKSPACE_ENV, WORKSPACES_ENV, resolve_workspace
from kit.workspace import Workspace


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with two workspaces, a plain sub-folder and a hidden workspace."""
    root = tmp_path_factory.mktemp("hosted")
    make_workspace(root / "testville")
    Workspace.create(root / "riverton", name="Riverton", timezone="America/New_York")
    (root / "notes").mkdir()
    Workspace.create(root / ".old", name="Old", timezone="America/New_York")
    return root


def test_names_lists_only_visible_workspaces(folder: Path) -> None:
    """Sub-folders with the marker, sorted; plain and hidden folders are left out."""
    assert workspaces.names(folder) == ["riverton", "testville"]
    assert workspaces.is_workspace(folder / "testville")
    assert not workspaces.is_workspace(folder)


def test_listing_names_each_jurisdiction_and_its_last_change(folder: Path) -> None:
    """The chooser shows the jurisdiction's name and when the workspace last changed."""
    listed = {entry.name: entry for entry in workspaces.listing(folder)}
    assert listed["testville"].jurisdiction == "Testville"
    assert listed["testville"].changed is not None  # the profile was saved
    assert listed["riverton"].jurisdiction == "Riverton"
    assert listed["riverton"].changed is None  # nothing done in it yet


def test_a_page_names_its_workspace_in_the_query() -> None:
    """The query keeps the workspace, encoded, and reads it back."""
    query = workspaces.query("port calder&x=1")
    assert query.startswith("?workspace=")
    assert workspaces.chosen_name(query) == "port calder&x=1"
    assert workspaces.chosen_name("other=1") == ""
    assert workspaces.query("") == ""


@pytest.mark.parametrize("name", ["../riverton", "/etc", "notes", ".old", "testville/..", "x"])
def test_choose_refuses_anything_but_a_workspace_of_the_folder(folder: Path, name: str) -> None:
    """Paths, plain folders and hidden ones are refused in plain words."""
    with pytest.raises(KitError, match="There is no workspace called"):
        workspaces.choose(folder, name)


def test_choose_without_a_name_asks_to_choose(folder: Path) -> None:
    """A page opened without a workspace says to choose one on the home page."""
    with pytest.raises(KitError, match="Choose a workspace on the home page"):
        workspaces.choose(folder, "")


@settings(max_examples=100, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=st.text(max_size=30))
def test_choose_never_leaves_the_folder(folder: Path, name: str) -> None:
    """Whatever a page's address says, the workspace opened is one listed in the folder."""
    try:
        opened = workspaces.choose(folder, name)
    except KitError:
        return
    assert opened.path.parent == folder.resolve()
    assert opened.path.name in workspaces.names(folder)


def test_a_page_works_on_the_workspace_its_address_names(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Serving a folder, the kernel opens the workspace the request's query names."""
    monkeypatch.delenv(WORKSPACE_ENV, raising=False)
    monkeypatch.setenv(WORKSPACES_ENV, str(folder))
    monkeypatch.setenv("QUERY_STRING", "workspace=riverton")
    assert resolve_workspace().profile.name == "Riverton"
    monkeypatch.setenv("QUERY_STRING", "workspace=..%2Ftestville")
    with pytest.raises(KitError, match=re.escape("no workspace called '../testville'")):
        resolve_workspace()
    # A workbook given its workspace explicitly keeps it.
    assert resolve_workspace(os.fspath(folder / "testville")).profile.name == "Testville"
