"""Helpers for the attack tests: run the real CLI in a child under memory and time caps, and
fingerprint files (sha256 and mode) before and after, so a failed run that changed a byte fails."""

from __future__ import annotations

import contextlib
import hashlib
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

# Every attack runs under these unless a test asks for others: a regression fails, never hangs CI.
MEMORY_CAP_MB = 600
TIME_CAP_S = 60.0


@dataclass(frozen=True)
class CliRun:
    code: int
    out: str
    err: str
    peak_kb: int  # the child's own peak resident memory (VmHWM after exec)

    @property
    def text(self) -> str:
        return self.out + self.err

    def assert_no_traceback(self) -> None:
        assert "Traceback (most recent call last)" not in self.text, self.text


# The child: caps its own address space, then runs ``python -m cvbuild``; at exit it writes
# its peak resident memory (VmHWM of its own process image: what it used, not what the
# forking test process held) to the file named by argv[1].
_CHILD = """
import atexit, resource, runpy, sys
cap = int(sys.argv[2]) * 1024 * 1024
resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
peak_file = sys.argv[1]

def report():
    try:
        with open('/proc/self/status') as status:
            line = next((l for l in status if l.startswith('VmHWM:')), 'VmHWM: 0 kB')
        with open(peak_file, 'w') as out:
            out.write(line.split()[1])
    except Exception:
        pass

atexit.register(report)
sys.argv = ['cvbuild', *sys.argv[3:]]
runpy.run_module('cvbuild', run_name='__main__', alter_sys=True)
"""


def run_cli(
    *args: str,
    cwd: Path | None = None,
    memory_mb: int = MEMORY_CAP_MB,
    timeout: float = TIME_CAP_S,
    env: dict[str, str] | None = None,
    stdin: str | None = None,
) -> CliRun:
    """``python -m cvbuild ARGS`` in a child capped at ``memory_mb`` of address space and
    ``timeout`` seconds; a child over the time is killed and the test fails. ``peak_kb`` is
    that child's own peak (``wait4``), not the largest of every child so far."""
    import threading

    full_env = {**os.environ, "PYTHONPATH": str(REPO), **(env or {})}
    full_env.pop("CVBUILD_DEBUG", None)
    if env and "CVBUILD_DEBUG" in env:
        full_env["CVBUILD_DEBUG"] = env["CVBUILD_DEBUG"]
    import tempfile

    handle, name = tempfile.mkstemp(prefix="cvbuild-peak-")
    os.close(handle)
    peak_file = Path(name)
    proc = subprocess.Popen(
        [sys.executable, "-c", _CHILD, str(peak_file), str(memory_mb), *args],
        cwd=cwd,
        env=full_env,
        stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    chunks: dict[str, bytes] = {}

    def drain(name: str, stream: object) -> None:
        chunks[name] = stream.read()  # type: ignore[attr-defined]

    readers = [
        threading.Thread(target=drain, args=("out", proc.stdout), daemon=True),
        threading.Thread(target=drain, args=("err", proc.stderr), daemon=True),
    ]
    for reader in readers:
        reader.start()
    if stdin is not None and proc.stdin is not None:
        with contextlib.suppress(BrokenPipeError):
            proc.stdin.write(stdin.encode())
        proc.stdin.close()
    killed = threading.Event()

    def kill() -> None:
        killed.set()
        proc.kill()

    timer = threading.Timer(timeout, kill)
    timer.start()
    try:
        _, status, usage = os.wait4(proc.pid, 0)
    finally:
        timer.cancel()
    proc.returncode = os.waitstatus_to_exitcode(status)
    for reader in readers:
        reader.join(5)
    if killed.is_set():
        pytest.fail(f"cvbuild {' '.join(args)} ran over {timeout:.0f} s (a hang)")
    out = chunks.get("out", b"").decode("utf-8", "replace")
    err = chunks.get("err", b"").decode("utf-8", "replace")
    try:
        peak = int(peak_file.read_text() or 0)
    except (OSError, ValueError):
        peak = 0
    finally:
        peak_file.unlink(missing_ok=True)
    return CliRun(proc.returncode, out, err, peak or usage.ru_maxrss)


def fingerprint(*roots: Path) -> dict[str, tuple[str, int]]:
    """sha256 and mode of every file under ``roots`` (or of each root that is a file)."""
    result: dict[str, tuple[str, int]] = {}
    for root in roots:
        files = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
        for path in files:
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            result[str(path)] = (digest, path.stat().st_mode & 0o7777)
    return result


def injected_env(folder: Path, code: str) -> dict[str, str]:
    """An ``env`` for :func:`run_cli` whose child first runs ``code`` (a ``sitecustomize``
    on PYTHONPATH): how a test makes the real CLI meet a fault (a full disk, a bug) that
    cvbuild itself has no switch for."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "sitecustomize.py").write_text(code, encoding="utf-8")
    return {"PYTHONPATH": os.pathsep.join([str(folder), str(REPO)])}


def stray_temp_files(*roots: Path) -> list[Path]:
    """Staged ``.tmp`` files a failed write left behind (there must be none)."""
    return [p for root in roots for p in root.rglob("*.tmp")]


CV_YAML = """\
person:
  name: Ada Lovelace
sections:
  - title: Publications
    publications:
      bib: papers.bib
  - title: Teaching
    items: [Analysis I]
"""

BIB = """\
@article{lovelace1843,
  author = {Lovelace, Ada and Babbage, Charles},
  title = {Notes on the Analytical Engine},
  journal = {Taylor's Scientific Memoirs},
  year = {1843},
}
"""


@pytest.fixture
def small_cv(tmp_path: Path) -> Path:
    """A small valid CV (cv.yaml + papers.bib) in its own folder; returns the cv.yaml."""
    folder = tmp_path / "cv"
    folder.mkdir()
    (folder / "papers.bib").write_text(BIB, encoding="utf-8")
    config = folder / "cv.yaml"
    config.write_text(CV_YAML, encoding="utf-8")
    return config
