"""The quickest "nothing changed": file stamps (size and modification time) of every
input and output of the last successful build, checked before anything is parsed.

When a stamp differs, the build goes on as usual (its content-hash cache still skips
variants whose inputs did not really change). Kept in ``.cvbuild-cache/`` beside the
config, like the refresh snapshots. Only the standard library here: this runs on the
start-up path of every ``cvbuild build``.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from cvbuild import __version__

FOLDER = ".cvbuild-cache"
NAME = "build-stamps.json"


def stamp_file(config: Path) -> Path:
    return Path(os.path.abspath(config)).parent / FOLDER / NAME


def options_key(config: Path, options: Sequence[str]) -> str:
    text = "\0".join([__version__, os.path.abspath(config), *options])
    return hashlib.sha256(text.encode()).hexdigest()[:24]


def _stamp(path: str) -> list[int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return [st.st_mtime_ns, st.st_size, st.st_ino]


def _expand(paths: Iterable[Path]) -> list[str]:
    """Files, and every folder and file under folders, as absolute paths (a folder's
    stamp changes when a file is added to it, removed or renamed over)."""
    found: list[str] = []
    for path in paths:
        path = Path(os.path.abspath(path))
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs.sort()
                found.append(root)
                found.extend(os.path.join(root, name) for name in sorted(files))
        else:
            found.append(str(path))
    return found


def _read(config: Path) -> dict[str, Any]:
    try:
        data = json.loads(stamp_file(config).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def quick_check(config: Path, options: Sequence[str]) -> dict[str, Any] | None:
    """The record of the last build with these options if every stamp still matches
    (``{"variants": [...], "outputs": [...]}``), else None."""
    record = _read(config).get(options_key(config, options))
    if not record or not isinstance(record, dict):
        return None
    for path, stamp in (*record["inputs"].items(), *record["outputs"].items()):
        if _stamp(path) != stamp:
            return None
    return record


def capture(paths: Iterable[Path]) -> dict[str, list[int] | None]:
    """Stamps of files (and of everything under folders), taken *before* they are read:
    a file saved while a build runs then differs from its stamp, and the next build
    does not take it for unchanged."""
    return {p: _stamp(p) for p in _expand(paths)}


def remember(
    config: Path,
    options: Sequence[str],
    inputs: dict[str, list[int] | None],
    outputs: Iterable[Path],
    variants: Sequence[str],
) -> tuple[Path, bytes]:
    """The stamp file's new bytes: ``inputs`` from :func:`capture`, outputs as they are now."""
    data = _read(config)
    data[options_key(config, options)] = {
        "variants": list(variants),
        "inputs": inputs,
        "outputs": {p: _stamp(str(p)) for p in sorted({str(o) for o in outputs})},
    }
    return stamp_file(config), json.dumps(data, indent=1, sort_keys=True).encode()
