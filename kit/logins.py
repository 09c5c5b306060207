"""How a served app asks who is there: a shared password, or each person's JupyterHub login.

Both use the Jupyter server's own machinery rather than anything written here: a password
is hashed and checked by ``jupyter_server.auth`` (argon2) and asked for on the server's
login page; under JupyterHub, the hub's own identity provider sends every browser to the
hub's login and lets in only people the hub allows onto this server (OAuth), so the hub's
log-ins, one per person, are what protects each server.
"""

from __future__ import annotations

import getpass
import hashlib
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Final

from kit.errors import KitError

if TYPE_CHECKING:
    from traitlets.config import Config

#: Where ``kit serve --password`` finds the password's hash when no file is named.
PASSWORD_ENV: Final = "KIT_PASSWORD_HASH"
#: Shortest password accepted when one is typed at the start.
MIN_PASSWORD: Final = 10
#: Set by JupyterHub for every server it starts: the server must then use the hub's login.
HUB_TOKEN_ENV: Final = "JUPYTERHUB_API_TOKEN"

_HOW: Final = (
    "run `kit serve FOLDER --password-file FILE` once on a terminal: it asks for the "
    "password and keeps only its hash in FILE"
)


def is_hashed(value: str) -> bool:
    """Whether ``value`` is a password hash as ``jupyter_server.auth.passwd`` writes it
    (``argon2:$argon2id$...``, or ``sha1:salt:digest`` from older servers), not a password."""
    algorithm, _, rest = value.partition(":")
    if algorithm == "argon2":
        return rest.startswith("$argon2")
    salt, _, digest = rest.partition(":")
    return algorithm in hashlib.algorithms_guaranteed and bool(salt) and len(digest) >= 32


def _checked(value: str, where: str) -> str:
    value = value.strip()
    if not is_hashed(value):
        raise KitError(
            f"{where} does not hold a hashed password; never put the password itself there: "
            + _HOW
            + "."
        )
    return value


def ask_password(ask: Callable[[str], str] = getpass.getpass) -> str:
    """The hash of a password typed twice at the terminal (not shown as it is typed)."""
    first = ask("Password for the app (not shown): ")
    if len(first) < MIN_PASSWORD:
        raise KitError(f"The password needs at least {MIN_PASSWORD} characters; start again.")
    if ask("The same password again: ") != first:
        raise KitError("The two passwords differ; start again.")
    from jupyter_server.auth import passwd

    return passwd(first)


def password_hash(
    file: Path | None,
    *,
    ask: Callable[[str], str] = getpass.getpass,
    interactive: bool | None = None,
) -> str:
    """The hashed password ``kit serve --password`` asks browsers for.

    From ``file`` when it exists; typed at the terminal and then kept (hashed, readable by
    its owner only) in ``file`` when it does not; else from :data:`PASSWORD_ENV`; else typed.
    A plain password is never read from a file, the environment or the command line.
    """
    if file is not None and file.exists():
        return _checked(file.read_text(encoding="utf-8"), str(file))
    if file is None and os.environ.get(PASSWORD_ENV):
        return _checked(os.environ[PASSWORD_ENV], f"${PASSWORD_ENV}")
    terminal = os.isatty(0) if interactive is None else interactive
    if not terminal:
        raise KitError(
            f"--password asks for the password on a terminal, and there is none: set "
            f"${PASSWORD_ENV} to the password's hash, or {_HOW}."
        )
    hashed = ask_password(ask)
    if file is not None:
        file.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as out:
            out.write(hashed + "\n")
    return hashed


def use_password(cfg: Config, hashed: str) -> None:
    """Ask every browser for the password whose hash is ``hashed`` (Jupyter's login page)."""
    cfg.PasswordIdentityProvider.hashed_password = _checked(hashed, "The password given")
    # Nobody can set a new password from the login page; only whoever runs the server.
    cfg.PasswordIdentityProvider.allow_password_change = False


def under_hub() -> bool:
    """Whether JupyterHub started this server (it then gives the server a token of its own)."""
    return bool(os.environ.get(HUB_TOKEN_ENV))


def use_hub_login(cfg: Config) -> None:
    """Let in only people who logged in at the hub and may use this server (OAuth).

    The hub's proxy forwards any request to a person's server; this check on the server
    itself is what keeps one person's app, and the city's data, from anyone else.
    """
    try:
        from jupyterhub.singleuser.extension import (
            JupyterHubAuthorizer,
            JupyterHubIdentityProvider,
        )
    except ImportError as exc:
        raise KitError(
            "JupyterHub started this server, but the jupyterhub package is not installed "
            "beside the kit: install the kit with its hub extra (`pip install 'rps-kit[hub]'`)."
        ) from exc
    cfg.Voila.identity_provider_class = JupyterHubIdentityProvider
    cfg.Voila.authorizer_class = JupyterHubAuthorizer
