"""The per-user cache of what a build can always work out again, kept so the next one need not.

It holds the parsed phrase catalogs (``cvbuild.i18n.phrases``), the compiled jinja2
templates (``cvbuild.render.jinjacache``) and the version each pandoc executable reported
(``cvbuild.compile.pandoc``), under ``$XDG_CACHE_HOME/cvbuild`` (else ``~/.cache/cvbuild``),
beside the preamble formats of ``cvbuild.compile.fmtcache``.

Nothing in it can change an output: every entry is keyed by everything it was made from
(a source's bytes, an executable's path, size and time, cvbuild's and Python's versions),
so a changed source is a miss, never a stale hit. A file is read only up to a bound; a
missing, oversized or damaged one is a miss; a write goes to a temporary file in the same
folder and is renamed into place, so a reader sees the old entry or the new one, never
half of one. A cache folder that cannot be made or written (read-only home, a file in the
way, a full disk) only means no cache: the build does the work itself and writes nothing.
``CVBUILD_CACHE=0`` turns it off. The preamble formats have their own switch
(``CVBUILD_FORMAT``) and folder logic.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sys
from pathlib import Path

from cvbuild import __version__

ROOT_NAME = "cvbuild"


ENV_SWITCH = "CVBUILD_CACHE"  # "0": no per-user cache at all (read or written)


def cache_root() -> Path | None:
    """``$XDG_CACHE_HOME/cvbuild`` when that is an absolute path, else ``~/.cache/cvbuild``;
    None when there is no home to put it in, or ``CVBUILD_CACHE=0``."""
    if os.environ.get(ENV_SWITCH, "").strip() == "0":
        return None
    base = os.environ.get("XDG_CACHE_HOME", "").strip()
    if base and Path(base).is_absolute():
        return Path(base) / ROOT_NAME
    try:
        return Path.home() / ".cache" / ROOT_NAME
    except (RuntimeError, KeyError):  # no HOME and no password entry
        return None


def folder(name: str) -> Path | None:
    """The cache's sub-folder ``name`` (not created here)."""
    root = cache_root()
    return root / name if root is not None else None


def key_of(*parts: str | bytes) -> str:
    """A file-name-safe digest of ``parts``, with cvbuild's and Python's versions in it (a
    new release or interpreter never reads an older one's entries)."""
    digest = hashlib.sha256(f"{__version__}\0{sys.version}\0".encode())
    for part in parts:
        data = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)
    return digest.hexdigest()[:32]


def read_bytes(path: Path, limit: int) -> bytes | None:
    """The file's bytes when it exists and holds at most ``limit`` of them, else None."""
    try:
        with path.open("rb") as f:
            data = f.read(limit + 1)
    except OSError:
        return None
    return data if len(data) <= limit else None


def read_json(path: Path, limit: int) -> object | None:
    """The JSON value in ``path``, or None when it is missing, too large or not JSON."""
    data = read_bytes(path, limit)
    if data is None:
        return None
    try:
        value: object = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None
    return value


def write_bytes(path: Path, data: bytes) -> bool:
    """``data`` into ``path`` atomically (its folder made if need be); False, with nothing
    left behind, when the cache cannot be written."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{os.urandom(4).hex()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tmp.open("wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except OSError:
        with contextlib.suppress(OSError):
            tmp.unlink()
        return False
    return True


def write_json(path: Path, value: object) -> bool:
    """``value`` as compact JSON (keys sorted) into ``path``, as :func:`write_bytes`."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return write_bytes(path, text.encode("utf-8"))


def prune(folder: Path, keep: int, pattern: str = "*") -> None:
    """Leave at most ``keep`` entries in ``folder``, the most recently written: entries of
    older releases, interpreters and sources are dropped. Faults are ignored."""
    try:
        entries = [(p.stat().st_mtime_ns, p) for p in folder.glob(pattern) if p.is_file()]
    except OSError:
        return
    entries.sort(reverse=True)
    for _, path in entries[keep:]:
        with contextlib.suppress(OSError):
            path.unlink()
