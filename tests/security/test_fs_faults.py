"""File-system faults through the real CLI: one sentence naming the path and what to do, exit 1
for the user's mistake, 3 for an outside fault, no traceback, no stray .tmp, earlier outputs and
inputs byte-for-byte and mode-for-mode as they were."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.security.conftest import (
    REPO,
    fingerprint,
    injected_env,
    run_cli,
    stray_temp_files,
)


def _first_build(config: Path, out: Path) -> dict[str, tuple[str, int]]:
    done = run_cli("build", str(config), "--format", "md", "--output", str(out))
    assert done.code == 0, done.text
    return fingerprint(config.parent, out)


def test_output_folder_that_is_a_file(small_cv: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "out"
    blocker.write_bytes(b"not a folder")
    before = fingerprint(small_cv.parent, blocker)
    for target in (blocker, blocker / "below"):
        done = run_cli("build", str(small_cv), "--format", "md", "--output", str(target))
        done.assert_no_traceback()
        assert done.code == 1, done.text
        assert str(blocker) in done.err and "is a file, not a folder" in done.err
        assert "--output DIR" in done.err
    assert fingerprint(small_cv.parent, blocker) == before


def test_output_dir_from_the_config_that_is_a_file(small_cv: Path) -> None:
    (small_cv.parent / "public").write_bytes(b"x")
    small_cv.write_text(small_cv.read_text() + "output:\n  dir: public\n", encoding="utf-8")
    before = fingerprint(small_cv.parent)
    done = run_cli("build", str(small_cv), "--format", "md")
    done.assert_no_traceback()
    assert done.code == 1 and "public is a file, not a folder" in done.err, done.text
    assert fingerprint(small_cv.parent) == before


def test_output_in_proc(small_cv: Path) -> None:
    done = run_cli("build", str(small_cv), "--format", "md", "--output", "/proc/1")
    done.assert_no_traceback()
    assert done.code == 1 and "/proc/1" in done.err, done.text
    assert len(done.err.strip().splitlines()) == 1


def test_keep_build_on_a_file(small_cv: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "keep"
    blocker.write_bytes(b"mine")
    before = fingerprint(small_cv.parent, blocker)
    done = run_cli("build", str(small_cv), "--format", "pdf", "--keep-build", str(blocker))
    done.assert_no_traceback()
    assert done.code == 1 and "--keep-build folder" in done.err and str(blocker) in done.err
    assert fingerprint(small_cv.parent, blocker) == before
    assert not (small_cv.parent / "output").exists()


def test_export_zip_to_dev_null(small_cv: Path) -> None:
    before = fingerprint(small_cv.parent)
    started = time.monotonic()
    done = run_cli("export", str(small_cv), "--zip", "--output", "/dev/null")
    done.assert_no_traceback()
    assert done.code == 1 and "/dev/null is a file, not a folder" in done.err, done.text
    assert time.monotonic() - started < 20  # refused before any PDF is built
    assert fingerprint(small_cv.parent) == before


def test_init_in_proc(tmp_path: Path) -> None:
    done = run_cli("init", "/proc")
    done.assert_no_traceback()
    assert done.code == 1 and "/proc" in done.err, done.text
    assert not Path("/proc/cv.yaml").exists()


def test_init_into_a_file(tmp_path: Path) -> None:
    blocker = tmp_path / "f"
    blocker.write_bytes(b"x")
    done = run_cli("init", str(blocker / "new"))
    done.assert_no_traceback()
    assert done.code == 1 and "is a file, not a folder" in done.err, done.text


def test_schema_into_a_closed_pipe_ends_quietly() -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    shell = f"{sys.executable} -m cvbuild schema | head -c 1 >/dev/null; echo ${{PIPESTATUS[0]}}"
    done = subprocess.run(
        ["bash", "-c", shell], capture_output=True, text=True, env=env, timeout=60
    )
    assert done.stderr == "", done.stderr
    assert done.stdout.strip() == "0"


_ENOSPC = """
import errno, os
_real = os.fsync
def _full(fd):
    raise OSError(errno.ENOSPC, "No space left on device")
os.fsync = _full
"""

_EROFS = """
import errno, os
_real = os.open
_TARGET = {target!r}
def _readonly(path, flags, *args, **kw):
    if (flags & os.O_CREAT) and str(path).startswith(_TARGET):
        raise OSError(errno.EROFS, "Read-only file system", str(path))
    return _real(path, flags, *args, **kw)
os.open = _readonly
"""


@pytest.mark.parametrize(
    ("name", "code", "words"),
    [("enospc", _ENOSPC, "the disk is full"), ("erofs", _EROFS, "read-only")],
)
def test_disk_full_and_read_only_keep_earlier_outputs(
    small_cv: Path, tmp_path: Path, name: str, code: str, words: str
) -> None:
    out = tmp_path / "out"
    before = _first_build(small_cv, out)
    # A change, so that the second build must write.
    small_cv.write_text(small_cv.read_text().replace("Analysis I", "Analysis II"), "utf-8")
    before = fingerprint(small_cv.parent, out)
    env = injected_env(tmp_path / f"inject-{name}", code.format(target=str(out)))
    done = run_cli("build", str(small_cv), "--format", "md", "--output", str(out), env=env)
    done.assert_no_traceback()
    assert done.code == 3, done.text
    assert words in done.err and str(out) in done.err, done.err
    assert len(done.err.strip().splitlines()) == 1, done.err
    assert fingerprint(small_cv.parent, out) == before
    assert stray_temp_files(out, small_cv.parent) == []


@pytest.mark.parametrize("kind", ["dev-zero", "fifo", "folder-without-cv"])
def test_inputs_that_are_not_regular_files_are_refused_unread(tmp_path: Path, kind: str) -> None:
    if kind == "dev-zero":
        target = Path("/dev/zero")
    elif kind == "fifo":
        target = tmp_path / "cv.yaml"
        os.mkfifo(target)
    else:
        target = tmp_path / "empty"
        target.mkdir()
    started = time.monotonic()
    done = run_cli("check", str(target), memory_mb=300, timeout=20)
    done.assert_no_traceback()
    assert done.code == 1, done.text
    assert time.monotonic() - started < 10
    if kind == "folder-without-cv":
        assert "cv.yaml" in done.err and "file not found" in done.err
    else:
        assert "not a regular file" in done.err and str(target) in done.err


def test_a_folder_means_its_cv_yaml(small_cv: Path, tmp_path: Path) -> None:
    done = run_cli("check", str(small_cv.parent))
    assert done.code == 0 and "OK, 1 publication(s)" in done.out, done.text
    out = tmp_path / "o"
    done = run_cli("build", str(small_cv.parent), "--format", "md", "--output", str(out))
    assert done.code == 0, done.text
    assert (out / "cv" / "Lovelace_Ada_CV.md").is_file()


def test_a_bib_that_is_a_fifo_or_too_large(small_cv: Path) -> None:
    bib = small_cv.parent / "papers.bib"
    bib.unlink()
    os.mkfifo(bib)
    done = run_cli("check", str(small_cv), timeout=20)
    done.assert_no_traceback()
    assert done.code == 1 and "cv.yaml:6:" in done.err and "a pipe" in done.err, done.text
    bib.unlink()
    with bib.open("wb") as handle:  # sparse: 60 MB on paper, nothing on disk
        handle.truncate(60 * 1024 * 1024)
    done = run_cli("check", str(small_cv), memory_mb=300, timeout=20)
    done.assert_no_traceback()
    assert done.code == 1 and "over the limit of 50 MB" in done.err, done.text


def test_a_config_over_10_mb_is_refused_unread(tmp_path: Path) -> None:
    config = tmp_path / "cv.yaml"
    with config.open("wb") as handle:
        handle.truncate(11 * 1024 * 1024)
    done = run_cli("check", str(config), memory_mb=300, timeout=20)
    done.assert_no_traceback()
    assert done.code == 1 and "over the limit of 10 MB" in done.err, done.text
    assert done.peak_kb < 200 * 1024


@pytest.mark.parametrize("where", ["/etc/passwd", "../outside.bib", "link.bib"])
def test_bib_outside_the_config_folder_warns_and_strict_refuses(
    small_cv: Path, tmp_path: Path, where: str
) -> None:
    from tests.security.conftest import BIB

    (tmp_path / "outside.bib").write_text(BIB, encoding="utf-8")
    if where == "link.bib":
        (small_cv.parent / "link.bib").symlink_to(tmp_path / "outside.bib")
    small_cv.write_text(small_cv.read_text().replace("papers.bib", where), encoding="utf-8")
    before = fingerprint(small_cv.parent, tmp_path / "outside.bib")
    done = run_cli("check", str(small_cv))
    done.assert_no_traceback()
    assert done.code == 0, done.text
    assert "cv.yaml:6:12: warning: the bib file" in done.err
    assert "outside the folder of the config" in done.err
    strict = run_cli("check", "--strict", str(small_cv))
    assert strict.code == 1 and "cv.yaml:6:12: error: the bib file" in strict.err, strict.text
    out = tmp_path / "o"
    strict = run_cli("build", "--strict", str(small_cv), "--format", "md", "--output", str(out))
    assert strict.code == 1 and not out.exists()
    assert fingerprint(small_cv.parent, tmp_path / "outside.bib") == before


def test_a_bib_beside_or_below_the_config_gives_no_warning(small_cv: Path) -> None:
    (small_cv.parent / "bib").mkdir()
    (small_cv.parent / "papers.bib").rename(small_cv.parent / "bib" / "papers.bib")
    small_cv.write_text(small_cv.read_text().replace("papers.bib", "bib/papers.bib"), "utf-8")
    done = run_cli("check", "--strict", str(small_cv))
    assert done.code == 0 and "warning" not in done.err, done.text
