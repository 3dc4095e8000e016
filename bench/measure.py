"""Process helpers shared by the benchmarks: a child's wall time and peak memory, the
``bench.py _child`` runner, and one bare TeX engine pass."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
BENCH = HERE / "bench.py"

# As an installed cvbuild runs: with its byte-code cached (pip writes it at install time;
# some shells set PYTHONDONTWRITEBYTECODE, which would make every run compile every module).
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


@dataclass(frozen=True)
class Run:
    seconds: float
    peak_mb: float  # the largest resident set in the child's process tree (wait4 ru_maxrss)
    code: int
    stderr: str


def run_measured(
    cmd: Sequence[str], *, cwd: Path | None = None, env: Mapping[str, str] | None = None
) -> Run:
    """Run ``cmd`` to its end; wall time from spawn to reap, and the child's peak memory as
    the kernel reports it on reaping (the maximum over the child and the descendants it
    waited for, e.g. the TeX engine cvbuild runs)."""
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(
            list(cmd), cwd=cwd, env=dict(ENV if env is None else env),
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err,
        )  # fmt: skip
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        text = err.read().decode("utf-8", "replace")
    return Run(seconds, usage.ru_maxrss / 1024, proc.returncode, text)


def checked(run: Run, what: str) -> Run:
    if run.code != 0:
        raise SystemExit(f"{what} failed (exit {run.code}):\n{run.stderr[-3000:]}")
    return run


def run_child(*args: str) -> dict:  # type: ignore[type-arg]
    """``bench.py _child ...`` in a fresh interpreter; its JSON report."""
    out = subprocess.run(
        [sys.executable, str(BENCH), "_child", *args],
        capture_output=True, text=True, check=False, env=ENV,
    )  # fmt: skip
    if out.returncode != 0:
        raise SystemExit(f"benchmark child failed:\n{out.stderr}")
    result: dict = json.loads(out.stdout.strip().splitlines()[-1])  # type: ignore[type-arg]
    return result


def one_engine_pass(tex_dir: Path, engine: str = "xelatex") -> float:
    """One plain engine run (PDF included) over the .tex that ``--format tex`` wrote, in
    the same environment cvbuild gives the engine (paranoid file access, no font making)."""
    from cvbuild.compile.latex import engine_environment

    tex = next(tex_dir.glob("*.tex"))
    with tempfile.TemporaryDirectory() as tmp:
        for f in tex_dir.iterdir():
            shutil.copy(f, tmp)
        env = engine_environment(Path(tmp))
        start = time.perf_counter()
        subprocess.run([engine, "-interaction=nonstopmode", "-no-shell-escape", tex.name],
                       cwd=tmp, capture_output=True, check=False, env=env)  # fmt: skip
        return time.perf_counter() - start


def cvbuild_cmd(*args: str) -> list[str]:
    return [sys.executable, "-m", "cvbuild", *args]
