"""Listening-session notes are checked and scrubbed; who was and was not heard is shown."""

from __future__ import annotations

from pathlib import Path

import pytest
from community_samples import write_sessions

from kit.community.sessions import ROLES, read_sessions, roles_heard
from kit.errors import KitError

AREAS = ("North", "South", "East")
TEMPLATE = Path(__file__).resolve().parents[1] / "templates" / "listening_sessions_template.csv"


def test_template_reads_as_it_ships() -> None:
    """The template's example rows pass the checks against areas named like its own."""
    sessions = read_sessions(TEMPLATE, areas=["North", "South"])
    assert len(sessions) == 3 and set(sessions["speaker_role"]) <= set(ROLES)


def test_roles_not_heard_overall_and_by_area(tmp_path: Path) -> None:
    """Officers and elected officials never spoke; East was never heard at all."""
    sessions = read_sessions(write_sessions(tmp_path / "notes.csv", AREAS), areas=AREAS)
    heard = roles_heard(sessions, AREAS)
    assert heard["roles_not_heard"] == ["officer", "elected official"]
    by_area = {a["area"]: a for a in heard["by_area"]}
    assert by_area["North"]["roles_heard"] == ["resident", "business owner"]
    assert by_area["East"]["statements"] == 0 and by_area["East"]["roles_not_heard"] == list(ROLES)
    assert by_area["whole jurisdiction"]["statements"] == 1
    assert {r["role"]: r["statements"] for r in heard["roles"]}["resident"] == 3


def test_statements_are_scrubbed_on_import(tmp_path: Path) -> None:
    """A name said at a session is not kept; the role spelt 'Service Provider' is understood."""
    sessions = read_sessions(write_sessions(tmp_path / "notes.csv", AREAS), areas=AREAS)
    assert "Featherstone" not in " ".join(sessions["statement"])
    assert "service provider" in set(sessions["speaker_role"])


def test_every_problem_is_listed_by_row(tmp_path: Path) -> None:
    """An unknown role, a blank statement, an unknown area and a bad date, each by row."""
    path = tmp_path / "notes.csv"
    path.write_text(
        "session_date,area,speaker_role,statement,tags\n"
        "2026-13-45,North,landlord,Fine.,\n"
        ",Atlantis,resident,,\n",
        encoding="utf-8",
    )
    with pytest.raises(KitError, match="row 1: speaker_role") as caught:
        read_sessions(path, areas=AREAS)
    message = str(caught.value)
    assert "row 1: speaker_role 'landlord' is not one of" in message
    assert "row 2: statement is blank" in message
    assert "row 2: area 'Atlantis' is not one of the profile's areas" in message
    assert "row 1: session_date '2026-13-45' is not YYYY-MM-DD" in message


def test_wrong_columns_are_refused(tmp_path: Path) -> None:
    """A file without speaker_role and statement points to the template."""
    path = tmp_path / "notes.csv"
    path.write_text("who,said\nme,hello\n", encoding="utf-8")
    with pytest.raises(KitError, match=r"listening_sessions_template\.csv"):
        read_sessions(path)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "is empty"),
        (b"# only notes\n", "is empty"),
        (b"session_date,area,speaker_role,statement,tags\n", "has a header row but no rows"),
        (b"\xff\xfe\x00\x01garbage\n", "lacks the column"),
    ],
)
def test_empty_and_unreadable_files_get_plain_messages(
    tmp_path: Path, content: bytes, message: str
) -> None:
    """No rows, only notes, or binary junk: a sentence saying what is wrong, no traceback."""
    path = tmp_path / "notes.csv"
    path.write_bytes(content)
    with pytest.raises(KitError, match=message):
        read_sessions(path)


def test_hostile_statements_stay_inert_text(tmp_path: Path) -> None:
    """Markup, formulas and terminal escapes are kept as plain text without control bytes."""
    path = tmp_path / "notes.csv"
    path.write_text(
        "speaker_role,statement\n"
        "resident,\"<script>alert(1)</script> =cmd|' /C calc'!A0 \x1b[31mred\"\n",
        encoding="utf-8",
    )
    (statement,) = read_sessions(path)["statement"]
    assert statement.startswith("<script>alert(1)</script> =cmd|") and "\x1b" not in statement
