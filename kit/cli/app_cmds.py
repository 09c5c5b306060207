"""``kit serve`` (the app in a browser) and ``kit run`` (the same workbooks headless)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``serve`` and ``run`` to the ``kit`` command line."""
    from kit.logins import PASSWORD_ENV

    serve = sub.add_parser(
        "serve",
        help="open the workbooks for a workspace, or a folder of them, as an app in the browser",
        description="Serve the workbooks for WORKSPACE with Voila; the home page lists the "
        "steps and where each stands. When WORKSPACE is a folder holding workspaces, the home "
        "page lets each person choose one and every page works on the one chosen. Binds to "
        "127.0.0.1 unless --ip says otherwise; docs/serving.md covers shared servers.",
    )
    serve.add_argument(
        "workspace", type=Path, help="the jurisdiction's workspace, or a folder of workspaces"
    )
    serve.add_argument("--port", type=int, default=8866, help="port to listen on (8866)")
    serve.add_argument(
        "--ip",
        default="127.0.0.1",
        help="address to listen on (127.0.0.1: this machine only; 0.0.0.0 serves the network)",
    )
    serve.add_argument(
        "--base-url",
        default=os.environ.get("JUPYTERHUB_SERVICE_PREFIX") or "/",
        help="path the app answers under (default: the prefix JupyterHub gives, else /)",
    )
    serve.add_argument(
        "--token",
        default=os.environ.get("JUPYTER_TOKEN") or None,
        help="a secret every browser must present (default: $JUPYTER_TOKEN; none when unset); "
        "set one whenever --ip serves a network",
    )
    serve.add_argument(
        "--password",
        action="store_true",
        help="ask every browser for a password: typed here at the start (not shown), or its "
        f"hash taken from ${PASSWORD_ENV}; never give the password itself on the command line",
    )
    serve.add_argument(
        "--password-file",
        type=Path,
        metavar="FILE",
        help="like --password, with the password's hash kept in FILE: the first start asks "
        "for the password and writes FILE (readable by you only), later starts read it",
    )
    serve.set_defaults(func=_serve)

    run = sub.add_parser(
        "run",
        help="run the workbooks headless with papermill",
        description="Run the workbooks for WORKSPACE without a browser, in order, keeping the "
        "executed notebooks in WORKSPACE/runs/. A step that lacks what it needs is skipped "
        "with the reason; the run stops at the first step that fails.",
    )
    run.add_argument("workspace", type=Path, nargs="?", help="the jurisdiction's workspace folder")
    run.add_argument(
        "--step", action="append", metavar="NN", help="run only this step (repeatable)"
    )
    run.add_argument(
        "-p",
        "--parameter",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="set a workbook parameter (repeatable); see --help-step",
    )
    run.add_argument("--help-step", metavar="NN", help="list a step's parameters and exit")
    run.set_defaults(func=_run)


def _serve(args: argparse.Namespace) -> int:
    from kit.logins import password_hash
    from kit.serve import serve

    hashed = None
    if args.password or args.password_file:
        hashed = password_hash(args.password_file)
    serve(
        args.workspace,
        port=args.port,
        ip=args.ip,
        base_url=args.base_url,
        token=args.token,
        password_hash=hashed,
    )
    return 0


def _run(args: argparse.Namespace) -> int:
    from kit import runner
    from kit.errors import KitError

    if args.help_step:
        print(runner.describe_step(args.help_step))
        return 0
    if args.workspace is None:
        raise KitError("Name the workspace to run, e.g. `kit run workspaces/my-city`.")
    from kit.workspace import Workspace

    ws = Workspace.open(args.workspace)
    results = runner.run_steps(
        ws, only=args.step, parameters=runner.parse_parameters(args.parameter)
    )
    for result in results:
        stream = sys.stderr if result.status == "failed" else sys.stdout
        print(result.line(), file=stream)
    return 1 if any(r.status == "failed" for r in results) else 0
