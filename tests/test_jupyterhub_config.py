"""docs/jupyterhub_config.py loads, names only settings JupyterHub has, logs each person in
as themselves and starts `kit serve` as the docs say it does, with no shared secret."""

from __future__ import annotations

import runpy
from importlib.metadata import entry_points
from pathlib import Path
from types import SimpleNamespace

import pytest
from jupyterhub.app import JupyterHub
from jupyterhub.auth import Authenticator, PAMAuthenticator
from jupyterhub.spawner import LocalProcessSpawner, Spawner
from traitlets.config import Config
from ui_samples import free_port

from kit.cli import main

CONFIG = Path(__file__).resolve().parents[1] / "docs" / "jupyterhub_config.py"
#: The class that reads each section of the file.
SECTIONS = {
    "JupyterHub": JupyterHub,
    "PAMAuthenticator": PAMAuthenticator,
    "Authenticator": Authenticator,
    "Spawner": Spawner,
}


def load() -> Config:
    """Execute the file as JupyterHub would, with its ``get_config``."""
    config = Config()
    runpy.run_path(str(CONFIG), init_globals={"get_config": lambda: config})
    return config


def test_every_setting_is_one_jupyterhub_has() -> None:
    """A misspelt setting would be ignored by the hub with a warning: none is."""
    c = load()
    assert set(c) <= set(SECTIONS)
    for section, settings in c.items():
        known = SECTIONS[section].class_traits(config=True)
        assert set(settings) <= set(known), section


def test_each_person_logs_in_as_themselves() -> None:
    """PAM (the machine's accounts, or the city's directory through them), limited to the
    staff group; each server runs under its person's account."""
    c = load()
    authenticators = entry_points(group="jupyterhub.authenticators")
    spawners = entry_points(group="jupyterhub.spawners")
    assert authenticators[c.JupyterHub.authenticator_class].load() is PAMAuthenticator
    assert spawners[c.JupyterHub.spawner_class].load() is LocalProcessSpawner
    assert c.PAMAuthenticator.allowed_groups == {"kit-staff"}


def test_the_hub_starts_kit_serve_on_the_folder_with_no_shared_secret() -> None:
    """Each person's server is `kit serve` on the shared folder, on this machine only; no
    team token or password is handed to it, and saves are recorded under the person's name."""
    c = load()
    assert c.Spawner.cmd[1:] == ["serve", "/srv/kit/workspaces"]
    assert c.Spawner.cmd[0].endswith("/kit")
    assert c.Spawner.ip == "127.0.0.1"
    assert set(c.Spawner.environment) == {"KIT_USER"}
    ana = SimpleNamespace(user=SimpleNamespace(name="ana"))
    assert c.Spawner.environment["KIT_USER"](ana) == "ana"


def test_kit_serve_takes_the_arguments_the_hub_appends(monkeypatch: pytest.MonkeyPatch) -> None:
    """JupyterHub appends --ip=... --port=... and gives the prefix in the environment."""
    seen = {}

    def fake_serve(path: Path, **options: object) -> None:
        seen.update(options, path=path)

    monkeypatch.setenv("JUPYTERHUB_SERVICE_PREFIX", "/user/ana/")
    monkeypatch.delenv("JUPYTER_TOKEN", raising=False)
    monkeypatch.setattr("kit.serve.serve", fake_serve)
    assert main(["serve", "/srv/kit/workspaces", "--ip=127.0.0.1", "--port=51234"]) == 0
    assert seen == {
        "path": Path("/srv/kit/workspaces"),
        "port": 51234,
        "ip": "127.0.0.1",
        "base_url": "/user/ana/",
        "token": None,
        "password_hash": None,
    }


def test_started_by_the_hub_the_server_uses_the_hubs_login(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """With the token JupyterHub gives every server it starts, the server's login is the
    hub's own (tests/test_launcher_server.py shows it at work over HTTP)."""
    from jupyterhub.singleuser.extension import JupyterHubIdentityProvider

    from kit import logins
    from kit.serve import voila_config

    monkeypatch.setenv(logins.HUB_TOKEN_ENV, "the-servers-own-token")
    assert logins.under_hub()
    cfg = voila_config(port=free_port(), hub=logins.under_hub())
    assert cfg.Voila.identity_provider_class is JupyterHubIdentityProvider
    monkeypatch.delenv(logins.HUB_TOKEN_ENV)
    assert not logins.under_hub()
    assert "identity_provider_class" not in voila_config(port=free_port()).Voila
