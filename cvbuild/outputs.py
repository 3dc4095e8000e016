"""Writing outputs atomically: every file is staged beside its destination, then all are
moved into place together. A failure before the move leaves earlier outputs untouched."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from pathlib import Path


def write_atomically(files: Mapping[Path, bytes]) -> list[Path]:
    """Write every ``path → bytes``; unchanged files are left alone. Returns the paths written."""
    staged: list[tuple[str, Path]] = []
    try:
        for path, data in files.items():
            if path.is_file() and _same(path, data):
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            staged.append((tmp, path))
            os.chmod(tmp, _file_mode(path))
        for tmp, path in staged:
            os.replace(tmp, path)
    except BaseException:
        for tmp, _ in staged:
            if os.path.exists(tmp):
                os.unlink(tmp)
        raise
    return [path for _, path in staged]


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
