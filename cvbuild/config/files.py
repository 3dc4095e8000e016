"""Which file a config path names, without loading the reader (a build's first step)."""

from __future__ import annotations

from pathlib import Path

__all__ = ["config_file"]


def config_file(path: Path) -> Path:
    """The config a path names: a folder ``DIR`` means ``DIR/cv.yaml``."""
    path = Path(path)
    return path / "cv.yaml" if path.is_dir() else path
