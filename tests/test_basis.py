"""Every saved decision records what it was based on, and one whose basis changed is out of
date: on its page (a banner and a notice), in kit.steps.status and in ``kit info --json``."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from kit.cli import main
from kit.steps import BASIS_KEY, basis, out_of_date, status
from kit.ui.base import CHANGED, watch
from kit.ui.roles import RolesModel, RolesView
from kit.workspace import Workspace

TZ = "America/Chicago"


def _calls(call_type: str, rows: int = 60) -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "call_type": [call_type] * rows,
            "call_type_desc": [f"{call_type} DESC"] * rows,
            "area": ["North"] * rows,
            "unit_hours": [1.0] * rows,
            "initiated_by": ["911"] * rows,
            "disposition": ["REPORT TO FOLLOW"] * rows,
        }
    )
    frame["received_at"] = pd.Timestamp("2024-01-01", tz=TZ) + pd.to_timedelta(
        pd.Series(range(rows)) * 7, unit="h"
    )
    return frame


@pytest.fixture
def workspace(tmp_path: Path) -> Workspace:
    ws = Workspace.create(tmp_path / "ws", name="Test", timezone=TZ)
    ws.write_data({"calls": _calls("WELCHK")})
    return ws


bases = st.fixed_dictionaries(
    {
        "data_version": st.one_of(st.none(), st.from_regex(r"v[0-9]{1,3}", fullmatch=True)),
        "decisions": st.dictionaries(
            st.sampled_from(["profile", "role_assignments"]), st.integers(1, 50)
        ),
    }
)


@given(bases)
def test_a_decision_on_the_current_basis_is_up_to_date(recorded: dict) -> None:
    assert out_of_date(recorded, recorded) == []


@given(bases, bases)
def test_any_change_of_basis_is_given_as_a_reason(recorded: dict, current: dict) -> None:
    reasons = out_of_date(recorded, current)
    assert bool(reasons) == (recorded != current)
    if recorded["data_version"] != current["data_version"]:
        assert "the calls were imported again since it was saved" in reasons


def test_a_decision_saved_before_bases_were_recorded_is_not_flagged() -> None:
    assert out_of_date(None, {"data_version": "v2", "decisions": {"profile": 3}}) == []


def test_a_save_records_the_data_version_and_the_earlier_decisions(workspace: Workspace) -> None:
    model = RolesModel(workspace)
    model.load()
    model.save(user="ana")
    saved = workspace.decisions.latest("role_assignments")
    assert saved is not None
    assert saved.document[BASIS_KEY] == {"data_version": workspace.data_version(), "decisions": {}}
    assert basis(workspace, "funding_scenarios")["decisions"] == {"role_assignments": 1}
    assert status(workspace)["02"]["decisions"]["role_assignments"] == {
        "saved": True,
        "version": 1,
        "saved_at": saved.saved_at.isoformat(),
        "user": "ana",
        "out_of_date": False,
        "reasons": [],
    }
    assert status(workspace)["03"]["decisions"]["funding_scenarios"]["saved"] is False


def test_a_new_import_puts_a_saved_plan_out_of_date_on_its_page(
    workspace: Workspace, capsys: pytest.CaptureFixture[str]
) -> None:
    RolesModel(workspace).save(user="ana")
    workspace.write_data({"calls": _calls("FIGHT", rows=90)})
    reason = "the calls were imported again since it was saved"
    assert status(workspace)["02"]["decisions"]["role_assignments"]["reasons"] == [reason]
    assert main(["info", str(workspace.path), "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["steps"]["02"]["decisions"]["role_assignments"]["out_of_date"] is True

    model = RolesModel(workspace)
    view = RolesView(model)
    notices = view.widget.children[2]
    model.load()
    view.refresh()
    assert model.outdated == [reason]
    assert reason in notices.children[0].value
    assert list(model.cube.types["call_type"]) == ["FIGHT"]  # figures on the calls held now
    model.save()
    assert model.outdated == []
    assert notices.children[0].value == ""


def test_a_warmed_page_with_no_plan_drops_the_charter_of_the_old_calls(
    workspace: Workspace,
) -> None:
    """A preheated step 02 drew its charter on the calls held then; opened after an import,
    it shows nothing of them."""
    model = RolesModel(workspace)
    view = RolesView(model)
    _ = view.widget
    model.load()
    view.warm()
    view.refresh()
    assert "WELCHK" in json.dumps(model.charter)
    workspace.write_data({"calls": _calls("FIGHT")})
    model.load()  # what the page's request does
    view.refresh()
    assert "WELCHK" not in json.dumps(model.charter)
    assert "FIGHT" in json.dumps(model.charter)


def test_an_open_page_notices_a_change_made_elsewhere(workspace: Workspace) -> None:
    """The check says so on the page; showing what is held keeps the unsaved edits."""
    model = RolesModel(workspace)
    view = RolesView(model)
    notices = view.widget.children[2]
    model.load()
    view.refresh()
    model.productive_hours_per_officer = 1500.0  # typed, not saved
    RolesModel(workspace).save(user="bo")  # another page saves

    import threading

    threading.Thread(target=watch, args=(model,), kwargs={"seconds": 0.05}, daemon=True).start()
    for _ in range(200):
        if model.changed_elsewhere:
            break
        threading.Event().wait(0.05)
    assert model.changed_elsewhere
    assert "The workspace changed since this page read it" in notices.children[1].value
    assert CHANGED.split(":")[0] in notices.children[1].value
    view.catch_up()
    assert not model.changed_elsewhere and notices.children[1].value == ""
    assert model.productive_hours_per_officer == 1500.0
