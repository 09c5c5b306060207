"""The command line's shared behaviour: exit codes and quiet handling of closed pipes."""

from __future__ import annotations

import subprocess
import sys

from kit.cli import main


def test_bad_usage_exits_2_with_one_short_message(capsys) -> None:
    """A wrong option is a usage line and a message, exit 2, no traceback."""
    try:
        main(["info"])
    except SystemExit as exc:
        assert exc.code == 2
    err = capsys.readouterr().err
    assert "usage:" in err and "Traceback" not in err


def test_a_closed_pipe_is_not_a_traceback(tmp_path) -> None:
    """Output piped into `head` stops quietly instead of printing a BrokenPipeError."""
    workspace = str(tmp_path / "ws")
    code = (
        "import sys\n"
        "import kit.cli.decision_cmds as cmds\n"
        "from kit.cli import main\n"
        "from kit.workspace import Workspace\n"
        f"Workspace.create({workspace!r})\n"
        "def _emit(*args):\n"
        "    sys.stdout.write('x')\n"
        "    sys.stdout.flush()\n"
        "    raise BrokenPipeError(32, 'Broken pipe')  # what writing to a closed pipe raises\n"
        "cmds._emit = _emit\n"
        f"sys.exit(main(['history', {workspace!r}]))\n"
    )
    script = tmp_path / "pipe.py"
    script.write_text(code)
    proc = subprocess.Popen(
        [sys.executable, str(script)], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    out, err = proc.communicate(timeout=120)
    assert out == b"x"
    assert proc.returncode == 0
    assert b"Traceback" not in err and b"BrokenPipe" not in err, err
