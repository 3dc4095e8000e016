"""The command's quick exit: everything it printed arrives, exit handlers run, exit codes
are those of ``main``, and the ordinary exit is kept where a quick one would not be clean."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from cvbuild.cli import main


def _cvbuild(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cvbuild", *args],
        capture_output=True,
        text=True,
        check=False,
        cwd=cwd,
        timeout=120,
    )


def test_a_long_output_through_a_pipe_arrives_whole(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema"]) == 0
    expected = capsys.readouterr().out
    done = _cvbuild("schema")
    assert done.returncode == 0
    assert done.stdout == expected and len(expected) > 20_000
    json.loads(done.stdout)


def test_exit_codes_are_mains(tmp_path: Path) -> None:
    assert _cvbuild("--version").returncode == 0
    missing = _cvbuild("build", str(tmp_path / "nope.yaml"))
    assert missing.returncode == 1
    assert "nothing was written" in missing.stderr
    assert _cvbuild("build", "--format", "word").returncode == 2  # argparse's own exit


def _schema_after(setup: str) -> subprocess.CompletedProcess[str]:
    """``cvbuild schema`` through the command's entry, after ``setup`` ran in the process."""
    script = f"{setup}\nimport sys\nsys.argv = ['cvbuild', 'schema']\nfrom cvbuild.cli import entry\nentry()\n"
    return subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False
    )


def test_exit_handlers_run_before_the_quick_exit() -> None:
    done = _schema_after("import atexit\natexit.register(lambda: print('handler ran', flush=True))")
    assert done.returncode == 0
    assert done.stdout.splitlines()[-1] == "handler ran"


def test_another_thread_keeps_the_ordinary_exit() -> None:
    # The ordinary exit waits for a non-daemon thread; a quick exit would cut it short.
    done = _schema_after(
        "import threading, time\n"
        "def late():\n"
        "    time.sleep(0.3)\n"
        "    print('thread finished', flush=True)\n"
        "threading.Thread(target=late).start()"
    )
    assert done.returncode == 0
    assert "thread finished" in done.stdout


def test_a_markdown_build_through_the_command_writes_its_file(tmp_path: Path) -> None:
    (tmp_path / "cv.yaml").write_text(
        "person: {name: Ada Lovelace}\nsections:\n  - title: About\n    text: Hello.\n",
        encoding="utf-8",
    )
    done = _cvbuild("-q", "build", "--format", "md", "cv.yaml", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    written = list((tmp_path / "output").rglob("*.md"))
    assert written and "Hello." in written[0].read_text(encoding="utf-8")
