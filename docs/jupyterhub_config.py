"""JupyterHub for a city's staff on one server: each person logs in as themselves and gets a
`kit serve` of their own, on the shared folder of workspaces.

Copy to /etc/jupyterhub/jupyterhub_config.py, set the paths and the group below, and start
it as root with `jupyterhub -f /etc/jupyterhub/jupyterhub_config.py` (JupyterHub 5 or newer
and configurable-http-proxy installed for the hub; the kit installed with its hub extra,
`pip install 'rps-kit[hub]'`, where each person's server runs). docs/serving.md explains
when to move to it and what each setting is for.
"""

c = get_config()  # noqa: F821 (JupyterHub provides it while it reads this file)

#: The folder holding the jurisdictions' workspaces, readable and writable by STAFF.
WORKSPACES = "/srv/kit/workspaces"
#: The kit's command in the environment it was installed into.
KIT = "/opt/kit/.venv/bin/kit"
#: The group whose members may log in (and who share the folder of workspaces).
STAFF = "kit-staff"
#: Who manages the hub (sees everyone's servers, stops them).
ADMINS = {"it-admin"}

# Logins are the machine's accounts, checked by PAM: local accounts, or the city's own
# directory (Active Directory, LDAP) once the machine is joined to it with SSSD, so staff
# log in with the name and password they already have. Only members of STAFF get in.
c.JupyterHub.authenticator_class = "pam"
c.PAMAuthenticator.allowed_groups = {STAFF}
c.Authenticator.admin_users = ADMINS

# The hub listens on the network behind a TLS-terminating web server.
c.JupyterHub.bind_url = "http://0.0.0.0:8000"

# Each person's server is `kit serve` on the folder of workspaces, run under their own
# account. JupyterHub appends --ip and --port and gives the path prefix in
# JUPYTERHUB_SERVICE_PREFIX, which `kit serve` takes as its --base-url. Started by the hub,
# `kit serve` lets in only its owner, once the hub has logged them in: no shared token or
# password is needed.
c.JupyterHub.spawner_class = "localprocess"
c.Spawner.cmd = [KIT, "serve", WORKSPACES]
c.Spawner.ip = "127.0.0.1"
# Saves are recorded under the name the person logged in with.
c.Spawner.environment = {"KIT_USER": lambda spawner: spawner.user.name}

# The app's first page starts its kernels: give it time on a busy machine.
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 120
