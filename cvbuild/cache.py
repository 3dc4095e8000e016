"""Incremental builds: a content hash per variant and format set, kept beside the outputs.

The key covers every byte that can change an output: cvbuild's version, the config,
the BibTeX files, the templates and styles (built-in and the user's), the options and
the date shown. When the key and the files on disk still match, the build is skipped:
no parsing, no engine run, no write.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from cvbuild import __version__

CACHE_NAME = ".cvbuild-cache.json"


def _digest_file(h: hashlib._Hash, path: Path) -> None:
    h.update(str(path).encode() + b"\0")
    try:
        h.update(path.read_bytes())
    except OSError:
        h.update(b"<missing>")
    h.update(b"\0")


def _digest_tree(h: hashlib._Hash, folder: Path) -> None:
    if not folder.is_dir():
        return
    for root, dirs, files in os.walk(folder):
        dirs.sort()
        for name in sorted(files):
            _digest_file(h, Path(root) / name)


def inputs_digest(paths: Iterable[Path], options: Sequence[str]) -> str:
    """A hash of every file (and every file under every folder) in ``paths``, in order,
    and of ``options``."""
    h = hashlib.sha256(f"cvbuild {__version__}\0".encode())
    for path in paths:
        if path.is_dir():
            _digest_tree(h, path)
        else:
            _digest_file(h, path)
    for option in options:
        h.update(option.encode() + b"\0")
    return h.hexdigest()


def file_sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class BuildCache:
    """``{variant: {"key": ..., "files": {path: sha256}}}`` stored in the output folder."""

    def __init__(self, out_dir: Path) -> None:
        self.path = out_dir / CACHE_NAME
        try:
            self.data: dict[str, dict[str, Any]] = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self.data = {}

    def is_fresh(self, variant: str, key: str) -> bool:
        """The key matches and every recorded output is still there, byte for byte."""
        record = self.data.get(variant)
        if not record or record.get("key") != key or not record.get("files"):
            return False
        for name, sha in record["files"].items():
            path = self.path.parent / name
            try:
                if file_sha(path.read_bytes()) != sha:
                    return False
            except OSError:
                return False
        return True

    def outputs(self, variant: str) -> list[Path]:
        return [self.path.parent / n for n in self.data.get(variant, {}).get("files", {})]

    def record(self, variant: str, key: str, files: dict[Path, bytes]) -> None:
        base = self.path.parent
        self.data[variant] = {
            "key": key,
            "files": {str(p.relative_to(base)): file_sha(d) for p, d in sorted(files.items())},
        }

    def serialise(self) -> bytes:
        return json.dumps(self.data, indent=1, sort_keys=True).encode()
