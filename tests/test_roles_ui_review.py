"""Step 02's model and page on weapons first and families to check: a call type naming a weapon
goes without police only with a saved confirmation, and a family the text model suggested is
flagged for review beside the types nothing recognised."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from kit.errors import KitError
from kit.pages.charter import charter_html
from kit.roles import DECISION_NAME
from kit.ui.roles import RolesModel, RolesView
from kit.ui.roles.model import review_note
from kit.workspace import Workspace

TZ = "America/Chicago"


@pytest.fixture
def workspace(tmp_path: Path) -> Workspace:
    """Calls of a welfare check, a type naming a gun, one the text model knows and one nothing
    knows, all in one area."""
    types = (
        [("WELCHK", "CHECK WELFARE")] * 40
        + [("MWG", "MENTAL W/ GUN")] * 12
        + [("PRM", "PREMISES CHECK BY OFFICER")] * 9
        + [("QZ", "QZXV")] * 5
    )
    start = pd.Timestamp("2024-01-01", tz=TZ)
    calls = pd.DataFrame(
        {
            "call_type": [t for t, _ in types],
            "call_type_desc": [d for _, d in types],
            "received_at": [start + pd.Timedelta(hours=7 * i) for i in range(len(types))],
            "area": "North",
            "unit_hours": 1.0,
            "initiated_by": "911",
            "disposition": "REPORT TO FOLLOW",
        }
    )
    ws = Workspace.create(tmp_path / "ws", name="Test", timezone=TZ)
    ws.write_data({"calls": calls})
    return ws


def test_a_confirmed_weapon_type_is_saved_read_back_and_in_the_charter(
    workspace: Workspace,
) -> None:
    """Without the confirmation the save is refused and nothing is saved; with it, the plan is
    saved, the confirmation comes back on reload and the charter lists the exception."""
    model = RolesModel(workspace)
    model.recompute()
    assert model.names_weapon("MWG") and not model.names_weapon("WELCHK")
    model.set_share("MWG", "crisis_team", 1.0)
    assert model.needs_confirmation("MWG")
    with pytest.raises(
        KitError, match=r"'MWG' names a weapon.*confirm that this is meant; nothing was saved"
    ):
        model.save(user="tester")
    assert workspace.decisions.latest(DECISION_NAME) is None

    model.confirm_weapon("MWG", True)
    model.save(user="tester")
    saved = workspace.decisions.latest(DECISION_NAME).document
    assert saved["weapon_confirmed"] == ["MWG"]
    assert [e["call_type"] for e in saved["charter"]["weapon_exceptions"]] == ["MWG"]
    assert "MENTAL W/ GUN" in charter_html(saved["charter"])

    again = RolesModel(workspace)
    assert again.load()
    assert again.weapon_confirmed == ["MWG"]
    assert again.needs_confirmation("MWG")
    again.confirm_weapon("MWG", False)
    assert again.weapon_confirmed == []
    with pytest.raises(KitError, match="nothing was saved"):
        again.save(user="tester")


def test_only_a_type_naming_a_weapon_can_be_confirmed(workspace: Workspace) -> None:
    model = RolesModel(workspace)
    with pytest.raises(KitError, match="'WELCHK' names no weapon"):
        model.confirm_weapon("WELCHK", True)
    model.set_share("WELCHK", "crisis_team", 1.0)
    assert not model.needs_confirmation("WELCHK")


def test_the_editor_asks_for_the_confirmation_and_the_save_shows_why_it_was_refused(
    workspace: Workspace,
) -> None:
    """The checkbox shows only for a weapon type sent without police; the refusal shows next to
    the Save button; ticking the box lets the plan be saved."""
    model = RolesModel(workspace)
    view = RolesView(model)
    _ = view.widget
    view.refresh()
    view.call_type.value = "MWG"
    assert view.weapon_box.layout.display == "none"
    view.shares["crisis_team"].value = 100
    assert view.weapon_box.layout.display == ""
    assert "go without police" in view.weapon_confirm.description
    button, refused = view.save_button, view.save_refused
    button.click()
    assert "names a weapon" in refused.value and model.error
    view.weapon_confirm.value = True
    assert model.weapon_confirmed == ["MWG"]
    button.click()
    assert "names a weapon" not in refused.value and "Saved as version" in refused.value
    assert workspace.decisions.latest(DECISION_NAME).document["weapon_confirmed"] == ["MWG"]
    assert "MENTAL W/ GUN" in view.charter.value
    view.call_type.value = "WELCHK"
    assert view.weapon_box.layout.display == "none"


def test_a_suggested_family_needs_review_beside_types_no_rule_knows(
    workspace: Workspace,
) -> None:
    """The text model's family is shown with its confidence and counted as needing review."""
    model = RolesModel(workspace)
    view = RolesView(model)
    _ = view.widget
    view.refresh()
    rows = {row["call_type"]: row for row in model.unclassified()}
    assert set(rows) == {"PRM", "QZ"}
    assert rows["PRM"]["suggested"] and rows["PRM"]["check"].startswith("suggested, ")
    assert rows["PRM"]["check"].endswith("% sure: check it")
    assert rows["QZ"]["check"] == "no rule: check it" and not rows["QZ"]["suggested"]
    page = view.unclassified.value
    assert "2 call types need review" in page
    assert "1 with a family the text model suggested, 1 left in" in page
    view.family_filter.value = "unclassified"
    assert "sure: check it" in view.types.value
    model.set_family("PRM", "proactive")
    assert [row["call_type"] for row in model.unclassified()] == ["QZ"]


@given(st.floats(0, 1))
def test_a_review_note_says_how_sure_the_suggestion_is(confidence: float) -> None:
    note = review_note("suggested", confidence)
    assert note.startswith("suggested, ") and note.endswith("% sure: check it")
    percent = int(note.removeprefix("suggested, ").removesuffix("% sure: check it"))
    assert abs(percent - 100 * confidence) <= 0.5 + 1e-9
    assert review_note("rule", confidence) == review_note("override", confidence) == ""
