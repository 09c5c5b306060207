"""docs/jupyterhub_config.py loads, and starts `kit serve` as the docs say it does."""

from __future__ import annotations

import runpy
from pathlib import Path

import pytest
from traitlets.config import Config

from kit.cli import main

CONFIG = Path(__file__).resolve().parents[1] / "docs" / "jupyterhub_config.py"


def load(monkeypatch: pytest.MonkeyPatch, token: str) -> Config:
    """Execute the file as JupyterHub would, with its ``get_config``."""
    monkeypatch.setenv("KIT_TEAM_TOKEN", token)
    config = Config()
    runpy.run_path(str(CONFIG), init_globals={"get_config": lambda: config})
    return config


def test_the_hub_starts_kit_serve_on_the_folder_behind_a_token(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Each person's server is `kit serve` on the shared folder, on this machine only, with
    the team's token in its environment."""
    c = load(monkeypatch, "a" * 32)
    assert c.Spawner.cmd[1:] == ["serve", "/srv/kit/workspaces"]
    assert c.Spawner.cmd[0].endswith("/kit")
    assert c.Spawner.ip == "127.0.0.1"
    assert c.Spawner.environment == {"JUPYTER_TOKEN": "a" * 32}
    assert c.JupyterHub.authenticator_class == "pam"


def test_the_hub_refuses_to_start_without_a_team_token(monkeypatch: pytest.MonkeyPatch) -> None:
    """No token, or a short one: the configuration stops the hub with a plain message."""
    with pytest.raises(SystemExit, match="Set KIT_TEAM_TOKEN"):
        load(monkeypatch, "short")


def test_kit_serve_takes_the_arguments_the_hub_appends(monkeypatch: pytest.MonkeyPatch) -> None:
    """JupyterHub appends --ip=... --port=... and gives the prefix in the environment."""
    seen = {}

    def fake_serve(path: Path, **options: object) -> None:
        seen.update(options, path=path)

    monkeypatch.setenv("JUPYTERHUB_SERVICE_PREFIX", "/user/ana/")
    monkeypatch.setenv("JUPYTER_TOKEN", "b" * 32)
    monkeypatch.setattr("kit.serve.serve", fake_serve)
    assert main(["serve", "/srv/kit/workspaces", "--ip=127.0.0.1", "--port=51234"]) == 0
    assert seen == {
        "path": Path("/srv/kit/workspaces"),
        "port": 51234,
        "ip": "127.0.0.1",
        "base_url": "/user/ana/",
        "token": "b" * 32,
    }
