"""JupyterHub for a city's staff on one server: each person logs in with their account on
the machine and gets a `kit serve` of their own, on the shared folder of workspaces.

Copy to /etc/jupyterhub/jupyterhub_config.py, set the two paths and the team token below,
and start it with `jupyterhub -f /etc/jupyterhub/jupyterhub_config.py` (JupyterHub 4 or
newer, and configurable-http-proxy, installed beside the kit). docs/serving.md explains
when to move to it and what each setting is for.
"""

import os

c = get_config()  # noqa: F821 (JupyterHub provides it while it reads this file)

#: The folder holding the jurisdictions' workspaces, readable and writable by the staff.
WORKSPACES = "/srv/kit/workspaces"
#: The kit's command in the environment it was installed into.
KIT = "/opt/kit/.venv/bin/kit"

# Logins are the machine's own accounts (PAM); list who may use the app.
c.JupyterHub.authenticator_class = "pam"
c.Authenticator.allowed_users = {"ana", "ben"}

# The hub listens on the network behind a TLS-terminating web server.
c.JupyterHub.bind_url = "http://0.0.0.0:8000"

# Each person's server is `kit serve` on the folder of workspaces. JupyterHub appends
# --ip and --port, and gives the path prefix in JUPYTERHUB_SERVICE_PREFIX, which
# `kit serve` takes as its --base-url.
c.Spawner.cmd = [KIT, "serve", WORKSPACES]
c.Spawner.ip = "127.0.0.1"

# The hub's proxy forwards to a person's server without checking the hub's login, so every
# server also asks for the team's token (the browser keeps it after the first page). Start
# the hub with KIT_TEAM_TOKEN set to a long random secret, e.g. `openssl rand -hex 32`.
TEAM_TOKEN = os.environ.get("KIT_TEAM_TOKEN", "")
if len(TEAM_TOKEN) < 16:
    raise SystemExit("Set KIT_TEAM_TOKEN to a secret of 16 characters or more before starting.")
c.Spawner.environment = {"JUPYTER_TOKEN": TEAM_TOKEN}

# The app's first page starts its kernels: give it time on a busy machine.
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 120
