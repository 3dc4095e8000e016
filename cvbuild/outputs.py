"""Writing outputs atomically: every file is staged beside its destination, then all are
moved into place together. A failure before the move leaves earlier outputs untouched."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path

from cvbuild.errors import ExternalError, PathError, os_failure


def write_atomically(files: Mapping[Path, bytes]) -> list[Path]:
    """Write every ``path → bytes``; unchanged files are left alone. Returns the paths written.

    A file-system fault (disk full, read-only, a file where a folder must be) raises the
    ``cvbuild.errors.os_failure`` of it, naming the path; no staged ``.tmp`` file is left."""
    staged: list[tuple[str, Path]] = []
    current: Path | None = None
    try:
        for path, data in files.items():
            current = path
            if path.is_file() and _same(path, data):
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
            staged.append((tmp, path))  # before writing: a failed write is cleaned up too
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(tmp, _file_mode(path))
        for tmp, path in staged:
            current = path
            os.replace(tmp, path)
    except BaseException as exc:
        for tmp, _ in staged:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        if isinstance(exc, OSError):
            raise os_failure(exc, "write", current) from exc
        raise
    return [path for _, path in staged]


def check_output_dir(
    folder: Path,
    what: str = "output folder",
    option: str = "--output DIR, or output.dir in cv.yaml",
) -> None:
    """Refuse at once a ``folder`` that cannot hold outputs: a file, a path through a file,
    a folder this user may not write. A folder still to be made is fine."""
    probe = folder
    while not probe.exists() and probe.parent != probe:
        if probe.is_symlink():  # a dangling link
            raise PathError(
                f"the {what} {probe} is a broken symbolic link; remove it or choose another"
            )
        probe = probe.parent
    if not probe.is_dir():
        if probe == folder:
            raise PathError(
                f"the {what} {folder} is a file, not a folder; choose a folder "
                f"({option}) or move the file away"
            )
        raise PathError(
            f"the {what} {folder} cannot be made: {probe} is a file, not a folder; "
            f"choose another folder ({option})"
        )
    with contextlib.suppress(OSError, AttributeError):
        if os.statvfs(probe).f_flag & os.ST_RDONLY:
            raise ExternalError(
                f"the {what} {folder} cannot be written: {probe} is on a read-only file system; "
                f"choose a writable folder ({option})"
            )
    if not os.access(probe, os.W_OK | os.X_OK):
        raise PathError(
            f"the {what} {folder} cannot be written: {probe} is not writable by you; "
            f"choose another folder ({option}) or change its permissions"
        )


def _file_mode(path: Path) -> int:
    """Keep the mode of the file being replaced; new files get 0666 less the umask."""
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        mask = os.umask(0)
        os.umask(mask)
        return 0o666 & ~mask


def _same(path: Path, data: bytes) -> bool:
    try:
        return path.stat().st_size == len(data) and path.read_bytes() == data
    except OSError:
        return False
