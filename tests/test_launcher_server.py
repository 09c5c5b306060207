"""The served home page, chooser, file-list redirect, token and busy page, over real HTTP.

Each server runs ``kit.serve.serve`` in a process of its own; without warm kernels (pool 0)
unless a test needs one, so starting it costs about a second and no kernel.
"""

from __future__ import annotations

import contextlib
import http.server
import json
import re
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import nbformat
import pytest
from ui_samples import free_port, make_workspace, stop

from kit.workspace import Workspace

pytestmark = pytest.mark.xdist_group("launcher_server")

START_SECONDS = 90


@contextlib.contextmanager
def served(path: Path, log: Path, **options: object) -> Iterator[str]:
    """``kit.serve.serve(path, **options)`` in its own process until the block ends; its URL."""
    port = free_port()
    settings = {"pool_size": 0, **options}
    script = (
        "import sys; from pathlib import Path; from kit.serve import serve; "
        f"serve(Path(sys.argv[1]), port={port}, **{settings!r})"
    )
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-c", script, str(path)], stdout=out, stderr=subprocess.STDOUT
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_SECONDS
        while True:
            if process.poll() is not None:
                pytest.fail(f"the server exited:\n{log.read_text()[-3000:]}")
            try:
                urllib.request.urlopen(url + "/voila/static/", timeout=2).close()
                break
            except urllib.error.HTTPError:
                break  # it answers
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail(f"the server did not answer:\n{log.read_text()[-3000:]}")
                time.sleep(0.2)
        yield url
    finally:
        stop(process)


def get(url: str, *, redirect: bool = True) -> tuple[int, str, dict[str, str]]:
    """Status, body and headers of a GET (errors included, as a browser would show them)."""
    opener = urllib.request.build_opener(
        *([] if redirect else [_NoRedirect()]),
    )
    try:
        with opener.open(url, timeout=120) as response:
            return response.status, response.read().decode(), dict(response.headers)
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode(), dict(exc.headers)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


@pytest.fixture(scope="module")
def folder_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A server on a folder of two workspaces."""
    root = tmp_path_factory.mktemp("hosted")
    make_workspace(root / "testville")
    Workspace.create(root / "riverton", name="Riverton", timezone="America/New_York")
    with served(root, root.parent / "folder.log") as url:
        yield url


def test_one_workspace_lands_on_its_home_page(tmp_path: Path) -> None:
    """The root of a one-workspace server is its home page: name, steps, links; no kernel."""
    ws = make_workspace(tmp_path / "ws")
    with served(ws.path, tmp_path / "one.log") as url:
        status, body, _ = get(url + "/")
        tree_status, tree_body, _ = get(url + "/voila/tree")
    assert status == 200 and tree_status == 200 and tree_body == body
    assert '<h1 class="kit-home-jurisdiction">Testville</h1>' in body
    assert 'href="/voila/render/02_delineate_roles.ipynb"' in body
    assert "Saved " in body and "Not started" in body
    assert "Choose another workspace" not in body
    assert "Kernel" not in (tmp_path / "one.log").read_text()


def test_a_folder_shows_the_chooser(folder_server: str) -> None:
    """The root of a folder's server lists each workspace with a link to its home page."""
    status, body, _ = get(folder_server + "/")
    assert status == 200
    assert 'href="/?workspace=riverton"' in body and "Riverton" in body
    assert 'href="/?workspace=testville"' in body and "Testville" in body


def test_a_chosen_workspace_keeps_its_name_in_every_link(folder_server: str) -> None:
    """The home page of a chosen workspace links its steps with the workspace in the query."""
    status, body, _ = get(folder_server + "/?workspace=riverton")
    assert status == 200 and 'kit-home-jurisdiction">Riverton<' in body
    assert 'href="/voila/render/00_set_up.ipynb?workspace=riverton"' in body
    assert "Choose another workspace" in body


def test_the_file_list_redirects_home_keeping_the_workspace(folder_server: str) -> None:
    """``/voila/tree`` leads to the home page, with the same query."""
    status, _, headers = get(folder_server + "/voila/tree?workspace=riverton", redirect=False)
    assert status == 302 and headers["Location"] == "/?workspace=riverton"


@pytest.mark.parametrize("name", ["..%2F..%2Fetc", "nowhere", "%2Ftmp"])
def test_a_workspace_outside_the_folder_is_refused_plainly(folder_server: str, name: str) -> None:
    """An unknown name or a path gets the chooser back, saying so; no traceback."""
    status, body, _ = get(f"{folder_server}/?workspace={name}")
    assert status == 404
    assert "There is no workspace called" in body and "Riverton" in body
    assert "Traceback" not in body


def test_a_token_keeps_strangers_out(tmp_path: Path) -> None:
    """With a token, the home page answers only a browser that presents it."""
    ws = make_workspace(tmp_path / "ws")
    with served(ws.path, tmp_path / "token.log", token="s3cret-for-tests") as url:
        refused, _, headers = get(url + "/", redirect=False)
        allowed, body, _ = get(url + "/?token=s3cret-for-tests")
    assert refused in (302, 403) and "s3cret" not in headers.get("Location", "")
    assert allowed == 200 and "Testville" in body


PASSWORD = "correct horse battery"


def login(url: str, password: str) -> tuple[int, str]:
    """Type ``password`` into the login page, then open the home page, as one browser."""
    browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())
    with browser.open(url + "/login?next=%2F", timeout=120) as page:
        xsrf = re.search(r'name="_xsrf" value="([^"]+)"', page.read().decode())
    assert xsrf, "the login page carries no _xsrf field"
    form = urllib.parse.urlencode({"password": password, "_xsrf": xsrf.group(1)}).encode()
    with contextlib.suppress(urllib.error.HTTPError):  # 401: the login page again
        browser.open(urllib.request.Request(url + "/login?next=%2F", data=form), timeout=120)
    try:
        with browser.open(url + "/", timeout=120) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


@pytest.mark.parametrize("base_url", ["/", "/user/ana/"])
def test_a_password_keeps_strangers_out(tmp_path: Path, base_url: str) -> None:
    """With a password, no page answers until the login page was given it; a wrong one
    changes nothing; the login page answers under the base URL too."""
    from jupyter_server.auth import passwd

    ws = make_workspace(tmp_path / "ws")
    hashed = passwd(PASSWORD)
    with served(ws.path, tmp_path / "pw.log", password_hash=hashed, base_url=base_url) as root:
        url = root + base_url.rstrip("/")
        home, _, headers = get(url + "/", redirect=False)
        step, _, _ = get(url + "/voila/render/00_set_up.ipynb", redirect=False)
        asks, form, _ = get(url + "/login")
        wrong = login(url, "not the password")
        right = login(url, PASSWORD)
    assert home == 302 and headers["Location"].startswith(base_url + "login?next=")
    assert step == 302
    assert asks == 200 and 'name="password"' in form and PASSWORD not in form
    assert wrong[0] == 200 and 'name="password"' in wrong[1] and "Testville" not in wrong[1]
    assert right[0] == 200 and '<h1 class="kit-home-jurisdiction">Testville</h1>' in right[1]
    assert hashed not in (tmp_path / "pw.log").read_text()


def test_a_base_url_moves_every_page_under_it(tmp_path: Path) -> None:
    """Behind JupyterHub the app answers under the user's prefix, links included."""
    ws = make_workspace(tmp_path / "ws")
    with served(ws.path, tmp_path / "base.log", base_url="/user/ana") as url:
        status, body, _ = get(url + "/user/ana/")
    assert status == 200
    assert 'href="/user/ana/voila/render/00_set_up.ipynb"' in body


def _one_widget_books(folder: Path) -> Path:
    folder.mkdir()
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("1")]
    nb.metadata["kernelspec"] = {"name": "python3", "language": "python", "display_name": "P"}
    nbformat.write(nb, folder / "00_tiny.ipynb")
    return folder


def test_a_full_server_queues_then_says_busy(tmp_path: Path) -> None:
    """Cap of one page: the second page waits with a notice, then says busy; with no queue
    left, a page is told at once. Never an error page or a traceback."""
    ws = make_workspace(tmp_path / "ws")
    books = _one_widget_books(tmp_path / "books")
    options = {"notebooks": books, "max_pages": 1, "queue_seconds": 2.0, "queue_length": 1}
    script_options = {k: (str(v) if isinstance(v, Path) else v) for k, v in options.items()}
    with served(ws.path, tmp_path / "busy.log", **script_options) as url:
        page = url + "/voila/render/00_tiny.ipynb"
        first, body, _ = get(page)
        assert first == 200 and "Traceback" not in body
        waited, waited_body, _ = get(page)
    assert waited == 200
    assert "Waiting for a free place" in waited_body
    assert "Busy, try again shortly" in waited_body
    assert "Traceback" not in waited_body and "500" not in waited_body


#: Who JupyterHub says each token belongs to, and what it lets them reach.
HUB_USERS = {
    "ana-token": {"kind": "user", "name": "ana", "scopes": ["access:servers!user=ana"]},
    "ben-token": {"kind": "user", "name": "ben", "scopes": ["access:servers!user=ben"]},
}


class _FakeHub(http.server.BaseHTTPRequestHandler):
    """The one call a person's server makes to JupyterHub's API: whose token is this?"""

    def do_GET(self) -> None:
        token = self.headers.get("Authorization", "").removeprefix("token ")
        user = HUB_USERS.get(token)
        body = json.dumps(user or {"message": "unknown token"}).encode()
        self.send_response(200 if user and self.path == "/hub/api/user" else 403)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        """Quiet."""


@pytest.fixture
def hub(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A stand-in for the hub's API, and the environment JupyterHub gives ana's server."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _FakeHub)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    api = f"http://127.0.0.1:{server.server_address[1]}/hub/api"
    for name, value in {
        "JUPYTERHUB_API_TOKEN": "the-servers-own-token",
        "JUPYTERHUB_API_URL": api,
        "JUPYTERHUB_BASE_URL": "/",
        "JUPYTERHUB_CLIENT_ID": "jupyterhub-user-ana",
        "JUPYTERHUB_USER": "ana",
        "JUPYTERHUB_SERVICE_PREFIX": "/user/ana/",
        "JUPYTERHUB_OAUTH_CALLBACK_URL": "/user/ana/oauth_callback",
        "JUPYTERHUB_OAUTH_ACCESS_SCOPES": json.dumps(["access:servers!user=ana"]),
    }.items():
        monkeypatch.setenv(name, value)
    yield api
    server.shutdown()


def _as(url: str, token: str = "") -> tuple[int, str, dict[str, str]]:
    request = urllib.request.Request(url, headers={"Authorization": f"token {token}"})
    opener = urllib.request.build_opener(_NoRedirect())
    try:
        with opener.open(request if token else url, timeout=120) as response:
            return response.status, response.read().decode(), dict(response.headers)
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode(), dict(exc.headers)


def test_under_jupyterhub_only_the_person_the_hub_lets_in_gets_in(tmp_path: Path, hub: str) -> None:
    """Started by the hub, the server sends a stranger to the hub's login, lets ana in with
    what the hub gave her, and refuses ben, who logged in at the hub but is not ana."""
    ws = make_workspace(tmp_path / "ws")
    with served(ws.path, tmp_path / "hub.log", base_url="/user/ana/") as url:
        stranger, _, headers = _as(url + "/user/ana/")
        ana, body, _ = _as(url + "/user/ana/", "ana-token")
        step, step_body, _ = _as(url + "/user/ana/voila/render/00_set_up.ipynb", "ben-token")
        ben, ben_body, _ = _as(url + "/user/ana/", "ben-token")
        callback, _, _ = _as(url + "/user/ana/oauth_callback")
    assert stranger == 302
    assert headers["Location"].startswith("/hub/api/oauth2/authorize?")
    assert "client_id=jupyterhub-user-ana" in headers["Location"]
    assert ana == 200 and '<h1 class="kit-home-jurisdiction">Testville</h1>' in body
    assert ben == 403 and step == 403
    for refused in (ben_body, step_body):
        assert "This app is someone else's" in refused and 'href="/hub/home"' in refused
        assert "Traceback" not in refused
    assert "Uncaught exception" not in (tmp_path / "hub.log").read_text()
    assert callback == 400  # the hub's answer is expected here, not a missing page
