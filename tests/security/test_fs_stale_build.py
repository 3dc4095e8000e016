"""Build folders a killed run left in the temp dir are swept by the next run: only ours (the
``cvbuild-build-<pid>-`` prefix, our uid, not a link), only when stale."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cvbuild.tempdirs import PREFIX, STALE_AFTER_S, make_build_dir, sweep_stale
from tests.security.conftest import run_cli


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def _aged(path: Path, seconds: float) -> Path:
    stamp = time.time() - seconds
    os.utime(path, (stamp, stamp), follow_symlinks=False)
    return path


def test_sweep_removes_only_our_stale_folders(tmp_path: Path) -> None:
    dead = _dead_pid()
    old = STALE_AFTER_S + 60
    gone = tmp_path / f"{PREFIX}{dead}-abc123"
    gone.mkdir()
    (gone / "cv.log").write_text("x")
    fresh_dead = tmp_path / f"{PREFIX}{dead}-fresh1"  # a dead owner, but touched just now
    fresh_dead.mkdir()
    living = tmp_path / f"{PREFIX}{os.getppid()}-alive1"  # the test runner's parent lives
    living.mkdir()
    stranger = tmp_path / "cvbuild-notours"
    stranger.mkdir()
    a_file = tmp_path / f"{PREFIX}{dead}-file01"
    a_file.write_text("keep")
    target = tmp_path / "precious"
    target.mkdir()
    (target / "keep.txt").write_text("keep")
    link = tmp_path / f"{PREFIX}{dead}-link01"
    link.symlink_to(target)
    for path in (gone, living, a_file, link):
        _aged(path, old)
    _aged(stranger, old * 100)
    _aged(fresh_dead, 30)

    removed = sweep_stale(tmp_path)
    assert removed == [gone]
    assert not gone.exists()
    for kept in (fresh_dead, living, stranger, a_file, target / "keep.txt"):
        assert kept.exists(), kept
    assert link.is_symlink()


def test_folders_abandoned_for_a_day_go_whatever_the_pid(tmp_path: Path) -> None:
    reused = tmp_path / f"{PREFIX}{os.getppid()}-old001"
    reused.mkdir()
    _aged(reused, 2 * 24 * 3600)
    assert sweep_stale(tmp_path) == [reused]


def test_build_folders_carry_the_prefix_and_pid(tmp_path: Path) -> None:
    folder = make_build_dir(tmp_path)
    assert folder.name.startswith(f"{PREFIX}{os.getpid()}-")
    assert folder.stat().st_mode & 0o777 == 0o700


def test_the_next_build_sweeps_a_killed_runs_folder(small_cv: Path, tmp_path: Path) -> None:
    temp = tmp_path / "tmp"
    temp.mkdir()
    left = temp / f"{PREFIX}{_dead_pid()}-killed"
    left.mkdir()
    (left / "cv.aux").write_text("half")
    _aged(left, STALE_AFTER_S + 5)
    done = run_cli(
        "build",
        str(small_cv),
        "--format",
        "md",
        "--output",
        str(tmp_path / "o"),
        env={"TMPDIR": str(temp)},
    )
    assert done.code == 0, done.text
    assert not left.exists()


def test_the_docx_step_builds_in_a_folder_the_sweep_knows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tempfile

    from cvbuild.compile.pandoc import markdown_to_docx, reference_docx_path
    from cvbuild.document import Meta

    monkeypatch.setenv("TMPDIR", str(tmp_path))
    monkeypatch.setattr(tempfile, "tempdir", None)
    seen: list[str] = []
    monkeypatch.setattr("cvbuild.compile.pandoc.subprocess.run", _recording_run(seen, tmp_path))
    data = markdown_to_docx(
        "Hello", reference_docx_path("academic", "a4"), meta=Meta(title="t", author="A")
    )
    assert data[:2] == b"PK"
    assert seen and all(name.startswith(PREFIX) for name in seen), seen
    assert not [p for p in tmp_path.iterdir() if p.name.startswith("cvbuild")]  # removed after


def _recording_run(seen: list[str], root: Path):  # type: ignore[no-untyped-def]
    real = subprocess.run

    def run(*args, **kwargs):  # type: ignore[no-untyped-def]
        seen.extend(p.name for p in root.iterdir())
        return real(*args, **kwargs)

    return run
