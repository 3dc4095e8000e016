"""Build folders in the system's temporary directory, and the cleaning of those a killed run left.

Each folder is named ``cvbuild-build-<pid>-<random>``: the prefix says it is ours, the pid which
process owns it. :func:`sweep_stale` (run at the start of each writing build) removes only
folders with that prefix, owned by this user, that are not symbolic links, and are older than
``STALE_AFTER_S`` while their process is gone, or older than ``ABANDONED_AFTER_S`` at all (a pid
may be reused). Failures to remove are ignored: cleaning never fails a build.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import stat
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

PREFIX = "cvbuild-build-"
STALE_AFTER_S = 10 * 60  # a dead owner, and not touched for 10 minutes
ABANDONED_AFTER_S = 24 * 3600  # whatever the pid says
_NAME = re.compile(rf"^{re.escape(PREFIX)}(\d+)-[A-Za-z0-9_]+$")


def make_build_dir(root: Path | None = None) -> Path:
    """A new private folder for one build step (mode 0700)."""
    return Path(tempfile.mkdtemp(prefix=f"{PREFIX}{os.getpid()}-", dir=root))


@contextlib.contextmanager
def build_dir() -> Iterator[Path]:
    """A private build folder for the ``with`` block, removed after it (a killed run leaves
    it to :func:`sweep_stale`)."""
    folder = make_build_dir()
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    except OSError:
        return False
    return True


def sweep_stale(root: Path | None = None, now: float | None = None) -> list[Path]:
    """Remove our build folders left by killed runs; returns those removed."""
    folder = Path(root or tempfile.gettempdir())
    now = time.time() if now is None else now
    removed: list[Path] = []
    try:
        names = os.listdir(folder)
    except OSError:
        return removed
    me = os.getuid() if hasattr(os, "getuid") else None
    for name in names:
        match = _NAME.match(name)
        if match is None:
            continue
        path = folder / name
        try:
            info = os.lstat(path)
        except OSError:
            continue
        if not stat.S_ISDIR(info.st_mode) or (me is not None and info.st_uid != me):
            continue
        age = now - info.st_mtime
        pid = int(match.group(1))
        dead = pid != os.getpid() and not _alive(pid)
        if (dead and age > STALE_AFTER_S) or age > ABANDONED_AFTER_S:
            with contextlib.suppress(OSError):
                shutil.rmtree(path)
                removed.append(path)
    return removed
