"""`kit serve --password`: where the password's hash comes from, and that a plain password
is never taken from a file, the environment or the command line."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from jupyter_server.auth import passwd, passwd_check

from kit.cli import main
from kit.errors import KitError
from kit.logins import PASSWORD_ENV, is_hashed, password_hash

PASSWORD = "a long enough secret"


def typed(*answers: str):
    """A terminal at which a person types ``answers`` in turn."""
    queue = list(answers)
    return lambda _prompt: queue.pop(0)


def test_hashes_are_told_from_passwords() -> None:
    """Jupyter's hashes pass; a password, or a hash's algorithm alone, does not."""
    assert is_hashed(passwd(PASSWORD))
    assert is_hashed(passwd(PASSWORD, algorithm="sha1"))
    assert not is_hashed(PASSWORD)
    assert not is_hashed("argon2:hunter2")
    assert not is_hashed("sha1:")


def test_the_first_start_asks_and_keeps_only_the_hash(tmp_path: Path) -> None:
    """With a file that does not exist yet, the password is typed twice and its hash kept in
    the file, readable by its owner only; the next start reads it without asking."""
    file = tmp_path / "secrets" / "kit-password"
    first = password_hash(file, ask=typed(PASSWORD, PASSWORD), interactive=True)
    assert passwd_check(first, PASSWORD)
    assert PASSWORD not in file.read_text()
    assert stat.S_IMODE(file.stat().st_mode) == 0o600
    again = password_hash(file, ask=typed(), interactive=False)
    assert again == first


def test_a_short_or_mistyped_password_is_refused(tmp_path: Path) -> None:
    """Nothing is written when the password is too short or typed differently twice."""
    file = tmp_path / "kit-password"
    with pytest.raises(KitError, match="at least 10 characters"):
        password_hash(file, ask=typed("short", "short"), interactive=True)
    with pytest.raises(KitError, match="two passwords differ"):
        password_hash(file, ask=typed(PASSWORD, PASSWORD + "!"), interactive=True)
    assert not file.exists()


def test_the_environment_gives_a_hash_never_a_password(monkeypatch: pytest.MonkeyPatch) -> None:
    """$KIT_PASSWORD_HASH holding a hash is used; holding a password, it is refused."""
    hashed = passwd(PASSWORD)
    monkeypatch.setenv(PASSWORD_ENV, hashed)
    assert password_hash(None, interactive=False) == hashed
    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)
    with pytest.raises(KitError, match="does not hold a hashed password"):
        password_hash(None, interactive=False)


def test_a_file_holding_a_password_is_refused(tmp_path: Path) -> None:
    file = tmp_path / "kit-password"
    file.write_text(PASSWORD)
    with pytest.raises(KitError, match="never put the password itself there"):
        password_hash(file, interactive=False)


def test_no_terminal_and_nothing_given_says_what_to_do(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(PASSWORD_ENV, raising=False)
    with pytest.raises(KitError, match="asks for the password on a terminal"):
        password_hash(None, interactive=False)


def test_kit_serve_passes_the_hash_on(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """`kit serve --password-file FILE` serves with the hash FILE holds; without a password
    option, none."""
    seen: dict[str, object] = {}
    monkeypatch.setattr("kit.serve.serve", lambda path, **options: seen.update(options))
    monkeypatch.delenv("JUPYTER_TOKEN", raising=False)
    file = tmp_path / "kit-password"
    hashed = passwd(PASSWORD)
    file.write_text(hashed + "\n")
    assert main(["serve", str(tmp_path), "--password-file", str(file)]) == 0
    assert seen["password_hash"] == hashed
    assert main(["serve", str(tmp_path)]) == 0
    assert seen["password_hash"] is None


def test_kit_serve_without_a_terminal_exits_2(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Started by a service manager with --password and no hash: a one-line message, exit 2."""
    monkeypatch.setattr("kit.serve.serve", lambda path, **options: None)
    monkeypatch.setattr("os.isatty", lambda _fd: False)
    monkeypatch.delenv(PASSWORD_ENV, raising=False)
    assert main(["serve", str(tmp_path), "--password"]) == 2
    assert PASSWORD_ENV in capsys.readouterr().err
